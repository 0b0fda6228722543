"""Building the synthesizer engines a process uses: the in-process engines installed here
(entry-point group `synthstudio.engines`: SDV today, with parallel sampling on every core and
reuse of prepared training data), the engine hosts configured by address (TabularARGN), and the
key that seals model files."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

import torch

from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_synthesis.children import bind_joblib_workers
from synthstudio_synthesis.engine import ParallelSampler, PreparedDataCache, SdvEngine
from synthstudio_synthesis.engine.host_client import RemoteEngine
from synthstudio_synthesis.engine.interface import ModelEngine
from synthstudio_synthesis.engine.registry import EngineRegistry

ENGINES_ENTRY_POINT_GROUP = "synthstudio.engines"
# Engine hosts, each reached at the address setting `<name>_addr` (empty: not deployed).
ENGINE_HOSTS = ("engine_tabular_argn",)

log = logging.getLogger(__name__)


def model_key(settings: Settings) -> bytes:
    return load_secret(settings.model_signing_key, settings.data_dir, "model-key").encode()


def build_engine(settings: Settings) -> SdvEngine:
    """The SDV engine (entry point `sdv`)."""
    # One intra-op thread per training: on small hosts more threads fight over the cores
    # (a short CTGAN fit measured 8x slower with two).
    torch.set_num_threads(1)
    bind_joblib_workers()
    prepared = PreparedDataCache(
        settings.resolved_artifact_dir / "prepared-data", model_key(settings)
    )
    return SdvEngine(sampler=ParallelSampler(), prepared_data=prepared)


def build_engines(settings: Settings) -> EngineRegistry:
    """Every engine installed in this environment or configured as an engine host."""
    installed: list[ModelEngine] = []
    for entry in sorted(entry_points(group=ENGINES_ENTRY_POINT_GROUP), key=lambda e: e.name):
        installed.append(entry.load()(settings))
    hosts: list[ModelEngine] = [
        RemoteEngine(service_channel(settings, host), settings.service_addr(host))
        for host in ENGINE_HOSTS
        if settings.service_addr(host)
    ]
    # Metadata detection is SDV's today; an engine that offers it is the metadata engine.
    metadata = next((e for e in installed if hasattr(e, "detect_metadata")), None)
    if metadata is None:
        raise RuntimeError(
            f"no installed engine detects metadata (entry points {ENGINES_ENTRY_POINT_GROUP!r} "
            f"found: {[e.name for e in installed] or 'none'}): reinstall with `make install`"
        )
    log.info(
        "synthesizer engines: %s",
        ", ".join([e.name for e in installed] + [f"host at {e.address}" for e in hosts]),
    )
    return EngineRegistry(metadata, [*installed, *hosts])
