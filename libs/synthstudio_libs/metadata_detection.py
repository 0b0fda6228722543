"""SDV-style metadata detected from the tables, without SDV (so it works in every profile).

The evaluation needs each column's sdtype (what is a number, a category, a date, an identifier)
and, for several tables, their keys. The synthesis service records the metadata a dataset was
uploaded or trained with, and a user may pass their own; this detector is the fallback, and the
synthesis service's detector where SDV is not installed (the Apache profile). It follows SDV's
rules where they matter to the metrics:

- booleans are `boolean`, datetimes `datetime`, numbers `numerical`;
- a column named as an identifier (`id`, `…_id`, `…Id`) whose values are distinct is an `id`,
  and the first such column of a table its primary key;
- text in one of the ISO date formats (`2013-01-01`, `2013-01-01 05:00:00`,
  `2013-01-01T05:00:00Z`) is a `datetime`;
- other text is `categorical`, except text that is almost all distinct values (free text,
  names, codes), which is an `id`: it carries no distribution a synthesizer could reproduce;
- with several tables, a table without an identifier-named key takes as its primary key its
  first column of distinct values that another table also has (`airlines.carrier`);
- a column of another table named like a table's primary key is a foreign key to it.

Sequential data needs its sequence key and index named, so pass metadata for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from synthstudio_libs.errors import InvalidInput

#: Text columns with at least this share of distinct values (and enough rows to tell) are
#: identifiers or free text, not categories.
DISTINCT_TEXT_SHARE = 0.9
MIN_ROWS_TO_JUDGE_TEXT = 20
_DATETIME_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")
_DATETIME_SAMPLE = 1000
_TOKENS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def detect_metadata(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Metadata in SDV's multi-table dict form for `tables` (name -> DataFrame)."""
    if not tables:
        raise InvalidInput("The dataset has no tables to describe.", field="dataset_id")
    described: dict[str, Any] = {}
    for name, frame in tables.items():
        columns = {str(column): _column(str(column), frame[column]) for column in frame.columns}
        table: dict[str, Any] = {"columns": columns}
        keys = [column for column, spec in columns.items() if spec["sdtype"] == "id"]
        named_keys = [column for column in keys if _named_as_id(column)]
        shared = _shared_key(name, frame, tables) if len(tables) > 1 else None
        if named_keys or shared:
            table["primary_key"] = named_keys[0] if named_keys else shared
            columns[table["primary_key"]] = {"sdtype": "id"}
        described[name] = table
    return {
        "tables": described,
        "relationships": _relationships(tables, described),
        "METADATA_SPEC_VERSION": "V2",
    }


def _column(name: str, series: pd.Series) -> dict[str, Any]:
    if pd.api.types.is_bool_dtype(series):
        return {"sdtype": "boolean"}
    if pd.api.types.is_datetime64_any_dtype(series):
        return {"sdtype": "datetime"}
    distinct = series.notna().all() and series.is_unique
    if pd.api.types.is_numeric_dtype(series):
        whole = pd.api.types.is_integer_dtype(series)
        return {"sdtype": "id" if whole and distinct and _named_as_id(name) else "numerical"}
    if distinct and _named_as_id(name):
        return {"sdtype": "id"}
    present = series.dropna()
    datetime_format = _datetime_format(present)
    if datetime_format:
        return {"sdtype": "datetime", "datetime_format": datetime_format}
    if len(present) >= MIN_ROWS_TO_JUDGE_TEXT:
        share = present.astype(str).nunique() / len(present)
        if share >= DISTINCT_TEXT_SHARE:
            return {"sdtype": "id"}
    return {"sdtype": "categorical"}


def _datetime_format(present: pd.Series) -> str | None:
    """The ISO date format every value (of a sample) is written in, if any."""
    if present.empty or not pd.api.types.is_object_dtype(present):
        return None
    sample = present.head(_DATETIME_SAMPLE)
    if not all(isinstance(value, str) for value in sample):
        return None
    for candidate in _DATETIME_FORMATS:
        parsed = pd.to_datetime(sample, format=candidate, errors="coerce")
        if parsed.notna().all():
            return candidate
    return None


def _shared_key(name: str, frame: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> str | None:
    """The first column of distinct, present values that another table also has."""
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_float_dtype(series) or series.isna().any() or not series.is_unique:
            continue
        if any(
            column in other.columns for other_name, other in tables.items() if other_name != name
        ):
            return str(column)
    return None


def _named_as_id(name: str) -> bool:
    tokens = [token.lower() for token in _TOKENS.findall(name)]
    return bool(tokens) and tokens[-1] == "id"


def _relationships(
    tables: Mapping[str, pd.DataFrame], described: dict[str, Any]
) -> list[dict[str, str]]:
    found = []
    for parent, parent_meta in described.items():
        key = parent_meta.get("primary_key")
        if key is None:
            continue
        for child, frame in tables.items():
            if child == parent or key not in frame.columns:
                continue
            if described[child].get("primary_key") == key:
                continue  # both tables are keyed by it: which one is the parent is unclear
            described[child]["columns"][key] = {"sdtype": "id"}
            found.append(
                {
                    "parent_table_name": parent,
                    "parent_primary_key": key,
                    "child_table_name": child,
                    "child_foreign_key": key,
                }
            )
    return found
