"""What the llm service reads from the other services, over gRPC: datasets (from synthesis,
profiled here), evaluation reports, privacy budgets, and the pii service's redaction.

These adapters turn protobuf into the domain's facts; every call carries the credentials of the
principal the work is done for (`service_channel`), so each service authorises and audits it.
"""

from __future__ import annotations

import re

import grpc

from synthstudio.evaluation.v1 import evaluation_service_pb2 as evaluation_pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.pii.v1 import pii_service_pb2 as pii_pb
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio.privacy.v1 import privacy_service_pb2 as privacy_pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.errors import NotFound, SynthStudioError, Unavailable
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.grpc.errors import raise_from_rpc
from synthstudio_llm.inputs import DatasetFacts, ReportFacts
from synthstudio_llm.profiles import (
    ColumnScore,
    DpBudget,
    EvaluationSummary,
    PairScore,
    PiiFinding,
    PrivacyRiskScore,
    PropertyScore,
)
from synthstudio_llm.profiling import DEFAULT_MIN_GROUP_SIZE, profile_dataset

#: Characters per RedactText call. The NER model finds a name far more reliably in a short
#: piece of text than inside a long line of JSON (its guesses depend on what surrounds the
#: name), so a prompt is redacted piece by piece, cut between JSON members.
REDACT_PIECE_CHARS = 400
#: Longest text one RedactText call takes (the pii service accepts 100,000 characters).
REDACT_MAX_CHARS = 90_000
_MEMBER_BOUNDARY = re.compile(r'(?<=,)(?=")|(?<=\n)')


class GrpcDatasets:
    """Datasets of the synthesis service, profiled in this process: the frames are read,
    reduced to aggregates and dropped; only the profile goes on. `min_group_size` rows stand
    behind every figure of a profile (see `profiling`)."""

    def __init__(
        self, channel: grpc.Channel, *, min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    ) -> None:
        self._client = DatasetClient(channel)
        self._min_group_size = min_group_size

    def facts(self, dataset_id: str) -> DatasetFacts:
        dataset = self._client.get(dataset_id)
        tables = self._client.read_tables(dataset_id)
        names = [table.name for table in dataset.tables] or list(tables)
        findings = findings_by_table(dataset, names)
        metadata = struct_to_dict(dataset.metadata) if dataset.HasField("metadata") else {}
        profile = profile_dataset(
            dataset_id,
            {name: tables[name] for name in names if name in tables},
            metadata=metadata,
            personal_columns={
                table: {finding.column for finding in found} for table, found in findings.items()
            },
            min_group_size=self._min_group_size,
        )
        return DatasetFacts(
            dataset_id=dataset_id,
            name=dataset.display_name or dataset_id,
            profile=profile,
            findings=findings,
            derived_from=dataset.derived_from,
        )


def findings_by_table(
    dataset: synthesis_pb.Dataset, tables: list[str]
) -> dict[str, tuple[PiiFinding, ...]]:
    """The dataset's PII findings per table, with bare column names. A multi-table dataset
    names a finding's column `table.column`; a single-table one names the column alone. The
    masked examples the scan keeps are left behind: they never reach a prompt."""
    found: dict[str, list[PiiFinding]] = {}
    for finding in dataset.pii_findings:
        table, column = tables[0] if tables else "", finding.column
        if len(tables) > 1:
            prefix, _, bare = finding.column.partition(".")
            if prefix in tables and bare:
                table, column = prefix, bare
        fraction = (
            finding.matched_count / finding.sampled_count
            if finding.sampled_count
            else finding.score
        )
        found.setdefault(table, []).append(
            PiiFinding(
                column=column,
                entity_type=finding.entity_type,
                fraction=round(min(max(fraction, 0.0), 1.0), 6),
                score=round(min(max(finding.score, 0.0), 1.0), 6),
            )
        )
    return {table: tuple(items) for table, items in found.items()}


class GrpcReports:
    """Evaluation reports of the evaluation service, as aggregates."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = evaluation_service_pb2_grpc.EvaluationServiceStub(channel)

    def facts(self, report_id: str) -> ReportFacts:
        try:
            report = self._stub.GetReport(evaluation_pb.GetReportRequest(report_id=report_id))
        except grpc.RpcError as error:
            raise_from_rpc(error, "evaluation")
        return report_facts(report)


def report_facts(report: evaluation_pb.Report) -> ReportFacts:
    """An evaluation report reduced to what the assistant explains: the quality score, its
    properties, per-column and per-pair scores, and privacy risks in [0, 1] (anonymeter's
    three attacks; exact copies; the excess of synthetic records closer to training than to
    holdout records, `dcr_overfitting` = 2 * max(0, dcr_share - 0.5))."""
    fidelity = report.fidelity
    tables = {score.table for score in fidelity.column_shapes if score.table}

    def name(table: str, column: str) -> str:
        multi = len(tables) > 1 and table and table != report.focus_table
        return f"{table}.{column}" if multi else column

    overall = (
        report.quality_score
        if report.HasField("quality_score")
        else report.scores.overall
        if report.scores.HasField("overall")
        else 0.0
    )
    risks = [
        PrivacyRiskScore(
            metric=risk.attack,
            risk=_unit(risk.risk),
            confidence_low=_unit(risk.ci_low),
            confidence_high=_unit(risk.ci_high),
            target_column=(report.config.sensitive_column or None)
            if risk.attack == "inference"
            else None,
        )
        for risk in report.anonymeter_risks
    ]
    if report.HasField("exact_copy_rate"):
        risks.append(PrivacyRiskScore("exact_match", _unit(report.exact_copy_rate)))
    if report.HasField("dcr_share"):
        risks.append(PrivacyRiskScore("dcr_overfitting", _unit(2 * (report.dcr_share - 0.5))))
    summary = EvaluationSummary(
        report_id=report.id,
        overall_score=_unit(overall),
        properties=tuple(
            PropertyScore(p.name, _unit(p.score))
            for p in fidelity.quality_properties
            if p.HasField("score")
        ),
        column_scores=tuple(
            ColumnScore(name(c.table, c.column), c.metric, _unit(c.score))
            for c in fidelity.column_shapes
            if c.HasField("score")
        ),
        pair_scores=tuple(
            PairScore(
                name(p.table, p.column_1), name(p.table, p.column_2), p.metric, _unit(p.score)
            )
            for p in fidelity.column_pair_trends
            if p.HasField("score")
        ),
        privacy_risks=tuple(risks),
    )
    return ReportFacts(
        summary=summary,
        real_dataset_id=report.real_dataset_id,
        synthetic_dataset_id=report.synthetic_dataset_id,
        focus_table=report.focus_table,
    )


def _unit(value: float) -> float:
    return round(min(max(float(value), 0.0), 1.0), 6)


class GrpcBudgets:
    """Differential-privacy budgets of the privacy service."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = privacy_service_pb2_grpc.PrivacyServiceStub(channel)

    def budget(self, dataset_id: str) -> DpBudget | None:
        try:
            budget = self._stub.GetPrivacyBudget(
                privacy_pb.GetPrivacyBudgetRequest(dataset_id=dataset_id)
            )
        except grpc.RpcError as error:
            try:
                raise_from_rpc(error, "privacy")
            except NotFound:
                return None
        return DpBudget(
            total_epsilon=budget.epsilon_total,
            spent_epsilon=budget.epsilon_spent,
            delta=budget.delta_total,
        )


class PiiRedactor:
    """The pii service's RedactText (Presidio with NER, so names are found without being
    listed), called on pieces of about `REDACT_PIECE_CHARS` characters. Raises `Unavailable`
    whenever the text cannot be redacted, so the assistant sends nothing to a remote
    provider."""

    def __init__(self, channel: grpc.Channel, *, timeout_seconds: float = 30.0) -> None:
        self._stub = pii_service_pb2_grpc.PiiServiceStub(channel)
        self._timeout = timeout_seconds

    def redact(self, text: str) -> str:
        """`text` with every finding replaced by `<ENTITY_TYPE>`."""
        return "".join(
            self._redact_piece(piece) if piece.strip() else piece for piece in split_text(text)
        )

    def _redact_piece(self, piece: str) -> str:
        try:
            response = self._stub.RedactText(
                pii_pb.RedactTextRequest(text=piece), timeout=self._timeout
            )
        except grpc.RpcError as error:
            try:
                raise_from_rpc(error, "pii")
            except SynthStudioError as cause:
                raise Unavailable(
                    f"The pii service could not redact the prompt ({cause.message}); nothing "
                    "was sent to a remote model.",
                    reason="REDACTION_UNAVAILABLE",
                    metadata={"cause": cause.reason},
                ) from cause
        return response.text


def split_text(
    text: str, piece_chars: int = REDACT_PIECE_CHARS, max_chars: int = REDACT_MAX_CHARS
) -> list[str]:
    """`text` in pieces that join back into it: cut between JSON members (after a comma that
    precedes a quote) and after line breaks, packed up to `piece_chars`; a single member
    longer than `max_chars` is cut at spaces."""
    pieces: list[str] = []
    current = ""
    for member in _MEMBER_BOUNDARY.split(text):
        if current and len(current) + len(member) > piece_chars:
            pieces.append(current)
            current = ""
        current += member
        while len(current) > max_chars:
            cut = current.rfind(" ", max_chars // 2, max_chars)
            cut = cut + 1 if cut > 0 else max_chars
            pieces.append(current[:cut])
            current = current[cut:]
    if current or not pieces:
        pieces.append(current)
    return pieces
