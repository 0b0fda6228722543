"""Storage of AI artifacts, their reviews and provider calls (SQLAlchemy Core).

The tables live on this module's `metadata`; Alembic migrations create them in production and
tests call `metadata.create_all`. Works on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from synthstudio_libs.errors import FailedPrecondition, NotFound
from synthstudio_libs.storage.util import (
    as_utc,
    read_page,
)
from synthstudio_llm.assistant import CallOutcome, CallRecord
from synthstudio_llm.features import Feature
from synthstudio_llm.review import Artifact, ArtifactState, Review, ReviewDecision

metadata = sa.MetaData()

artifacts = sa.Table(
    "llm_artifacts",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("feature", sa.String(64), nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("provider", sa.String(64), nullable=False),
    sa.Column("model", sa.String(128), nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("input_ids", sa.JSON, nullable=False),
    sa.Column("prompt", sa.Text, nullable=False),
    sa.Column("output", sa.JSON, nullable=False),
    sa.Column("prompt_tokens", sa.Integer, nullable=False),
    sa.Column("completion_tokens", sa.Integer, nullable=False),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("cache_hit", sa.Boolean, nullable=False),
    sa.Column("warnings", sa.JSON, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("etag", sa.Integer, nullable=False),
    sa.Column("source_artifact_id", sa.String(64), nullable=True),
    # The project that owns it (llm_0003).
    sa.Column("project_id", sa.String(64), nullable=False, index=True),
    sa.Index("ix_llm_artifacts_create_time", "create_time"),
    sa.Index("ix_llm_artifacts_state", "state"),
)

reviews = sa.Table(
    "llm_artifact_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "artifact_id",
        sa.String(64),
        sa.ForeignKey("llm_artifacts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("reviewer", sa.String(255), nullable=False),
    sa.Column("decision", sa.String(32), nullable=False),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
)

provider_calls = sa.Table(
    "llm_provider_calls",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "artifact_id",
        sa.String(64),
        sa.ForeignKey("llm_artifacts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("sequence", sa.Integer, nullable=False),
    sa.Column("provider", sa.String(64), nullable=False),
    sa.Column("model", sa.String(128), nullable=False),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("repair", sa.Boolean, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("prompt_tokens", sa.Integer, nullable=False),
    sa.Column("completion_tokens", sa.Integer, nullable=False),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
)


def missing_artifact(artifact_id: str) -> NotFound:
    """What an artifact that does not exist, or that the caller may not see, is."""
    return NotFound(
        f"No AI artifact has the id '{artifact_id}'; list artifacts to find its id.",
        reason="ARTIFACT_NOT_FOUND",
        metadata={"artifact_id": artifact_id},
    )


class ArtifactRepository:
    """Artifacts with their reviews and provider calls."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def create(self, artifact: Artifact, calls: Sequence[CallRecord]) -> None:
        """Store a new artifact and the provider calls that produced it, atomically."""
        with self._engine.begin() as connection:
            connection.execute(artifacts.insert().values(**_artifact_row(artifact)))
            if calls:
                connection.execute(
                    provider_calls.insert(),
                    [_call_row(artifact.id, index, call) for index, call in enumerate(calls)],
                )

    def get(self, artifact_id: str) -> Artifact:
        """The artifact; `NotFound` (ARTIFACT_NOT_FOUND) when there is none with that id."""
        with self._engine.connect() as connection:
            row = connection.execute(
                artifacts.select().where(artifacts.c.id == artifact_id)
            ).first()
        if row is None:
            raise missing_artifact(artifact_id)
        return _artifact(row._mapping)

    def list(
        self,
        *,
        size: int = 0,
        token: str = "",
        feature: Feature | None = None,
        state: ArtifactState | None = None,
        creator: str | None = None,
        projects: list[str] | None = None,
    ) -> tuple[list[Artifact], str]:
        """A page of artifacts, newest first, optionally filtered (only of `projects` unless
        None); and the next page's token (empty on the last page)."""
        query = artifacts.select().order_by(artifacts.c.create_time.desc(), artifacts.c.id)
        if projects is not None:
            query = query.where(artifacts.c.project_id.in_(projects))
        if feature is not None:
            query = query.where(artifacts.c.feature == feature.value)
        if state is not None:
            query = query.where(artifacts.c.state == state.value)
        if creator is not None:
            query = query.where(artifacts.c.creator == creator)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_artifact(row._mapping) for row in rows], next_token

    def save(self, artifact: Artifact, *, expected_etag: int, review: Review | None = None) -> None:
        """Write a transitioned artifact (and the review that caused it) if nobody changed it
        since `expected_etag`; otherwise `FailedPrecondition` (CONCURRENT_MODIFICATION)."""
        values = _artifact_row(artifact)
        del values["id"]
        with self._engine.begin() as connection:
            result = connection.execute(
                artifacts.update()
                .where(artifacts.c.id == artifact.id, artifacts.c.etag == expected_etag)
                .values(**values)
            )
            if result.rowcount != 1:
                raise FailedPrecondition(
                    f"Artifact {artifact.id} changed while this request was processed; reload "
                    "it and try again.",
                    reason="CONCURRENT_MODIFICATION",
                    metadata={"artifact_id": artifact.id, "etag": expected_etag},
                )
            if review is not None:
                connection.execute(reviews.insert().values(**_review_row(review)))

    def reviews(self, artifact_id: str) -> list[Review]:
        """The artifact's reviews, oldest first."""
        query = reviews.select().where(reviews.c.artifact_id == artifact_id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(reviews.c.id)).all()
        return [
            Review(
                artifact_id=row.artifact_id,
                revision=row.revision,
                reviewer=row.reviewer,
                decision=ReviewDecision(row.decision),
                comment=row.comment,
                create_time=as_utc(row.create_time),
            )
            for row in rows
        ]

    def calls(self, artifact_id: str) -> list[CallRecord]:
        """The provider calls that produced the artifact, in the order they were made."""
        query = provider_calls.select().where(provider_calls.c.artifact_id == artifact_id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(provider_calls.c.sequence)).all()
        return [
            CallRecord(
                provider=row.provider,
                model=row.model,
                outcome=CallOutcome(row.outcome),
                attempt=row.attempt,
                repair=row.repair,
                status_code=row.status_code,
                prompt_tokens=row.prompt_tokens,
                completion_tokens=row.completion_tokens,
                latency_ms=row.latency_ms,
                error=row.error,
            )
            for row in rows
        ]


def _artifact_row(artifact: Artifact) -> dict[str, Any]:
    return {
        "id": artifact.id,
        "feature": artifact.feature.value,
        "state": artifact.state.value,
        "provider": artifact.provider,
        "model": artifact.model,
        "creator": artifact.creator,
        "create_time": artifact.create_time,
        "update_time": artifact.update_time,
        "input_ids": list(artifact.input_ids),
        "prompt": artifact.prompt,
        "output": artifact.output,
        "prompt_tokens": artifact.prompt_tokens,
        "completion_tokens": artifact.completion_tokens,
        "latency_ms": artifact.latency_ms,
        "cache_hit": artifact.cache_hit,
        "warnings": list(artifact.warnings),
        "revision": artifact.revision,
        "etag": artifact.etag,
        "source_artifact_id": artifact.source_artifact_id,
        "project_id": artifact.project,
    }


def _artifact(row: Any) -> Artifact:
    return Artifact(
        id=row["id"],
        feature=Feature(row["feature"]),
        state=ArtifactState(row["state"]),
        creator=row["creator"],
        input_ids=tuple(row["input_ids"]),
        provider=row["provider"],
        model=row["model"],
        prompt=row["prompt"],
        output=row["output"],
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        latency_ms=row["latency_ms"],
        cache_hit=row["cache_hit"],
        warnings=tuple(row["warnings"]),
        revision=row["revision"],
        etag=row["etag"],
        create_time=as_utc(row["create_time"]),
        update_time=as_utc(row["update_time"]),
        source_artifact_id=row["source_artifact_id"],
        project=row["project_id"],
    )


def _review_row(review: Review) -> dict[str, Any]:
    return {
        "artifact_id": review.artifact_id,
        "revision": review.revision,
        "reviewer": review.reviewer,
        "decision": review.decision.value,
        "comment": review.comment,
        "create_time": review.create_time,
    }


def _call_row(artifact_id: str, sequence: int, call: CallRecord) -> dict[str, Any]:
    return {
        "artifact_id": artifact_id,
        "sequence": sequence,
        "provider": call.provider,
        "model": call.model,
        "outcome": call.outcome.value,
        "attempt": call.attempt,
        "repair": call.repair,
        "status_code": call.status_code,
        "prompt_tokens": call.prompt_tokens,
        "completion_tokens": call.completion_tokens,
        "latency_ms": call.latency_ms,
        "error": call.error,
    }
