"""The engines a synthesis process can use, which one serves each kind, and `auto`'s choice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_synthesis.engine.interface import MetadataRules, ModelEngine
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind

# Which engine provides each kind, to name the missing one when a kind is unavailable.
KIND_ENGINES = {kind: "sdv" for kind in SynthesizerKind} | {
    SynthesizerKind.TABULAR_ARGN: "tabular_argn"
}
# `auto`'s preferences per layout, best first.
_AUTO_PREFERENCES = {
    DataLayout.SINGLE_TABLE: (SynthesizerKind.TABULAR_ARGN, SynthesizerKind.GAUSSIAN_COPULA),
    DataLayout.MULTI_TABLE: (SynthesizerKind.HMA,),
    DataLayout.SEQUENTIAL: (SynthesizerKind.PAR,),
}
_AUTO_REASONS = {
    SynthesizerKind.TABULAR_ARGN: "TabularARGN is the most faithful single-table engine "
    "installed (Apache-2.0)",
    SynthesizerKind.GAUSSIAN_COPULA: "the fastest SDV single-table kind; TabularARGN would be "
    "preferred but its engine host is not installed or not answering",
    SynthesizerKind.HMA: "the multi-table kind installed",
    SynthesizerKind.PAR: "the sequential kind installed",
}


@dataclass(frozen=True)
class EngineInfo:
    """One engine as `ListEngines` shows it."""

    name: str
    version: str
    licence: str
    kinds: tuple[str, ...]
    available: bool


class EngineRegistry:
    """Routes each synthesizer kind to the engine that provides it.

    `metadata` detects and checks dataset metadata (the SDV engine's rules where it is
    installed, else the service's own).
    """

    def __init__(self, metadata: MetadataRules, engines: Sequence[ModelEngine]) -> None:
        self.metadata = metadata
        self._engines = list(engines)

    def for_kind(self, kind: SynthesizerKind) -> ModelEngine:
        """The engine that trains and samples `kind`; FailedPrecondition naming the engine to
        install (or start) when none here does."""
        for engine in self._engines:
            if kind in engine.kinds():
                return engine
        needed = KIND_ENGINES[kind]
        raise FailedPrecondition(
            f"no engine here provides {kind.value}: it needs the {needed} engine, which is not "
            "installed or not running (`make install` builds it, `make run` starts it); "
            "`synthstudio engines` lists what is available",
            reason="ENGINE_NOT_AVAILABLE",
            metadata={"kind": kind.value, "engine": needed},
        )

    def describe(self) -> list[EngineInfo]:
        found = []
        for engine in self._engines:
            kinds = tuple(sorted(kind.value for kind in engine.kinds()))
            available = bool(kinds)
            found.append(EngineInfo(engine.name, engine.version, engine.licence, kinds, available))
        return found

    def choose(self, layout: DataLayout) -> tuple[SynthesizerKind, str]:
        """`auto`'s kind for a dataset of `layout`, and why it was chosen."""
        for kind in _AUTO_PREFERENCES[layout]:
            if any(kind in engine.kinds() for engine in self._engines):
                return kind, _AUTO_REASONS[kind]
        # None is available: for_kind raises the error that names the best engine to install
        # (TabularARGN for a single table, which is also the one the Apache profile has).
        best = _AUTO_PREFERENCES[layout][0]
        self.for_kind(best)
        return best, _AUTO_REASONS[best]
