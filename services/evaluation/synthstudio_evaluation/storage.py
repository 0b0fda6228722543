"""The evaluation service's tables."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("evaluation", Path(__file__).parent / "migrations")

metadata = sa.MetaData()

reports = sa.Table(
    "evaluation_reports",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("real_dataset_id", sa.String(64), nullable=False),
    sa.Column("synthetic_dataset_id", sa.String(64), nullable=False),
    sa.Column("quality_score", sa.Float, nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
)
