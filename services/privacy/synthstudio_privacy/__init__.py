"""Synth Studio privacy service: differentially private training and the budget ledger."""
