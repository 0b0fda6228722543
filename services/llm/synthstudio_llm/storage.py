"""The llm service's tables."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("llm", Path(__file__).parent / "migrations")

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
)
