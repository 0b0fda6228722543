"""Aggregate profiles of a dataset's tables: the only view of its data the assistant gets.

A profile holds counts, missing shares, ranges, moments and frequent values; never a row. A
frequent value is kept only when at least `MIN_VALUE_COUNT` rows share it (a value held by one
or two people can single them out), never for free text, identifiers or columns the PII scan
flagged. The frames are read, profiled and dropped by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from synthstudio_llm.profiles import (
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    Relationship,
    TableProfile,
    ValueFrequency,
)

#: Rows that must share a value before it may appear in a profile.
MIN_VALUE_COUNT = 5
#: Frequent values kept per column.
TOP_VALUES = 8
#: A text column with at most this many distinct values is categorical.
CATEGORICAL_MAX_DISTINCT = 50
_DATE_SAMPLE = 200
_SDTYPE_KINDS = {
    "id": ColumnKind.ID,
    "numerical": ColumnKind.NUMERICAL,
    "categorical": ColumnKind.CATEGORICAL,
    "boolean": ColumnKind.BOOLEAN,
    "datetime": ColumnKind.DATETIME,
}


def profile_dataset(
    dataset_id: str,
    tables: Mapping[str, pd.DataFrame],
    *,
    metadata: Mapping[str, Any] | None = None,
    personal_columns: Mapping[str, set[str]] | None = None,
) -> DatasetProfile:
    """The profile of every table. `metadata` is the dataset's SDV metadata (`Metadata.to_dict()`
    form): its sdtypes, keys and relationships win over what is guessed from the frames.
    `personal_columns` maps a table to the columns whose values must never be kept."""
    described = (metadata or {}).get("tables", {}) or {}
    personal = personal_columns or {}
    profiles = tuple(
        profile_table(
            name,
            frame,
            table_metadata=described.get(name, {}),
            personal=personal.get(name, set()),
        )
        for name, frame in tables.items()
    )
    relationships = _declared_relationships(metadata) or _guessed_relationships(profiles, tables)
    return DatasetProfile(dataset_id=dataset_id, tables=profiles, relationships=relationships)


def profile_table(
    name: str,
    frame: pd.DataFrame,
    *,
    table_metadata: Mapping[str, Any] | None = None,
    personal: set[str] | None = None,
) -> TableProfile:
    """The profile of one table; see `profile_dataset`."""
    table_metadata = table_metadata or {}
    sdtypes = {
        column: str(spec.get("sdtype", ""))
        for column, spec in (table_metadata.get("columns") or {}).items()
    }
    primary_key = table_metadata.get("primary_key") or _guess_primary_key(name, frame)
    if isinstance(primary_key, list):  # a composite key: none of its parts is unique alone
        primary_key = None
    columns = tuple(
        _column(
            frame[column],
            sdtype=sdtypes.get(str(column), ""),
            is_key=str(column) == primary_key,
            personal=str(column) in (personal or set()),
        )
        for column in frame.columns
    )
    return TableProfile(
        name=name,
        row_count=len(frame),
        columns=columns,
        primary_key=primary_key,
        sequence_key=table_metadata.get("sequence_key") or None,
        sequence_index=table_metadata.get("sequence_index") or None,
    )


def _column(series: pd.Series, *, sdtype: str, is_key: bool, personal: bool) -> ColumnProfile:
    present = series.dropna()
    common: dict[str, Any] = {
        "name": str(series.name),
        "missing_fraction": round(float(series.isna().mean()), 6) if len(series) else 0.0,
        "distinct_count": int(present.nunique()),
    }
    kind = ColumnKind.ID if is_key else _kind(series, present, sdtype)
    if kind == ColumnKind.NUMERICAL and len(present):
        numbers = pd.to_numeric(present, errors="coerce").dropna().astype(float)
        if len(numbers):
            std = float(numbers.std()) if len(numbers) > 1 else 0.0
            return ColumnProfile(
                kind=kind,
                minimum=float(numbers.min()),
                maximum=float(numbers.max()),
                mean=round(float(numbers.mean()), 6),
                std=round(std, 6),
                **common,
            )
    if kind == ColumnKind.DATETIME and len(present):
        moments = _as_datetimes(present).dropna()
        if len(moments):
            return ColumnProfile(
                kind=kind,
                earliest=moments.min().date().isoformat(),
                latest=moments.max().date().isoformat(),
                **common,
            )
    keep_values = kind in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN} and not personal
    top = _frequent_values(present) if keep_values else ()
    return ColumnProfile(kind=kind, top_values=top, **common)


def _kind(series: pd.Series, present: pd.Series, sdtype: str) -> ColumnKind:
    if sdtype in _SDTYPE_KINDS:
        return _SDTYPE_KINDS[sdtype]
    if sdtype:  # an SDV PII sdtype (email, name, phone_number, address, ...) or free text
        return ColumnKind.TEXT
    if pd.api.types.is_bool_dtype(series):
        return ColumnKind.BOOLEAN
    if pd.api.types.is_datetime64_any_dtype(series):
        return ColumnKind.DATETIME
    distinct = int(present.nunique())
    if pd.api.types.is_numeric_dtype(series):
        if _looks_like_key(series, present, distinct):
            return ColumnKind.ID
        return ColumnKind.NUMERICAL
    if not len(present):
        return ColumnKind.TEXT
    if _parses_as_dates(present):
        return ColumnKind.DATETIME
    if _looks_like_key(series, present, distinct):
        return ColumnKind.ID
    if distinct <= CATEGORICAL_MAX_DISTINCT and distinct <= max(2, len(present) // 2):
        return ColumnKind.CATEGORICAL
    return ColumnKind.TEXT


def _looks_like_key(series: pd.Series, present: pd.Series, distinct: int) -> bool:
    name = str(series.name)
    named = name.lower() == "id" or name.lower().endswith("_id") or name.endswith("Id")
    if not named or not len(present) or distinct != len(present):
        return False
    return not pd.api.types.is_float_dtype(series)


def _parses_as_dates(present: pd.Series) -> bool:
    sample = present.astype(str).head(_DATE_SAMPLE)
    if not sample.str.contains(r"^\d{4}-\d{2}-\d{2}", regex=True).all():
        return False
    return bool(_as_datetimes(sample).notna().mean() >= 0.95)


def _as_datetimes(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values.astype(str), format="ISO8601", errors="coerce", utc=True)


def _frequent_values(present: pd.Series) -> tuple[ValueFrequency, ...]:
    if not len(present):
        return ()
    counts = present.astype(str).value_counts()
    kept = counts[counts >= MIN_VALUE_COUNT].head(TOP_VALUES)
    total = len(present)
    return tuple(
        ValueFrequency(str(value), round(float(count) / total, 6)) for value, count in kept.items()
    )


def _guess_primary_key(table: str, frame: pd.DataFrame) -> str | None:
    singular = table[:-1] if table.endswith("s") else table
    preferred = ["id", f"{table}_id", f"{singular}_id"]
    candidates = [str(c) for c in frame.columns if str(c).lower() in preferred] + [
        str(c) for c in frame.columns if str(c).lower().endswith("_id")
    ]
    for column in candidates:
        series = frame[column]
        unique = len(series) and series.notna().all() and series.is_unique
        if unique and not pd.api.types.is_float_dtype(series):
            return column
    return None


def _declared_relationships(metadata: Mapping[str, Any] | None) -> tuple[Relationship, ...]:
    found = []
    for link in (metadata or {}).get("relationships", []) or []:
        try:
            found.append(
                Relationship(
                    parent_table=str(link["parent_table_name"]),
                    parent_key=str(link["parent_primary_key"]),
                    child_table=str(link["child_table_name"]),
                    child_key=str(link["child_foreign_key"]),
                )
            )
        except (KeyError, TypeError):
            continue
    return tuple(found)


def _guessed_relationships(
    profiles: tuple[TableProfile, ...], tables: Mapping[str, pd.DataFrame]
) -> tuple[Relationship, ...]:
    """A child column named like a parent's primary key whose values all occur in it."""
    found = []
    for parent in profiles:
        key = parent.primary_key
        if key is None:
            continue
        keys = set(tables[parent.name][key].dropna().tolist())
        for child in profiles:
            if child.name == parent.name or key not in tables[child.name].columns:
                continue
            values = tables[child.name][key].dropna()
            if len(values) and values.isin(keys).all():
                found.append(Relationship(parent.name, key, child.name, key))
    return tuple(found)
