"""Test helpers: a recording (and cancelling) Progress, tiny settings, a training shortcut."""

from __future__ import annotations

from dataclasses import dataclass, field

from synthstudio_engine_sdv import detect_metadata
from synthstudio_libs.errors import JobCancelled
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import (
    DataLayout,
    SynthesizerKind,
    TrainedModel,
    TrainingSpec,
    parse_hyperparameters,
)

# Small networks and two epochs: the tests check behaviour, not model quality.
TINY = {
    SynthesizerKind.CTGAN: {
        "epochs": 2,
        "batch_size": 50,
        "embedding_dim": 16,
        "generator_dim": [32, 32],
        "discriminator_dim": [32, 32],
        "pac": 5,
    },
    SynthesizerKind.TVAE: {
        "epochs": 2,
        "batch_size": 50,
        "embedding_dim": 16,
        "compress_dims": [32],
        "decompress_dims": [32],
    },
    SynthesizerKind.COPULAGAN: {
        "epochs": 2,
        "batch_size": 50,
        "embedding_dim": 16,
        "generator_dim": [32, 32],
        "discriminator_dim": [32, 32],
        "pac": 5,
    },
    SynthesizerKind.GAUSSIAN_COPULA: {},
    SynthesizerKind.PAR: {"epochs": 2},
    SynthesizerKind.HMA: {},
}


@dataclass
class Event:
    fraction: float
    message: str
    details: dict


@dataclass
class RecordingProgress:
    """Keeps every update; `cancel_when(event)` true makes that update raise JobCancelled."""

    events: list[Event] = field(default_factory=list)
    cancel_when: object = None

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        event = Event(fraction, message, details)
        self.events.append(event)
        if self.cancel_when is not None and self.cancel_when(event):
            raise JobCancelled()

    def epochs(self) -> list[int]:
        """Completed-epoch numbers reported at epoch ends (those carry losses)."""
        return [
            e.details["epoch"]
            for e in self.events
            if "epoch" in e.details and ("loss" in e.details or "generator_loss" in e.details)
        ]


def train(engine, tables, kind, metadata=None, progress=None, **overrides) -> TrainedModel:
    """Trains `kind` on `tables` with the tiny settings (plus `overrides`)."""
    kind = SynthesizerKind(kind)
    if metadata is None:
        layout = DataLayout.SEQUENTIAL if kind is SynthesizerKind.PAR else None
        metadata = detect_metadata(tables, layout)
    hyperparameters = parse_hyperparameters(kind, {**TINY[kind], **overrides})
    spec = TrainingSpec(kind, metadata, hyperparameters)
    return engine.train(tables, spec, progress or NullProgress())
