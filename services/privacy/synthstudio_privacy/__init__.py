"""Synth Studio privacy service: DP synthesizers (Opacus), their accounting, and the budget ledger.

Import from the submodules (`synthstudio_privacy.planning`, `.synthesizer`, `.ledger`, ...):
this package imports nothing itself, so the ledger and the service start without loading torch.
"""
