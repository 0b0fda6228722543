"""Table files in and out as streams of chunks well under gRPC's 4 MiB message limit, so
memory stays flat whatever the file's size."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio_libs.grpc.convert import struct
from synthstudio_sdk.errors import DataLoss, UsageError

CHUNK_BYTES = 1 << 20
FORMATS = {
    "csv": table_pb2.TABLE_FORMAT_CSV,
    "parquet": table_pb2.TABLE_FORMAT_PARQUET,
}
_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def format_of(path: Path, explicit: str | None = None) -> str:
    """`csv` or `parquet`: as given, else from the file name (`.csv`, `.csv.gz`, `.parquet`)."""
    if explicit:
        name = explicit.lower()
        if name not in FORMATS:
            raise UsageError(f"unknown table format {explicit!r}: use csv or parquet")
        return name
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    found = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if found is None:
        raise UsageError(
            f"cannot tell the format of {path.name}: name it .csv or .parquet, or give the format"
        )
    return found


def table_name(path: Path) -> str:
    """A table name (letters, digits and `_`) from a file name: `cps-1988.csv` -> `cps_1988`."""
    stem = path.name.split(".", 1)[0]
    name = re.sub(r"\W+", "_", stem).strip("_") or "table"
    return f"t_{name}" if name[0].isdigit() else name


def _open(path: Path) -> BinaryIO:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def check_readable(path: Path) -> Path:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: not readable")
    return path


def upload_requests(
    files: Mapping[str, tuple[Path, str]],
    *,
    display_name: str = "",
    metadata: dict[str, Any] | None = None,
    derived_from: str = "",
    project: str = "",
) -> Iterator[pb.UploadDatasetRequest]:
    """The UploadDataset stream for files: a header, then per table its start and its bytes
    read from disk a chunk at a time."""
    yield pb.UploadDatasetRequest(
        header=pb.UploadHeader(
            display_name=display_name,
            derived_from=derived_from,
            metadata=struct(metadata or {}),
            project=project,
        )
    )
    for name, (path, fmt) in files.items():
        yield pb.UploadDatasetRequest(table=pb.TableStart(name=name, format=FORMATS[fmt]))
        with _open(path) as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield pb.UploadDatasetRequest(data=chunk)


class TableWriter:
    """Writes DatasetChunks to files: one file, or one per table in a directory. Each file is
    written beside its target and renamed into place when complete, so a failed download
    leaves nothing half-written."""

    def __init__(self, target: Path, *, directory: bool, extension: str) -> None:
        self._target = target
        self._directory = directory
        self._extension = extension
        self._handles: dict[str, tuple[BinaryIO, Path, Path]] = {}
        self._digests: dict[str, Any] = {}
        self._current = ""

    def _path_for(self, table: str) -> Path:
        if self._directory:
            return self._target / f"{table}.{self._extension}"
        if self._handles:
            raise UsageError(
                f"the dataset has several tables: give a directory instead of {self._target}"
            )
        return self._target

    def write(self, chunk: pb.DatasetChunk) -> None:
        table = chunk.table or self._current
        self._current = table
        entry = self._handles.get(table)
        if entry is None:
            final = self._path_for(table)
            final.parent.mkdir(parents=True, exist_ok=True)
            partial = final.with_name(f".{final.name}.part")
            entry = (partial.open("wb"), partial, final)
            self._handles[table] = entry
            self._digests[table] = hashlib.sha256()
        entry[0].write(chunk.data)
        self._digests[table].update(chunk.data)

    def verify(self, expected: Mapping[str, str]) -> None:
        """DataLoss unless every table in `expected` ({table: sha256}) arrived whole."""
        verify_digests(expected, {t: d.hexdigest() for t, d in self._digests.items()})

    def commit(self) -> list[Path]:
        paths = []
        for handle, partial, final in self._handles.values():
            handle.close()
            os.replace(partial, final)
            paths.append(final)
        self._handles.clear()
        return paths

    def abort(self) -> None:
        for handle, partial, _final in self._handles.values():
            handle.close()
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        self._handles.clear()


def verify_digests(expected: Mapping[str, str], received: Mapping[str, str]) -> None:
    """DataLoss naming the first table whose bytes differ from what the server stored."""
    for table, sha256 in expected.items():
        if received.get(table) != sha256:
            raise DataLoss(
                f"table '{table}' arrived incomplete or corrupted (its SHA-256 differs from the "
                "stored table's): nothing was kept; download it again",
                reason="DOWNLOAD_CORRUPTED",
                service="synthesis",
                metadata={"table": table, "expected_sha256": sha256},
            )


def write_exported(exported: Any, path: str | os.PathLike | None) -> Path:
    """Writes an exported document (`filename`, `content`) to `path`: a file, or a directory
    for the service's file name (default the current directory); atomically."""
    target = Path(path) if path is not None else Path.cwd()
    if target.is_dir():
        target = target / (exported.filename or "export")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(exported.content)
    os.replace(partial, target)
    return target
