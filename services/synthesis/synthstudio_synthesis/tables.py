"""Turning uploaded table bytes (CSV or Parquet) into validated Parquet, batch by batch, so
memory stays flat however large the file."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from synthstudio_libs.errors import InvalidInput

# Larger blocks let Arrow infer each column's type from more rows.
_BLOCK_BYTES = 8 << 20


class TableFormat(StrEnum):
    CSV = "CSV"
    PARQUET = "PARQUET"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    data_type: str
    null_count: int


@dataclass(frozen=True)
class ConvertedTable:
    """What converting one table produced: its columns, row count and a random sample."""

    columns: list[ColumnInfo]
    row_count: int
    sample: pa.Table


def convert_to_parquet(
    raw: Path,
    table_format: TableFormat | None,
    out: BinaryIO,
    *,
    field: str,
    sample_rows: int,
    seed: int = 0,
) -> ConvertedTable:
    """Validates the table in `raw` and writes it to `out` as Parquet; errors name `field`."""
    if table_format is None:
        raise InvalidInput(
            "format is missing: say whether the table is TABLE_FORMAT_CSV or TABLE_FORMAT_PARQUET",
            field="format",
        )
    if raw.stat().st_size == 0 or not _has_content(raw):
        raise InvalidInput(
            "the file is empty: upload a table with a header row and at least one data row",
            field=field,
            reason="EMPTY_TABLE",
        )
    batches = _csv_batches(raw, field) if table_format is TableFormat.CSV else None
    if batches is None:
        batches = _parquet_batches(raw, field)
    return _write(batches, out, field=field, sample_rows=sample_rows, seed=seed)


def _has_content(raw: Path) -> bool:
    with raw.open("rb") as handle:
        while block := handle.read(1 << 16):
            if block.strip():
                return True
    return False


def _csv_batches(raw: Path, field: str):
    with raw.open("rb") as handle:
        head = handle.read(65536)
    if b"\x00" in head:
        raise InvalidInput(
            "the file is not CSV text (it contains binary data): upload a UTF-8 CSV file, "
            "or say the format is TABLE_FORMAT_PARQUET for a Parquet file",
            field=field,
            reason="NOT_CSV",
        )
    header = _read_header(head, field)
    try:
        reader = pacsv.open_csv(
            raw,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, block_size=_BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise _malformed_csv(exc, header, field) from None
    return _guarded(reader, header, field)


def _guarded(reader, header: list[str], field: str):
    try:
        yield from reader
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise _malformed_csv(exc, header, field) from None


def _malformed_csv(exc: Exception, header: list[str], field: str) -> InvalidInput:
    return InvalidInput(
        f"the file is not a well-formed CSV table: {_arrow_reason(exc)}; every row must have "
        f"the header's {len(header)} fields, and each column one type throughout",
        field=field,
        reason="MALFORMED_CSV",
        metadata={"columns": len(header)},
    )


def _read_header(head: bytes, field: str) -> list[str]:
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "the file is not UTF-8 text: save the CSV as UTF-8 and upload it again",
            field=field,
            reason="NOT_CSV",
        ) from None
    header = next(csv.reader([text]))
    blank = [i + 1 for i, name in enumerate(header) if not name.strip()]
    if blank:
        raise InvalidInput(
            f"the header row has columns without a name (positions {blank}): name every column",
            field=field,
            reason="BLANK_COLUMN_NAME",
            metadata={"positions": blank},
        )
    _refuse_duplicates(header, field)
    return header


def _refuse_duplicates(names: list[str], field: str) -> None:
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInput(
            f"column names must be unique; repeated: {', '.join(duplicates)}",
            field=field,
            reason="DUPLICATE_COLUMN_NAMES",
            metadata={"duplicates": ",".join(duplicates)},
        )


def _parquet_batches(raw: Path, field: str):
    try:
        parquet = pq.ParquetFile(raw)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput(
            f"the file is not a valid Parquet file ({_arrow_reason(exc)}): upload a Parquet "
            "file, or say the format is TABLE_FORMAT_CSV for a CSV file",
            field=field,
            reason="MALFORMED_PARQUET",
        ) from None
    _refuse_duplicates(parquet.schema_arrow.names, field)
    return parquet.iter_batches(batch_size=65536)


def _write(batches, out: BinaryIO, *, field: str, sample_rows: int, seed: int) -> ConvertedTable:
    rng = np.random.default_rng(seed)
    writer, rows, nulls, samples = None, 0, None, []
    for batch in batches:
        if writer is None:
            writer = pq.ParquetWriter(out, batch.schema, compression="zstd")
            nulls = np.zeros(batch.num_columns, dtype=np.int64)
        writer.write_batch(batch)
        rows += batch.num_rows
        nulls += [column.null_count for column in batch.columns]
        samples.append(_sample(batch, sample_rows, rng))
    if writer is None or rows == 0:
        raise InvalidInput(
            "the table has a header but no rows: upload at least one data row",
            field=field,
            reason="EMPTY_TABLE",
        )
    writer.close()
    sample = pa.Table.from_batches([s for s in samples if s.num_rows], schema=writer.schema)
    columns = [
        ColumnInfo(name=f.name, data_type=str(f.type), null_count=int(n))
        for f, n in zip(writer.schema, nulls, strict=True)
    ]
    return ConvertedTable(columns, rows, _sample(sample, sample_rows, rng))


def _sample(data, rows: int, rng: np.random.Generator):
    if data.num_rows <= rows:
        return data
    picked = np.sort(rng.choice(data.num_rows, size=rows, replace=False))
    return data.take(pa.array(picked))


def _arrow_reason(exc: Exception) -> str:
    return str(exc).splitlines()[0].removeprefix("CSV parse error: ")


def sample_cells(sample: pa.Table, prefix: str = "") -> dict[str, list[str]]:
    """The sampled non-empty cells of each column, as text (`prefix` names the table)."""
    return {
        f"{prefix}{name}": [str(v) for v in pc.drop_null(column).to_pylist()]
        for name, column in zip(sample.column_names, sample.columns, strict=True)
    }
