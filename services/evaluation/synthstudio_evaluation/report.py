"""One evaluation: fidelity, utility and privacy of a synthetic dataset, with plots, as a report.

`evaluate` validates everything first (nothing is computed on bad input), then runs each part
while reporting progress stage by stage; a cancelled job stops at its next progress report.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

from synthstudio_evaluation.fidelity import FidelityResult, evaluate_fidelity
from synthstudio_evaluation.holdout import HoldoutRecord, HoldoutSplit
from synthstudio_evaluation.plots import (
    Plot,
    column_shape_plot,
    correlation_plot,
    distribution_plots,
    privacy_plots,
    utility_plot,
)
from synthstudio_evaluation.privacy import PrivacyResult, TrainingData, evaluate_privacy
from synthstudio_evaluation.progress_scope import ScaledProgress
from synthstudio_evaluation.raised_warnings import captured_warnings
from synthstudio_evaluation.tables import Modality, Tables, TableSet, as_table_set
from synthstudio_evaluation.utility import Task, UtilityResult, evaluate_utility
from synthstudio_evaluation.validation import (
    MIN_HOLDOUT_ROWS,
    MIN_TRAIN_ROWS,
    check_column,
    check_minimum_rows,
    check_synthetic_matches_real,
    check_synthetic_types,
    check_table_name,
    check_tables_match_metadata,
)
from synthstudio_libs.errors import InvalidInput, Warnings
from synthstudio_libs.jobs.progress import NullProgress, Progress

#: Tables drawn in the distribution and correlation plots of a multi-table dataset.
MAX_PLOTTED_TABLES = 5
MAX_ANONYMETER_REPEATS = 20
_STAGES = {"fidelity": (0.02, 0.35), "utility": (0.35, 0.55), "privacy": (0.55, 0.9)}


@dataclass(frozen=True)
class EvaluationConfig:
    """What to evaluate and how.

    `target_column` is what the utility models predict (utility is skipped without one);
    `task` overrides the classification/regression choice made from its sdtype. `table_name`
    picks the table of a multi-table dataset that utility and privacy look at (default: the
    holdout's split table). `sensitive_columns` are the secrets of anonymeter's inference
    attacks, one attack each (default: `sensitive_column`, else the target column, else the last
    feature column; the service fills in the columns the PII scan flagged). Each anonymeter
    attack runs `anonymeter_attacks` times per repeat, `anonymeter_repeats` times on fresh
    samples.
    """

    target_column: str | None = None
    task: Task | None = None
    table_name: str | None = None
    sensitive_column: str | None = None
    run_fidelity: bool = True
    run_utility: bool = True
    run_privacy: bool = True
    include_plots: bool = True
    anonymeter_attacks: int = 1000
    max_privacy_rows: int = 2000
    confidence_level: float = 0.95
    seed: int = 0
    anonymeter_repeats: int = 3
    sensitive_columns: list[str] = field(default_factory=list)

    def inference_secrets(self) -> list[str] | None:
        """The columns inference attacks target, None for the default (the last feature)."""
        named = self.sensitive_columns or [self.sensitive_column or self.target_column or ""]
        return [column for column in named if column] or None


@dataclass(frozen=True)
class ScoreSummary:
    """Headline scores in [0, 1], higher is better; None where that part did not run.

    fidelity = SDMetrics quality score, utility = TSTR/TRTR clipped to [0, 1], privacy = the
    privacy result's protection score, overall = their mean.
    """

    fidelity: float | None
    utility: float | None
    privacy: float | None
    overall: float | None


@dataclass(frozen=True)
class EvaluationReport:
    """Everything one evaluation produced. `to_dict()` gives its JSON form."""

    synthesizer_name: str
    dataset_name: str
    modality: Modality
    focus_table: str
    created_at: datetime
    config: EvaluationConfig
    holdout: HoldoutRecord
    rows: dict[str, dict[str, int]]
    fidelity: FidelityResult | None
    utility: UtilityResult | None
    privacy: PrivacyResult | None
    scores: ScoreSummary
    plots: list[Plot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    #: What the synthesizer trained on: `train_part`, `full_dataset` or `unknown`.
    training_data: str = TrainingData.UNKNOWN.value
    #: The synthesizer the request named, if any.
    synthesizer_id: str = ""

    def to_dict(self, *, include_plots: bool = False) -> dict[str, Any]:
        """JSON-ready dict; plots as base64 PNG only when `include_plots`, else their keys."""
        values = {item.name: getattr(self, item.name) for item in dataclasses.fields(self)}
        values["plots"] = [
            {"key": plot.key, "section": plot.section, "title": plot.title}
            | ({"png_base64": base64.b64encode(plot.png).decode()} if include_plots else {})
            for plot in self.plots
        ]
        return _jsonable(values)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> EvaluationReport:
        """Rebuild a report from `to_dict()`'s form. Plots come back only where their PNG was
        included (`include_plots=True`)."""
        plots = [
            Plot(plot["key"], plot["section"], plot["title"], base64.b64decode(plot["png_base64"]))
            for plot in values.get("plots", [])
            if "png_base64" in plot
        ]
        report = _from_jsonable(cls, {**values, "plots": []})
        return dataclasses.replace(report, plots=plots)


def evaluate(
    split: HoldoutSplit,
    synthetic: Tables,
    metadata: Mapping[str, Any],
    config: EvaluationConfig | None = None,
    *,
    synthesizer_name: str = "synthesizer",
    dataset_name: str = "dataset",
    training_data: TrainingData = TrainingData.UNKNOWN,
    synthesizer_id: str = "",
    progress: Progress | None = None,
) -> EvaluationReport:
    """Evaluate `synthetic` against the real data in `split` (train = what the synthesizer was
    trained on, holdout = real rows it never saw; `training_data` says whether that is known
    to hold). Every warning a metric raises ends up in the report's `warnings`.

    Raises InvalidInput for mismatched tables or columns, an unknown target/sensitive column or
    table, or an out-of-range setting; FailedPrecondition for an empty synthetic table or too
    small a train/holdout part. JobCancelled propagates from `progress`.
    """
    config = config or EvaluationConfig()
    progress = progress or NullProgress()
    progress.update(0.0, "Validating the inputs")
    train = as_table_set(split.train, metadata, role="real_data")
    holdout = train.with_tables(split.holdout)
    synthetic_input = as_table_set(synthetic, metadata, role="synthetic_data")
    synthetic_tables = train.with_tables(synthetic_input.tables)
    focus = _validate(train, holdout, synthetic_tables, config, split.record)
    notes = Warnings()

    fidelity = utility = privacy = None
    if config.run_fidelity:
        with captured_warnings(notes, "SDMetrics", ("sdmetrics",)):
            fidelity = evaluate_fidelity(
                train,
                synthetic_tables,
                _stage(progress, "fidelity"),
                holdout=holdout,
                seed=config.seed,
            )
        _note_fidelity(fidelity, notes)
    if config.run_utility and config.target_column:
        utility = evaluate_utility(
            train,
            holdout,
            synthetic_tables,
            focus,
            config.target_column,
            task=config.task,
            seed=config.seed,
            warnings=notes,
            progress=_stage(progress, "utility"),
        )
    elif config.run_utility:
        notes.add("Utility was not measured: name a target column for the models to predict.")
    if config.run_privacy:
        privacy = evaluate_privacy(
            train,
            holdout,
            synthetic_tables,
            focus,
            secret_columns=config.inference_secrets(),
            training_data=training_data,
            n_attacks=config.anonymeter_attacks,
            repeats=config.anonymeter_repeats,
            max_rows=config.max_privacy_rows,
            seed=config.seed,
            confidence_level=config.confidence_level,
            warnings=notes,
            progress=_stage(progress, "privacy"),
        )
    plots = []
    if config.include_plots:
        progress.update(0.9, "Drawing plots")
        plots = _plots(train, synthetic_tables, focus, fidelity, utility, privacy)
    progress.update(1.0, "Evaluation done")
    return EvaluationReport(
        synthesizer_name=synthesizer_name,
        dataset_name=dataset_name,
        modality=train.modality,
        focus_table=focus,
        created_at=datetime.now(UTC),
        config=config,
        holdout=split.record,
        rows={
            role: {name: len(frame) for name, frame in tables.tables.items()}
            for role, tables in (
                ("train", train),
                ("holdout", holdout),
                ("synthetic", synthetic_tables),
            )
        },
        fidelity=fidelity,
        utility=utility,
        privacy=privacy,
        scores=_scores(fidelity, utility, privacy),
        plots=plots,
        warnings=notes.items,
        versions={name: version(name) for name in ("sdmetrics", "anonymeter", "scikit-learn")},
        training_data=training_data.value,
        synthesizer_id=synthesizer_id,
    )


def _note_fidelity(fidelity: FidelityResult, notes: Warnings) -> None:
    """Says in the report what a reader of the headline score must know."""
    for column in fidelity.column_coverage:
        if column.treatment == "excluded":
            notes.add(f"Column '{column.table}.{column.column}' is not scored: {column.reason}.")
    without = fidelity.quality_score_without_replaced
    if without is not None:
        rescored = [c.column for c in fidelity.column_coverage if c.treatment != "excluded"]
        notes.add(
            f"Quality {fidelity.quality_score:.3f} counts every column; without {rescored} "
            f"(which SDMetrics would skip) it would read {without:.3f}."
        )
    ceiling = fidelity.holdout_ceiling
    if ceiling is not None and ceiling.above_ceiling:
        notes.add(
            f"The synthetic data scores {ceiling.synthetic_quality_score:.3f} on {ceiling.rows} "
            f"rows, above the holdout's own {ceiling.quality_score:.3f}: real data does not "
            "resemble its training rows that closely; check for copies of the training rows."
        )


def _validate(
    train: TableSet,
    holdout: TableSet,
    synthetic: TableSet,
    config: EvaluationConfig,
    record: HoldoutRecord,
) -> str:
    """Check every input before any work starts; return the focus table."""
    check_settings(config)
    check_tables_match_metadata(train, "real_data")
    check_synthetic_matches_real(train, synthetic)
    check_tables_match_metadata(synthetic, "synthetic_data")
    check_synthetic_types(train, synthetic)
    focus = config.table_name or record.split_table
    check_table_name(train, focus, "table_name")
    named_columns = {
        "target_column": config.target_column,
        "sensitive_column": config.sensitive_column,
    }
    for name, column in named_columns.items():
        if column is not None:
            check_column(train, focus, column, name)
    for index, column in enumerate(config.sensitive_columns):
        check_column(train, focus, column, f"sensitive_columns[{index}]")
    if config.run_utility or config.run_privacy:
        check_minimum_rows(train, focus, MIN_TRAIN_ROWS, "train")
        check_minimum_rows(holdout, focus, MIN_HOLDOUT_ROWS, "holdout")
    return focus


def check_settings(config: EvaluationConfig) -> None:
    """InvalidInput for an out-of-range setting; needs no data, so callers can check early."""
    if config.task is not None and config.task not in set(Task):
        raise InvalidInput(
            f"task must be one of {[task.value for task in Task]}; got '{config.task}'.",
            field="task",
            metadata={"task": config.task},
        )
    if not 1 <= config.anonymeter_repeats <= MAX_ANONYMETER_REPEATS:
        raise InvalidInput(
            f"anonymeter_repeats must be between 1 and {MAX_ANONYMETER_REPEATS}; got "
            f"{config.anonymeter_repeats}.",
            field="anonymeter_repeats",
            metadata={"anonymeter_repeats": config.anonymeter_repeats},
        )
    if config.anonymeter_attacks < 1:
        raise InvalidInput(
            f"anonymeter_attacks must be at least 1; got {config.anonymeter_attacks}.",
            field="anonymeter_attacks",
            metadata={"anonymeter_attacks": config.anonymeter_attacks},
        )
    if config.max_privacy_rows < MIN_HOLDOUT_ROWS:
        raise InvalidInput(
            f"max_privacy_rows must be at least {MIN_HOLDOUT_ROWS}; got {config.max_privacy_rows}.",
            field="max_privacy_rows",
            metadata={"max_privacy_rows": config.max_privacy_rows},
        )
    if not 0 < config.confidence_level < 1:
        raise InvalidInput(
            f"confidence_level must be between 0 and 1; got {config.confidence_level}.",
            field="confidence_level",
            metadata={"confidence_level": config.confidence_level},
        )


def _stage(progress: Progress, name: str) -> ScaledProgress:
    start, end = _STAGES[name]
    return ScaledProgress(progress, start, end)


def _plots(
    train: TableSet,
    synthetic: TableSet,
    focus: str,
    fidelity: FidelityResult | None,
    utility: UtilityResult | None,
    privacy: PrivacyResult | None,
) -> list[Plot]:
    tables = [focus, *[name for name in train.table_names if name != focus]]
    plots = []
    if fidelity is not None:
        plots += [plot for plot in (column_shape_plot(fidelity),) if plot is not None]
        for table in tables[:MAX_PLOTTED_TABLES]:
            plots += distribution_plots(train, synthetic, table)
            correlations = correlation_plot(train, synthetic, table)
            if correlations is not None:
                plots.append(correlations)
    if utility is not None:
        plots.append(utility_plot(utility))
    if privacy is not None:
        plots += privacy_plots(privacy)
    return plots


def _scores(
    fidelity: FidelityResult | None, utility: UtilityResult | None, privacy: PrivacyResult | None
) -> ScoreSummary:
    parts = {
        "fidelity": None if fidelity is None else fidelity.quality_score,
        "utility": None if utility is None else utility.score,
        "privacy": None if privacy is None else privacy.score,
    }
    present = [value for value in parts.values() if value is not None]
    return ScoreSummary(**parts, overall=sum(present) / len(present) if present else None)


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {item.name: _jsonable(getattr(value, item.name)) for item in fields}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _from_jsonable(kind: Any, value: Any) -> Any:
    """The inverse of `_jsonable`, guided by the type hints of the report's dataclasses."""
    if value is None:
        return None
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (types.UnionType, typing.Union):
        (present,) = [argument for argument in arguments if argument is not type(None)]
        return _from_jsonable(present, value)
    if origin is list:
        return [_from_jsonable(arguments[0], item) for item in value]
    if origin is dict:
        return {key: _from_jsonable(arguments[1], item) for key, item in value.items()}
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                item.name: _from_jsonable(hints[item.name], value[item.name])
                for item in dataclasses.fields(kind)
                if item.name in value
            }
        )
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is float:
        return float(value)
    return value
