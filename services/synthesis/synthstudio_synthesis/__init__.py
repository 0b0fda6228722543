"""Synth Studio synthesis service: datasets in, trained synthesizers and synthetic data out."""
