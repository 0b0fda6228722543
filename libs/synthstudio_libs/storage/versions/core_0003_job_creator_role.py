"""Jobs remember the role and name of the principal that started them, so the work can act
for that principal (calls to other services) after the starting call has returned.

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(
            sa.Column("creator_role", sa.String(16), nullable=False, server_default="VIEWER")
        )
        batch.add_column(
            sa.Column("creator_name", sa.String(320), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("creator_name")
        batch.drop_column("creator_role")
