"""The llm service's use cases: accept a feature input as a job, run it, and move artifacts
through their review, writing every artifact event to the audit log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from opentelemetry import trace

from synthstudio_libs.auth.audit import AuditLog
from synthstudio_libs.auth.principal import current_principal
from synthstudio_libs.errors import FailedPrecondition
from synthstudio_libs.jobs.runner import JobContext, JobQueue
from synthstudio_libs.jobs.store import Job
from synthstudio_llm.assistant import CallRecord
from synthstudio_llm.core import ExportedArtifact, ExportFormat, LlmCore
from synthstudio_llm.features import (
    FEATURES,
    Feature,
    TranslateArtifactRequest,
)
from synthstudio_llm.inputs import (
    ArtifactInput,
    RequestAssembler,
    SchemaInput,
    TranslationInput,
    from_params,
    to_params,
)
from synthstudio_llm.review import (
    Artifact,
    ArtifactEvent,
    ArtifactState,
    Review,
    ReviewDecision,
)

log = logging.getLogger(__name__)

GENERATE_JOB = "llm.generate"
_RESOURCE_PREFIXES = {"dataset_id": "datasets", "report_id": "reports", "artifact_id": "artifacts"}


class EventSink(Protocol):
    """Where artifact events go: the audit log."""

    def record(self, event: ArtifactEvent) -> None: ...


class AuditTrail:
    """Writes each artifact event to the audit log as its own row (`llm.artifact.approved`,
    ...), with the states it moved between, the comment and the event's details. The RPC that
    caused it has its own row, written by the auth interceptor."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def record(self, event: ArtifactEvent) -> None:
        principal = current_principal()
        details: dict[str, Any] = {
            "from_state": event.from_state.value if event.from_state else "",
            "to_state": event.to_state.value,
            **event.details,
        }
        if event.comment:
            details["comment"] = event.comment
        try:
            self._audit.append(
                principal=event.actor,
                role=principal.role.value if principal.id == event.actor else "",
                action=event.action.value,
                resource=f"artifact/{event.artifact_id}",
                outcome="OK",
                trace_id=_trace_id(),
                details=details,
            )
        except Exception:  # the transition stands; a lost audit row is logged loudly
            log.exception("could not write the audit event %s", event.action.value)


@dataclass(frozen=True)
class AppliedArtifact:
    """An approved artifact released for use, with who approved its revision."""

    artifact: Artifact
    output: dict[str, Any]
    approved_by: str


class ArtifactWorkflow:
    """Feature inputs become jobs; artifacts move through review; every event is audited."""

    def __init__(
        self,
        core: LlmCore,
        assembler: RequestAssembler,
        queue: JobQueue,
        events: EventSink,
        owner_of: Callable[[str], str],
    ) -> None:
        self._core = core
        self._assembler = assembler
        self._queue = queue
        self._events = events
        # Who a principal acts for: an API key for the user who made it, so that creating an
        # artifact with one's key and approving it oneself is still self-approval.
        self._owner_of = owner_of

    # -- generation ---------------------------------------------------------------------------

    def submit(self, item: ArtifactInput) -> Job:
        """Checks what can be checked without reading any data, then starts the job that
        produces the artifact. Raises `InvalidInput`, and for a translation `NotFound` or
        `FailedPrecondition` (ARTIFACT_NOT_APPROVED)."""
        item.validate()
        if isinstance(item, SchemaInput):
            FEATURES[item.feature].validate(self._assembler.request_for(item))
        if isinstance(item, TranslationInput):
            self._check_translatable(item)
        return self._queue.enqueue(GENERATE_JOB, to_params(item), resource=_resource(item))

    def run(self, context: JobContext) -> dict[str, Any]:
        """The job: gather the inputs, ask the assistant, store the DRAFT artifact."""
        item = from_params(context.job.params)
        creator = self._owner_of(context.job.creator.id)
        context.progress.update(0.05, "reading the inputs")
        if isinstance(item, TranslationInput):
            artifact, event = self._core.translate(
                item.artifact_id,
                target_language=item.target_language,
                mode=item.mode,
                creator=creator,
            )
        else:
            request = self._assembler.request_for(item)
            context.progress.update(0.4, "asking the assistant")
            artifact, event = self._core.generate(request, creator=creator)
        self._events.record(event)
        return {
            "artifact_id": artifact.id,
            "feature": artifact.feature.value,
            "provider": artifact.provider,
            "model": artifact.model,
        }

    def _check_translatable(self, item: TranslationInput) -> None:
        source = self._core.get(item.artifact_id)
        if source.state != ArtifactState.APPROVED:
            raise FailedPrecondition(
                f"Artifact {source.id} is {source.state.value}; only an APPROVED artifact can "
                "be translated or summarized. Ask a reviewer to approve it first.",
                reason="ARTIFACT_NOT_APPROVED",
                metadata={"artifact_id": source.id, "state": source.state.value},
            )
        FEATURES[Feature.TRANSLATE_ARTIFACT].validate(
            TranslateArtifactRequest(
                artifact_id=source.id,
                source_feature=source.feature.value,
                content=source.output,
                target_language=item.target_language,
                mode=item.mode,
            )
        )

    # -- reading ------------------------------------------------------------------------------

    def get(self, artifact_id: str) -> tuple[Artifact, list[CallRecord]]:
        """The artifact and the provider calls behind it; raises `NotFound`."""
        return self._core.get(artifact_id), self._core.calls(artifact_id)

    def list(
        self,
        *,
        page_size: int,
        page_token: str,
        feature: Feature | None,
        state: ArtifactState | None,
        creator: str | None,
    ) -> tuple[list[Artifact], str]:
        return self._core.list(
            page_size=page_size,
            page_token=page_token,
            feature=feature,
            state=state,
            creator=creator,
        )

    def reviews(self, artifact_id: str) -> list[Review]:
        return self._core.reviews(artifact_id)

    # -- review and use -----------------------------------------------------------------------

    def review(
        self, artifact_id: str, *, reviewer: str, decision: ReviewDecision, comment: str
    ) -> Artifact:
        artifact, event = self._core.review(
            artifact_id, reviewer=self._owner_of(reviewer), decision=decision, comment=comment
        )
        self._events.record(event)
        return artifact

    def revise(
        self, artifact_id: str, *, actor: str, output: dict[str, Any], comment: str
    ) -> Artifact:
        artifact, event = self._core.revise(
            artifact_id, actor=self._owner_of(actor), output=output, comment=comment
        )
        self._events.record(event)
        return artifact

    def export(
        self, artifact_id: str, *, actor: str, export_format: ExportFormat
    ) -> ExportedArtifact:
        exported, event = self._core.export(artifact_id, actor=actor, export_format=export_format)
        self._events.record(event)
        return exported

    def apply(self, artifact_id: str, *, actor: str) -> AppliedArtifact:
        output, event = self._core.apply(artifact_id, actor=actor)
        self._events.record(event)
        artifact = self._core.get(artifact_id)
        approvals = [
            review.reviewer
            for review in self._core.reviews(artifact_id)
            if review.decision == ReviewDecision.APPROVE and review.revision == artifact.revision
        ]
        return AppliedArtifact(artifact, output, approvals[-1] if approvals else "")


def _resource(item: ArtifactInput) -> str:
    for field, prefix in _RESOURCE_PREFIXES.items():
        value = getattr(item, field, "")
        if value:
            return f"{prefix}/{value}"
    return ""


def _trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""
