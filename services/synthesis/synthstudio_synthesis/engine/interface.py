"""The contract between the synthesis service and a synthesizer engine.

The service talks to an engine only through `SynthesizerEngine` and these dataclasses, so an
engine under another licence (SDV is Business Source licensed) can replace `SdvEngine`, in its own
worker with its own dependencies, without the service changing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import Progress
from synthstudio_synthesis.engine.columns import ColumnDomain, FixedColumn
from synthstudio_synthesis.engine.constraints import Constraint
from synthstudio_synthesis.engine.hyperparameters import Hyperparameters
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind

MAX_SAMPLE_ROWS = 1_000_000_000
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class TrainingSpec:
    """What to train: the kind, the validated metadata dict, typed hyperparameters, constraints.

    `hyperparameters` None means the kind's defaults.
    """

    kind: SynthesizerKind
    metadata: Mapping[str, Any]
    hyperparameters: Hyperparameters | None = None
    constraints: tuple[Constraint, ...] = ()


class PreparedDataUse(StrEnum):
    """Whether a deep model's prepared training data was computed or reused from the cache."""

    NOT_APPLICABLE = "not_applicable"
    COMPUTED = "computed"
    REUSED = "reused"


@dataclass(frozen=True)
class TrainingReport:
    """What a training run did, for the job result."""

    rows: Mapping[str, int]
    warnings: tuple[str, ...] = ()
    epochs_completed: int | None = None
    prepared_data: PreparedDataUse = PreparedDataUse.NOT_APPLICABLE
    seconds: float = 0.0


@dataclass(frozen=True)
class TableProfile:
    """One training table as the model saw it: column order, left-out columns, domains, keys."""

    name: str
    columns: tuple[str, ...]
    rows: int
    fixed_columns: tuple[FixedColumn, ...] = ()
    domains: Mapping[str, ColumnDomain] = field(default_factory=dict)
    keys: tuple[str, ...] = ()

    @property
    def modelled_columns(self) -> tuple[str, ...]:
        fixed = {column.name for column in self.fixed_columns}
        return tuple(column for column in self.columns if column not in fixed)


@dataclass
class TrainedModel:
    """A fitted synthesizer with what sampling needs to know about its training data.

    `synthesizer` is the engine's own object (None when every column was left out: then samples
    are the fixed values only). Persist it with `save_model`; never pickle it directly.
    """

    engine: str
    engine_version: str
    kind: SynthesizerKind
    metadata: dict[str, Any]
    hyperparameters: Hyperparameters
    constraints: tuple[Constraint, ...]
    tables: dict[str, TableProfile]
    report: TrainingReport
    synthesizer: Any

    @property
    def layout(self) -> DataLayout:
        return self.kind.layout

    def table(self) -> TableProfile:
        """The one table of a single-table or sequential model."""
        (profile,) = self.tables.values()
        return profile


@dataclass(frozen=True)
class ExactCondition:
    """Every sampled row has `value` in `column`."""

    column: str
    value: str | int | float | bool


@dataclass(frozen=True)
class RangeCondition:
    """Every sampled row has `low <= column <= high` (a bound left None is open)."""

    column: str
    low: float | None = None
    high: float | None = None


Condition = ExactCondition | RangeCondition


@dataclass(frozen=True)
class SampleRequest:
    """N rows from a single-table model; the same seed gives the same rows."""

    num_rows: int
    seed: int = 0
    conditions: tuple[Condition, ...] = ()

    def __post_init__(self) -> None:
        check_count(self.num_rows, "num_rows")
        check_seed(self.seed)
        object.__setattr__(self, "conditions", tuple(self.conditions))


@dataclass
class SampleResult:
    """Sampled rows plus notes (fewer rows than asked when conditions are rarely met)."""

    data: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


class SampleStream(Iterator[pd.DataFrame]):
    """DataFrame chunks of a large sample, in order; `warnings` fills as chunks are made.

    Close it (or use it in a `with` block) to stop early: pending work is cancelled.
    """

    def __init__(self, chunks: Iterator[pd.DataFrame], warnings: list[str]) -> None:
        self._chunks = chunks
        self.warnings = warnings

    def __next__(self) -> pd.DataFrame:
        return next(self._chunks)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> SampleStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def check_count(value: object, field: str, maximum: int = MAX_SAMPLE_ROWS) -> int:
    """InvalidInput unless `value` is an int in [0, maximum]."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise InvalidInput(
            f"{field} must be a whole number from 0 to {maximum:,}, got {value!r}",
            field=field,
            metadata={"value": value, "maximum": maximum},
        )
    return value


def check_seed(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SEED:
        raise InvalidInput(
            f"seed must be a whole number from 0 to 2^63-1, got {value!r}",
            field="seed",
            metadata={"value": value},
        )
    return value


class ModelEngine(Protocol):
    """An engine that trains, persists and samples models of its `kinds()`.

    Errors: `InvalidInput` for anything wrong in the request (naming the field),
    `FailedPrecondition` when a model cannot be used; `JobCancelled` passes through from
    `progress.update`.
    """

    name: str
    version: str
    # SPDX licence expression of the engine's library: what a deployment may be used for.
    licence: str

    def kinds(self) -> frozenset[SynthesizerKind]: ...

    def train(
        self, tables: Mapping[str, pd.DataFrame], spec: TrainingSpec, progress: Progress
    ) -> TrainedModel: ...

    def serialize(self, model: TrainedModel) -> bytes: ...

    def deserialize(self, payload: bytes) -> TrainedModel: ...

    def sample(self, model: TrainedModel, request: SampleRequest) -> SampleResult: ...

    def iter_sample(
        self,
        model: TrainedModel,
        request: SampleRequest,
        progress: Progress | None = None,
        chunk_rows: int | None = None,
    ) -> SampleStream: ...

    def sample_tables(
        self, model: TrainedModel, scale: float, seed: int = 0
    ) -> dict[str, pd.DataFrame]: ...

    def sample_sequences(
        self,
        model: TrainedModel,
        num_sequences: int,
        seed: int = 0,
        sequence_length: int | None = None,
    ) -> pd.DataFrame: ...


@runtime_checkable
class MetadataRules(Protocol):
    """Detects and checks dataset metadata: the SDV engine where installed, else
    `synthstudio_synthesis.engine.metadata.TableMetadata`."""

    def detect_metadata(
        self,
        tables: Mapping[str, pd.DataFrame],
        layout: DataLayout | None = None,
        *,
        sequence_key: str | None = None,
        sequence_index: str | None = None,
    ) -> dict[str, Any]: ...

    def validate_metadata(
        self, metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None
    ) -> dict[str, Any]: ...


class SynthesizerEngine(ModelEngine, MetadataRules, Protocol):
    """A model engine that also detects and checks dataset metadata (the SDV engine)."""
