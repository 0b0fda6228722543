"""Structured inputs the assistant reasons over: profiles, aggregates, metrics and findings.

These are the only views of a dataset that may reach a prompt. Nothing here holds a row: a column
profile carries counts, ranges, moments and the most frequent values with their frequencies, and
the prompt builder withholds even those values for columns that hold personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ColumnKind(StrEnum):
    """Storage-level kind of a column, as the profiler of the evaluation service reports it."""

    NUMERICAL = "numerical"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    TEXT = "text"
    ID = "id"


@dataclass(frozen=True)
class ValueFrequency:
    """One frequent value of a column and the fraction of non-missing rows holding it."""

    value: str
    frequency: float


@dataclass(frozen=True)
class ColumnProfile:
    """Aggregate description of one column. Numeric fields apply to numerical columns,
    `earliest`/`latest` (ISO 8601) to datetime columns, `top_values` to categorical ones.
    Profiles of real data carry bounds no single row decides (`profiling`): `minimum` and
    `maximum` are the k-th smallest and largest values rounded outward, dates are months."""

    name: str
    kind: ColumnKind
    missing_fraction: float = 0.0
    distinct_count: int = 0
    minimum: float | None = None
    maximum: float | None = None
    mean: float | None = None
    std: float | None = None
    earliest: str | None = None
    latest: str | None = None
    top_values: tuple[ValueFrequency, ...] = ()


def right_tail_ratio(column: ColumnProfile) -> float | None:
    """How much further the upper bound lies above the mean than the lower bound below it,
    for a non-negative numerical column; None where the profile cannot say. Profiles carry
    k-th order statistics, not the extremes, so the tail shows as asymmetry (an exponential
    column gives about 4, a symmetric one about 1), not as a maximum many times the mean."""
    low, high, mean = column.minimum, column.maximum, column.mean
    if low is None or high is None or mean is None or low < 0 or mean <= low:
        return None
    return (high - mean) / (mean - low)


LONG_RIGHT_TAIL = 3.0


@dataclass(frozen=True)
class TableProfile:
    """Aggregate description of one table and its keys."""

    name: str
    row_count: int
    columns: tuple[ColumnProfile, ...]
    primary_key: str | None = None
    sequence_key: str | None = None
    sequence_index: str | None = None

    def column(self, name: str) -> ColumnProfile | None:
        """The profile of the column called `name`, or None."""
        return next((column for column in self.columns if column.name == name), None)


@dataclass(frozen=True)
class Relationship:
    """A foreign key: `child_table.child_key` references `parent_table.parent_key`."""

    parent_table: str
    parent_key: str
    child_table: str
    child_key: str


@dataclass(frozen=True)
class DatasetProfile:
    """Profiles of every table of a dataset, with the links between them."""

    dataset_id: str
    tables: tuple[TableProfile, ...]
    relationships: tuple[Relationship, ...] = ()

    def table(self, name: str) -> TableProfile | None:
        """The profile of the table called `name`, or None."""
        return next((table for table in self.tables if table.name == name), None)


@dataclass(frozen=True)
class ColumnScore:
    """A per-column fidelity score in [0, 1], higher is better (e.g. KSComplement)."""

    column: str
    metric: str
    score: float


@dataclass(frozen=True)
class PairScore:
    """A per-column-pair fidelity score in [0, 1], higher is better (e.g. CorrelationSimilarity)."""

    column_a: str
    column_b: str
    metric: str
    score: float


@dataclass(frozen=True)
class PropertyScore:
    """A report-level property score in [0, 1] ("Column Shapes", "Column Pair Trends")."""

    name: str
    score: float


@dataclass(frozen=True)
class PrivacyRiskScore:
    """One privacy-risk measurement in [0, 1], higher is riskier.

    `metric` is one of the evaluation service's names (`singling_out`, `linkability`,
    `inference`, `dcr_overfitting`, `dcr_baseline`, ...); `target_column` applies to inference.
    """

    metric: str
    risk: float
    confidence_low: float | None = None
    confidence_high: float | None = None
    target_column: str | None = None


@dataclass(frozen=True)
class EvaluationSummary:
    """What the evaluation service's report says, as aggregates only."""

    report_id: str
    overall_score: float
    properties: tuple[PropertyScore, ...] = ()
    column_scores: tuple[ColumnScore, ...] = ()
    pair_scores: tuple[PairScore, ...] = ()
    privacy_risks: tuple[PrivacyRiskScore, ...] = ()


@dataclass(frozen=True)
class PiiFinding:
    """A PII service finding: `fraction` of sampled values in `column` look like `entity_type`."""

    column: str
    entity_type: str
    fraction: float
    score: float = 1.0


class AnonymizationAction(StrEnum):
    """What the user chose to do with a column before synthesis."""

    KEEP = "keep"
    DROP = "drop"
    MASK = "mask"
    HASH = "hash"
    PSEUDONYMISE = "pseudonymise"
    SYNTHESIZE = "synthesize"


@dataclass(frozen=True)
class ColumnTreatment:
    """The anonymization applied to one column."""

    column: str
    action: AnonymizationAction


@dataclass(frozen=True)
class DpLedgerEntry:
    """One spend recorded in the privacy service's differential-privacy ledger."""

    synthesizer_id: str
    epsilon: float
    delta: float
    mechanism: str
    recorded_at: str


@dataclass(frozen=True)
class DpBudget:
    """The (epsilon, delta) budget of a dataset and how much of it is spent."""

    total_epsilon: float
    spent_epsilon: float
    delta: float


@dataclass(frozen=True)
class ConstraintViolation:
    """A business rule checked on synthetic data: `violating_fraction` of rows break it."""

    constraint: str
    columns: tuple[str, ...]
    violating_fraction: float
