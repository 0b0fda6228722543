"""Shared building blocks of the Synth Studio services: settings, telemetry, errors, storage,
jobs."""
