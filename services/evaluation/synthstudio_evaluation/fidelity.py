"""Fidelity: how closely synthetic data reproduces the real data's statistics.

SDMetrics 0.32's unified `QualityReport` (column shapes, column-pair trends and, for several
tables, cardinality and inter-table trends) and `DiagnosticReport` (data validity, structure and,
for several tables, relationship validity) do the work; single-table data goes through them as a
one-table dict. Sequential data adds SDMetrics' sequence metrics (sequence lengths, per-sequence
means and step-to-step changes), which the reports do not cover.

Two things keep the figures honest:

- The holdout ceiling: the same quality report of the holdout against the training rows (real
  vs real) sits beside every figure. Nothing honest beats it; a synthetic table that does (on as
  many rows as the holdout has) is flagged as a likely copy of the training rows, not praised.
- Every column counts: SDMetrics silently skips columns whose sdtype is neither numerical,
  categorical, boolean nor datetime, such as a column SDV tagged as personal data and a
  synthesizer therefore replaced with fake values. Here such a column is scored as a category
  (fake values score what they deserve), or, when it has too many distinct values to compare
  as one, excluded by name; the report gives the score with and without those columns.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from synthstudio_evaluation.sdmetrics_api import (
    DiagnosticReport,
    InterRowMSAS,
    QualityReport,
    SequenceLengthSimilarity,
    StatisticMSAS,
)
from synthstudio_evaluation.tables import FEATURE_SDTYPES, Modality, TableSet
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: A column scored as a category may have at most this many distinct real values; beyond it
#: (free text, identifiers) no frequency comparison means anything, and it is excluded by name.
MAX_SCORED_CATEGORIES = 500


@dataclass(frozen=True)
class PropertyScore:
    """One SDMetrics report property (`Column Shapes`, `Data Validity`, …); None if skipped.
    `holdout_score` is the same property of the holdout against the training rows."""

    name: str
    score: float | None
    holdout_score: float | None = None


@dataclass(frozen=True)
class ColumnScore:
    """A per-column metric: KSComplement / TVComplement shapes, or a validity check.
    `holdout_score` is the holdout's own (shapes only)."""

    table: str
    column: str
    metric: str
    score: float | None
    error: str | None = None
    holdout_score: float | None = None


@dataclass(frozen=True)
class ColumnCoverage:
    """A column SDMetrics would have skipped (sdtype `sdtype`, not a key): `scored_as_category`
    or `excluded`, and why."""

    table: str
    column: str
    sdtype: str
    treatment: str
    reason: str


@dataclass(frozen=True)
class HoldoutCeiling:
    """The real-vs-real reference: the holdout's quality against the training rows, the
    synthetic data's on as many rows (`rows`), and whether it beats the holdout."""

    quality_score: float | None
    synthetic_quality_score: float | None
    rows: int
    above_ceiling: bool


@dataclass(frozen=True)
class ColumnPairScore:
    """A per-pair trend metric. For inter-table trends `table` is `parent->child` and the
    columns are qualified `table.column`."""

    table: str
    column_1: str
    column_2: str
    metric: str
    score: float | None
    real_correlation: float | None = None
    synthetic_correlation: float | None = None
    real_association: float | None = None
    meets_threshold: bool | None = None
    error: str | None = None
    holdout_score: float | None = None


@dataclass(frozen=True)
class TableScore:
    """A per-table metric (table structure)."""

    table: str
    metric: str
    score: float | None


@dataclass(frozen=True)
class RelationshipScore:
    """A per-relationship metric (cardinality shape, referential integrity, …)."""

    parent_table: str
    child_table: str
    foreign_key: str
    metric: str
    score: float | None


@dataclass(frozen=True)
class SequenceScore:
    """A sequence metric; `column` is the sequence key for the length metric."""

    table: str
    column: str
    metric: str
    score: float | None
    error: str | None = None


@dataclass(frozen=True)
class FidelityResult:
    """SDMetrics quality and diagnostic scores with their details (scores in [0, 1])."""

    quality_score: float | None
    diagnostic_score: float | None
    quality_properties: list[PropertyScore]
    diagnostic_properties: list[PropertyScore]
    column_shapes: list[ColumnScore]
    column_pair_trends: list[ColumnPairScore]
    data_validity: list[ColumnScore]
    data_structure: list[TableScore]
    cardinality: list[RelationshipScore] = field(default_factory=list)
    intertable_trends: list[ColumnPairScore] = field(default_factory=list)
    relationship_validity: list[RelationshipScore] = field(default_factory=list)
    sequence_scores: list[SequenceScore] = field(default_factory=list)
    sequence_score: float | None = None
    holdout_ceiling: HoldoutCeiling | None = None
    column_coverage: list[ColumnCoverage] = field(default_factory=list)
    #: The quality score over the columns SDMetrics would have scored alone (None when every
    #: column is one of those).
    quality_score_without_replaced: float | None = None


def evaluate_fidelity(
    real: TableSet,
    synthetic: TableSet,
    progress: Progress | None = None,
    *,
    holdout: TableSet | None = None,
    seed: int = 0,
) -> FidelityResult:
    """Run the SDMetrics reports of `synthetic` against `real` (the synthesizer's training data)
    and, given the `holdout`, the same quality report of the holdout as the ceiling.

    Raises InvalidInput when SDMetrics rejects the data or metadata.
    """
    progress = progress or NullProgress()
    coverage, scored = _scored_metadata(real)
    real_scored, synthetic_scored = _as_scored(real, scored), _as_scored(synthetic, scored)
    progress.update(0.0, "Computing the quality report (column shapes, column-pair trends)")
    quality = _generate(QualityReport(), real_scored, synthetic_scored)
    ceiling_report = ceiling = None
    if holdout is not None:
        progress.update(0.3, "Computing the holdout's own quality (the real-vs-real ceiling)")
        ceiling_report = _generate(QualityReport(), real_scored, _as_scored(holdout, scored))
        ceiling = _ceiling(ceiling_report, quality, real_scored, synthetic_scored, holdout, seed)
    progress.update(0.6, "Computing the diagnostic report (validity, structure)")
    diagnostic = _generate(DiagnosticReport(), real, synthetic)
    is_multi_table = real.modality == Modality.MULTI_TABLE
    sequence_scores = (
        _sequence_scores(real, synthetic) if real.modality == Modality.SEQUENTIAL else []
    )
    shapes = _column_scores(quality.get_details("Column Shapes"))
    pairs = _pair_scores(quality.get_details("Column Pair Trends"))
    properties = _properties(quality)
    if ceiling_report is not None:
        shapes, pairs, properties = _beside_ceiling(ceiling_report, shapes, pairs, properties)
    progress.update(1.0, "Fidelity done")
    return FidelityResult(
        quality_score=_number(quality.get_score()),
        diagnostic_score=_number(diagnostic.get_score()),
        quality_properties=properties,
        diagnostic_properties=_properties(diagnostic),
        column_shapes=shapes,
        column_pair_trends=pairs,
        data_validity=_column_scores(diagnostic.get_details("Data Validity")),
        data_structure=_table_scores(diagnostic.get_details("Data Structure")),
        cardinality=_relationship_scores(quality.get_details("Cardinality"))
        if is_multi_table
        else [],
        intertable_trends=_intertable_scores(quality.get_details("Intertable Trends"))
        if is_multi_table
        else [],
        relationship_validity=_relationship_scores(diagnostic.get_details("Relationship Validity"))
        if is_multi_table
        else [],
        sequence_scores=sequence_scores,
        sequence_score=_mean([score.score for score in sequence_scores]),
        holdout_ceiling=ceiling,
        column_coverage=coverage,
        quality_score_without_replaced=_score_without(quality, coverage),
    )


def _scored_metadata(real: TableSet) -> tuple[list[ColumnCoverage], dict[str, Any]]:
    """Metadata under which every content column is scored: a non-key column of an sdtype
    SDMetrics skips becomes categorical unless it has too many distinct values."""
    metadata = copy.deepcopy(real.metadata)
    coverage = []
    for table in real.table_names:
        keys = real.key_columns(table)
        columns = metadata["tables"][table]["columns"]
        for column, spec in columns.items():
            sdtype = spec["sdtype"]
            if sdtype in FEATURE_SDTYPES or column in keys:
                continue
            distinct = int(real.tables[table][column].nunique())
            if distinct <= MAX_SCORED_CATEGORIES:
                columns[column] = {"sdtype": "categorical"}
                treatment = "scored_as_category"
                reason = (
                    f"sdtype '{sdtype}' is not scored by SDMetrics; a synthesizer may have "
                    "replaced it with fake values, so it is compared as a category"
                )
            else:
                treatment = "excluded"
                reason = (
                    f"sdtype '{sdtype}' with {distinct} distinct values (more than "
                    f"{MAX_SCORED_CATEGORIES}): free text or identifiers have no distribution to "
                    "compare"
                )
            coverage.append(ColumnCoverage(table, column, sdtype, treatment, reason))
    return coverage, metadata


def _as_scored(tables: TableSet, metadata: dict[str, Any]) -> TableSet:
    """The tables under the scored metadata, columns rescored as categories cast to text (a
    replaced column may hold numbers on one side and fake names on the other)."""
    converted = {}
    for name, frame in tables.tables.items():
        recast = [
            column
            for column, spec in metadata["tables"][name]["columns"].items()
            if spec["sdtype"] == "categorical"
            and tables.table_metadata(name)["columns"][column]["sdtype"] not in FEATURE_SDTYPES
        ]
        if recast:
            frame = frame.copy()
            for column in recast:
                values = frame[column]
                frame[column] = values.astype(str).where(values.notna(), None)
        converted[name] = frame
    return TableSet(tables=converted, metadata=metadata)


def _ceiling(
    ceiling_report: QualityReport,
    quality: QualityReport,
    real: TableSet,
    synthetic: TableSet,
    holdout: TableSet,
    seed: int,
) -> HoldoutCeiling:
    """The holdout's score, and the synthetic data's on as many rows (a bigger table scores
    higher by sampling noise alone). Only a single table can be cut to size without breaking
    keys or sequences; other shapes compare their full scores."""
    holdout_score = _number(ceiling_report.get_score())
    (table, frame), *others = synthetic.tables.items()
    rows = len(holdout.tables[table])
    matched = _number(quality.get_score())
    if not others and real.modality == Modality.SINGLE_TABLE and len(frame) > rows:
        sample = frame.sample(rows, random_state=seed)
        matched = _number(
            _generate(QualityReport(), real, synthetic.with_tables({table: sample})).get_score()
        )
    above = holdout_score is not None and matched is not None and matched > holdout_score
    return HoldoutCeiling(holdout_score, matched, rows, above)


def _beside_ceiling(
    ceiling: QualityReport,
    shapes: list[ColumnScore],
    pairs: list[ColumnPairScore],
    properties: list[PropertyScore],
) -> tuple[list[ColumnScore], list[ColumnPairScore], list[PropertyScore]]:
    """Each figure with the holdout's own beside it."""
    own_shapes = {
        (score.table, score.column): score.score
        for score in _column_scores(ceiling.get_details("Column Shapes"))
    }
    own_pairs = {
        (score.table, score.column_1, score.column_2): score.score
        for score in _pair_scores(ceiling.get_details("Column Pair Trends"))
    }
    own_properties = {score.name: score.score for score in _properties(ceiling)}
    return (
        [
            dataclasses.replace(score, holdout_score=own_shapes.get((score.table, score.column)))
            for score in shapes
        ],
        [
            dataclasses.replace(
                score, holdout_score=own_pairs.get((score.table, score.column_1, score.column_2))
            )
            for score in pairs
        ],
        [
            dataclasses.replace(score, holdout_score=own_properties.get(score.name))
            for score in properties
        ],
    )


def _score_without(quality: QualityReport, coverage: list[ColumnCoverage]) -> float | None:
    """The quality score as SDMetrics alone would give it: the two column properties without
    the rescored columns (per table, then over tables, as SDMetrics averages), other
    properties as they are."""
    rescored = {(c.table, c.column) for c in coverage if c.treatment == "scored_as_category"}
    if not rescored:
        return None
    shapes = quality.get_details("Column Shapes")
    shapes = shapes[
        [(t, c) not in rescored for t, c in zip(shapes["Table"], shapes["Column"], strict=True)]
    ]
    pairs = quality.get_details("Column Pair Trends")
    pairs = pairs[
        [
            (t, a) not in rescored and (t, b) not in rescored
            for t, a, b in zip(pairs["Table"], pairs["Column 1"], pairs["Column 2"], strict=True)
        ]
    ]
    recomputed = {
        "Column Shapes": _per_table_mean(shapes),
        "Column Pair Trends": _per_table_mean(pairs),
    }
    scores = [recomputed.get(score.name, score.score) for score in _properties(quality)]
    present = [score for score in scores if score is not None]
    return float(np.mean(present)) if present else None


def _per_table_mean(details: pd.DataFrame) -> float | None:
    if details.empty:
        return None
    means = details.groupby("Table")["Score"].mean().dropna()
    return float(means.mean()) if len(means) else None


def _generate(report: QualityReport | DiagnosticReport, real: TableSet, synthetic: TableSet):
    try:
        report.generate(real.tables, synthetic.tables, real.metadata, verbose=False)
    except ValueError as error:
        raise InvalidInput(
            f"SDMetrics rejected the data or metadata: {error}",
            field="metadata",
            reason="SDMETRICS_REJECTED_INPUT",
            metadata={"report": type(report).__name__},
        ) from error
    return report


def _properties(report: QualityReport | DiagnosticReport) -> list[PropertyScore]:
    frame = report.get_properties()
    return [
        PropertyScore(name=str(row["Property"]), score=_number(row["Score"]))
        for _, row in frame.iterrows()
        if not (row["Property"] == "Constraint Validity" and _number(row["Score"]) is None)
    ]


def _column_scores(details: pd.DataFrame) -> list[ColumnScore]:
    return [
        ColumnScore(
            table=str(row["Table"]),
            column=str(row["Column"]),
            metric=str(row["Metric"]),
            score=_number(row["Score"]),
            error=_text(row.get("Error")),
        )
        for _, row in details.iterrows()
    ]


def _pair_scores(details: pd.DataFrame) -> list[ColumnPairScore]:
    return [
        ColumnPairScore(
            table=str(row["Table"]),
            column_1=str(row["Column 1"]),
            column_2=str(row["Column 2"]),
            **_trend_fields(row),
        )
        for _, row in details.iterrows()
    ]


def _intertable_scores(details: pd.DataFrame) -> list[ColumnPairScore]:
    return [
        ColumnPairScore(
            table=f"{row['Parent Table']}->{row['Child Table']}",
            column_1=f"{row['Parent Table']}.{row['Column 1']}",
            column_2=f"{row['Child Table']}.{row['Column 2']}",
            **_trend_fields(row),
        )
        for _, row in details.iterrows()
    ]


def _trend_fields(row: pd.Series) -> dict[str, Any]:
    meets = row.get("Meets Threshold?")
    return {
        "metric": str(row["Metric"]),
        "score": _number(row["Score"]),
        "real_correlation": _number(row.get("Real Correlation")),
        "synthetic_correlation": _number(row.get("Synthetic Correlation")),
        "real_association": _number(row.get("Real Association")),
        "meets_threshold": None if meets is None or pd.isna(meets) else bool(meets),
        "error": _text(row.get("Error")),
    }


def _table_scores(details: pd.DataFrame) -> list[TableScore]:
    return [
        TableScore(
            table=str(row["Table"]),
            metric=str(row["Metric"]),
            score=_number(row["Score"]),
        )
        for _, row in details.iterrows()
    ]


def _relationship_scores(details: pd.DataFrame) -> list[RelationshipScore]:
    return [
        RelationshipScore(
            parent_table=str(row["Parent Table"]),
            child_table=str(row["Child Table"]),
            foreign_key=str(row["Foreign Key"]),
            metric=str(row["Metric"]),
            score=_number(row["Score"]),
        )
        for _, row in details.iterrows()
    ]


def _sequence_scores(real: TableSet, synthetic: TableSet) -> list[SequenceScore]:
    table = real.table_names[0]
    meta = real.table_metadata(table)
    key, index = meta["sequence_key"], meta.get("sequence_index")
    real_frame = _in_sequence_order(real.tables[table], key, index)
    synthetic_frame = _in_sequence_order(synthetic.tables[table], key, index)
    scores = [
        _sequence_score(table, key, SequenceLengthSimilarity, real_frame[key], synthetic_frame[key])
    ]
    numeric = [
        column
        for column, spec in meta["columns"].items()
        if spec["sdtype"] == "numerical" and column not in (key, index)
    ]
    for column in numeric:
        real_pair = (
            real_frame[key],
            pd.to_numeric(real_frame[column], errors="coerce"),
        )
        synthetic_pair = (
            synthetic_frame[key],
            pd.to_numeric(synthetic_frame[column], errors="coerce"),
        )
        scores.append(
            _sequence_score(
                table,
                column,
                StatisticMSAS,
                real_pair,
                synthetic_pair,
                statistic="mean",
            )
        )
        scores.append(_sequence_score(table, column, InterRowMSAS, real_pair, synthetic_pair))
    return scores


def _sequence_score(
    table: str,
    column: str,
    metric: type,
    real_data: Any,
    synthetic_data: Any,
    **options: Any,
) -> SequenceScore:
    # A metric that cannot run on this data is reported with its reason, as SDMetrics' reports
    # do, rather than failing the whole evaluation.
    try:
        score = _number(metric.compute(real_data, synthetic_data, **options))
    except (ValueError, TypeError) as error:
        return SequenceScore(table, column, metric.name, None, error=str(error))
    return SequenceScore(table, column, metric.name, score)


def _in_sequence_order(frame: pd.DataFrame, key: str, index: str | None) -> pd.DataFrame:
    if index is None:
        return frame.reset_index(drop=True)
    order = frame.assign(_order=_sortable(frame[index]))
    return order.sort_values([key, "_order"], kind="stable").drop(columns="_order")


def _sortable(values: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, errors="coerce")


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None
