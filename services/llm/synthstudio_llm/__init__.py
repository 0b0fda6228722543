"""Synth Studio LLM service: assistant features, provider chain, redaction and review workflow.

Domain modules here never import `grpc`; `server.py` and `servicer.py` wire them to the API.
"""
