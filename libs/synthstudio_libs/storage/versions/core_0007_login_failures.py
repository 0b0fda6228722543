"""Failed sign-ins counted per account and client: one client's wrong guesses slow down that
client for that account, not the account's owner signing in from elsewhere.

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("client", sa.String(255), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_failures")
