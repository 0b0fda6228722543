"""Stored AI-generated artifacts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from synthstudio_libs.storage.util import as_utc, decode_page_token, next_page_token, page_size
from synthstudio_llm.storage import artifacts


@dataclass(frozen=True)
class StoredArtifact:
    id: str
    feature: str
    state: str
    provider: str
    model: str
    creator: str
    create_time: datetime


class ArtifactCatalog:
    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def list(self, size: int = 0, token: str = "") -> tuple[list[StoredArtifact], str]:
        limit, offset = page_size(size), decode_page_token(token)
        query = artifacts.select().order_by(artifacts.c.create_time.desc(), artifacts.c.id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        found = [
            StoredArtifact(**{**row._asdict(), "create_time": as_utc(row.create_time)})
            for row in rows[:limit]
        ]
        return found, next_page_token(offset, limit, len(rows))
