"""The `synthstudio` command: Synth Studio from a terminal, over synthstudio_sdk."""
