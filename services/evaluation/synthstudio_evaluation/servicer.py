"""EvaluationService: protobuf <-> the evaluation core, nothing more."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import empty_pb2, json_format

from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio_evaluation.comparison import Leaderboard
from synthstudio_evaluation.core import (
    EvaluationCore,
    ExportFormat,
    ReportRequest,
    ReportView,
    stored_gate,
)
from synthstudio_evaluation.evidence_pack import EvidenceBuilder
from synthstudio_evaluation.gate import Gate
from synthstudio_evaluation.holdout import DEFAULT_HOLDOUT_FRACTION, HoldoutRecord
from synthstudio_evaluation.release_policy import PolicyStore, ReleasePolicy
from synthstudio_evaluation.releases import Release, ReleaseDesk
from synthstudio_evaluation.report import EvaluationConfig
from synthstudio_evaluation.splits import StoredSplit
from synthstudio_evaluation.utility import Task
from synthstudio_evaluation.verdicts import Verdict
from synthstudio_libs.auth.principal import current_principal
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.convert import struct, struct_to_dict, timestamp
from synthstudio_libs.grpc.jobs import job_to_proto

_TASKS = {pb.TASK_CLASSIFICATION: Task.CLASSIFICATION, pb.TASK_REGRESSION: Task.REGRESSION}
_PARTS = {
    pb.REPORT_PART_FIDELITY: "run_fidelity",
    pb.REPORT_PART_UTILITY: "run_utility",
    pb.REPORT_PART_PRIVACY: "run_privacy",
}
_FORMATS = {
    pb.EXPORT_FORMAT_JSON: ExportFormat.JSON,
    pb.EXPORT_FORMAT_HTML: ExportFormat.HTML,
    pb.EXPORT_FORMAT_PDF: ExportFormat.PDF,
}
_UNITS = {
    "row": pb.HOLDOUT_UNIT_ROW,
    "sequence": pb.HOLDOUT_UNIT_SEQUENCE,
    "row_with_descendants": pb.HOLDOUT_UNIT_ROW_WITH_DESCENDANTS,
}
_DEFAULTS = EvaluationConfig()


def config_from_proto(config: pb.ReportConfig) -> EvaluationConfig:
    """The request's configuration with zero values replaced by the defaults."""
    if config.task != pb.TASK_UNSPECIFIED and config.task not in _TASKS:
        raise InvalidInput(
            f"config.task {config.task} is not a known task; use TASK_CLASSIFICATION or "
            "TASK_REGRESSION, or leave it unset to decide from the target column.",
            field="config.task",
        )
    unknown = [part for part in config.parts if part not in _PARTS]
    if unknown:
        raise InvalidInput(
            "config.parts may hold REPORT_PART_FIDELITY, REPORT_PART_UTILITY and "
            f"REPORT_PART_PRIVACY only; got {unknown}. Leave it empty to run all three.",
            field="config.parts",
        )
    chosen = {_PARTS[part] for part in config.parts} or set(_PARTS.values())
    return EvaluationConfig(
        target_column=config.target_column or None,
        task=_TASKS.get(config.task),
        table_name=config.table_name or None,
        sensitive_column=config.sensitive_column or None,
        **{flag: flag in chosen for flag in _PARTS.values()},
        include_plots=not config.skip_plots,
        anonymeter_attacks=config.anonymeter_attacks or _DEFAULTS.anonymeter_attacks,
        max_privacy_rows=config.max_privacy_rows or _DEFAULTS.max_privacy_rows,
        confidence_level=config.confidence_level or _DEFAULTS.confidence_level,
        seed=config.seed,
        anonymeter_repeats=config.anonymeter_repeats or _DEFAULTS.anonymeter_repeats,
        sensitive_columns=list(config.sensitive_columns),
    )


def config_to_proto(values: Mapping[str, Any]) -> pb.ReportConfig:
    """A report's configuration (its JSON form) as the message."""
    return pb.ReportConfig(
        target_column=values.get("target_column") or "",
        task=_task_to_proto(values.get("task")),
        table_name=values.get("table_name") or "",
        sensitive_column=values.get("sensitive_column") or "",
        parts=[part for part, flag in _PARTS.items() if values.get(flag)],
        skip_plots=not values.get("include_plots", True),
        anonymeter_attacks=values["anonymeter_attacks"],
        max_privacy_rows=values["max_privacy_rows"],
        confidence_level=values["confidence_level"],
        seed=values["seed"],
        anonymeter_repeats=values.get("anonymeter_repeats", 1),
        sensitive_columns=values.get("sensitive_columns", []),
    )


def _task_to_proto(task: str | None) -> int:
    return pb.Task.Value(f"TASK_{task.upper()}") if task else pb.TASK_UNSPECIFIED


def _verdict(value: Verdict | str) -> int:
    return pb.Verdict.Value(f"VERDICT_{Verdict(value).value}")


def record_to_proto(record: HoldoutRecord) -> pb.HoldoutRecord:
    return pb.HoldoutRecord(
        seed=record.seed,
        holdout_fraction=record.holdout_fraction,
        split_table=record.split_table,
        unit=_UNITS.get(record.unit, pb.HOLDOUT_UNIT_UNSPECIFIED),
        total_units=record.total_units,
        holdout_units=record.holdout_units,
        tables=[
            pb.TableSplit(
                table=name,
                train_rows=record.train_rows[name],
                holdout_rows=record.holdout_rows.get(name, 0),
                shared=name in record.shared_tables,
            )
            for name in record.train_rows
        ],
        holdout_index_sha256=record.holdout_index_sha256,
        dataset_sha256=record.dataset_sha256,
        stratified_by=record.stratified_by or "",
    )


def record_from_proto(record: pb.HoldoutRecord) -> HoldoutRecord:
    """The inverse of `record_to_proto`: what `reapply_holdout` needs to recompute a split (for
    a service that trains on a split's train part)."""
    units = {value: name for name, value in _UNITS.items()}
    return HoldoutRecord(
        seed=record.seed,
        holdout_fraction=record.holdout_fraction,
        split_table=record.split_table,
        unit=units.get(record.unit, ""),
        total_units=record.total_units,
        holdout_units=record.holdout_units,
        train_rows={table.table: table.train_rows for table in record.tables},
        holdout_rows={table.table: table.holdout_rows for table in record.tables},
        shared_tables=[table.table for table in record.tables if table.shared],
        holdout_index_sha256=record.holdout_index_sha256,
        dataset_sha256=record.dataset_sha256,
        stratified_by=record.stratified_by or None,
    )


def split_to_proto(split: StoredSplit) -> pb.HoldoutSplit:
    return pb.HoldoutSplit(
        dataset_id=split.dataset_id,
        record=record_to_proto(split.record),
        metadata=struct(split.metadata),
        creator=split.creator,
        create_time=timestamp(split.create_time),
        project=split.project,
    )


def _rows_to_proto(rows: Mapping[str, Mapping[str, int]]) -> list[pb.TableRows]:
    tables = list(rows.get("train", {}))
    return [
        pb.TableRows(
            table=name,
            train_rows=rows.get("train", {}).get(name, 0),
            holdout_rows=rows.get("holdout", {}).get(name, 0),
            synthetic_rows=rows.get("synthetic", {}).get(name, 0),
        )
        for name in tables
    ]


def _parsed(values: Mapping[str, Any], message):
    json_format.ParseDict(values, message)
    return message


def report_to_proto(view: ReportView) -> pb.Report:
    """The report's headline (always) and its details (when the view holds the full report)."""
    stored, summary = view.stored, view.stored.summary
    message = pb.Report(
        id=stored.id,
        real_dataset_id=stored.real_dataset_id,
        synthetic_dataset_id=stored.synthetic_dataset_id,
        synthesizer_name=stored.synthesizer_name,
        dataset_name=stored.dataset_name,
        scores=pb.Scores(
            fidelity=stored.fidelity_score,
            utility=stored.utility_score,
            privacy=stored.privacy_score,
            overall=stored.overall_score,
        ),
        quality_score=stored.quality_score,
        diagnostic_score=stored.diagnostic_score,
        utility_ratio=stored.utility_ratio,
        dcr_share=stored.dcr_share,
        exact_copy_rate=stored.exact_copy_rate,
        membership_inference_auc=stored.membership_inference_auc,
        anonymeter_risks=[_parsed(risk, pb.AttackRisk()) for risk in summary["anonymeter_risks"]],
        privacy_verdict=_verdict(stored.privacy_verdict),
        overall_verdict=_verdict(stored.overall_verdict),
        verdict_reasons=summary["verdict_reasons"],
        modality=pb.Modality.Value(f"MODALITY_{summary['modality'].upper()}"),
        focus_table=summary["focus_table"],
        config=config_to_proto(summary["config"]),
        holdout=record_to_proto(HoldoutRecord.from_dict(summary["holdout"])),
        rows=_rows_to_proto(summary["rows"]),
        plots=[
            pb.PlotInfo(key=plot["key"], section=plot["section"], title=plot["title"])
            for plot in summary["plots"]
        ],
        warnings=summary["warnings"],
        versions=summary["versions"],
        job_id=stored.job_id,
        creator=stored.creator,
        create_time=timestamp(stored.create_time),
        project=stored.project,
        training_data=summary.get("training_data", "unknown"),
        holdout_quality_score=summary.get("holdout_quality_score"),
        above_holdout_ceiling=summary.get("above_holdout_ceiling", False),
        privacy_checks=[
            _parsed(check, pb.PrivacyCheck()) for check in summary.get("privacy_checks", [])
        ],
        synthesizer_id=summary.get("synthesizer_id", ""),
    )
    gate = stored_gate(stored)
    if gate is not None:
        message.gate.CopyFrom(gate_to_proto(gate))
    if view.report is not None:
        _add_details(message, view.report.to_dict())
    return message


def _add_details(message: pb.Report, document: dict[str, Any]) -> None:
    if document["fidelity"] is not None:
        _parsed(document["fidelity"], message.fidelity)
    if document["utility"] is not None:
        utility = dict(document["utility"])
        utility["task"] = pb.Task.Name(_task_to_proto(utility["task"]))
        _parsed(utility, message.utility)
    if document["privacy"] is not None:
        privacy = {key: value for key, value in document["privacy"].items() if key != "attacks"}
        _parsed(privacy, message.privacy)


def leaderboard_to_proto(leaderboard: Leaderboard, report_ids: dict[str, str]) -> pb.Leaderboard:
    return pb.Leaderboard(
        dataset_name=leaderboard.dataset_name,
        holdout_index_sha256=leaderboard.holdout_index_sha256,
        entries=[
            pb.LeaderboardEntry(
                rank=entry.rank,
                report_id=report_ids[entry.synthesizer_name],
                synthesizer_name=entry.synthesizer_name,
                overall=entry.overall,
                fidelity=entry.fidelity,
                utility=entry.utility,
                privacy=entry.privacy,
                quality_score=entry.quality_score,
                diagnostic_score=entry.diagnostic_score,
                utility_ratio=entry.utility_ratio,
                dcr_share=entry.dcr_share,
                membership_inference_auc=entry.membership_inference_auc,
                exact_copy_rate=entry.exact_copy_rate,
                privacy_verdict=_verdict(
                    Verdict.NOT_RUN
                    if entry.privacy_passed is None
                    else Verdict.PASSED
                    if entry.privacy_passed
                    else Verdict.FAILED
                ),
            )
            for entry in leaderboard.entries
        ],
        warnings=leaderboard.warnings,
    )


_POLICY_FIELDS = (
    "min_fidelity_ratio",
    "min_utility_ratio",
    "max_dcr_share_upper",
    "max_identical_match_share",
    "max_anonymeter_upper",
    "max_membership_auc",
    "require_differential_privacy",
    "max_epsilon",
)


def policy_to_proto(policy: ReleasePolicy) -> pb.ReleasePolicy:
    message = pb.ReleasePolicy(
        project=policy.project,
        pii_free_columns=policy.pii_free_columns,
        optional_checks=policy.optional_checks,
        updater=policy.updater,
        update_time=timestamp(policy.update_time) if policy.update_time else None,
        **{name: getattr(policy, name) for name in _POLICY_FIELDS},
    )
    return message


def policy_from_proto(message: pb.ReleasePolicy) -> ReleasePolicy:
    return ReleasePolicy(
        pii_free_columns=list(message.pii_free_columns),
        optional_checks=list(message.optional_checks),
        **{name: getattr(message, name) for name in _POLICY_FIELDS},
    )


def gate_to_proto(gate: Gate) -> pb.ReleaseGate:
    return pb.ReleaseGate(
        passed=gate.passed,
        checks=[
            pb.GateCheck(
                name=check.name,
                status=f"CHECK_STATUS_{check.status.value}",
                value=check.value,
                threshold=check.threshold,
                comparison=check.comparison,
                explanation=check.explanation,
                blocking=check.blocking,
            )
            for check in gate.checks
        ],
        policy=policy_to_proto(gate.policy),
    )


def release_to_proto(release: Release) -> pb.Release:
    message = pb.Release(
        dataset_id=release.dataset_id,
        project=release.project,
        report_id=release.report_id,
        real_dataset_id=release.real_dataset_id,
        synthesizer_id=release.synthesizer_id,
        state=f"RELEASE_STATE_{release.state.value}",
        gate=gate_to_proto(release.gate),
        requester=release.requester,
        request_time=timestamp(release.request_time),
        approver=release.approver,
        comment=release.comment,
        gate_overridden=bool(release.override_by),
        override_by=release.override_by,
        override_reason=release.override_reason,
        approve_time=timestamp(release.approve_time) if release.approve_time else None,
    )
    return message


class EvaluationServicer(evaluation_service_pb2_grpc.EvaluationServiceServicer):
    def __init__(
        self,
        core: EvaluationCore,
        policies: PolicyStore,
        desk: ReleaseDesk,
        evidence: EvidenceBuilder,
    ) -> None:
        self._core = core
        self._policies = policies
        self._desk = desk
        self._evidence = evidence

    def GetReleasePolicy(self, request, context):
        return policy_to_proto(self._policies.read(request.project))

    def UpdateReleasePolicy(self, request, context):
        policy = policy_from_proto(request.policy)
        return policy_to_proto(self._policies.put(request.project, policy, current_principal().id))

    def RequestRelease(self, request, context):
        return release_to_proto(self._desk.request(request.dataset_id, request.report_id))

    def ApproveRelease(self, request, context):
        return release_to_proto(self._desk.approve(request.dataset_id, request.comment))

    def OverrideReleaseGate(self, request, context):
        return release_to_proto(
            self._desk.override(request.dataset_id, request.reason, request.report_id)
        )

    def GetRelease(self, request, context):
        return release_to_proto(self._desk.get(request.dataset_id))

    def CheckRelease(self, request, context):
        check = self._desk.check(request.dataset_id, request.synthesizer_id)
        return pb.ReleaseCheck(
            released=check.released, missing=check.missing, dataset_id=check.dataset_id
        )

    def ExportEvidence(self, request, context):
        pack = self._evidence.export(request.dataset_id)
        return pb.ExportedFile(
            filename=pack.filename, media_type="application/zip", content=pack.content
        )

    def GetEvidencePublicKey(self, request, context):
        pem, identifier = self._evidence.public_key()
        return pb.EvidencePublicKey(algorithm="ed25519", public_key_pem=pem, key_id=identifier)

    def CreateHoldoutSplit(self, request, context):
        split = self._core.create_holdout_split(
            request.dataset_id,
            holdout_fraction=request.holdout_fraction or DEFAULT_HOLDOUT_FRACTION,
            seed=request.seed,
            split_table=request.split_table or None,
            metadata=struct_to_dict(request.metadata) or None,
            stratify_column=request.stratify_column or None,
        )
        return split_to_proto(split)

    def GetHoldoutSplit(self, request, context):
        return split_to_proto(self._core.get_holdout_split(request.dataset_id))

    def DeleteHoldoutSplit(self, request, context):
        self._core.delete_holdout_split(request.dataset_id)
        return empty_pb2.Empty()

    def CreateReport(self, request, context):
        job = self._core.start_report(
            ReportRequest(
                real_dataset_id=request.real_dataset_id,
                synthetic_dataset_id=request.synthetic_dataset_id,
                synthesizer_name=request.synthesizer_name,
                config=config_from_proto(request.config),
                synthesizer_id=request.synthesizer_id,
            )
        )
        return job_to_proto(job)

    def GetReport(self, request, context):
        return report_to_proto(self._core.get_report(request.report_id))

    def ListReports(self, request, context):
        found, token = self._core.list_reports(
            request.page_size,
            request.page_token,
            real_dataset_id=request.real_dataset_id,
            project=request.project,
        )
        return pb.ListReportsResponse(
            reports=[report_to_proto(ReportView(r)) for r in found], next_page_token=token
        )

    def DeleteReport(self, request, context):
        self._core.delete_report(request.report_id)
        return empty_pb2.Empty()

    def CompareReports(self, request, context):
        comparison = self._core.compare(list(request.report_ids))
        return leaderboard_to_proto(comparison.leaderboard, comparison.report_ids)

    def ExportReport(self, request, context):
        exported = self._core.export_report(request.report_id, _FORMATS.get(request.format))
        return pb.ExportedFile(
            filename=exported.filename, media_type=exported.media_type, content=exported.content
        )

    def ExportComparison(self, request, context):
        exported = self._core.export_comparison(
            list(request.report_ids), _FORMATS.get(request.format)
        )
        return pb.ExportedFile(
            filename=exported.filename, media_type=exported.media_type, content=exported.content
        )
