"""The SDV 2.0 engine (Business Source License 1.1): `SdvEngine` trains, persists and samples
SDV synthesizers, and detects and checks metadata by SDV's rules.

An installable package of its own, discovered by the synthesis service through the entry point
`synthstudio.engines:sdv`, so that a suite without it (the Apache profile) imports no SDV.
"""

from synthstudio_engine_sdv.engine import SdvEngine
from synthstudio_engine_sdv.metadata import detect_metadata, validate_metadata
from synthstudio_engine_sdv.prepared_data import PreparedDataCache
from synthstudio_engine_sdv.sampling import ParallelSampler

__all__ = [
    "ParallelSampler",
    "PreparedDataCache",
    "SdvEngine",
    "detect_metadata",
    "validate_metadata",
]
