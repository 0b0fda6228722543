"""The evaluation service's operations over datasets, splits, jobs and stored reports.

The servicer translates protobuf to these calls and back; nothing here knows of gRPC. Reports
are computed by a job (`evaluation.report`); everything that can be checked without reading the
tables is checked before the job is queued, so most bad requests fail at once.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from synthstudio_evaluation.comparison import Leaderboard, compare_reports
from synthstudio_evaluation.export import (
    leaderboard_html,
    leaderboard_pdf,
    report_html,
    report_pdf,
)
from synthstudio_evaluation.gate import DP_SYNTHESIZER_PREFIX, Gate, GateContext, judge_report
from synthstudio_evaluation.holdout import (
    DEFAULT_HOLDOUT_FRACTION,
    HoldoutRecord,
    check_holdout_fraction,
    reapply_holdout,
    split_holdout,
)
from synthstudio_evaluation.privacy import MAX_INFERENCE_TARGETS, TrainingData
from synthstudio_evaluation.progress_scope import ScaledProgress
from synthstudio_evaluation.release_policy import PolicyStore
from synthstudio_evaluation.report import (
    EvaluationConfig,
    EvaluationReport,
    check_settings,
    evaluate,
)
from synthstudio_evaluation.report_catalog import ReportCatalog, StoredReport, report_not_found
from synthstudio_evaluation.sources import (
    DatasetInfo,
    DatasetSource,
    DpLedger,
    SynthesizerSource,
    TrainedOn,
)
from synthstudio_evaluation.splits import (
    SplitStore,
    StoredSplit,
    already_registered,
    split_not_found,
)
from synthstudio_evaluation.tables import TableSet, normalise_metadata
from synthstudio_evaluation.utility import Task
from synthstudio_evaluation.validation import (
    MIN_HOLDOUT_ROWS,
    MIN_TRAIN_ROWS,
    check_column,
    check_minimum_rows,
    check_synthetic_matches_real,
    check_table_name,
)
from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.auth.projects import list_filter, require_access
from synthstudio_libs.errors import AlreadyExists, FailedPrecondition, InvalidInput
from synthstudio_libs.jobs.runner import JobContext, JobHandler, JobQueue
from synthstudio_libs.jobs.store import Job
from synthstudio_libs.metadata_detection import detect_metadata
from synthstudio_libs.storage.util import new_id

JOB_KIND = "evaluation.report"
MAX_NAME_LENGTH = 255
#: sklearn's `random_state` takes seeds in [0, 2**32 - 1].
MAX_SEED = 2**32 - 1


class ExportFormat(StrEnum):
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


_MEDIA_TYPES = {
    ExportFormat.JSON: "application/json",
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.PDF: "application/pdf",
}


@dataclass(frozen=True)
class ExportedDocument:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class ReportRequest:
    """What CreateReport asks for; an empty `synthesizer_name` takes the synthetic dataset's.
    `synthesizer_id`, when given, tells which rows the synthesizer trained on."""

    real_dataset_id: str
    synthetic_dataset_id: str
    synthesizer_name: str
    config: EvaluationConfig
    synthesizer_id: str = ""


@dataclass(frozen=True)
class ReportView:
    """A stored report with, when asked for, its full content."""

    stored: StoredReport
    report: EvaluationReport | None = None


@dataclass(frozen=True)
class Comparison:
    """A leaderboard and the id of each synthesizer's report."""

    leaderboard: Leaderboard
    report_ids: dict[str, str]


class EvaluationCore:
    """Holdout splits, report jobs, stored reports, comparisons and exports."""

    def __init__(
        self,
        source: DatasetSource,
        splits: SplitStore,
        catalog: ReportCatalog,
        queue: JobQueue,
        synthesizers: SynthesizerSource,
        policies: PolicyStore,
        ledger: DpLedger,
    ) -> None:
        self._policies = policies
        self._ledger = ledger
        self._source = source
        self._splits = splits
        self._catalog = catalog
        self._queue = queue
        self._synthesizers = synthesizers

    def job_handlers(self) -> dict[str, JobHandler]:
        return {JOB_KIND: self.run_report}

    # Holdout splits

    def create_holdout_split(
        self,
        dataset_id: str,
        *,
        holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
        seed: int = 0,
        split_table: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        stratify_column: str | None = None,
    ) -> StoredSplit:
        """Reads the dataset, draws the split and records it with the metadata it used (the
        request's, else the dataset's, else detected from the tables)."""
        _require(dataset_id, "dataset_id")
        check_holdout_fraction(holdout_fraction)
        _check_seed(seed, "seed")
        info = self._source.describe(dataset_id)
        require_access(info.project, Role.EDITOR)
        if self._splits.find(dataset_id) is not None:
            raise already_registered(dataset_id)
        tables = self._source.read_tables(dataset_id)
        chosen = _fit_metadata(metadata or info.metadata or detect_metadata(tables), tables)
        split = split_holdout(
            tables,
            chosen,
            holdout_fraction=holdout_fraction,
            seed=seed,
            split_table=split_table,
            stratify_column=stratify_column,
        )
        return self._splits.add(
            dataset_id, split.record, chosen, current_principal().id, info.project
        )

    def get_holdout_split(self, dataset_id: str) -> StoredSplit:
        """The dataset's split, when the caller may see the dataset's project."""
        _require(dataset_id, "dataset_id")
        split = self._splits.get(dataset_id)
        require_access(split.project, Role.VIEWER, not_found=split_not_found(dataset_id))
        return split

    def delete_holdout_split(self, dataset_id: str) -> None:
        """Forgets the split: an editor of the dataset's project."""
        require_access(self.get_holdout_split(dataset_id).project, Role.EDITOR)
        self._splits.delete(dataset_id)

    # Reports

    def start_report(self, request: ReportRequest) -> Job:
        """Checks the request against the datasets' schemas and the recorded split, then
        queues the evaluation job. Its result is `{"report_id": …}`."""
        _require(request.real_dataset_id, "real_dataset_id")
        _require(request.synthetic_dataset_id, "synthetic_dataset_id")
        if len(request.synthesizer_name) > MAX_NAME_LENGTH:
            raise InvalidInput(
                f"synthesizer_name has {len(request.synthesizer_name)} characters; use at most "
                f"{MAX_NAME_LENGTH}.",
                field="synthesizer_name",
            )
        config = request.config
        check_settings(config)
        _check_seed(config.seed, "config.seed")
        real = self._source.describe(request.real_dataset_id)
        trained = self._trained_on(request.synthesizer_id, real.id)
        split = self._split_for(real, trained)
        synthetic = self._source.describe(request.synthetic_dataset_id)
        # The report lives in the synthetic dataset's project, whose release it gates.
        require_access(synthetic.project, Role.EDITOR)
        config = _with_default_secrets(config, real, split)
        _check_schemas(split, synthetic, config)
        report_id = new_id("rep")
        params = {
            "report_id": report_id,
            "real_dataset_id": real.id,
            "synthetic_dataset_id": synthetic.id,
            "synthesizer_name": (
                request.synthesizer_name or synthetic.display_name or synthetic.id
            )[:MAX_NAME_LENGTH],
            "dataset_name": (real.display_name or real.id)[:MAX_NAME_LENGTH],
            "config": _config_to_dict(config),
            "holdout": split.record.to_dict(),
            "metadata": split.metadata,
            "synthesizer_id": request.synthesizer_id,
            "training_data": (trained.training_data if trained else TrainingData.UNKNOWN.value),
            "project": synthetic.project,
            "gate_context": self._gate_context(synthetic, request.synthesizer_id).to_dict(),
        }
        return self._queue.enqueue(
            JOB_KIND, params, resource=f"reports/{report_id}", project=synthetic.project
        )

    def run_report(self, context: JobContext) -> dict[str, Any]:
        """The `evaluation.report` job: read both datasets, recompute the split, evaluate,
        store. Nothing is stored unless every step succeeds."""
        params, progress = context.job.params, context.progress
        metadata = params["metadata"]
        progress.update(0.0, "Reading the real dataset")
        real = self._source.read_tables(params["real_dataset_id"])
        progress.update(0.03, "Reading the synthetic dataset")
        synthetic = _align_single_table(
            self._source.read_tables(params["synthetic_dataset_id"]), real
        )
        progress.update(0.06, "Recomputing the holdout split")
        split = reapply_holdout(real, metadata, HoldoutRecord.from_dict(params["holdout"]))
        report = evaluate(
            split,
            synthetic,
            metadata,
            _config_from_dict(params["config"]),
            synthesizer_name=params["synthesizer_name"],
            dataset_name=params["dataset_name"],
            training_data=TrainingData(params.get("training_data", TrainingData.UNKNOWN.value)),
            synthesizer_id=params.get("synthesizer_id", ""),
            progress=ScaledProgress(progress, 0.08, 0.97),
        )
        progress.update(0.97, "Storing the report")
        context_values = params.get("gate_context", {})
        gate = judge_report(
            report.to_dict(),
            GateContext.from_dict(context_values),
            self._policies.get(params.get("project", "")),
        )
        stored = self._catalog.add(
            params["report_id"],
            report,
            job_id=context.job.id,
            real_dataset_id=params["real_dataset_id"],
            synthetic_dataset_id=params["synthetic_dataset_id"],
            creator=context.job.creator.id,
            project=context.job.project,
            annotations={"gate": gate.to_dict(), "gate_context": context_values},
        )
        return {
            "report_id": stored.id,
            "overall_score": stored.overall_score,
            "overall_verdict": stored.overall_verdict.value,
            "privacy_verdict": stored.privacy_verdict.value,
        }

    def _gate_context(self, synthetic: DatasetInfo, synthesizer_id: str) -> GateContext:
        """What the release gate reads beside the report: the synthetic output's PII findings
        and, for a DP synthesizer, the epsilon its guarantee states."""
        epsilon = None
        if synthesizer_id.startswith(DP_SYNTHESIZER_PREFIX):
            epsilon = self._ledger.epsilon(synthesizer_id)
        return GateContext(synthetic.pii_columns, epsilon)

    def _trained_on(self, synthesizer_id: str, real_dataset_id: str) -> TrainedOn | None:
        """What the named synthesizer trained on; FailedPrecondition when it trained on
        another dataset (the holdout uploaded as its own dataset, say)."""
        if not synthesizer_id:
            return None
        trained = self._synthesizers.trained_on(synthesizer_id)
        if trained.dataset_id != real_dataset_id:
            raise FailedPrecondition(
                f"Synthesizer '{synthesizer_id}' trained on dataset '{trained.dataset_id}', not on "
                f"'{real_dataset_id}': evaluate it against the dataset it trained on, whose "
                "holdout it never saw.",
                reason="SYNTHESIZER_OF_ANOTHER_DATASET",
                metadata={"synthesizer_id": synthesizer_id, "dataset_id": trained.dataset_id},
            )
        return trained

    def _split_for(self, real: DatasetInfo, trained: TrainedOn | None) -> StoredSplit:
        """The dataset's recorded split; without one, the split the synthesizer trained beside
        or else the default split, recorded now (the same function the synthesis service trains
        with, so both agree). FailedPrecondition when the synthesizer trained beside another
        split: its training rows would include rows this split holds out."""
        wanted = HoldoutRecord.from_dict(trained.holdout) if trained and trained.holdout else None
        split = self._splits.find(real.id)
        if split is None:
            drawn = {} if wanted is None else _split_arguments(wanted)
            try:
                split = self.create_holdout_split(real.id, **drawn)
            except AlreadyExists:
                split = self._splits.get(real.id)
        if wanted is not None and _differs(wanted, split.record):
            raise FailedPrecondition(
                f"Synthesizer '{trained.synthesizer_id}' trained beside a different holdout split "
                f"(seed {wanted.seed}, fraction {wanted.holdout_fraction}) than the one recorded "
                f"for dataset '{real.id}' (seed {split.record.seed}, fraction "
                f"{split.record.holdout_fraction}): it trained on rows that split holds out. "
                "Delete the recorded split (DeleteHoldoutSplit) to evaluate against the "
                "synthesizer's, or retrain it.",
                reason="HOLDOUT_MISMATCH",
                metadata={
                    "synthesizer_id": trained.synthesizer_id,
                    "dataset_id": real.id,
                    "recorded": split.record.holdout_index_sha256,
                    "trained_beside": wanted.holdout_index_sha256,
                },
            )
        return split

    def get_report(self, report_id: str, *, full: bool = True) -> ReportView:
        stored = self._visible_report(report_id)
        return ReportView(stored, self._catalog.load(stored) if full else None)

    def _visible_report(self, report_id: str) -> StoredReport:
        """The stored report, when the caller may see its project (else it does not exist)."""
        _require(report_id, "report_id")
        stored = self._catalog.get(report_id)
        require_access(stored.project, Role.VIEWER, not_found=report_not_found(report_id))
        return stored

    def list_reports(
        self, size: int = 0, token: str = "", *, real_dataset_id: str = "", project: str = ""
    ) -> tuple[list[StoredReport], str]:
        """Reports of the caller's projects, narrowed to `project` (id or name) when given."""
        return self._catalog.list(
            size, token, real_dataset_id=real_dataset_id, projects=list_filter(project)
        )

    def delete_report(self, report_id: str) -> None:
        """Deletes the report: an editor of its project."""
        require_access(self._visible_report(report_id).project, Role.EDITOR)
        self._catalog.delete(report_id)

    def compare(self, report_ids: Sequence[str], *, include_plots: bool = False) -> Comparison:
        """Ranks the reports (see `compare_reports`); InvalidInput for no or repeated ids."""
        ids = list(report_ids)
        if not ids:
            raise InvalidInput("Name at least one report to compare.", field="report_ids")
        repeated = sorted({report_id for report_id in ids if ids.count(report_id) > 1})
        if repeated:
            raise InvalidInput(
                f"Each report may appear once in a comparison; repeated: {repeated}.",
                field="report_ids",
                reason="DUPLICATE_REPORT",
                metadata={"report_ids": ",".join(repeated)},
            )
        stored = [self._visible_report(report_id) for report_id in ids]
        leaderboard = compare_reports(
            [self._catalog.load(item) for item in stored], include_plots=include_plots
        )
        return Comparison(leaderboard, {item.synthesizer_name: item.id for item in stored})

    def export_report(self, report_id: str, export_format: ExportFormat | None) -> ExportedDocument:
        _require(report_id, "report_id")
        export_format = _check_format(export_format, set(ExportFormat))
        stored = self._visible_report(report_id)
        gate = stored_gate(stored)
        if export_format is ExportFormat.JSON:
            document = json.loads(self._catalog.document(stored))
            content = json.dumps({**document, "gate": gate and gate.to_dict()}).encode()
        else:
            render = report_html if export_format is ExportFormat.HTML else report_pdf
            content = render(self._catalog.load(stored), gate)
        name = f"{_slug(stored.synthesizer_name)}-{stored.id}.{export_format.value}"
        return ExportedDocument(name, _MEDIA_TYPES[export_format], content)

    def export_comparison(
        self, report_ids: Sequence[str], export_format: ExportFormat | None
    ) -> ExportedDocument:
        export_format = _check_format(export_format, {ExportFormat.HTML, ExportFormat.PDF})
        comparison = self.compare(report_ids, include_plots=True)
        leaderboard = comparison.leaderboard
        render = leaderboard_html if export_format is ExportFormat.HTML else leaderboard_pdf
        name = f"comparison-{_slug(leaderboard.dataset_name)}.{export_format.value}"
        return ExportedDocument(name, _MEDIA_TYPES[export_format], render(leaderboard))


def stored_gate(stored: StoredReport) -> Gate | None:
    """The release gate recorded with a report (None for reports made before gates)."""
    values = stored.summary.get("gate")
    return None if values is None else Gate.from_dict(values)


def _require(value: str, field: str) -> None:
    if not value:
        raise InvalidInput(f"{field} is required.", field=field)


def _check_seed(seed: int, field: str) -> None:
    if not 0 <= seed <= MAX_SEED:
        raise InvalidInput(
            f"{field} must be between 0 and {MAX_SEED}; got {seed}.",
            field=field,
            metadata={field: seed},
        )


def _check_format(export_format: ExportFormat | None, allowed: set[ExportFormat]) -> ExportFormat:
    if export_format not in allowed:
        names = sorted(item.value for item in allowed)
        raise InvalidInput(
            f"format must be one of {names}; got {export_format or 'none'}.",
            field="format",
            metadata={"format": export_format or ""},
        )
    return export_format


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "report"


def _fit_metadata(metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> dict:
    """`metadata` in multi-table form; a one-table description of a one-table dataset takes
    the dataset's table name (uploads name their only table `table`)."""
    names = list(tables)
    normalised = normalise_metadata(metadata, names[0] if len(names) == 1 else None)
    described = list(normalised["tables"])
    if len(names) == 1 and len(described) == 1 and described != names:
        normalised["tables"] = {names[0]: normalised["tables"][described[0]]}
    return normalised


def _align_single_table(
    synthetic: dict[str, Any], real_names: Mapping[str, Any] | Sequence[str]
) -> dict[str, Any]:
    """One synthetic table of a one-table dataset takes the real table's name."""
    names = list(real_names)
    if len(synthetic) == 1 and len(names) == 1:
        return {names[0]: next(iter(synthetic.values()))}
    return dict(synthetic)


def _split_arguments(record: HoldoutRecord) -> dict[str, Any]:
    return {
        "holdout_fraction": record.holdout_fraction,
        "seed": record.seed,
        "split_table": record.split_table,
        "stratify_column": record.stratified_by,
    }


def _differs(wanted: HoldoutRecord, recorded: HoldoutRecord) -> bool:
    return (wanted.holdout_index_sha256, wanted.dataset_sha256) != (
        recorded.holdout_index_sha256,
        recorded.dataset_sha256,
    )


def _with_default_secrets(
    config: EvaluationConfig, real: DatasetInfo, split: StoredSplit
) -> EvaluationConfig:
    """Without named secrets, inference attacks target the columns the PII scan flagged (those
    a model can learn: feature columns of the focus table)."""
    if config.sensitive_columns or config.sensitive_column:
        return config
    focus = config.table_name or split.record.split_table
    features = TableSet(tables={}, metadata=split.metadata).feature_columns(focus)
    flagged = [column.removeprefix(f"{focus}.") for column in real.pii_columns]
    secrets = [column for column in dict.fromkeys(flagged) if column in features]
    if not secrets:
        return config
    return dataclasses.replace(config, sensitive_columns=secrets[:MAX_INFERENCE_TARGETS])


def _check_schemas(split: StoredSplit, synthetic: DatasetInfo, config: EvaluationConfig) -> None:
    """The checks `evaluate` makes first, on the schemas alone: same tables and columns, no
    empty synthetic table, known target, sensitive column and table."""
    metadata = split.metadata
    real = TableSet(
        tables={
            name: pd.DataFrame(columns=list(spec["columns"]))
            for name, spec in metadata["tables"].items()
        },
        metadata=metadata,
    )
    columns = _align_single_table(synthetic.columns, real.tables)
    rows = _align_single_table(synthetic.rows, real.tables)
    check_synthetic_matches_real(
        real,
        real.with_tables(
            {
                name: pd.DataFrame(columns=names, index=range(min(rows.get(name, 0), 1)))
                for name, names in columns.items()
            }
        ),
    )
    focus = config.table_name or split.record.split_table
    check_table_name(real, focus, "config.table_name")
    for field, column in (
        ("config.target_column", config.target_column),
        ("config.sensitive_column", config.sensitive_column),
        *(
            (f"config.sensitive_columns[{index}]", column)
            for index, column in enumerate(config.sensitive_columns)
        ),
    ):
        if column is not None:
            check_column(real, focus, column, field)
    if config.run_utility or config.run_privacy:
        for role, counts, minimum in (
            ("train", split.record.train_rows, MIN_TRAIN_ROWS),
            ("holdout", split.record.holdout_rows, MIN_HOLDOUT_ROWS),
        ):
            sized = real.with_tables({focus: pd.DataFrame(index=range(counts.get(focus, 0)))})
            check_minimum_rows(sized, focus, minimum, role)


def _config_to_dict(config: EvaluationConfig) -> dict[str, Any]:
    values = dataclasses.asdict(config)
    values["task"] = None if config.task is None else Task(config.task).value
    return values


def _config_from_dict(values: Mapping[str, Any]) -> EvaluationConfig:
    task = values.get("task")
    return EvaluationConfig(**{**values, "task": None if task is None else Task(task)})
