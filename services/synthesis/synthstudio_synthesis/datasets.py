"""Datasets: validated tables stored as Parquet, with their columns and PII findings."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Protocol

import pyarrow.parquet as pq
import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.errors import NotFound
from synthstudio_libs.storage.util import (
    as_utc,
    decode_page_token,
    new_id,
    next_page_token,
    page_size,
    utcnow,
)
from synthstudio_synthesis.storage import datasets
from synthstudio_synthesis.tables import (
    ColumnInfo,
    TableFormat,
    describe_columns,
    read_table,
    sample_cells,
)


@dataclass(frozen=True)
class PiiFinding:
    """A column the PII scan found to hold one kind of personal data."""

    column: str
    entity_type: str
    score: float
    matched_count: int
    sampled_count: int
    examples: list[str] = field(default_factory=list)


class PiiScanner(Protocol):
    """Classifies columns from samples of their cells (the pii service, over gRPC)."""

    def scan(self, samples: dict[str, list[str]]) -> list[PiiFinding]: ...


@dataclass(frozen=True)
class Dataset:
    id: str
    display_name: str
    creator: str
    create_time: datetime
    row_count: int
    size_bytes: int
    sha256: str
    columns: list[ColumnInfo]
    pii_findings: list[PiiFinding]
    artifact_key: str


def _row_to_dataset(row: sa.Row) -> Dataset:
    return Dataset(
        id=row.id,
        display_name=row.display_name,
        creator=row.creator,
        create_time=as_utc(row.create_time),
        row_count=row.row_count,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        columns=[ColumnInfo(**c) for c in row.columns],
        pii_findings=[PiiFinding(**f) for f in row.pii_findings],
        artifact_key=row.artifact_key,
    )


class DatasetCatalog:
    """Creates, reads and deletes datasets. A table is validated and scanned before anything
    is stored, and the Parquet file and the row appear together or not at all."""

    def __init__(
        self,
        engine: sa.Engine,
        artifacts: ArtifactStore,
        scanner: PiiScanner,
        *,
        pii_sample_rows: int,
    ) -> None:
        self._engine = engine
        self._artifacts = artifacts
        self._scanner = scanner
        self._pii_sample_rows = pii_sample_rows

    def create(
        self,
        content: bytes,
        table_format: TableFormat | None,
        *,
        display_name: str = "",
        creator: str = "",
    ) -> Dataset:
        table = read_table(content, table_format)
        findings = self._scanner.scan(sample_cells(table, self._pii_sample_rows))
        dataset_id = new_id("ds")
        key = f"datasets/{dataset_id}/table.parquet"
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        self._artifacts.put_bytes(key, buffer.getvalue())
        values = {
            "id": dataset_id,
            "display_name": display_name.strip() or dataset_id,
            "creator": creator,
            "create_time": utcnow(),
            "row_count": table.num_rows,
            "size_bytes": self._artifacts.size(key),
            "sha256": self._artifacts.sha256(key),
            "columns": [asdict(c) for c in describe_columns(table)],
            "pii_findings": [asdict(f) for f in findings],
            "artifact_key": key,
        }
        try:
            with self._engine.begin() as connection:
                connection.execute(datasets.insert().values(**values))
        except Exception:
            self._artifacts.delete_prefix(f"datasets/{dataset_id}")
            raise
        return self.get(dataset_id)

    def get(self, dataset_id: str) -> Dataset:
        with self._engine.connect() as connection:
            row = connection.execute(datasets.select().where(datasets.c.id == dataset_id)).first()
        if row is None:
            raise NotFound(
                f"dataset '{dataset_id}' does not exist: list datasets to find its id",
                reason="DATASET_NOT_FOUND",
                metadata={"dataset_id": dataset_id},
            )
        return _row_to_dataset(row)

    def list(self, size: int = 0, token: str = "") -> tuple[list[Dataset], str]:
        limit, offset = page_size(size), decode_page_token(token)
        query = datasets.select().order_by(datasets.c.create_time.desc(), datasets.c.id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        return [_row_to_dataset(r) for r in rows[:limit]], next_page_token(offset, limit, len(rows))

    def delete(self, dataset_id: str) -> None:
        dataset = self.get(dataset_id)
        with self._engine.begin() as connection:
            connection.execute(datasets.delete().where(datasets.c.id == dataset.id))
        self._artifacts.delete_prefix(f"datasets/{dataset.id}")
