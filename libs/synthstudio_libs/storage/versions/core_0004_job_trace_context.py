"""Jobs remember the W3C trace context of the request that queued them, so the work a job does
is a child of that request's trace on any worker.

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0004"
down_revision = "core_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("trace_context", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("trace_context")
