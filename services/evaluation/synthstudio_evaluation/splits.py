"""Recorded holdout splits: one per registered dataset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_evaluation.holdout import HoldoutRecord
from synthstudio_evaluation.storage import holdout_splits
from synthstudio_libs.errors import AlreadyExists, NotFound
from synthstudio_libs.storage.util import as_utc, utcnow


@dataclass(frozen=True)
class StoredSplit:
    """A dataset's registration for evaluation: its split's record and the SDV metadata that the
    split and every report of the dataset use."""

    dataset_id: str
    record: HoldoutRecord
    metadata: dict[str, Any]
    creator: str
    create_time: datetime
    project: str


class SplitStore:
    """Reads and writes the holdout splits table."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def add(
        self,
        dataset_id: str,
        record: HoldoutRecord,
        metadata: dict[str, Any],
        creator: str,
        project: str,
    ) -> StoredSplit:
        """Records a split of a dataset of `project`; AlreadyExists when the dataset has one."""
        values = {
            "dataset_id": dataset_id,
            "seed": record.seed,
            "holdout_fraction": record.holdout_fraction,
            "split_table": record.split_table,
            "record": record.to_dict(),
            "sdv_metadata": metadata,
            "creator": creator,
            "create_time": utcnow(),
            "project": project,
        }
        try:
            with self._engine.begin() as connection:
                connection.execute(holdout_splits.insert().values(**values))
        except sa.exc.IntegrityError:
            raise already_registered(dataset_id) from None
        return self.get(dataset_id)

    def find(self, dataset_id: str) -> StoredSplit | None:
        query = holdout_splits.select().where(holdout_splits.c.dataset_id == dataset_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        if row is None:
            return None
        return StoredSplit(
            dataset_id=row.dataset_id,
            record=HoldoutRecord.from_dict(row.record),
            metadata=row.sdv_metadata,
            creator=row.creator,
            create_time=as_utc(row.create_time),
            project=row.project,
        )

    def get(self, dataset_id: str) -> StoredSplit:
        found = self.find(dataset_id)
        if found is None:
            raise split_not_found(dataset_id)
        return found

    def delete(self, dataset_id: str) -> None:
        with self._engine.begin() as connection:
            deleted = connection.execute(
                holdout_splits.delete().where(holdout_splits.c.dataset_id == dataset_id)
            ).rowcount
        if not deleted:
            self.get(dataset_id)


def split_not_found(dataset_id: str) -> NotFound:
    return NotFound(
        f"Dataset '{dataset_id}' has no holdout split; create one with CreateHoldoutSplit.",
        reason="HOLDOUT_SPLIT_NOT_FOUND",
        metadata={"dataset_id": dataset_id},
    )


def already_registered(dataset_id: str) -> AlreadyExists:
    return AlreadyExists(
        f"Dataset '{dataset_id}' already has a holdout split. Reports are only comparable on one "
        "split: reuse it, or delete it (DeleteHoldoutSplit) to draw a new one.",
        reason="HOLDOUT_SPLIT_EXISTS",
        metadata={"dataset_id": dataset_id},
    )
