"""Spends record their mechanism events and both accountants' epsilon, and when the job first
read the data; refunds return the spend of a job that never did.

Revision ID: privacy_0003
Revises: privacy_0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_0003"
down_revision = "privacy_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("privacy_spends") as batch:
        batch.add_column(sa.Column("events", sa.JSON, nullable=True))
        batch.add_column(sa.Column("pld_epsilon", sa.Float, nullable=True))
        batch.add_column(sa.Column("rdp_epsilon", sa.Float, nullable=True))
        batch.add_column(sa.Column("data_read_at", sa.DateTime(timezone=True), nullable=True))
    # Spends from before this revision cannot tell whether their job read the data: count them
    # as read, so that none is ever refunded.
    op.execute("UPDATE privacy_spends SET data_read_at = created_at")
    op.create_table(
        "privacy_refunds",
        sa.Column(
            "spend_id",
            sa.String(32),
            sa.ForeignKey("privacy_spends.spend_id"),
            primary_key=True,
        ),
        sa.Column("dataset_id", sa.String(128), nullable=False),
        sa.Column("reason", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_privacy_refunds_dataset", "privacy_refunds", ["dataset_id"])


def downgrade() -> None:
    op.drop_table("privacy_refunds")
    with op.batch_alter_table("privacy_spends") as batch:
        batch.drop_column("data_read_at")
        batch.drop_column("rdp_epsilon")
        batch.drop_column("pld_epsilon")
        batch.drop_column("events")
