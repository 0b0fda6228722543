"""The privacy service's DP synthesizer table (the ledger's tables live in `ledger`; both share
the `privacy` migration history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_libs.errors import NotFound
from synthstudio_libs.storage.util import (
    as_utc,
    read_page,
)
from synthstudio_privacy.accounting import PrivacyGuarantee
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind
from synthstudio_privacy.schema import TableSchema

metadata = sa.MetaData()

dp_synthesizers = sa.Table(
    "dp_synthesizers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(255), nullable=False),
    sa.Column("dataset_id", sa.String(128), nullable=False),
    sa.Column("table_name", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("config", sa.JSON, nullable=False),
    sa.Column("schema", sa.JSON, nullable=False),
    sa.Column("guarantee", sa.JSON, nullable=False),
    sa.Column("training", sa.JSON, nullable=False),
    sa.Column("job_id", sa.String(128), nullable=False),
    sa.Column("spend_id", sa.String(32), nullable=False),
    sa.Column("model_sha256", sa.String(64), nullable=False),
    sa.Column("creator", sa.String(256), nullable=False),
    sa.Column("create_time", sa.DateTime(timezone=True), nullable=False),
    # Its dataset's project (privacy_0004).
    sa.Column("project_id", sa.String(64), nullable=False, index=True),
    sa.Index("ix_dp_synthesizers_dataset_created", "dataset_id", "create_time"),
    sa.Index("ix_dp_synthesizers_created", "create_time"),
)


@dataclass(frozen=True)
class DpSynthesizerRecord:
    """A trained DP synthesizer as stored: what it is, what it guarantees, where it came from.
    `training` holds epochs, steps, seconds and rows (no loss: it is outside the guarantee)."""

    id: str
    display_name: str
    dataset_id: str
    table: str
    kind: SynthesizerKind
    config: DPTrainingConfig
    schema: TableSchema
    guarantee: PrivacyGuarantee
    training: dict[str, Any]
    job_id: str
    spend_id: str
    model_sha256: str
    creator: str
    create_time: datetime
    project: str = "default"

    @property
    def model_key(self) -> str:
        return model_key(self.id)


def model_key(synthesizer_id: str) -> str:
    """Where a DP synthesizer's sealed model file lives in the artifact store."""
    return f"dp_synthesizers/{synthesizer_id}/model.bin"


def missing_synthesizer(synthesizer_id: str) -> NotFound:
    """What a DP synthesizer that does not exist, or that the caller may not see, is."""
    return NotFound(
        f"DP synthesizer '{synthesizer_id}' does not exist; ListDpSynthesizers "
        "(GET /v1/dpSynthesizers) shows the ones there are",
        metadata={"synthesizer_id": synthesizer_id},
    )


class DpSynthesizerRepository:
    """Rows of `dp_synthesizers` on the platform's engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def insert(self, record: DpSynthesizerRecord) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                dp_synthesizers.insert().values(
                    id=record.id,
                    display_name=record.display_name,
                    dataset_id=record.dataset_id,
                    table_name=record.table,
                    kind=record.kind.value,
                    config=record.config.to_dict(),
                    schema=record.schema.to_dict(),
                    guarantee=record.guarantee.to_dict(),
                    training=record.training,
                    job_id=record.job_id,
                    spend_id=record.spend_id,
                    model_sha256=record.model_sha256,
                    creator=record.creator,
                    create_time=record.create_time,
                    project_id=record.project,
                )
            )

    def get(self, synthesizer_id: str) -> DpSynthesizerRecord:
        with self._engine.connect() as connection:
            row = connection.execute(
                dp_synthesizers.select().where(dp_synthesizers.c.id == synthesizer_id)
            ).first()
        if row is None:
            raise missing_synthesizer(synthesizer_id)
        return _record(row)

    def list(
        self,
        dataset_id: str = "",
        requested_size: int = 0,
        token: str = "",
        projects: list[str] | None = None,
    ) -> tuple[list[DpSynthesizerRecord], str]:
        """Newest first, optionally one dataset's, only of `projects` unless None; returns
        (page, next page token)."""
        query = dp_synthesizers.select().order_by(
            dp_synthesizers.c.create_time.desc(), dp_synthesizers.c.id
        )
        if projects is not None:
            query = query.where(dp_synthesizers.c.project_id.in_(projects))
        if dataset_id:
            query = query.where(dp_synthesizers.c.dataset_id == dataset_id)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, requested_size, token)
        return [_record(row) for row in rows], next_token

    def delete(self, synthesizer_id: str) -> None:
        with self._engine.begin() as connection:
            deleted = connection.execute(
                dp_synthesizers.delete().where(dp_synthesizers.c.id == synthesizer_id)
            ).rowcount
        if not deleted:
            raise NotFound(
                f"DP synthesizer '{synthesizer_id}' does not exist",
                metadata={"synthesizer_id": synthesizer_id},
            )


def _record(row: sa.Row) -> DpSynthesizerRecord:
    return DpSynthesizerRecord(
        id=row.id,
        display_name=row.display_name,
        dataset_id=row.dataset_id,
        table=row.table_name,
        kind=SynthesizerKind(row.kind),
        config=DPTrainingConfig.from_dict(row.config),
        schema=TableSchema.from_dict(row.schema),
        guarantee=PrivacyGuarantee.from_dict(row.guarantee),
        training=dict(row.training),
        job_id=row.job_id,
        spend_id=row.spend_id,
        model_sha256=row.model_sha256,
        creator=row.creator,
        create_time=as_utc(row.create_time),
        project=row.project_id,
    )
