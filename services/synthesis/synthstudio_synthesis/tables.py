"""Reading and validating uploaded tables (CSV or Parquet) into Arrow."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from synthstudio_libs.errors import InvalidInput


class TableFormat(StrEnum):
    CSV = "CSV"
    PARQUET = "PARQUET"


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    data_type: str
    null_count: int


def read_table(content: bytes, table_format: TableFormat | None) -> pa.Table:
    """Parses an uploaded table, refusing anything a person would not call a table."""
    if table_format is None:
        raise InvalidInput(
            "format is missing: say whether content is TABLE_FORMAT_CSV or TABLE_FORMAT_PARQUET",
            field="format",
        )
    if not content.strip():
        raise InvalidInput(
            "the file is empty: upload a table with a header row and at least one data row",
            field="content",
            reason="EMPTY_TABLE",
        )
    table = _read_csv(content) if table_format is TableFormat.CSV else _read_parquet(content)
    if table.num_rows == 0:
        raise InvalidInput(
            "the table has a header but no rows: upload at least one data row",
            field="content",
            reason="EMPTY_TABLE",
        )
    return table


def _read_csv(content: bytes) -> pa.Table:
    if b"\x00" in content[:65536]:
        raise InvalidInput(
            "content is not CSV text (it contains binary data): upload a UTF-8 CSV file, "
            "or set format to TABLE_FORMAT_PARQUET for a Parquet file",
            field="content",
            reason="NOT_CSV",
        )
    header = _read_header(content)
    try:
        return pacsv.read_csv(
            io.BytesIO(content),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise InvalidInput(
            f"content is not a well-formed CSV table: {_arrow_reason(exc)}; every row must "
            f"have the header's {len(header)} fields",
            field="content",
            reason="MALFORMED_CSV",
            metadata={"columns": len(header)},
        ) from None


def _read_header(content: bytes) -> list[str]:
    first_line = content.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "content is not UTF-8 text: save the CSV as UTF-8 and upload it again",
            field="content",
            reason="NOT_CSV",
        ) from None
    header = next(csv.reader([text]))
    blank = [i + 1 for i, name in enumerate(header) if not name.strip()]
    if blank:
        raise InvalidInput(
            f"the header row has columns without a name (positions {blank}): name every column",
            field="content",
            reason="BLANK_COLUMN_NAME",
            metadata={"positions": blank},
        )
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise InvalidInput(
            f"column names must be unique; repeated: {', '.join(duplicates)}",
            field="content",
            reason="DUPLICATE_COLUMN_NAMES",
            metadata={"duplicates": ",".join(duplicates)},
        )
    return header


def _read_parquet(content: bytes) -> pa.Table:
    try:
        table = pq.read_table(io.BytesIO(content))
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput(
            f"content is not a valid Parquet file ({_arrow_reason(exc)}): upload a Parquet "
            "file, or set format to TABLE_FORMAT_CSV for a CSV file",
            field="content",
            reason="MALFORMED_PARQUET",
        ) from None
    names = table.column_names
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInput(
            f"column names must be unique; repeated: {', '.join(duplicates)}",
            field="content",
            reason="DUPLICATE_COLUMN_NAMES",
            metadata={"duplicates": ",".join(duplicates)},
        )
    return table


def _arrow_reason(exc: Exception) -> str:
    return str(exc).splitlines()[0].removeprefix("CSV parse error: ")


def describe_columns(table: pa.Table) -> list[ColumnInfo]:
    return [
        ColumnInfo(name=field.name, data_type=str(field.type), null_count=column.null_count)
        for field, column in zip(table.schema, table.columns, strict=True)
    ]


def sample_cells(table: pa.Table, rows: int, seed: int = 0) -> dict[str, list[str]]:
    """Up to `rows` non-empty cells per column, as text, drawn at random but reproducibly."""
    if table.num_rows > rows:
        picked = np.random.default_rng(seed).choice(table.num_rows, size=rows, replace=False)
        table = table.take(pa.array(np.sort(picked)))
    samples = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        present = pc.drop_null(column)
        samples[name] = [str(value) for value in present.to_pylist()]
    return samples
