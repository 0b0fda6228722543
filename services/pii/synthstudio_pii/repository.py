"""Custom recognizers saved by name: the SQLAlchemy Core store behind `RecognizerRepository`.

The table lives on `metadata`, which this package owns; the service's Alembic migrations create
it (`metadata.create_all` in tests). The same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from synthstudio_libs.errors import AlreadyExists, NotFound
from synthstudio_libs.storage.util import read_page
from synthstudio_pii.recognizers import (
    CustomRecognizer,
    RecognizerPage,
    StoredRecognizer,
    recognizer_from_dict,
    recognizer_to_dict,
    validate_custom_recognizer,
)

metadata = sa.MetaData()

custom_recognizers_table = sa.Table(
    "pii_custom_recognizers",
    metadata,
    sa.Column("name", sa.String(63), primary_key=True),
    sa.Column("entity_type", sa.String(64), nullable=False),
    # patterns, deny_list, context and description, as JSON: the definition evolves with
    # Presidio's options without schema changes.
    sa.Column("definition", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


class SqlRecognizerRepository:
    """`RecognizerRepository` on SQLAlchemy Core (SQLite or PostgreSQL through psycopg 3)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._table = custom_recognizers_table

    def create(self, recognizer: CustomRecognizer) -> StoredRecognizer:
        """Save a new recognizer; AlreadyExists if the name is taken, InvalidInput if invalid."""
        validate_custom_recognizer(recognizer, "recognizer")
        now = datetime.now(UTC)
        row = {
            "name": recognizer.name,
            "entity_type": recognizer.entity_type,
            "definition": _definition(recognizer),
            "created_at": now,
            "updated_at": now,
        }
        try:
            with self._engine.begin() as connection:
                connection.execute(self._table.insert().values(**row))
        except IntegrityError as error:
            raise AlreadyExists(
                f"A custom recognizer named {recognizer.name!r} exists already: choose another "
                "name, or update or delete the existing one.",
                reason="RECOGNIZER_EXISTS",
                metadata={"name": recognizer.name},
            ) from error
        return StoredRecognizer(recognizer, now, now)

    def update(self, recognizer: CustomRecognizer) -> StoredRecognizer:
        """Replace the definition saved under `recognizer.name`; NotFound if there is none."""
        validate_custom_recognizer(recognizer, "recognizer")
        now = datetime.now(UTC)
        statement = (
            self._table.update()
            .where(self._table.c.name == recognizer.name)
            .values(
                entity_type=recognizer.entity_type,
                definition=_definition(recognizer),
                updated_at=now,
            )
        )
        with self._engine.begin() as connection:
            if connection.execute(statement).rowcount == 0:
                raise _not_found(recognizer.name)
        return self.get(recognizer.name)

    def get(self, name: str) -> StoredRecognizer:
        """The recognizer saved under `name`; NotFound if there is none."""
        with self._engine.connect() as connection:
            row = connection.execute(
                sa.select(self._table).where(self._table.c.name == name)
            ).first()
        if row is None:
            raise _not_found(name)
        return _stored(row._mapping)

    def list(self, page_size: int = 0, page_token: str = "") -> RecognizerPage:
        """Saved recognizers ordered by name, a page at a time."""
        query = sa.select(self._table).order_by(self._table.c.name)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, page_size, page_token)
        return RecognizerPage(tuple(_stored(row._mapping) for row in rows), next_token)

    def delete(self, name: str) -> None:
        """Delete the recognizer saved under `name`; NotFound if there is none."""
        with self._engine.begin() as connection:
            deleted = connection.execute(self._table.delete().where(self._table.c.name == name))
            if deleted.rowcount == 0:
                raise _not_found(name)


def _definition(recognizer: CustomRecognizer) -> dict[str, Any]:
    """What the definition column holds: everything but the name and entity type (columns)."""
    values = recognizer_to_dict(recognizer)
    del values["name"], values["entity_type"]
    return values


def _stored(row: Mapping[str, Any]) -> StoredRecognizer:
    values = {"name": row["name"], "entity_type": row["entity_type"], **row["definition"]}
    return StoredRecognizer(
        recognizer_from_dict(values), _utc(row["created_at"]), _utc(row["updated_at"])
    )


def _utc(moment: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _not_found(name: str) -> NotFound:
    return NotFound(
        f"No custom recognizer named {name!r} is saved: list saved recognizers to see the "
        "available names, or define it inline in the request.",
        reason="RECOGNIZER_NOT_FOUND",
        metadata={"name": name},
    )
