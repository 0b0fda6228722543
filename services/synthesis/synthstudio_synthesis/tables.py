"""Turning uploaded table bytes (CSV or Parquet) into validated Parquet, batch by batch, so
memory stays flat however large the file."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from collections.abc import Iterator
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
# A header row longer than this is not a table a person made; refused with a clear message.
MAX_HEADER_BYTES = 1 << 20
# Arrow names the column whose later block did not fit the type it inferred from the first.
_TYPE_CHANGED = re.compile(r"In CSV column #(\d+): CSV conversion error to (\w+)")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


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
    """What converting one table produced: its columns, row count, a random sample, and its
    size as Arrow holds it in memory."""

    columns: list[ColumnInfo]
    row_count: int
    sample: pa.Table
    memory_bytes: int


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
    if table_format is TableFormat.PARQUET:
        parquet = _open_parquet(raw, field)
        decoded = _decoded_schema(parquet.schema_arrow, field)
        # A file whose columns need no conversion is stored as it came, once read through:
        # writing it again (compressing every page) took most of an upload's time.
        verbatim = raw if decoded == parquet.schema_arrow else None
        batches = _parquet_batches(parquet, decoded, field)
        return _write(
            batches, out, field=field, sample_rows=sample_rows, seed=seed, verbatim=verbatim
        )
    header = _read_header(raw, field)
    as_text: set[str] = set()
    while True:
        try:
            batches = _csv_batches(raw, header, as_text, field)
            return _write(batches, out, field=field, sample_rows=sample_rows, seed=seed)
        except _TypeChanged as changed:
            # Arrow infers each type from the first block; a column that holds something else
            # further down is text, so the table is read again with it as text.
            as_text.add(changed.column)
            out.seek(0)
            out.truncate()


class _TypeChanged(Exception):
    def __init__(self, column: str) -> None:
        super().__init__(column)
        self.column = column


def _has_content(raw: Path) -> bool:
    with raw.open("rb") as handle:
        while block := handle.read(1 << 16):
            if block.strip():
                return True
    return False


def _csv_batches(raw: Path, header: list[str], as_text: set[str], field: str):
    try:
        reader = pacsv.open_csv(
            raw,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, block_size=_BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            # A missing cell stays missing (null) in text columns too; a quoted empty cell
            # ("") is an empty string, which is how the CSV export writes one.
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                column_types=dict.fromkeys(as_text, pa.string()),
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise _csv_error(exc, header, field) from None
    return _guarded(reader, header, field)


def _guarded(reader, header: list[str], field: str) -> Iterator[pa.RecordBatch]:
    # Arrow reads text that is not UTF-8 as bytes.
    binary = [f.name for f in reader.schema if pa.types.is_binary(f.type)]
    if binary:
        raise _not_utf8(binary, field)
    try:
        yield from reader
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise _csv_error(exc, header, field) from None


def _csv_error(exc: Exception, header: list[str], field: str) -> Exception:
    changed = _TYPE_CHANGED.search(str(exc))
    if changed is None:
        return _malformed_csv(exc, header, field)
    column = header[int(changed.group(1))]
    if changed.group(2) in ("string", "binary"):
        return _not_utf8([column], field)
    return _TypeChanged(column)


def _not_utf8(columns: list[str], field: str) -> InvalidInput:
    return InvalidInput(
        f"the file is not UTF-8 text: column(s) {', '.join(columns)} hold characters in another "
        "encoding (Latin-1 or Windows-1252, say); save the CSV as UTF-8 and upload it again",
        field=field,
        reason="NOT_UTF8",
        metadata={"columns": ",".join(columns)},
    )


def _malformed_csv(exc: Exception, header: list[str], field: str) -> InvalidInput:
    return InvalidInput(
        f"the file is not a well-formed CSV table: {_arrow_reason(exc)}; every row must have "
        f"the header's {len(header)} fields",
        field=field,
        reason="MALFORMED_CSV",
        metadata={"columns": len(header)},
    )


def _read_header(raw: Path, field: str) -> list[str]:
    with raw.open("rb") as handle:
        head = handle.read(65536)
        if b"\x00" in head:
            raise InvalidInput(
                "the file is not CSV text (it contains binary data): upload a UTF-8 CSV file, "
                "or say the format is TABLE_FORMAT_PARQUET for a Parquet file",
                field=field,
                reason="NOT_CSV",
            )
        handle.seek(0)
        first_line = handle.readline(MAX_HEADER_BYTES + 1)
    if len(first_line) > MAX_HEADER_BYTES:
        raise InvalidInput(
            f"the header row is longer than {MAX_HEADER_BYTES // 1024} KiB: shorten the column "
            "names or split the table into several tables",
            field=field,
            reason="HEADER_TOO_LARGE",
            metadata={"max_header_bytes": MAX_HEADER_BYTES},
        )
    try:
        text = first_line.rstrip(b"\r\n").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "the header row is not UTF-8 text: save the CSV as UTF-8 and upload it again",
            field=field,
            reason="NOT_UTF8",
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
    _refuse_bad_names(header, field)
    return header


def _refuse_bad_names(names: list[str], field: str) -> None:
    controlled = [name for name in names if _CONTROL_CHARACTER.search(name)]
    if controlled:
        raise InvalidInput(
            f"column names must not hold control characters (tabs, line breaks, NUL); rename: "
            f"{', '.join(repr(n) for n in controlled[:5])}",
            field=field,
            reason="BAD_COLUMN_NAME",
            metadata={"columns": ",".join(repr(n) for n in controlled[:5])},
        )
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        raise InvalidInput(
            f"column names must be unique; repeated: {', '.join(duplicates)}",
            field=field,
            reason="DUPLICATE_COLUMN_NAMES",
            metadata={"duplicates": ",".join(duplicates)},
        )


def _open_parquet(raw: Path, field: str) -> pq.ParquetFile:
    try:
        parquet = pq.ParquetFile(raw)
    except (pa.ArrowInvalid, OSError) as exc:
        raise _malformed_parquet(exc, field) from None
    _refuse_bad_names(parquet.schema_arrow.names, field)
    return parquet


def _parquet_batches(
    parquet: pq.ParquetFile, decoded: pa.Schema, field: str
) -> Iterator[pa.RecordBatch]:
    plain = decoded == parquet.schema_arrow
    try:
        for batch in parquet.iter_batches(batch_size=65536):
            yield batch if plain else batch.cast(decoded)
    except (pa.ArrowInvalid, OSError) as exc:
        # A footer that reads but pages that do not (a truncated or damaged file).
        raise _malformed_parquet(exc, field) from None


def _malformed_parquet(exc: Exception, field: str) -> InvalidInput:
    return InvalidInput(
        f"the file is not a valid Parquet file ({_arrow_reason(exc)}): upload a Parquet "
        "file, or say the format is TABLE_FORMAT_CSV for a CSV file",
        field=field,
        reason="MALFORMED_PARQUET",
    )


def _decoded_schema(schema: pa.Schema, field: str) -> pa.Schema:
    """The schema with dictionary-encoded text as plain text and half floats as floats;
    InvalidInput naming every column of a type a synthesizer cannot model (lists, structs,
    maps, durations, bytes...)."""
    unsupported = [f"{f.name} ({f.type})" for f in schema if not _supported(f.type)]
    if unsupported:
        raise InvalidInput(
            "column(s) of a type the platform cannot model: "
            + ", ".join(unsupported)
            + "; store each as numbers, text, booleans, dates or timestamps (a list or a "
            "struct as several columns, a duration as a number of seconds)",
            field=field,
            reason="UNSUPPORTED_COLUMN_TYPE",
            metadata={"columns": ",".join(unsupported)},
        )
    return pa.schema([f.with_type(_plain_type(f.type)) for f in schema])


def _plain_type(data_type: pa.DataType) -> pa.DataType:
    if pa.types.is_dictionary(data_type):
        return data_type.value_type
    # Arrow computes nothing on half floats (the infinity check among them).
    return pa.float32() if data_type == pa.float16() else data_type


def _supported(data_type: pa.DataType) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_text(data_type.value_type)
    return (
        _is_text(data_type)
        or pa.types.is_integer(data_type)
        or pa.types.is_floating(data_type)
        or pa.types.is_boolean(data_type)
        or pa.types.is_timestamp(data_type)
        or pa.types.is_date(data_type)
        or pa.types.is_null(data_type)
    )


def _is_text(data_type: pa.DataType) -> bool:
    return pa.types.is_string(data_type) or pa.types.is_large_string(data_type)


def _write(
    batches,
    out: BinaryIO,
    *,
    field: str,
    sample_rows: int,
    seed: int,
    verbatim: Path | None = None,
) -> ConvertedTable:
    """Checks every batch and writes them to `out` as Parquet, or, given `verbatim` (a Parquet
    file whose batches these are), copies that file once all of them passed."""
    rng = np.random.default_rng(seed)
    schema, writer, rows, nulls, samples, memory_bytes = None, None, 0, None, [], 0
    try:
        for batch in batches:
            _refuse_infinities(batch, field)
            if schema is None:
                schema = batch.schema
                nulls = np.zeros(batch.num_columns, dtype=np.int64)
                if verbatim is None:
                    writer = pq.ParquetWriter(out, schema, compression="zstd")
            if writer is not None:
                writer.write_batch(batch)
            rows += batch.num_rows
            memory_bytes += batch.nbytes
            nulls += [column.null_count for column in batch.columns]
            samples.append(_sample(batch, sample_rows, rng))
    finally:
        # Closed before anything else touches `out` (a retry rewinds it, a failure drops it).
        if writer is not None:
            writer.close()
    if schema is None or rows == 0:
        raise InvalidInput(
            "the table has a header but no rows: upload at least one data row",
            field=field,
            reason="EMPTY_TABLE",
        )
    if verbatim is not None:
        with verbatim.open("rb") as source:
            shutil.copyfileobj(source, out, 1 << 20)
    sample = pa.Table.from_batches([s for s in samples if s.num_rows], schema=schema)
    columns = [
        ColumnInfo(name=f.name, data_type=str(f.type), null_count=int(n))
        for f, n in zip(schema, nulls, strict=True)
    ]
    return ConvertedTable(columns, rows, _sample(sample, sample_rows, rng), memory_bytes)


def _refuse_infinities(batch: pa.RecordBatch, field: str) -> None:
    """Infinity is no value a synthesizer can learn, and JSON (the REST API, PostgreSQL) has no
    way to write it: refused rather than stored and then failing every read."""
    infinite = [
        name
        for name, column in zip(batch.schema.names, batch.columns, strict=True)
        if pa.types.is_floating(column.type) and pc.any(pc.is_inf(column)).as_py()
    ]
    if infinite:
        raise InvalidInput(
            f"column(s) {', '.join(infinite)} hold infinite numbers (inf, -inf): replace them "
            "with finite values or leave those cells empty",
            field=field,
            reason="NON_FINITE_NUMBER",
            metadata={"columns": ",".join(infinite)},
        )


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
