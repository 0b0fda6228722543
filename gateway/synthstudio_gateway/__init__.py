"""Synth Studio's REST gateway: routes, JSON mapping and OpenAPI all come from the protos."""
