"""LlmService: protobuf <-> the llm use cases (`LlmCore`), nothing more."""

from __future__ import annotations

from typing import Any

from synthstudio.llm.v1 import llm_service_pb2 as pb
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio_libs.auth.principal import current_principal
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.convert import struct, struct_to_dict, timestamp
from synthstudio_libs.grpc.jobs import job_to_proto
from synthstudio_llm.assistant import CallRecord
from synthstudio_llm.core import ExportFormat, LlmCore
from synthstudio_llm.features import Feature, Goal, Regulation, TranslationMode
from synthstudio_llm.inputs import (
    AnomaliesInput,
    ArtifactInput,
    ClassifyInput,
    ComplianceInput,
    ConstraintsInput,
    DictionaryInput,
    EvaluationInput,
    PrivacyRiskInput,
    QuestionInput,
    SchemaInput,
    SynthesizerInput,
    TranslationInput,
)
from synthstudio_llm.profiles import AnonymizationAction, ColumnTreatment
from synthstudio_llm.review import Artifact, ArtifactState, Review, ReviewDecision


def _enum_value(enum_type, prefix: str, value: str) -> int:
    return enum_type.Value(f"{prefix}{value.upper()}")


def _domain(enum_type, prefix: str, number: int, domain_type, default=None):
    """The domain enum member of a protobuf enum number; `default` for the zero value."""
    if number == 0:
        return default
    return domain_type(enum_type.Name(number).removeprefix(prefix).lower())


def _feature(number: int) -> Feature | None:
    return _domain(pb.Feature, "FEATURE_", number, Feature)


def _state(number: int) -> ArtifactState | None:
    if number == 0:
        return None
    return ArtifactState(pb.ArtifactState.Name(number).removeprefix("ARTIFACT_STATE_"))


def _decision(number: int) -> ReviewDecision:
    if number == 0:
        raise InvalidInput(
            "decision is missing; choose APPROVE, REJECT or REQUEST_CHANGES.", field="decision"
        )
    return ReviewDecision(pb.ReviewDecision.Name(number).removeprefix("REVIEW_DECISION_"))


def _regulation(number: int) -> Regulation | None:
    if number == 0:
        return None
    return Regulation(pb.Regulation.Name(number).removeprefix("REGULATION_"))


def _treatment(index: int, message: pb.ColumnTreatment) -> ColumnTreatment:
    if not message.column or message.action == 0:
        raise InvalidInput(
            f"treatments[{index}] needs a column and an action (KEEP, DROP, MASK, HASH, "
            "PSEUDONYMISE or SYNTHESIZE).",
            field=f"compliance_report.treatments[{index}]",
        )
    action = _domain(pb.AnonymizationAction, "ANONYMIZATION_ACTION_", message.action, str)
    return ColumnTreatment(message.column, AnonymizationAction(action))


def _optional(message, field: str) -> float | None:
    return getattr(message, field) if message.HasField(field) else None


def artifact_input(request: pb.CreateArtifactRequest) -> ArtifactInput:
    """The domain input of the request's oneof; `InvalidInput` when none is set."""
    which = request.WhichOneof("input")
    if which is None:
        raise InvalidInput(
            "No feature input is set; set exactly one of "
            + ", ".join(f.name for f in pb.CreateArtifactRequest.DESCRIPTOR.oneofs[0].fields)
            + ".",
            field="input",
        )
    message = getattr(request, which)
    match which:
        case "schema_from_description":
            return SchemaInput(message.description, message.table_name, message.max_columns)
        case "explain_evaluation":
            return EvaluationInput(message.report_id, message.weakest_count)
        case "compliance_report":
            return ComplianceInput(
                dataset_id=message.dataset_id,
                regulation=_regulation(message.regulation),
                report_id=message.report_id,
                treatments=tuple(_treatment(i, t) for i, t in enumerate(message.treatments)),
                synthesizer=message.synthesizer,
                organisation=message.organisation,
            )
        case "suggest_synthesizer":
            return SynthesizerInput(
                dataset_id=message.dataset_id,
                goal=_domain(
                    pb.SynthesizerGoal, "SYNTHESIZER_GOAL_", message.goal, Goal, Goal.BALANCED
                ),
                differential_privacy=message.differential_privacy,
                epsilon_budget=_optional(message, "epsilon_budget"),
                time_budget_minutes=_optional(message, "time_budget_minutes"),
            )
        case "explain_privacy_risk":
            return PrivacyRiskInput(
                message.report_id,
                tuple(message.quasi_identifiers),
                _optional(message, "dp_epsilon"),
            )
        case "classify_columns":
            return ClassifyInput(message.dataset_id, message.table)
        case "detect_anomalies":
            return AnomaliesInput(message.dataset_id, message.synthetic_dataset_id, message.table)
        case "data_dictionary":
            return DictionaryInput(message.dataset_id)
        case "answer_question":
            return QuestionInput(message.dataset_id, message.question, message.report_id)
        case "propose_constraints":
            return ConstraintsInput(message.dataset_id, message.table)
        case _:
            return _translation(message)


def _translation(message: pb.TranslateArtifactInput | pb.TranslateArtifactRequest):
    return TranslationInput(
        artifact_id=message.artifact_id,
        target_language=message.target_language,
        mode=_domain(
            pb.TranslationMode,
            "TRANSLATION_MODE_",
            message.mode,
            TranslationMode,
            TranslationMode.SUMMARIZE,
        ),
    )


def plain_output(value: Any) -> Any:
    """A Struct's JSON with integral numbers back as integers (Struct keeps only doubles)."""
    if isinstance(value, dict):
        return {key: plain_output(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_output(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def call_to_proto(call: CallRecord) -> pb.ProviderCall:
    return pb.ProviderCall(
        provider=call.provider,
        model=call.model,
        outcome=call.outcome.value,
        attempt=call.attempt,
        repair=call.repair,
        status_code=call.status_code or 0,
        prompt_tokens=call.prompt_tokens,
        completion_tokens=call.completion_tokens,
        latency_ms=call.latency_ms,
        error=call.error,
    )


def artifact_to_proto(artifact: Artifact, calls: list[CallRecord] | None = None) -> pb.Artifact:
    return pb.Artifact(
        id=artifact.id,
        feature=_enum_value(pb.Feature, "FEATURE_", artifact.feature.value),
        state=_enum_value(pb.ArtifactState, "ARTIFACT_STATE_", artifact.state.value),
        provider=artifact.provider,
        model=artifact.model,
        creator=artifact.creator,
        create_time=timestamp(artifact.create_time),
        update_time=timestamp(artifact.update_time),
        input_ids=list(artifact.input_ids),
        prompt=artifact.prompt,
        output=struct(artifact.output),
        prompt_tokens=artifact.prompt_tokens,
        completion_tokens=artifact.completion_tokens,
        latency_ms=artifact.latency_ms,
        cache_hit=artifact.cache_hit,
        warnings=list(artifact.warnings),
        revision=artifact.revision,
        etag=str(artifact.etag),
        source_artifact_id=artifact.source_artifact_id or "",
        calls=[call_to_proto(call) for call in calls or []],
        project=artifact.project,
    )


def review_to_proto(review: Review) -> pb.Review:
    return pb.Review(
        artifact_id=review.artifact_id,
        revision=review.revision,
        reviewer=review.reviewer,
        decision=_enum_value(pb.ReviewDecision, "REVIEW_DECISION_", review.decision.value),
        comment=review.comment,
        create_time=timestamp(review.create_time),
    )


class LlmServicer(llm_service_pb2_grpc.LlmServiceServicer):
    def __init__(self, core: LlmCore) -> None:
        self._core = core

    def CreateArtifact(self, request, context):
        return job_to_proto(self._core.submit(artifact_input(request), request.project))

    def TranslateArtifact(self, request, context):
        return job_to_proto(self._core.submit(_translation(request)))

    def GetArtifact(self, request, context):
        artifact = self._core.get(request.artifact_id)
        return artifact_to_proto(artifact, self._core.calls(artifact.id))

    def ListArtifacts(self, request, context):
        found, token = self._core.list(
            page_size=request.page_size,
            page_token=request.page_token,
            feature=_feature(request.feature),
            state=_state(request.state),
            creator=request.creator or None,
            project=request.project,
        )
        return pb.ListArtifactsResponse(
            artifacts=[artifact_to_proto(a) for a in found], next_page_token=token
        )

    def ReviewArtifact(self, request, context):
        artifact = self._core.review(
            request.artifact_id,
            reviewer=current_principal().id,
            decision=_decision(request.decision),
            comment=request.comment,
        )
        return artifact_to_proto(artifact)

    def ReviseArtifact(self, request, context):
        if not request.HasField("output"):
            raise InvalidInput("output is missing: send the edited output.", field="output")
        artifact = self._core.revise(
            request.artifact_id,
            actor=current_principal().id,
            output=plain_output(struct_to_dict(request.output)),
            comment=request.comment,
        )
        return artifact_to_proto(artifact)

    def ListArtifactReviews(self, request, context):
        reviews = self._core.reviews(request.artifact_id)
        return pb.ListArtifactReviewsResponse(reviews=[review_to_proto(r) for r in reviews])

    def ExportArtifact(self, request, context):
        export_format = (
            ExportFormat.PDF if request.format == pb.EXPORT_FORMAT_PDF else ExportFormat.JSON
        )
        exported = self._core.export(
            request.artifact_id, actor=current_principal().id, export_format=export_format
        )
        return pb.ExportArtifactResponse(
            filename=exported.filename, media_type=exported.media_type, content=exported.content
        )

    def ApplyArtifact(self, request, context):
        applied = self._core.apply(request.artifact_id, actor=current_principal().id)
        return pb.ApplyArtifactResponse(
            artifact_id=applied.artifact.id,
            feature=_enum_value(pb.Feature, "FEATURE_", applied.artifact.feature.value),
            output=struct(applied.output),
            revision=applied.artifact.revision,
            approved_by=applied.approved_by,
        )
