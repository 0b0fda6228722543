"""Generated from protos/ by `make generate`. Do not edit."""
