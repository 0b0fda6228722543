"""The review workflow of AI artifacts, as a pure state machine.

DRAFT --approve--> APPROVED            (by anyone but the artifact's creator)
DRAFT --reject--> REJECTED             (final; a comment is required)
DRAFT --request_changes--> CHANGES_REQUESTED   (a comment is required)
CHANGES_REQUESTED or DRAFT --revise--> DRAFT   (by the creator; revision + 1)

Only an APPROVED artifact can be exported or applied. Every transition returns an
`ArtifactEvent` for the audit log. Nothing here touches storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidInput,
    PermissionDenied,
)
from synthstudio_llm.assistant import Generation
from synthstudio_llm.features import Feature
from synthstudio_llm.json_schema import validate


class ArtifactState(StrEnum):
    """Where an artifact stands in its review."""

    DRAFT = "DRAFT"
    CHANGES_REQUESTED = "CHANGES_REQUESTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ReviewDecision(StrEnum):
    """What a reviewer decides about a DRAFT."""

    APPROVE = "APPROVE"
    REJECT = "REJECT"
    REQUEST_CHANGES = "REQUEST_CHANGES"


class ArtifactAction(StrEnum):
    """The audit-log action of each event."""

    CREATED = "llm.artifact.created"
    APPROVED = "llm.artifact.approved"
    REJECTED = "llm.artifact.rejected"
    CHANGES_REQUESTED = "llm.artifact.changes_requested"
    REVISED = "llm.artifact.revised"
    EXPORTED = "llm.artifact.exported"
    APPLIED = "llm.artifact.applied"


_DECISION_OUTCOME = {
    ReviewDecision.APPROVE: (ArtifactState.APPROVED, ArtifactAction.APPROVED),
    ReviewDecision.REJECT: (ArtifactState.REJECTED, ArtifactAction.REJECTED),
    ReviewDecision.REQUEST_CHANGES: (
        ArtifactState.CHANGES_REQUESTED,
        ArtifactAction.CHANGES_REQUESTED,
    ),
}


@dataclass(frozen=True)
class Artifact:
    """An AI-generated output and how it was made: the redacted prompt that was sent, the
    provider and model that answered, tokens and latency. `etag` changes on every transition
    (optimistic concurrency); `revision` counts the creator's revisions."""

    id: str
    feature: Feature
    state: ArtifactState
    creator: str
    input_ids: tuple[str, ...]
    provider: str
    model: str
    prompt: str
    output: dict[str, Any]
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    cache_hit: bool
    warnings: tuple[str, ...]
    revision: int
    etag: int
    create_time: datetime
    update_time: datetime
    source_artifact_id: str | None = None
    project: str = "default"


@dataclass(frozen=True)
class Review:
    """One reviewer decision on one revision of an artifact."""

    artifact_id: str
    revision: int
    reviewer: str
    decision: ReviewDecision
    comment: str
    create_time: datetime


@dataclass(frozen=True)
class ArtifactEvent:
    """A state change or use of an artifact, for the audit log (who, what, when)."""

    action: ArtifactAction
    artifact_id: str
    actor: str
    from_state: ArtifactState | None
    to_state: ArtifactState
    occur_time: datetime
    comment: str = ""
    details: dict[str, str] = field(default_factory=dict)


def new_artifact(
    generation: Generation,
    *,
    artifact_id: str,
    creator: str,
    now: datetime,
    source_artifact_id: str | None = None,
    project: str = "default",
) -> tuple[Artifact, ArtifactEvent]:
    """A DRAFT artifact of `project` holding `generation`, and its creation event."""
    _require_actor(creator, "creator")
    artifact = Artifact(
        id=artifact_id,
        feature=generation.feature,
        state=ArtifactState.DRAFT,
        creator=creator,
        input_ids=generation.input_ids,
        provider=generation.provider,
        model=generation.model,
        prompt=generation.prompt,
        output=generation.output,
        prompt_tokens=generation.prompt_tokens,
        completion_tokens=generation.completion_tokens,
        latency_ms=generation.latency_ms,
        cache_hit=generation.cache_hit,
        warnings=generation.warnings,
        revision=1,
        etag=1,
        create_time=now,
        update_time=now,
        source_artifact_id=source_artifact_id,
        project=project,
    )
    event = ArtifactEvent(
        action=ArtifactAction.CREATED,
        artifact_id=artifact_id,
        actor=creator,
        from_state=None,
        to_state=ArtifactState.DRAFT,
        occur_time=now,
        details={
            "feature": generation.feature.value,
            "provider": generation.provider,
            "model": generation.model,
            "input_ids": ",".join(generation.input_ids),
            "prompt_tokens": str(generation.prompt_tokens),
            "completion_tokens": str(generation.completion_tokens),
        },
    )
    return artifact, event


def decide(
    artifact: Artifact,
    *,
    reviewer: str,
    decision: ReviewDecision,
    comment: str,
    now: datetime,
) -> tuple[Artifact, Review, ArtifactEvent]:
    """Apply a reviewer's decision to a DRAFT.

    Raises `PermissionDenied` (reason SELF_APPROVAL) when the creator approves their own
    artifact, `FailedPrecondition` (ARTIFACT_NOT_DRAFT) when it is not a DRAFT, and
    `InvalidInput` when a rejection or change request comes without a comment.
    """
    _require_actor(reviewer, "reviewer")
    if artifact.state != ArtifactState.DRAFT:
        raise FailedPrecondition(
            f"Artifact {artifact.id} is {artifact.state.value}; only a DRAFT can be reviewed.",
            reason="ARTIFACT_NOT_DRAFT",
            metadata={"artifact_id": artifact.id, "state": artifact.state.value},
        )
    if decision == ReviewDecision.APPROVE and reviewer == artifact.creator:
        raise PermissionDenied(
            f"{reviewer} created artifact {artifact.id} and cannot approve it; another "
            "reviewer must.",
            reason="SELF_APPROVAL",
            metadata={"artifact_id": artifact.id, "reviewer": reviewer},
        )
    if decision != ReviewDecision.APPROVE and not comment.strip():
        raise InvalidInput(
            f"A {decision.value} decision needs a comment telling the creator what to change.",
            field="comment",
            metadata={"decision": decision.value},
        )
    to_state, action = _DECISION_OUTCOME[decision]
    updated = replace(artifact, state=to_state, etag=artifact.etag + 1, update_time=now)
    review = Review(artifact.id, artifact.revision, reviewer, decision, comment.strip(), now)
    event = ArtifactEvent(
        action=action,
        artifact_id=artifact.id,
        actor=reviewer,
        from_state=artifact.state,
        to_state=to_state,
        occur_time=now,
        comment=comment.strip(),
        details={"revision": str(artifact.revision)},
    )
    return updated, review, event


def revise(
    artifact: Artifact,
    *,
    actor: str,
    output: dict[str, Any],
    schema: dict[str, Any],
    comment: str,
    now: datetime,
) -> tuple[Artifact, ArtifactEvent]:
    """The creator's edited output as a new DRAFT revision.

    Raises `PermissionDenied` (NOT_CREATOR) for anyone but the creator, so a reviewer cannot
    approve text they wrote; `FailedPrecondition` (ARTIFACT_NOT_REVISABLE) unless the artifact
    is a DRAFT or has changes requested; `InvalidInput` when `output` breaks the schema.
    """
    _require_actor(actor, "actor")
    if actor != artifact.creator:
        raise PermissionDenied(
            f"Only {artifact.creator}, who created artifact {artifact.id}, can revise it.",
            reason="NOT_CREATOR",
            metadata={"artifact_id": artifact.id, "actor": actor, "creator": artifact.creator},
        )
    if artifact.state not in {ArtifactState.DRAFT, ArtifactState.CHANGES_REQUESTED}:
        raise FailedPrecondition(
            f"Artifact {artifact.id} is {artifact.state.value}; only a DRAFT or an artifact "
            "with changes requested can be revised. Generate a new one instead.",
            reason="ARTIFACT_NOT_REVISABLE",
            metadata={"artifact_id": artifact.id, "state": artifact.state.value},
        )
    problems = validate(output, schema)
    if problems:
        raise InvalidInput(
            f"The revised output does not match the {artifact.feature.value} schema: "
            f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            violations=[FieldViolation("output", problem) for problem in problems],
            metadata={"artifact_id": artifact.id},
        )
    updated = replace(
        artifact,
        state=ArtifactState.DRAFT,
        output=output,
        revision=artifact.revision + 1,
        etag=artifact.etag + 1,
        update_time=now,
    )
    event = ArtifactEvent(
        action=ArtifactAction.REVISED,
        artifact_id=artifact.id,
        actor=actor,
        from_state=artifact.state,
        to_state=ArtifactState.DRAFT,
        occur_time=now,
        comment=comment.strip(),
        details={"revision": str(updated.revision)},
    )
    return updated, event


def use_approved(
    artifact: Artifact, *, actor: str, action: ArtifactAction, now: datetime, **details: str
) -> ArtifactEvent:
    """The event of exporting or applying `artifact`.

    Raises `FailedPrecondition` (ARTIFACT_NOT_APPROVED) unless it is APPROVED."""
    _require_actor(actor, "actor")
    verb = "exported" if action == ArtifactAction.EXPORTED else "applied"
    if artifact.state != ArtifactState.APPROVED:
        raise FailedPrecondition(
            f"Artifact {artifact.id} is {artifact.state.value}; only an APPROVED artifact can "
            f"be {verb}. Ask a reviewer to approve it first.",
            reason="ARTIFACT_NOT_APPROVED",
            metadata={"artifact_id": artifact.id, "state": artifact.state.value},
        )
    return ArtifactEvent(
        action=action,
        artifact_id=artifact.id,
        actor=actor,
        from_state=artifact.state,
        to_state=artifact.state,
        occur_time=now,
        details=dict(details),
    )


def _require_actor(actor: str, field_name: str) -> None:
    if not actor.strip():
        raise InvalidInput(
            f"The {field_name} is empty; every artifact action needs an authenticated principal.",
            field=field_name,
        )
