"""Stored evaluation reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from synthstudio_evaluation.storage import reports
from synthstudio_libs.storage.util import as_utc, decode_page_token, next_page_token, page_size


@dataclass(frozen=True)
class StoredReport:
    id: str
    real_dataset_id: str
    synthetic_dataset_id: str
    quality_score: float
    creator: str
    create_time: datetime


class ReportCatalog:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def list(self, size: int = 0, token: str = "") -> tuple[list[StoredReport], str]:
        limit, offset = page_size(size), decode_page_token(token)
        query = reports.select().order_by(reports.c.create_time.desc(), reports.c.id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        found = [
            StoredReport(**{**row._asdict(), "create_time": as_utc(row.create_time)})
            for row in rows[:limit]
        ]
        return found, next_page_token(offset, limit, len(rows))
