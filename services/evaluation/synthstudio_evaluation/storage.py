"""The evaluation service's tables."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from synthstudio_libs.storage.database import Component

MIGRATIONS = Component("evaluation", Path(__file__).parent / "migrations")

metadata = sa.MetaData()

holdout_splits = sa.Table(
    "evaluation_holdout_splits",
    metadata,
    sa.Column("dataset_id", sa.String(64), primary_key=True),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("holdout_fraction", sa.Float, nullable=False),
    sa.Column("split_table", sa.String(255), nullable=False),
    # HoldoutRecord.to_dict(): enough to recompute the split and check it is the same one.
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("sdv_metadata", sa.JSON, nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    # The dataset's project (evaluation_0004): its members see the split.
    sa.Column("project", sa.String(64), nullable=False, index=True),
)

reports = sa.Table(
    "evaluation_reports",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("job_id", sa.String(64), nullable=False),
    sa.Column("real_dataset_id", sa.String(64), nullable=False),
    sa.Column("synthetic_dataset_id", sa.String(64), nullable=False),
    sa.Column("synthesizer_name", sa.String(255), nullable=False),
    sa.Column("dataset_name", sa.String(255), nullable=False),
    sa.Column("holdout_index_sha256", sa.String(64), nullable=False),
    sa.Column("target_column", sa.String(255)),
    sa.Column("quality_score", sa.Float),
    sa.Column("diagnostic_score", sa.Float),
    sa.Column("utility_ratio", sa.Float),
    sa.Column("dcr_share", sa.Float),
    sa.Column("exact_copy_rate", sa.Float),
    sa.Column("membership_inference_auc", sa.Float),
    sa.Column("fidelity_score", sa.Float),
    sa.Column("utility_score", sa.Float),
    sa.Column("privacy_score", sa.Float),
    sa.Column("overall_score", sa.Float),
    sa.Column("privacy_verdict", sa.String(16), nullable=False),
    sa.Column("overall_verdict", sa.String(16), nullable=False),
    # Headline parts that are lists or records: anonymeter risks, verdict reasons, warnings,
    # configuration, holdout record, row counts, plot keys, library versions.
    sa.Column("summary", sa.JSON, nullable=False),
    # The full report (`EvaluationReport.to_dict(include_plots=True)`) in the artifact store.
    sa.Column("artifact_key", sa.String(255), nullable=False),
    sa.Column("artifact_sha256", sa.String(64), nullable=False),
    sa.Column("artifact_size", sa.BigInteger, nullable=False),
    sa.Column("creator", sa.String(255), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    # The evaluated synthetic dataset's project (evaluation_0004): its members see the report.
    sa.Column("project", sa.String(64), nullable=False, index=True),
)

release_policies = sa.Table(
    "evaluation_release_policies",
    metadata,
    sa.Column("project", sa.String(64), primary_key=True),
    # `ReleasePolicy.to_dict()`.
    sa.Column("policy", sa.JSON, nullable=False),
    sa.Column("updater", sa.String(255), nullable=False),
    sa.Column("update_time", sa.DateTime(timezone=True), nullable=False),
)

releases = sa.Table(
    "evaluation_releases",
    metadata,
    sa.Column("dataset_id", sa.String(64), primary_key=True),
    sa.Column("project", sa.String(64), nullable=False),
    sa.Column("report_id", sa.String(64), nullable=False),
    sa.Column("real_dataset_id", sa.String(64), nullable=False),
    sa.Column("synthesizer_id", sa.String(64), nullable=False, index=True),
    sa.Column("state", sa.String(16), nullable=False),
    # `Gate.to_dict()`: the checks and the policy the request was judged by.
    sa.Column("gate", sa.JSON, nullable=False),
    sa.Column("requester", sa.String(255), nullable=False),
    sa.Column("request_time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("approver", sa.String(255), nullable=False),
    sa.Column("approve_time", sa.DateTime(timezone=True)),
    sa.Column("comment", sa.Text, nullable=False),
    sa.Column("override_by", sa.String(255), nullable=False),
    sa.Column("override_reason", sa.Text, nullable=False),
)
