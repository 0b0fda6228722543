"""Synth Studio evaluation service: fidelity, utility and privacy-risk reports."""
