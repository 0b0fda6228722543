"""Synth Studio's TabularARGN engine host: mostlyai-engine (Apache-2.0) served over gRPC from
an environment of its own."""
