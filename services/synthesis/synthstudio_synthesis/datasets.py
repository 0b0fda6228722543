"""Datasets: validated tables stored as Parquet, with their columns, lineage, metadata and PII
findings. Uploads stream through a staging folder, so memory stays flat in the file's size."""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.auth.projects import list_filter, require_access, resolve_project
from synthstudio_libs.csv_cells import neutralise_formulas
from synthstudio_libs.errors import InvalidInput, NotFound
from synthstudio_libs.storage.database import read_connection
from synthstudio_libs.storage.util import (
    as_utc,
    new_id,
    read_page,
    utcnow,
)
from synthstudio_synthesis.storage import datasets
from synthstudio_synthesis.tables import (
    ColumnInfo,
    ConvertedTable,
    TableFormat,
    convert_to_parquet,
    sample_cells,
)

CHUNK_BYTES = 1 << 20
# Metadata is detected (or checked against the data) at upload only for datasets up to this
# many bytes as Arrow holds them (pandas takes 1-7x that: more for short strings); larger ones
# get it when a synthesizer is trained. A 134 KB Parquet file of 2M repeated 1 KB strings once
# cost the service 1.4 GB when every table of up to 5M cells was read whole; and SDV's
# detection takes seconds per 100k rows, which an upload of a large table should not wait for.
DETECT_MAX_BYTES = 32 << 20
# Rows read at a time while staying under DETECT_MAX_BYTES.
_DETECT_BATCH_ROWS = 4096
# More tables than this in one upload is a mistake (a relational synthesizer takes at most 5).
MAX_TABLES = 100
_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
SINGLE_TABLE_NAME = "table"
# A list filter is at most as long as a display name.
MAX_FILTER_CHARS = 255


class DatasetKind(StrEnum):
    SINGLE_TABLE = "SINGLE_TABLE"
    MULTI_TABLE = "MULTI_TABLE"
    SEQUENTIAL = "SEQUENTIAL"


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


class MetadataRules(Protocol):
    """Detects and checks SDV metadata (the synthesizer engine)."""

    def detect_metadata(self, tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]: ...

    def validate_metadata(
        self, metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None
    ) -> dict[str, Any]: ...


@dataclass(frozen=True)
class UploadHeader:
    display_name: str = ""
    derived_from: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    # The project (id or name) asked for; a derived dataset goes to its source's project.
    project: str = ""
    # Sampled by a synthesizer (set by the service itself, never by an upload).
    synthetic: bool = False


@dataclass(frozen=True)
class TableStart:
    name: str
    format: TableFormat | None


# An upload is a header, then for each table its start and its bytes in pieces.
UploadPart = UploadHeader | TableStart | bytes


@dataclass(frozen=True)
class StoredTable:
    name: str
    columns: list[ColumnInfo]
    row_count: int
    size_bytes: int
    sha256: str
    artifact_key: str


@dataclass(frozen=True)
class Dataset:
    id: str
    display_name: str
    creator: str
    create_time: datetime
    kind: DatasetKind
    derived_from: str
    metadata: dict[str, Any]
    tables: list[StoredTable]
    pii_findings: list[PiiFinding]
    project: str = "default"
    synthetic: bool = False

    @property
    def row_count(self) -> int:
        return sum(t.row_count for t in self.tables)

    @property
    def size_bytes(self) -> int:
        return sum(t.size_bytes for t in self.tables)

    def table(self, name: str) -> StoredTable:
        for table in self.tables:
            if table.name == name:
                return table
        raise NotFound(
            f"dataset '{self.id}' has no table '{name}'; its tables: "
            + ", ".join(t.name for t in self.tables),
            reason="TABLE_NOT_FOUND",
            metadata={"dataset_id": self.id, "table": name},
        )


# Built once: building and cache-keying a SELECT on every call costs more than running it,
# and GetDataset is the platform's most frequent read.
_SELECT_DATASET = datasets.select().where(datasets.c.id == sa.bindparam("dataset_id"))


def _row_to_dataset(row: sa.Row) -> Dataset:
    return Dataset(
        id=row.id,
        display_name=row.display_name,
        creator=row.creator,
        create_time=as_utc(row.create_time),
        kind=DatasetKind(row.kind),
        derived_from=row.derived_from,
        metadata=row.sdv_metadata,
        tables=[
            StoredTable(**{**t, "columns": [ColumnInfo(**c) for c in t["columns"]]})
            for t in row.tables
        ],
        pii_findings=[PiiFinding(**f) for f in row.pii_findings],
        project=row.project_id,
        synthetic=row.synthetic,
    )


@dataclass
class _StagedTable:
    start: TableStart
    raw: Path


class DatasetCatalog:
    """Creates, reads and deletes datasets. Tables are validated and scanned before anything
    is stored, and the Parquet files and the row appear together or not at all."""

    def __init__(
        self,
        engine: sa.Engine,
        artifacts: ArtifactStore,
        scanner: PiiScanner,
        rules: MetadataRules,
        *,
        pii_sample_rows: int,
    ) -> None:
        self._engine = engine
        self._artifacts = artifacts
        self._scanner = scanner
        self._rules = rules
        self._pii_sample_rows = pii_sample_rows

    def create(
        self,
        content: bytes,
        table_format: TableFormat | None,
        *,
        display_name: str = "",
        creator: str = "",
        project: str = "",
    ) -> Dataset:
        """A single-table dataset from a table sent inline."""
        parts = [
            UploadHeader(display_name=display_name, project=project),
            TableStart(SINGLE_TABLE_NAME, table_format),
        ]
        return self.upload([*parts, content], creator=creator, field="content")

    def upload(
        self, parts: Iterable[UploadPart], *, creator: str = "", field: str = "data"
    ) -> Dataset:
        """A dataset from a stream of upload parts (see UploadPart)."""
        staging = self._artifacts.root / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=staging) as folder:
            header, staged = _stage(parts, Path(folder))
            return self._store(header, staged, creator=creator, field=field)

    def _store(
        self, header: UploadHeader, staged: list[_StagedTable], *, creator: str, field: str
    ) -> Dataset:
        _check_described_tables(header.metadata, [s.start.name for s in staged])
        project = self._project_of_new(header)
        dataset_id = new_id("ds")
        stored, samples, memory_bytes = [], {}, 0
        try:
            for item in staged:
                table, converted = self._convert(dataset_id, item, field)
                stored.append(table)
                memory_bytes += converted.memory_bytes
                prefix = "" if len(staged) == 1 else f"{table.name}."
                samples.update(sample_cells(converted.sample, prefix))
            metadata = self._metadata(header.metadata, stored, memory_bytes)
            findings = self._scanner.scan(samples)
            header = replace(header, metadata=metadata, project=project)
            kind = _kind(metadata, {t.name: t for t in stored})
            self._insert(dataset_id, header, kind, stored, findings, creator)
        except BaseException:
            self._artifacts.delete_prefix(f"datasets/{dataset_id}")
            raise
        return self.get(dataset_id)

    def _metadata(
        self, given: dict[str, Any], stored: list[StoredTable], memory_bytes: int
    ) -> dict[str, Any]:
        """The user's metadata checked against the data, or metadata detected from it, for a
        dataset within DETECT_MAX_BYTES; a larger one's metadata is checked for shape only, or
        detected when a synthesizer is trained. Detection is a first guess the user can edit;
        when it finds nothing coherent the dataset is stored without metadata, not refused."""
        frames = self._frames_within(stored) if memory_bytes <= DETECT_MAX_BYTES else None
        if given:
            return self._rules.validate_metadata(given, frames)
        if frames is None:
            return {}
        try:
            return self._rules.detect_metadata(frames)
        except InvalidInput:
            return {}

    def _frames_within(self, tables: list[StoredTable]) -> dict[str, pd.DataFrame] | None:
        """Each table whole as a DataFrame, or None (having read no more than that) when the
        tables hold over DETECT_MAX_BYTES."""
        arrow, used = {}, 0
        for table in tables:
            parquet = pq.ParquetFile(self._artifacts.path(table.artifact_key))
            batches = []
            for batch in parquet.iter_batches(batch_size=_DETECT_BATCH_ROWS):
                used += batch.nbytes
                if used > DETECT_MAX_BYTES:
                    return None
                batches.append(batch)
            arrow[table.name] = pa.Table.from_batches(batches, parquet.schema_arrow)
        return {name: table.to_pandas() for name, table in arrow.items()}

    def _convert(
        self, dataset_id: str, item: _StagedTable, field: str
    ) -> tuple[StoredTable, ConvertedTable]:
        key = f"datasets/{dataset_id}/{item.start.name}.parquet"
        with self._artifacts.writer(key) as out:
            converted = convert_to_parquet(
                item.raw,
                item.start.format,
                out,
                field=field,
                sample_rows=self._pii_sample_rows,
            )
        table = StoredTable(
            name=item.start.name,
            columns=converted.columns,
            row_count=converted.row_count,
            size_bytes=self._artifacts.size(key),
            sha256=self._artifacts.sha256(key),
            artifact_key=key,
        )
        return table, converted

    def _insert(self, dataset_id, header, kind, stored, findings, creator) -> None:
        values = {
            "id": dataset_id,
            "display_name": header.display_name.strip() or dataset_id,
            "creator": creator,
            "create_time": utcnow(),
            "kind": kind.value,
            "derived_from": header.derived_from,
            "sdv_metadata": header.metadata,
            "tables": [{**asdict(t), "columns": [asdict(c) for c in t.columns]} for t in stored],
            "pii_findings": [asdict(f) for f in findings],
            "project_id": header.project,
            "synthetic": header.synthetic,
        }
        with self._engine.begin() as connection:
            connection.execute(datasets.insert().values(**values))

    def _project_of_new(self, header: UploadHeader) -> str:
        """The project a new dataset goes to: its source's, else the one asked for (see
        resolve_project); the caller must be an editor there."""
        if not header.derived_from:
            return resolve_project(header.project, Role.EDITOR)
        return self.get(header.derived_from, Role.EDITOR).project

    def get(self, dataset_id: str, minimum_role: Role = Role.VIEWER) -> Dataset:
        """The dataset, when the caller has `minimum_role` in its project; to a non-member it
        does not exist."""
        with read_connection(self._engine) as connection:
            row = connection.execute(_SELECT_DATASET, {"dataset_id": dataset_id}).first()
        missing = NotFound(
            f"dataset '{dataset_id}' does not exist: list datasets to find its id",
            reason="DATASET_NOT_FOUND",
            metadata={"dataset_id": dataset_id},
        )
        if row is None:
            raise missing
        dataset = _row_to_dataset(row)
        require_access(dataset.project, minimum_role, not_found=missing)
        return dataset

    def list(
        self, size: int = 0, token: str = "", text: str = "", project: str = ""
    ) -> tuple[list[Dataset], str]:
        """A page of datasets, newest first; with `text`, only those whose display name holds
        it, ignoring case (`%` and `_` match only themselves). Only datasets of the caller's
        projects, or of `project` (id or name) when given."""
        query = datasets.select().order_by(datasets.c.create_time.desc(), datasets.c.id)
        projects = list_filter(project)
        if projects is not None:
            query = query.where(datasets.c.project_id.in_(projects))
        if _filter_text(text):
            query = query.where(datasets.c.display_name.icontains(text, autoescape=True))
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_row_to_dataset(r) for r in rows], next_token

    def read_frames(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        """Every table of the dataset, whole, as pandas DataFrames."""
        dataset = self.get(dataset_id)
        return {
            table.name: pq.read_table(self._artifacts.path(table.artifact_key)).to_pandas()
            for table in dataset.tables
        }

    def update_metadata(self, dataset_id: str, metadata: dict[str, Any]) -> Dataset:
        """Replaces the SDV metadata after checking it against the data (for shape only when
        the dataset is over DETECT_MAX_BYTES: training checks the rest)."""
        dataset = self.get(dataset_id, Role.EDITOR)
        frames = self._frames_within(dataset.tables)
        checked = self._rules.validate_metadata(metadata, frames)
        kind = _kind(checked, {table.name: table for table in dataset.tables})
        with self._engine.begin() as connection:
            connection.execute(
                datasets.update()
                .where(datasets.c.id == dataset_id)
                .values(sdv_metadata=checked, kind=kind.value)
            )
        return self.get(dataset_id)

    def delete(self, dataset_id: str) -> None:
        dataset = self.get(dataset_id, Role.EDITOR)
        with self._engine.begin() as connection:
            connection.execute(datasets.delete().where(datasets.c.id == dataset.id))
        self._artifacts.delete_prefix(f"datasets/{dataset.id}")

    def download(
        self,
        dataset_id: str,
        table: str = "",
        table_format: TableFormat = TableFormat.PARQUET,
        *,
        keep_formulas: bool = False,
    ) -> Iterator[tuple[str, bytes]]:
        """(table name, bytes) pieces of one table, or of every table in turn. CSV cells that
        a spreadsheet would run as formulas are neutralised unless `keep_formulas`. Raw data
        (anything not sampled by a synthesizer) needs the editor role in its project."""
        dataset = self.get(dataset_id)
        if not dataset.synthetic:
            require_access(dataset.project, Role.EDITOR)
        chosen = [dataset.table(table)] if table else dataset.tables
        for stored in chosen:
            pieces = (
                self._parquet_pieces(stored)
                if table_format is TableFormat.PARQUET
                else self._csv_pieces(stored, keep_formulas)
            )
            for piece in pieces:
                yield stored.name, piece

    def _parquet_pieces(self, table: StoredTable) -> Iterator[bytes]:
        with self._artifacts.open(table.artifact_key) as handle:
            while piece := handle.read(CHUNK_BYTES):
                yield piece

    def _csv_pieces(self, table: StoredTable, keep_formulas: bool) -> Iterator[bytes]:
        parquet = pq.ParquetFile(self._artifacts.path(table.artifact_key))
        sink = io.BytesIO()
        with pacsv.CSVWriter(sink, parquet.schema_arrow) as writer:
            # Small batches keep every chunk near CHUNK_BYTES, far below gRPC's message limit.
            for batch in parquet.iter_batches(batch_size=8192):
                writer.write_batch(batch if keep_formulas else neutralise_formulas(batch))
                if sink.tell() >= CHUNK_BYTES:
                    yield sink.getvalue()
                    sink.seek(0)
                    sink.truncate()
        if sink.tell():
            yield sink.getvalue()


def _stage(parts: Iterable[UploadPart], folder: Path) -> tuple[UploadHeader, list[_StagedTable]]:
    """Writes each table's bytes to its own file; checks the parts come in a sensible order."""
    header, staged, handle = None, [], None
    try:
        for part in parts:
            if isinstance(part, UploadHeader):
                if header is not None or staged:
                    raise InvalidInput("send the header once, first", field="header")
                header = part
            elif isinstance(part, TableStart):
                _check_table_name(part.name, [s.start.name for s in staged])
                _check_table_count(len(staged) + 1)
                if handle:
                    handle.close()
                staged.append(_StagedTable(part, folder / f"{len(staged)}.raw"))
                handle = staged[-1].raw.open("wb")
            else:
                if handle is None:
                    raise InvalidInput(
                        "data came before any table part: start each table with a `table` part",
                        field="table",
                    )
                handle.write(part)
    finally:
        if handle:
            handle.close()
    if not staged:
        raise InvalidInput(
            "the upload has no table: send a `table` part and its data", field="table"
        )
    return header or UploadHeader(), staged


def _check_table_name(name: str, seen: list[str]) -> None:
    if not _TABLE_NAME.match(name):
        raise InvalidInput(
            f"table name {name!r} is invalid: use letters, digits and '_', starting with a "
            "letter or '_' (at most 63)",
            field="table.name",
            metadata={"name": name},
        )
    if name in seen:
        raise InvalidInput(
            f"table '{name}' appears twice in the upload",
            field="table.name",
            metadata={"name": name},
        )


def _filter_text(text: str) -> bool:
    """Whether a list filter is given; one longer than any display name is refused."""
    if len(text) > MAX_FILTER_CHARS:
        raise InvalidInput(
            f"filter is {len(text)} characters: at most {MAX_FILTER_CHARS} (a display name's "
            "length)",
            field="filter",
            metadata={"max_chars": str(MAX_FILTER_CHARS)},
        )
    return bool(text)


def _check_table_count(count: int) -> None:
    if count > MAX_TABLES:
        raise InvalidInput(
            f"an upload holds at most {MAX_TABLES} tables: upload the others as another "
            "dataset, or join related tables first",
            field="table",
            reason="TOO_MANY_TABLES",
            metadata={"max_tables": MAX_TABLES},
        )


def _check_described_tables(metadata: dict[str, Any], names: list[str]) -> None:
    described = set((metadata or {}).get("tables", {}))
    if described and described != set(names):
        raise InvalidInput(
            f"metadata describes tables {sorted(described)} but the upload has {sorted(names)}",
            field="header.metadata",
            reason="METADATA_MISMATCH",
        )


def _kind(metadata: dict[str, Any], tables: Mapping[str, Any]) -> DatasetKind:
    if len(tables) > 1:
        return DatasetKind.MULTI_TABLE
    (name,) = tables
    table_metadata = (metadata or {}).get("tables", {}).get(name, {})
    if table_metadata.get("sequence_key"):
        return DatasetKind.SEQUENTIAL
    return DatasetKind.SINGLE_TABLE
