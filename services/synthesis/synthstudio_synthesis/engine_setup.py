"""Building the synthesizer engines a process uses: the in-process engines installed here
(entry-point group `synthstudio.engines`: the SDV engine, package `synthstudio-engine-sdv`, when
installed), the engine hosts configured by address (TabularARGN), and the key that seals model
files."""

from __future__ import annotations

import logging
from importlib.metadata import entry_points

from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_synthesis.engine.host_client import RemoteEngine
from synthstudio_synthesis.engine.interface import MetadataRules, ModelEngine
from synthstudio_synthesis.engine.metadata import TableMetadata
from synthstudio_synthesis.engine.registry import EngineRegistry

ENGINES_ENTRY_POINT_GROUP = "synthstudio.engines"
# Engine hosts, each reached at the address setting `<name>_addr` (empty: not deployed).
ENGINE_HOSTS = ("engine_tabular_argn",)

log = logging.getLogger(__name__)


def model_key(settings: Settings) -> bytes:
    return load_secret(settings.model_signing_key, settings.data_dir, "model-key").encode()


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
    log.info(
        "synthesizer engines: %s",
        ", ".join([e.name for e in installed] + [f"host at {e.address}" for e in hosts]),
    )
    return EngineRegistry(metadata_rules(installed), [*installed, *hosts])


def metadata_rules(installed: list[ModelEngine]) -> MetadataRules:
    """An installed engine that detects metadata (SDV) does it by its rules; without one (the
    Apache profile) the synthesis service's own detector does."""
    for engine in installed:
        if isinstance(engine, MetadataRules):
            return engine
    return TableMetadata()
