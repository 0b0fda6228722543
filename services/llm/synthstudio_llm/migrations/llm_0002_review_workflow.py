"""The review workflow: artifacts with their prompt, output and usage, reviews and provider calls.

Replaces the skeleton's `llm_artifacts` table (it never held rows: the skeleton could not create
artifacts) with the tables of `synthstudio_llm.repository`.

Revision ID: llm_0002
Revises: llm_0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "llm_0002"
down_revision = "llm_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("llm_artifacts")
    op.create_table(
        "llm_artifacts",
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
    )
    op.create_index("ix_llm_artifacts_create_time", "llm_artifacts", ["create_time"])
    op.create_index("ix_llm_artifacts_state", "llm_artifacts", ["state"])
    op.create_table(
        "llm_artifact_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "artifact_id",
            sa.String(64),
            sa.ForeignKey("llm_artifacts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(255), nullable=False),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_llm_artifact_reviews_artifact_id", "llm_artifact_reviews", ["artifact_id"])
    op.create_table(
        "llm_provider_calls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "artifact_id",
            sa.String(64),
            sa.ForeignKey("llm_artifacts.id", ondelete="CASCADE"),
            nullable=False,
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
    op.create_index("ix_llm_provider_calls_artifact_id", "llm_provider_calls", ["artifact_id"])


def downgrade() -> None:
    op.drop_table("llm_provider_calls")
    op.drop_table("llm_artifact_reviews")
    op.drop_table("llm_artifacts")
    op.create_table(
        "llm_artifacts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("feature", sa.String(64), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("model", sa.String(128), nullable=False),
        sa.Column("creator", sa.String(255), nullable=False),
        sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_llm_artifacts_create_time", "llm_artifacts", ["create_time"])
