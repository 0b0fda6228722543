"""Release policies per project, and release requests with their gate and sign-off.

Revision ID: evaluation_0003
Revises: evaluation_0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluation_0003"
down_revision = "evaluation_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evaluation_release_policies",
        sa.Column("project", sa.String(64), primary_key=True),
        sa.Column("policy", sa.JSON, nullable=False),
        sa.Column("updater", sa.String(255), nullable=False),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "evaluation_releases",
        sa.Column("dataset_id", sa.String(64), primary_key=True),
        sa.Column("project", sa.String(64), nullable=False),
        sa.Column("report_id", sa.String(64), nullable=False),
        sa.Column("real_dataset_id", sa.String(64), nullable=False),
        sa.Column("synthesizer_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("gate", sa.JSON, nullable=False),
        sa.Column("requester", sa.String(255), nullable=False),
        sa.Column("request_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approver", sa.String(255), nullable=False),
        sa.Column("approve_time", sa.DateTime(timezone=True)),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("override_by", sa.String(255), nullable=False),
        sa.Column("override_reason", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_evaluation_releases_synthesizer_id", "evaluation_releases", ["synthesizer_id"]
    )


def downgrade() -> None:
    op.drop_table("evaluation_releases")
    op.drop_table("evaluation_release_policies")
