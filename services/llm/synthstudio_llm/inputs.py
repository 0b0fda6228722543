"""What a user asks for (ids and their own words) and how it becomes a feature request.

An `ArtifactInput` names the resources a feature reads (dataset, synthetic dataset, evaluation
report, artifact) and carries the user's text (a description, a question, a target language).
It is checked when the job is accepted, stored as the job's parameters, and turned into the
feature's typed request by `RequestAssembler` inside the job, from facts the sources read over
the network: profiles (aggregates only), PII findings, report metrics, the privacy budget.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from synthstudio_libs.errors import InvalidInput, NotFound
from synthstudio_llm.features import (
    AnswerQuestionRequest,
    ClassifyColumnsRequest,
    ComplianceReportRequest,
    DataDictionaryRequest,
    DetectAnomaliesRequest,
    ExplainEvaluationRequest,
    ExplainPrivacyRiskRequest,
    Feature,
    Goal,
    ProposeConstraintsRequest,
    Regulation,
    SchemaFromDescriptionRequest,
    SuggestSynthesizerRequest,
    TranslationMode,
)
from synthstudio_llm.profiles import (
    AnonymizationAction,
    ColumnTreatment,
    DatasetProfile,
    DpBudget,
    EvaluationSummary,
    PiiFinding,
    TableProfile,
)

DEFAULT_MAX_COLUMNS = 30
DEFAULT_WEAKEST_COUNT = 3


# --------------------------------------------------------------------------------------------
# Facts read from the other services


@dataclass(frozen=True)
class DatasetFacts:
    """A dataset as the assistant may see it: its name, its profile and its PII findings
    (per table, with bare column names)."""

    dataset_id: str
    name: str
    profile: DatasetProfile
    findings: dict[str, tuple[PiiFinding, ...]]
    derived_from: str = ""

    def table(self, name: str) -> TableProfile:
        """The named table's profile, or the first table's when `name` is empty."""
        if not name:
            return self.profile.tables[0]
        found = self.profile.table(name)
        if found is None:
            names = ", ".join(table.name for table in self.profile.tables)
            raise InvalidInput(
                f"Dataset {self.dataset_id} has no table '{name}'; its tables are: {names}.",
                field="table",
                metadata={"dataset_id": self.dataset_id, "table": name, "tables": names},
            )
        return found

    def table_findings(self, table: str) -> tuple[PiiFinding, ...]:
        """The findings of one table (the first when `table` is empty)."""
        return self.findings.get(table or self.profile.tables[0].name, ())

    @property
    def all_findings(self) -> tuple[PiiFinding, ...]:
        return tuple(finding for found in self.findings.values() for finding in found)


@dataclass(frozen=True)
class ReportFacts:
    """An evaluation report as aggregates, and what it evaluated."""

    summary: EvaluationSummary
    real_dataset_id: str
    synthetic_dataset_id: str
    focus_table: str = ""


class DatasetSource(Protocol):
    """Reads a dataset and profiles it; raises `NotFound`, `Unavailable`."""

    def facts(self, dataset_id: str) -> DatasetFacts: ...


class ReportSource(Protocol):
    """Reads an evaluation report; raises `NotFound`, `Unavailable`."""

    def facts(self, report_id: str) -> ReportFacts: ...


class BudgetSource(Protocol):
    """Reads a dataset's differential-privacy budget; None when the dataset has none."""

    def budget(self, dataset_id: str) -> DpBudget | None: ...


# --------------------------------------------------------------------------------------------
# Inputs


def _require(value: str, field: str, what: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{what} is missing; {field} is required.", field=field)


@dataclass(frozen=True)
class SchemaInput:
    """Feature 1: a schema from the user's description."""

    feature: ClassVar[Feature] = Feature.SCHEMA_FROM_DESCRIPTION
    description: str
    table_name: str = ""
    max_columns: int = 0

    def validate(self) -> None:
        _require(self.description, "description", "The table's description")
        if not 0 <= self.max_columns <= 200:
            raise InvalidInput(
                f"max_columns is {self.max_columns}; ask for 1 to 200 columns (0: 30).",
                field="max_columns",
                metadata={"max_columns": self.max_columns},
            )


@dataclass(frozen=True)
class EvaluationInput:
    """Feature 2: explain an evaluation report."""

    feature: ClassVar[Feature] = Feature.EXPLAIN_EVALUATION
    report_id: str
    weakest_count: int = 0

    def validate(self) -> None:
        _require(self.report_id, "report_id", "The evaluation report")


@dataclass(frozen=True)
class ComplianceInput:
    """Feature 3: a compliance report for a dataset."""

    feature: ClassVar[Feature] = Feature.COMPLIANCE_REPORT
    dataset_id: str
    regulation: Regulation | None
    report_id: str = ""
    treatments: tuple[ColumnTreatment, ...] = ()
    synthesizer: str = ""
    organisation: str = ""

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")
        if self.regulation is None:
            raise InvalidInput(
                "The regulation is missing; choose GDPR, HIPAA or CCPA.", field="regulation"
            )


@dataclass(frozen=True)
class SynthesizerInput:
    """Feature 4: suggest a synthesizer for a dataset."""

    feature: ClassVar[Feature] = Feature.SUGGEST_SYNTHESIZER
    dataset_id: str
    goal: Goal = Goal.BALANCED
    differential_privacy: bool = False
    epsilon_budget: float | None = None
    time_budget_minutes: float | None = None

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")


@dataclass(frozen=True)
class PrivacyRiskInput:
    """Feature 5: explain the privacy risks an evaluation report measured."""

    feature: ClassVar[Feature] = Feature.EXPLAIN_PRIVACY_RISK
    report_id: str
    quasi_identifiers: tuple[str, ...] = ()
    dp_epsilon: float | None = None

    def validate(self) -> None:
        _require(self.report_id, "report_id", "The evaluation report")


@dataclass(frozen=True)
class ClassifyInput:
    """Feature 6: classify the columns of a dataset's table."""

    feature: ClassVar[Feature] = Feature.CLASSIFY_COLUMNS
    dataset_id: str
    table: str = ""

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")


@dataclass(frozen=True)
class AnomaliesInput:
    """Feature 7: anomalies of a synthetic dataset against the real one."""

    feature: ClassVar[Feature] = Feature.DETECT_ANOMALIES
    dataset_id: str
    synthetic_dataset_id: str
    table: str = ""

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The real dataset")
        _require(self.synthetic_dataset_id, "synthetic_dataset_id", "The synthetic dataset")
        if self.dataset_id == self.synthetic_dataset_id:
            raise InvalidInput(
                "dataset_id and synthetic_dataset_id are the same dataset; compare a synthetic "
                "dataset with the real one it was made from.",
                field="synthetic_dataset_id",
                metadata={"dataset_id": self.dataset_id},
            )


@dataclass(frozen=True)
class DictionaryInput:
    """Feature 8: a data dictionary of a dataset."""

    feature: ClassVar[Feature] = Feature.DATA_DICTIONARY
    dataset_id: str

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")


@dataclass(frozen=True)
class QuestionInput:
    """Feature 9: answer the user's question about a dataset (and a report of it)."""

    feature: ClassVar[Feature] = Feature.ANSWER_QUESTION
    dataset_id: str
    question: str
    report_id: str = ""

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")
        _require(self.question, "question", "The question")


@dataclass(frozen=True)
class ConstraintsInput:
    """Feature 10: constraints for a dataset's table."""

    feature: ClassVar[Feature] = Feature.PROPOSE_CONSTRAINTS
    dataset_id: str
    table: str = ""

    def validate(self) -> None:
        _require(self.dataset_id, "dataset_id", "The dataset")


@dataclass(frozen=True)
class TranslationInput:
    """Feature 11: translate or summarize an approved artifact."""

    feature: ClassVar[Feature] = Feature.TRANSLATE_ARTIFACT
    artifact_id: str
    target_language: str
    mode: TranslationMode = TranslationMode.SUMMARIZE

    def validate(self) -> None:
        _require(self.artifact_id, "artifact_id", "The artifact")
        _require(self.target_language, "target_language", "The target language")


ArtifactInput = (
    SchemaInput
    | EvaluationInput
    | ComplianceInput
    | SynthesizerInput
    | PrivacyRiskInput
    | ClassifyInput
    | AnomaliesInput
    | DictionaryInput
    | QuestionInput
    | ConstraintsInput
    | TranslationInput
)
_INPUT_TYPES: dict[Feature, type] = {
    cls.feature: cls
    for cls in (
        SchemaInput,
        EvaluationInput,
        ComplianceInput,
        SynthesizerInput,
        PrivacyRiskInput,
        ClassifyInput,
        AnomaliesInput,
        DictionaryInput,
        QuestionInput,
        ConstraintsInput,
        TranslationInput,
    )
}
_FIELD_PARSERS: dict[str, Callable[[Any], Any]] = {
    "regulation": lambda value: Regulation(value) if value else None,
    "goal": Goal,
    "mode": TranslationMode,
    "quasi_identifiers": tuple,
    "treatments": lambda items: tuple(
        ColumnTreatment(item["column"], AnonymizationAction(item["action"])) for item in items
    ),
}


def input_ids(item: ArtifactInput) -> list[str]:
    """The ids of the resources the input names, in field order."""
    return [
        value
        for field in dataclasses.fields(item)
        if field.name.endswith("_id") and (value := getattr(item, field.name))
    ]


def to_params(item: ArtifactInput) -> dict[str, Any]:
    """The input as JSON-able job parameters."""
    return {"feature": item.feature.value, "input": _plain(dataclasses.asdict(item))}


def from_params(params: dict[str, Any]) -> ArtifactInput:
    """The input stored by `to_params`."""
    cls = _INPUT_TYPES[Feature(params["feature"])]
    values = {
        name: _FIELD_PARSERS[name](value) if name in _FIELD_PARSERS else value
        for name, value in params["input"].items()
    }
    return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, str):  # StrEnum members become their plain value
        return str(value)
    return value


# --------------------------------------------------------------------------------------------
# Assembly


class RequestAssembler:
    """Turns an input into its feature's request, reading what it needs from the sources."""

    def __init__(
        self, datasets: DatasetSource, reports: ReportSource, budgets: BudgetSource
    ) -> None:
        self._datasets = datasets
        self._reports = reports
        self._budgets = budgets
        # Every feature but translation (see `LlmCore`), named so a reader finds each builder.
        self._builders: dict[Feature, Callable[[Any], object]] = {
            Feature.SCHEMA_FROM_DESCRIPTION: self._schema_from_description,
            Feature.EXPLAIN_EVALUATION: self._explain_evaluation,
            Feature.COMPLIANCE_REPORT: self._compliance_report,
            Feature.SUGGEST_SYNTHESIZER: self._suggest_synthesizer,
            Feature.EXPLAIN_PRIVACY_RISK: self._explain_privacy_risk,
            Feature.CLASSIFY_COLUMNS: self._classify_columns,
            Feature.DETECT_ANOMALIES: self._detect_anomalies,
            Feature.DATA_DICTIONARY: self._data_dictionary,
            Feature.ANSWER_QUESTION: self._answer_question,
            Feature.PROPOSE_CONSTRAINTS: self._propose_constraints,
        }

    def request_for(self, item: ArtifactInput) -> object:
        """The typed request of `item`'s feature (not for translations: see `LlmCore`)."""
        return self._builders[item.feature](item)

    def _schema_from_description(self, item: SchemaInput) -> SchemaFromDescriptionRequest:
        return SchemaFromDescriptionRequest(
            description=item.description,
            table_name=item.table_name or None,
            max_columns=item.max_columns or DEFAULT_MAX_COLUMNS,
        )

    def _explain_evaluation(self, item: EvaluationInput) -> ExplainEvaluationRequest:
        report = self._reports.facts(item.report_id)
        profile = None
        if report.real_dataset_id:
            try:
                real = self._datasets.facts(report.real_dataset_id)
            except NotFound:  # deleted since: the report alone still explains itself
                real = None
            if real is not None:
                profile = real.profile.table(report.focus_table) or real.profile.tables[0]
        return ExplainEvaluationRequest(
            report=report.summary,
            profile=profile,
            weakest_count=item.weakest_count or DEFAULT_WEAKEST_COUNT,
        )

    def _compliance_report(self, item: ComplianceInput) -> ComplianceReportRequest:
        dataset = self._datasets.facts(item.dataset_id)
        risks = ()
        if item.report_id:
            report = self._reports.facts(item.report_id)
            _require_report_of(report, item.report_id, dataset)
            risks = report.summary.privacy_risks
        assert item.regulation is not None  # checked when the job was accepted
        return ComplianceReportRequest(
            regulation=item.regulation,
            dataset_id=item.dataset_id,
            dataset_name=dataset.name,
            pii_findings=dataset.all_findings,
            treatments=item.treatments,
            dp_budget=self._budgets.budget(item.dataset_id),
            privacy_risks=risks,
            synthesizer=item.synthesizer or None,
            organisation=item.organisation or "The data controller",
        )

    def _suggest_synthesizer(self, item: SynthesizerInput) -> SuggestSynthesizerRequest:
        return SuggestSynthesizerRequest(
            profile=self._datasets.facts(item.dataset_id).profile,
            goal=item.goal,
            differential_privacy=item.differential_privacy,
            epsilon_budget=item.epsilon_budget,
            time_budget_minutes=item.time_budget_minutes,
        )

    def _explain_privacy_risk(self, item: PrivacyRiskInput) -> ExplainPrivacyRiskRequest:
        report = self._reports.facts(item.report_id)
        return ExplainPrivacyRiskRequest(
            dataset_id=report.real_dataset_id or item.report_id,
            risks=report.summary.privacy_risks,
            dp_epsilon=item.dp_epsilon,
            quasi_identifiers=item.quasi_identifiers,
        )

    def _classify_columns(self, item: ClassifyInput) -> ClassifyColumnsRequest:
        dataset = self._datasets.facts(item.dataset_id)
        return ClassifyColumnsRequest(
            dataset_id=item.dataset_id,
            table=dataset.table(item.table),
            pii_findings=dataset.table_findings(item.table),
        )

    def _detect_anomalies(self, item: AnomaliesInput) -> DetectAnomaliesRequest:
        real = self._datasets.facts(item.dataset_id)
        synthetic = self._datasets.facts(item.synthetic_dataset_id)
        real_table = real.table(item.table)
        synthetic_table = synthetic.profile.table(real_table.name)
        if synthetic_table is None and len(synthetic.profile.tables) == 1:
            synthetic_table = synthetic.profile.tables[0]
        if synthetic_table is None:
            synthetic_table = synthetic.table(real_table.name)  # raises, naming its tables
        return DetectAnomaliesRequest(
            dataset_id=item.dataset_id,
            synthetic_id=item.synthetic_dataset_id,
            real=real_table,
            synthetic=synthetic_table,
        )

    def _data_dictionary(self, item: DictionaryInput) -> DataDictionaryRequest:
        dataset = self._datasets.facts(item.dataset_id)
        return DataDictionaryRequest(profile=dataset.profile, pii_findings=dataset.all_findings)

    def _answer_question(self, item: QuestionInput) -> AnswerQuestionRequest:
        dataset = self._datasets.facts(item.dataset_id)
        evaluation = None
        if item.report_id:
            report = self._reports.facts(item.report_id)
            _require_report_of(report, item.report_id, dataset)
            evaluation = report.summary
        return AnswerQuestionRequest(
            question=item.question,
            profile=dataset.profile,
            evaluation=evaluation,
            pii_findings=dataset.all_findings,
        )

    def _propose_constraints(self, item: ConstraintsInput) -> ProposeConstraintsRequest:
        dataset = self._datasets.facts(item.dataset_id)
        return ProposeConstraintsRequest(
            dataset_id=item.dataset_id,
            table=dataset.table(item.table),
            pii_findings=dataset.table_findings(item.table),
        )


def _require_report_of(report: ReportFacts, report_id: str, dataset: DatasetFacts) -> None:
    """A report used as evidence about `dataset` must evaluate it (or the dataset it was
    derived from, such as the original of an anonymized copy)."""
    related = {dataset.dataset_id, dataset.derived_from} - {""}
    if report.real_dataset_id and report.real_dataset_id not in related:
        raise InvalidInput(
            f"Report {report_id} evaluates dataset {report.real_dataset_id}, not "
            f"{dataset.dataset_id}; give a report of this dataset or none.",
            field="report_id",
            metadata={
                "report_id": report_id,
                "report_dataset_id": report.real_dataset_id,
                "dataset_id": dataset.dataset_id,
            },
        )
