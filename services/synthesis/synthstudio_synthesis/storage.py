"""The synthesis service's tables."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("synthesis", Path(__file__).parent / "migrations")

metadata = sa.MetaData()

datasets = sa.Table(
    "datasets",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(255), nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("derived_from", sa.String(64), nullable=False),
    sa.Column("sdv_metadata", sa.JSON, nullable=False),
    sa.Column("tables", sa.JSON, nullable=False),
    sa.Column("pii_findings", sa.JSON, nullable=False),
    sa.Column("project_id", sa.String(64), nullable=False, index=True),
    # Sampled by a synthesizer (synthesis_0003): viewers of its project may download it.
    sa.Column("synthetic", sa.Boolean, nullable=False),
)

synthesizers = sa.Table(
    "synthesizers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(255), nullable=False),
    sa.Column("dataset_id", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("hyperparameters", sa.JSON, nullable=False),
    sa.Column("constraints", sa.JSON, nullable=False),
    sa.Column("sdv_metadata", sa.JSON, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("engine", sa.String(64), nullable=False),
    sa.Column("artifact_key", sa.String(255), nullable=False),
    sa.Column("artifact_sha256", sa.String(64), nullable=False),
    sa.Column("job_id", sa.String(64), nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("project_id", sa.String(64), nullable=False, index=True),
)
