"""TabularARGN (mostlyai-engine) as training and sampling calls over DataFrames and model
archives. Plain Python: no gRPC here.

The engine works in a workspace directory (split -> analyze -> encode -> train -> generate). A
trained model is the workspace's `ModelStore` folder (weights, encoding statistics, configs),
packed as a tar archive; the training rows themselves (`OriginalData`) never leave the host.
"""

from __future__ import annotations

import contextlib
import io
import logging
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mostlyai.engine
import numpy as np
import pandas as pd
from mostlyai.engine import analyze, encode, generate, set_random_state, split, train
from mostlyai.engine._common import load_generated_data

from synthstudio_libs.errors import FailedPrecondition, InvalidInput, JobCancelled

log = logging.getLogger(__name__)

NAME = "tabular_argn"
VERSION = f"mostlyai-engine {mostlyai.engine.__version__}"
LICENCE = "Apache-2.0"
KINDS = ("tabular_argn",)
MODEL_FOLDER = "ModelStore"
# Rows made by one `generate` call, each seeded from (seed, block): the rows for a seed do not
# depend on how the caller chunks the stream.
BLOCK_ROWS = 10_000
_MODEL_SIZES = {
    "small": "MOSTLY_AI/Small",
    "medium": "MOSTLY_AI/Medium",
    "large": "MOSTLY_AI/Large",
}
# Stages of a training run and the share of the progress bar each one takes.
_PREPARE_SHARE = 0.1
# How often a task waiting for the engine says so.
_WAIT_REPORT_SECONDS = 2.0
_TRAIN_SHARE = 0.85

ProgressSink = Callable[[float, str], None]
# The default time budget grows with the table, so that a small table is not held for ten
# minutes on a two-core host; ten minutes caps what a default may cost.
CELLS_PER_MINUTE = 20_000
MAX_DEFAULT_BUDGET = 10.0


@dataclass(frozen=True)
class TrainSettings:
    """The hyperparameters the synthesis service checked, with this engine's defaults."""

    # Minutes; None sizes the budget to the table (budget_minutes).
    max_training_time: float | None = None
    max_epochs: float = 100.0
    model_size: str = "medium"
    value_protection: bool = True

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> TrainSettings:
        known = {name for name in cls.__dataclass_fields__}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidInput(
                f"hyperparameters.{unknown[0]} is not a hyperparameter of tabular_argn",
                field=f"hyperparameters.{unknown[0]}",
                metadata={"known": ", ".join(sorted(known))},
            )
        settings = cls(**values)
        if settings.model_size not in _MODEL_SIZES:
            raise InvalidInput(
                f"hyperparameters.model_size must be one of {', '.join(_MODEL_SIZES)}",
                field="hyperparameters.model_size",
                metadata={"value": settings.model_size},
            )
        return settings

    def budget_minutes(self, frame: pd.DataFrame) -> float:
        """The time budget: as given, else one minute per 20,000 cells, from 1 to 10."""
        if self.max_training_time is not None:
            return self.max_training_time
        cells = len(frame) * max(1, len(frame.columns))
        return min(MAX_DEFAULT_BUDGET, max(1.0, cells / CELLS_PER_MINUTE))


@dataclass
class TrainOutcome:
    archive: bytes
    rows: int
    epochs_completed: int
    seconds: float
    warnings: list[str] = field(default_factory=list)


class TabularArgnEngine:
    """Trains and samples TabularARGN models, one engine task at a time.

    mostlyai-engine seeds the process-wide random state (numpy, torch), so two tasks at once
    would draw from each other's streams and a seed would no longer fix the rows: the lock
    makes tasks take turns. More throughput comes from more engine hosts, not more threads.
    """

    name = NAME
    version = VERSION
    licence = LICENCE
    kinds = KINDS

    def __init__(self, work_dir: Path | None = None) -> None:
        self._work_dir = work_dir
        self._lock = threading.Lock()

    def train(
        self,
        frame: pd.DataFrame,
        settings: TrainSettings,
        *,
        primary_key: str | None,
        seed: int,
        progress: ProgressSink,
        cancelled: threading.Event,
    ) -> TrainOutcome:
        """A model trained on `frame`; `cancelled` set stops it with JobCancelled."""
        if frame.empty or len(frame.columns) == 0:
            raise InvalidInput("the training table has no rows or no columns", field="table")
        if primary_key and primary_key not in frame.columns:
            raise InvalidInput(
                f"primary key '{primary_key}' is not a column of the table",
                field="primary_key",
                metadata={"primary_key": primary_key},
            )
        with (
            self._turn(progress, cancelled),
            tempfile.TemporaryDirectory(dir=self._work_dir) as folder,
        ):
            workspace = Path(folder)
            started = time.monotonic()
            tracker = _TrainingTracker(progress, cancelled)
            set_random_state(_seed32(seed, 0))
            progress(0.0, "analysing the table")
            split(
                tgt_data=frame,
                tgt_primary_key=primary_key or None,
                model_type="TABULAR",
                workspace_dir=workspace,
            )
            analyze(value_protection=settings.value_protection, workspace_dir=workspace)
            tracker.check()
            encode(workspace_dir=workspace)
            tracker.check()
            progress(_PREPARE_SHARE, "training")
            budget = settings.budget_minutes(frame)
            train(
                model=_MODEL_SIZES[settings.model_size],
                max_training_time=budget,
                max_epochs=settings.max_epochs,
                workspace_dir=workspace,
                update_progress=tracker,
            )
            seconds = time.monotonic() - started
            return TrainOutcome(
                archive=_pack(workspace / MODEL_FOLDER),
                rows=len(frame),
                epochs_completed=int(tracker.epochs),
                seconds=seconds,
                warnings=tracker.warnings(budget, settings.max_epochs),
            )

    @contextlib.contextmanager
    def _turn(self, progress: ProgressSink, cancelled: threading.Event) -> Iterator[None]:
        """Waits for the engine while it runs another task, saying so every few seconds (the
        caller's job shows it, and learns of a cancel in time) and stopping on `cancelled`."""
        while not self._lock.acquire(timeout=_WAIT_REPORT_SECONDS):
            if cancelled.is_set():
                raise JobCancelled("training was cancelled while waiting for the engine")
            progress(0.0, "waiting for the engine, which is running another task")
        try:
            yield
        finally:
            self._lock.release()

    def sample(
        self,
        archive: bytes,
        num_rows: int,
        seed: int,
        chunk_rows: int,
        fixed_values: Mapping[str, Any] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """`num_rows` rows in chunks of `chunk_rows`; the same archive, rows and seed give the
        same rows whatever the chunk size."""
        if num_rows < 1 or chunk_rows < 1:
            raise InvalidInput("num_rows and chunk_rows must be at least 1", field="num_rows")
        with self._lock, tempfile.TemporaryDirectory(dir=self._work_dir) as folder:
            workspace = Path(folder)
            _unpack(archive, workspace)
            columns = _model_columns(workspace)
            unknown = sorted(set(fixed_values or {}) - set(columns))
            if unknown:
                raise InvalidInput(
                    f"conditions name {', '.join(unknown)}, which the model does not have",
                    field="conditions",
                    metadata={"columns": ", ".join(unknown)},
                )
            pending = pd.DataFrame()
            for block, start in enumerate(range(0, num_rows, BLOCK_ROWS)):
                rows = min(BLOCK_ROWS, num_rows - start)
                made = _generate_block(workspace, rows, _seed32(seed, block + 1), fixed_values)
                pending = pd.concat([pending, made], ignore_index=True)
                while len(pending) >= chunk_rows:
                    yield pending.iloc[:chunk_rows].reset_index(drop=True)
                    pending = pending.iloc[chunk_rows:]
            if len(pending):
                yield pending.reset_index(drop=True)


class _TrainingTracker:
    """mostlyai-engine's progress callback: relays progress, remembers epochs, and raises
    JobCancelled inside the training loop once the caller went away."""

    def __init__(self, progress: ProgressSink, cancelled: threading.Event) -> None:
        self._progress = progress
        self._cancelled = cancelled
        self.epochs = 0.0
        self.trained_seconds = 0.0

    def check(self) -> None:
        if self._cancelled.is_set():
            raise JobCancelled("training was cancelled")

    def __call__(
        self,
        total: int | None = None,
        completed: int | None = None,
        advance: int | None = None,
        message: dict | None = None,
        **_: Any,
    ) -> None:
        self.check()
        if message:
            self.epochs = float(message.get("epoch") or self.epochs)
            self.trained_seconds = float(message.get("total_time") or self.trained_seconds)
        if total and completed is not None:
            done = min(1.0, completed / total)
            self._progress(
                _PREPARE_SHARE + _TRAIN_SHARE * done, f"training, epoch {self.epochs:.2f}"
            )

    def warnings(self, budget_minutes: float, max_epochs: float) -> list[str]:
        # The engine stops at the budget, at max_epochs, or early when the validation loss
        # stops improving; only the first leaves a model that could still learn. Its last
        # report comes at the last checkpoint before the budget ran out, not at the budget.
        out_of_time = self.trained_seconds >= 0.9 * budget_minutes * 60
        if out_of_time and self.epochs < max_epochs:
            return [
                f"training stopped at its time budget ({budget_minutes:.3g} min) after "
                f"{self.epochs:.2f} epoch(s), before the model converged: a larger "
                "max_training_time usually gives more faithful data"
            ]
        return []


def _seed32(seed: int, block: int) -> int:
    """A 32-bit seed for numpy and torch from a 63-bit seed and a block number."""
    return int(np.random.SeedSequence([seed & 0xFFFFFFFF, seed >> 32, block]).generate_state(1)[0])


def _generate_block(
    workspace: Path, rows: int, seed: int, fixed_values: Mapping[str, Any] | None
) -> pd.DataFrame:
    set_random_state(seed)
    seed_data = (
        pd.DataFrame({c: [v] * rows for c, v in fixed_values.items()}) if fixed_values else None
    )
    generate(
        seed_data=seed_data,
        sample_size=None if seed_data is not None else rows,
        workspace_dir=workspace,
    )
    return load_generated_data(workspace)


def _model_columns(workspace: Path) -> list[str]:
    from mostlyai.engine._workspace import Workspace

    stats = Workspace(workspace).tgt_stats.read()
    return list(stats.get("columns", {}))


def _pack(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=MODEL_FOLDER)
    return buffer.getvalue()


def _unpack(archive: bytes, workspace: Path) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as packed:
            names = packed.getnames()
            if not names or any(not n.startswith(MODEL_FOLDER) for n in names):
                raise tarfile.TarError("not a TabularARGN model archive")
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            packed.extractall(workspace, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise FailedPrecondition(
            f"the model cannot be read by this engine ({error})",
            reason="MODEL_UNREADABLE",
        ) from None
