"""The llm service's use cases: accept a feature input as a job (the only place that queues
one), run it, and move artifacts through their review, export and use, writing every artifact
event to the audit trail. The servicer translates protobuf to these calls and nothing more."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from synthstudio_libs.auth.principal import Role
from synthstudio_libs.auth.projects import list_filter, require_access, resolve_project
from synthstudio_libs.errors import FailedPrecondition, InvalidInput
from synthstudio_libs.jobs.runner import JobContext, JobQueue
from synthstudio_libs.jobs.store import Job
from synthstudio_libs.metrics import record_llm_call, record_llm_fallback
from synthstudio_libs.storage.util import new_id, utcnow
from synthstudio_llm.assistant import Assistant, CallRecord, Generation
from synthstudio_llm.audit import EventSink
from synthstudio_llm.features import FEATURES, Feature, TranslateArtifactRequest
from synthstudio_llm.inputs import (
    ArtifactInput,
    RequestAssembler,
    SchemaInput,
    TranslationInput,
    from_params,
    to_params,
)
from synthstudio_llm.pdf_export import Approval, compliance_report_pdf
from synthstudio_llm.repository import ArtifactRepository, missing_artifact
from synthstudio_llm.review import (
    Artifact,
    ArtifactAction,
    ArtifactState,
    Review,
    ReviewDecision,
    decide,
    new_artifact,
    revise,
    use_approved,
)

GENERATE_JOB = "llm.generate"
_RESOURCE_PREFIXES = {"dataset_id": "datasets", "report_id": "reports", "artifact_id": "artifacts"}


class ExportFormat(StrEnum):
    """JSON for every feature; PDF for compliance reports."""

    JSON = "json"
    PDF = "pdf"


@dataclass(frozen=True)
class ExportedArtifact:
    """A downloadable rendering of an approved artifact."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class AppliedArtifact:
    """An approved artifact released for use, with who approved its revision."""

    artifact: Artifact
    output: dict[str, Any]
    approved_by: str


class LlmCore:
    """Feature inputs become jobs whose answers are stored as DRAFT artifacts; artifacts move
    through review to export and use; every artifact event is written to `events`."""

    def __init__(
        self,
        assistant: Assistant,
        repository: ArtifactRepository,
        assembler: RequestAssembler,
        queue: JobQueue,
        events: EventSink,
        *,
        owner_of: Callable[[str], str],
        project_of_dataset: Callable[[str], str] | None = None,
        clock: Callable[[], datetime] = utcnow,
        new_artifact_id: Callable[[], str] = lambda: new_id("art"),
    ) -> None:
        self._assistant = assistant
        self._repository = repository
        self._assembler = assembler
        self._queue = queue
        self._events = events
        # Who a principal acts for: an API key for the user who made it, so that creating an
        # artifact with one's key and approving it oneself is still self-approval.
        self._owner_of = owner_of
        # The project of a dataset an input names (the synthesis service's answer, which
        # refuses datasets the caller may not see); None: artifacts go to the caller's.
        self._project_of_dataset = project_of_dataset
        self._clock = clock
        self._new_id = new_artifact_id

    # -- generation ---------------------------------------------------------------------------

    def submit(self, item: ArtifactInput, project: str = "") -> Job:
        """Checks what can be checked without reading any data, then starts the job that
        produces the artifact in `project` (see `_project_for`). Raises `InvalidInput`, and
        for a translation `NotFound` or `FailedPrecondition` (ARTIFACT_NOT_APPROVED)."""
        item.validate()
        if isinstance(item, SchemaInput):
            FEATURES[item.feature].validate(self._assembler.request_for(item))
        if isinstance(item, TranslationInput):
            FEATURES[Feature.TRANSLATE_ARTIFACT].validate(self._translation_request(item))
        return self._queue.enqueue(
            GENERATE_JOB,
            to_params(item),
            resource=_resource(item),
            project=self._project_for(item, project),
        )

    def _project_for(self, item: ArtifactInput, project: str) -> str:
        """The project a new artifact goes to: `project` when named, else its translated
        source's, else the project of the dataset its input names, else the caller's only or
        the default project. The caller must be an editor there."""
        if project:
            return resolve_project(project, Role.EDITOR)
        dataset_id = getattr(item, "dataset_id", "")
        if isinstance(item, TranslationInput):
            chosen = self.get(item.artifact_id).project
        elif dataset_id and self._project_of_dataset is not None:
            chosen = self._project_of_dataset(dataset_id)
        else:
            return resolve_project("", Role.EDITOR)
        require_access(chosen, Role.EDITOR)
        return chosen

    def run(self, context: JobContext) -> dict[str, Any]:
        """The job: gather the inputs, ask the assistant, store the DRAFT artifact."""
        item = from_params(context.job.params)
        creator = self._owner_of(context.job.creator.id)
        context.progress.update(0.05, "reading the inputs")
        project = context.job.project
        if isinstance(item, TranslationInput):
            artifact = self.translate(item, creator=creator, project=project)
        else:
            request = self._assembler.request_for(item)
            context.progress.update(0.4, "asking the assistant")
            artifact = self.generate(request, creator=creator, project=project)
        return {
            "artifact_id": artifact.id,
            "feature": artifact.feature.value,
            "provider": artifact.provider,
            "model": artifact.model,
        }

    def generate(self, request: object, *, creator: str, project: str = "default") -> Artifact:
        """Run a feature request (any `*Request` of `synthstudio_llm.features`) and store the
        answer as a DRAFT artifact of `project`. Raises `InvalidInput` for a request it cannot
        answer."""
        generation = self._assistant.generate(request)
        return self._store(generation, creator, source=None, project=project)

    def translate(
        self, item: TranslationInput, *, creator: str, project: str = "default"
    ) -> Artifact:
        """A new DRAFT translating or summarizing an APPROVED artifact into its target language.

        Raises `NotFound`, `FailedPrecondition` (ARTIFACT_NOT_APPROVED) for a source that is not
        approved (only reviewed text is translated), and `InvalidInput` for a bad language tag.
        """
        request = self._translation_request(item)
        generation = self._assistant.generate(request)
        return self._store(generation, creator, source=request.artifact_id, project=project)

    # -- reading ------------------------------------------------------------------------------

    def get(self, artifact_id: str, minimum_role: Role = Role.VIEWER) -> Artifact:
        """The artifact, when the caller has `minimum_role` in its project; raises `NotFound`
        (also to a non-member) or `PermissionDenied`."""
        artifact = self._repository.get(artifact_id)
        require_access(artifact.project, minimum_role, not_found=missing_artifact(artifact_id))
        return artifact

    def list(
        self,
        *,
        page_size: int = 0,
        page_token: str = "",
        feature: Feature | None = None,
        state: ArtifactState | None = None,
        creator: str | None = None,
        project: str = "",
    ) -> tuple[list[Artifact], str]:
        """A page of the caller's projects' artifacts (or `project`'s), newest first, and the
        next page token ("" on the last page)."""
        return self._repository.list(
            size=page_size,
            token=page_token,
            feature=feature,
            state=state,
            creator=creator,
            projects=list_filter(project),
        )

    def reviews(self, artifact_id: str) -> list[Review]:
        """Every review of the artifact, oldest first; raises `NotFound`."""
        self.get(artifact_id)
        return self._repository.reviews(artifact_id)

    def calls(self, artifact_id: str) -> list[CallRecord]:
        """The provider calls (tokens, latency, outcome) behind the artifact; `NotFound`."""
        self.get(artifact_id)
        return self._repository.calls(artifact_id)

    # -- review and use -----------------------------------------------------------------------

    def review(
        self, artifact_id: str, *, reviewer: str, decision: ReviewDecision, comment: str = ""
    ) -> Artifact:
        """Approve, reject or request changes on a DRAFT. Raises `PermissionDenied`
        (SELF_APPROVAL) when its creator approves it, `FailedPrecondition` when it is not a
        DRAFT or changed concurrently, `InvalidInput` for a rejection without a comment."""
        artifact = self.get(artifact_id, Role.REVIEWER)
        updated, review, event = decide(
            artifact,
            reviewer=self._owner_of(reviewer),
            decision=decision,
            comment=comment,
            now=self._clock(),
        )
        self._repository.save(updated, expected_etag=artifact.etag, review=review)
        self._events.record(event)
        return updated

    def revise(
        self, artifact_id: str, *, actor: str, output: dict[str, Any], comment: str = ""
    ) -> Artifact:
        """The creator's edited output as a new DRAFT revision. Raises `PermissionDenied`
        (NOT_CREATOR), `FailedPrecondition` (ARTIFACT_NOT_REVISABLE), `InvalidInput` when the
        output breaks the feature's schema."""
        artifact = self.get(artifact_id, Role.EDITOR)
        updated, event = revise(
            artifact,
            actor=self._owner_of(actor),
            output=output,
            schema=FEATURES[artifact.feature].output_schema,
            comment=comment,
            now=self._clock(),
        )
        self._repository.save(updated, expected_etag=artifact.etag)
        self._events.record(event)
        return updated

    def export(
        self, artifact_id: str, *, actor: str, export_format: ExportFormat
    ) -> ExportedArtifact:
        """The APPROVED artifact as JSON, or as PDF for a compliance report. Raises
        `FailedPrecondition` (ARTIFACT_NOT_APPROVED) otherwise, `InvalidInput` for a PDF of
        another feature."""
        artifact = self.get(artifact_id)
        event = use_approved(
            artifact,
            actor=actor,
            action=ArtifactAction.EXPORTED,
            now=self._clock(),
            format=export_format.value,
        )
        exported = self._render(artifact, export_format)
        self._events.record(event)
        return exported

    def apply(self, artifact_id: str, *, actor: str) -> AppliedArtifact:
        """The APPROVED output, for the caller to apply (constraints to a synthesizer, a
        schema to a dataset). Raises `FailedPrecondition` (ARTIFACT_NOT_APPROVED) otherwise."""
        artifact = self.get(artifact_id, Role.EDITOR)
        event = use_approved(
            artifact,
            actor=actor,
            action=ArtifactAction.APPLIED,
            now=self._clock(),
            feature=artifact.feature.value,
        )
        self._events.record(event)
        approvals = self._approvals(artifact)
        approved_by = approvals[-1].reviewer if approvals else ""
        return AppliedArtifact(artifact, artifact.output, approved_by)

    # -- helpers ------------------------------------------------------------------------------

    def _translation_request(self, item: TranslationInput) -> TranslateArtifactRequest:
        source = self.get(item.artifact_id)
        if source.state != ArtifactState.APPROVED:
            raise FailedPrecondition(
                f"Artifact {source.id} is {source.state.value}; only an APPROVED artifact can "
                "be translated or summarized. Ask a reviewer to approve it first.",
                reason="ARTIFACT_NOT_APPROVED",
                metadata={"artifact_id": source.id, "state": source.state.value},
            )
        return TranslateArtifactRequest(
            artifact_id=source.id,
            source_feature=source.feature.value,
            content=source.output,
            target_language=item.target_language,
            mode=item.mode,
        )

    def _store(
        self, generation: Generation, creator: str, *, source: str | None, project: str
    ) -> Artifact:
        artifact, event = new_artifact(
            generation,
            artifact_id=self._new_id(),
            creator=creator,
            now=self._clock(),
            source_artifact_id=source,
            project=project,
        )
        self._repository.create(artifact, generation.calls)
        record_provider_calls(generation.feature.value, generation.calls)
        self._events.record(event)
        return artifact

    def _render(self, artifact: Artifact, export_format: ExportFormat) -> ExportedArtifact:
        approvals = self._approvals(artifact)
        latest = approvals[-1]
        approval = Approval(artifact.id, artifact.revision, latest.reviewer, latest.create_time)
        if export_format == ExportFormat.JSON:
            content = _json_export(artifact, approval)
            return ExportedArtifact(f"{artifact.id}.json", "application/json", content)
        if artifact.feature != Feature.COMPLIANCE_REPORT:
            raise InvalidInput(
                f"PDF export exists for compliance reports; artifact {artifact.id} is a "
                f"{artifact.feature.value}. Export it as JSON.",
                field="format",
                metadata={"artifact_id": artifact.id, "feature": artifact.feature.value},
            )
        content = compliance_report_pdf(artifact.output, approval)
        return ExportedArtifact(f"{artifact.id}.pdf", "application/pdf", content)

    def _approvals(self, artifact: Artifact) -> list[Review]:
        """The approvals of the artifact's current revision, oldest first."""
        return [
            review
            for review in self._repository.reviews(artifact.id)
            if review.decision == ReviewDecision.APPROVE and review.revision == artifact.revision
        ]


def _resource(item: ArtifactInput) -> str:
    for field, prefix in _RESOURCE_PREFIXES.items():
        value = getattr(item, field, "")
        if value:
            return f"{prefix}/{value}"
    return ""


def _json_export(artifact: Artifact, approval: Approval) -> bytes:
    document = {
        "artifact_id": artifact.id,
        "feature": artifact.feature.value,
        "revision": artifact.revision,
        "provider": artifact.provider,
        "model": artifact.model,
        "input_ids": list(artifact.input_ids),
        "approved_by": approval.reviewer,
        "approve_time": approval.approve_time.isoformat(),
        "output": artifact.output,
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")


def record_provider_calls(feature: str, calls: Sequence[CallRecord]) -> None:
    """Counts each provider call (outcome, tokens, latency) and each fall back to the next
    provider in the metrics the dashboards and the fallback alert read."""
    for call in calls:
        record_llm_call(
            call.provider,
            feature=feature,
            outcome=call.outcome.value,
            input_tokens=call.prompt_tokens,
            output_tokens=call.completion_tokens,
            duration_seconds=call.latency_ms / 1000,
        )
    for before, after in itertools.pairwise(calls):
        if after.provider != before.provider:
            record_llm_fallback(before.provider, after.provider, reason=before.outcome.value)
