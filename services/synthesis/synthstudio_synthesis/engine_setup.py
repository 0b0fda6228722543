"""Building the synthesizer engine a process uses: parallel sampling on every core, reuse of
prepared training data, and the key that seals model files."""

from __future__ import annotations

import torch

from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_synthesis.engine import ParallelSampler, PreparedDataCache, SdvEngine


def model_key(settings: Settings) -> bytes:
    return load_secret(settings.model_signing_key, settings.data_dir, "model-key").encode()


def build_engine(settings: Settings) -> SdvEngine:
    # One intra-op thread per training: on small hosts more threads fight over the cores
    # (a short CTGAN fit measured 8x slower with two).
    torch.set_num_threads(1)
    prepared = PreparedDataCache(
        settings.resolved_artifact_dir / "prepared-data", model_key(settings)
    )
    return SdvEngine(sampler=ParallelSampler(), prepared_data=prepared)
