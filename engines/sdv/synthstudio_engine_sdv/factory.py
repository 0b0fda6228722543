"""The SDV engine as the synthesis service builds it (entry point `synthstudio.engines:sdv`)."""

from __future__ import annotations

import torch

from synthstudio_engine_sdv.engine import SdvEngine
from synthstudio_engine_sdv.prepared_data import PreparedDataCache
from synthstudio_engine_sdv.sampling import ParallelSampler
from synthstudio_libs.config import Settings
from synthstudio_synthesis.children import bind_joblib_workers
from synthstudio_synthesis.engine_setup import model_key


def build_engine(settings: Settings) -> SdvEngine:
    """The SDV engine, with parallel sampling on every core and reuse of prepared training data."""
    # One intra-op thread per training: on small hosts more threads fight over the cores
    # (a short CTGAN fit measured 8x slower with two).
    torch.set_num_threads(1)
    bind_joblib_workers()
    prepared = PreparedDataCache(
        settings.resolved_artifact_dir / "prepared-data", model_key(settings)
    )
    return SdvEngine(sampler=ParallelSampler(), prepared_data=prepared)
