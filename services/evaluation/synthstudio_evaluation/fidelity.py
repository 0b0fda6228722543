"""Fidelity: how closely synthetic data reproduces the real data's statistics.

SDMetrics 0.32's unified `QualityReport` (column shapes, column-pair trends and, for several
tables, cardinality and inter-table trends) and `DiagnosticReport` (data validity, structure and,
for several tables, relationship validity) do the work; single-table data goes through them as a
one-table dict. Sequential data adds SDMetrics' sequence metrics (sequence lengths, per-sequence
means and step-to-step changes), which the reports do not cover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sdmetrics.column_pairs import InterRowMSAS, StatisticMSAS
from sdmetrics.reports import DiagnosticReport, QualityReport
from sdmetrics.single_column import SequenceLengthSimilarity

from synthstudio_evaluation.tables import Modality, TableSet
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress, Progress


@dataclass(frozen=True)
class PropertyScore:
    """One SDMetrics report property (`Column Shapes`, `Data Validity`, …); None if skipped."""

    name: str
    score: float | None


@dataclass(frozen=True)
class ColumnScore:
    """A per-column metric: KSComplement / TVComplement shapes, or a validity check."""

    table: str
    column: str
    metric: str
    score: float | None
    error: str | None = None


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


def evaluate_fidelity(
    real: TableSet, synthetic: TableSet, progress: Progress | None = None
) -> FidelityResult:
    """Run the SDMetrics reports of `synthetic` against `real` (the synthesizer's training data).

    Raises InvalidInput when SDMetrics rejects the data or metadata.
    """
    progress = progress or NullProgress()
    progress.update(0.0, "Computing the quality report (column shapes, column-pair trends)")
    quality = _generate(QualityReport(), real, synthetic)
    progress.update(0.5, "Computing the diagnostic report (validity, structure)")
    diagnostic = _generate(DiagnosticReport(), real, synthetic)
    is_multi_table = real.modality == Modality.MULTI_TABLE
    sequence_scores = (
        _sequence_scores(real, synthetic) if real.modality == Modality.SEQUENTIAL else []
    )
    progress.update(1.0, "Fidelity done")
    return FidelityResult(
        quality_score=_number(quality.get_score()),
        diagnostic_score=_number(diagnostic.get_score()),
        quality_properties=_properties(quality),
        diagnostic_properties=_properties(diagnostic),
        column_shapes=_column_scores(quality.get_details("Column Shapes")),
        column_pair_trends=_pair_scores(quality.get_details("Column Pair Trends")),
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
    )


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
