"""The llm service's domain facade: generate artifacts, review them, export or apply them.

The servicer translates protobuf to these calls and writes every returned `ArtifactEvent` to
the audit log.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import FailedPrecondition, InvalidInput
from synthstudio_libs.metrics import record_llm_call, record_llm_fallback
from synthstudio_libs.storage.util import new_id, utcnow
from synthstudio_llm.assistant import Assistant, CallRecord, Generation
from synthstudio_llm.features import FEATURES, Feature, TranslateArtifactRequest, TranslationMode
from synthstudio_llm.pdf_export import Approval, compliance_report_pdf
from synthstudio_llm.repository import ArtifactRepository
from synthstudio_llm.review import (
    Artifact,
    ArtifactAction,
    ArtifactEvent,
    ArtifactState,
    Review,
    ReviewDecision,
    decide,
    new_artifact,
    revise,
    use_approved,
)


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


class LlmCore:
    """Artifacts from the assistant, stored as DRAFTs and moved through their review."""

    def __init__(
        self,
        assistant: Assistant,
        repository: ArtifactRepository,
        *,
        clock: Callable[[], datetime] = utcnow,
        new_artifact_id: Callable[[], str] = lambda: new_id("art"),
    ) -> None:
        self._assistant = assistant
        self._repository = repository
        self._clock = clock
        self._new_id = new_artifact_id

    def generate(self, request: object, *, creator: str) -> tuple[Artifact, ArtifactEvent]:
        """Run a feature request (any `*Request` of `synthstudio_llm.features`) and store the
        answer as a DRAFT artifact. Raises `InvalidInput` for a request it cannot answer."""
        return self._store(self._assistant.generate(request), creator, source=None)

    def translate(
        self,
        artifact_id: str,
        *,
        target_language: str,
        mode: TranslationMode,
        creator: str,
    ) -> tuple[Artifact, ArtifactEvent]:
        """A new DRAFT translating or summarizing an APPROVED artifact into `target_language`.

        Raises `NotFound`, `FailedPrecondition` (ARTIFACT_NOT_APPROVED) for a source that is not
        approved (only reviewed text is translated), and `InvalidInput` for a bad language tag.
        """
        source = self._repository.get(artifact_id)
        if source.state != ArtifactState.APPROVED:
            raise FailedPrecondition(
                f"Artifact {artifact_id} is {source.state.value}; only an APPROVED artifact can "
                "be translated or summarized.",
                reason="ARTIFACT_NOT_APPROVED",
                metadata={"artifact_id": artifact_id, "state": source.state.value},
            )
        request = TranslateArtifactRequest(
            artifact_id=source.id,
            source_feature=source.feature.value,
            content=source.output,
            target_language=target_language,
            mode=mode,
        )
        return self._store(self._assistant.generate(request), creator, source=source.id)

    def get(self, artifact_id: str) -> Artifact:
        """The artifact; raises `NotFound`."""
        return self._repository.get(artifact_id)

    def list(
        self,
        *,
        page_size: int = 0,
        page_token: str = "",
        feature: Feature | None = None,
        state: ArtifactState | None = None,
        creator: str | None = None,
    ) -> tuple[list[Artifact], str]:
        """A page of artifacts, newest first, and the next page token ("" on the last page)."""
        return self._repository.list(
            size=page_size, token=page_token, feature=feature, state=state, creator=creator
        )

    def reviews(self, artifact_id: str) -> list[Review]:
        """Every review of the artifact, oldest first; raises `NotFound`."""
        self._repository.get(artifact_id)
        return self._repository.reviews(artifact_id)

    def calls(self, artifact_id: str) -> list[CallRecord]:
        """The provider calls (tokens, latency, outcome) behind the artifact; `NotFound`."""
        self._repository.get(artifact_id)
        return self._repository.calls(artifact_id)

    def review(
        self, artifact_id: str, *, reviewer: str, decision: ReviewDecision, comment: str = ""
    ) -> tuple[Artifact, ArtifactEvent]:
        """Approve, reject or request changes on a DRAFT. Raises `PermissionDenied`
        (SELF_APPROVAL) when its creator approves it, `FailedPrecondition` when it is not a
        DRAFT or changed concurrently, `InvalidInput` for a rejection without a comment."""
        artifact = self._repository.get(artifact_id)
        updated, review, event = decide(
            artifact, reviewer=reviewer, decision=decision, comment=comment, now=self._clock()
        )
        self._repository.save(updated, expected_etag=artifact.etag, review=review)
        return updated, event

    def revise(
        self, artifact_id: str, *, actor: str, output: dict[str, Any], comment: str = ""
    ) -> tuple[Artifact, ArtifactEvent]:
        """The creator's edited output as a new DRAFT revision. Raises `PermissionDenied`
        (NOT_CREATOR), `FailedPrecondition` (ARTIFACT_NOT_REVISABLE), `InvalidInput` when the
        output breaks the feature's schema."""
        artifact = self._repository.get(artifact_id)
        updated, event = revise(
            artifact,
            actor=actor,
            output=output,
            schema=FEATURES[artifact.feature].output_schema,
            comment=comment,
            now=self._clock(),
        )
        self._repository.save(updated, expected_etag=artifact.etag)
        return updated, event

    def export(
        self, artifact_id: str, *, actor: str, export_format: ExportFormat
    ) -> tuple[ExportedArtifact, ArtifactEvent]:
        """The APPROVED artifact as JSON, or as PDF for a compliance report. Raises
        `FailedPrecondition` (ARTIFACT_NOT_APPROVED) otherwise, `InvalidInput` for a PDF of
        another feature."""
        artifact = self._repository.get(artifact_id)
        event = use_approved(
            artifact,
            actor=actor,
            action=ArtifactAction.EXPORTED,
            now=self._clock(),
            format=export_format.value,
        )
        approval = self._approval(artifact)
        if export_format == ExportFormat.PDF:
            if artifact.feature != Feature.COMPLIANCE_REPORT:
                raise InvalidInput(
                    f"PDF export exists for compliance reports; artifact {artifact.id} is a "
                    f"{artifact.feature.value}. Export it as JSON.",
                    field="format",
                    metadata={"artifact_id": artifact.id, "feature": artifact.feature.value},
                )
            content = compliance_report_pdf(artifact.output, approval)
            exported = ExportedArtifact(f"{artifact.id}.pdf", "application/pdf", content)
        else:
            exported = ExportedArtifact(
                f"{artifact.id}.json", "application/json", _json_export(artifact, approval)
            )
        return exported, event

    def apply(self, artifact_id: str, *, actor: str) -> tuple[dict[str, Any], ArtifactEvent]:
        """The APPROVED output, for the caller to apply (constraints to a synthesizer, a
        schema to a dataset). Raises `FailedPrecondition` (ARTIFACT_NOT_APPROVED) otherwise."""
        artifact = self._repository.get(artifact_id)
        event = use_approved(
            artifact,
            actor=actor,
            action=ArtifactAction.APPLIED,
            now=self._clock(),
            feature=artifact.feature.value,
        )
        return artifact.output, event

    def _store(
        self, generation: Generation, creator: str, *, source: str | None
    ) -> tuple[Artifact, ArtifactEvent]:
        artifact, event = new_artifact(
            generation,
            artifact_id=self._new_id(),
            creator=creator,
            now=self._clock(),
            source_artifact_id=source,
        )
        self._repository.create(artifact, generation.calls)
        record_provider_calls(generation.feature.value, generation.calls)
        return artifact, event

    def _approval(self, artifact: Artifact) -> Approval:
        approvals = [
            review
            for review in self._repository.reviews(artifact.id)
            if review.decision == ReviewDecision.APPROVE and review.revision == artifact.revision
        ]
        latest = approvals[-1]
        return Approval(artifact.id, artifact.revision, latest.reviewer, latest.create_time)


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
