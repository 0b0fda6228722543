"""Aggregate profiles of a dataset's tables: the only view of its data the assistant gets.

A profile holds counts, missing shares, ranges, moments and frequent values; never a row, and
no figure that belongs to one row. Every figure is held by at least `min_group_size` rows
(k, the `SYNTHSTUDIO_ASSISTANT_MIN_GROUP_SIZE` setting, default 10):
  * a frequent value is kept only when at least k rows share it, and never for free text,
    identifiers or columns the PII scan flagged;
  * a numeric range is not the minimum and maximum (each one person's value: the oldest
    patient, the top salary) but the k-th smallest and k-th largest values, rounded outward to
    two significant digits; with fewer than 2k values there is no range;
  * a date range is the months of the k-th earliest and k-th latest dates (`1961-04`);
  * means and deviations are rounded to three and two significant digits.
The frames are read, profiled and dropped by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from synthstudio_llm.profiles import (
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    Relationship,
    TableProfile,
    ValueFrequency,
)

#: Rows that must share a value, or lie at or beyond a reported bound, before it may appear in
#: a profile (`min_group_size`; the service reads it from its settings).
DEFAULT_MIN_GROUP_SIZE = 10
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
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> DatasetProfile:
    """The profile of every table. `metadata` is the dataset's SDV metadata (`Metadata.to_dict()`
    form): its sdtypes, keys and relationships win over what is guessed from the frames.
    `personal_columns` maps a table to the columns whose values must never be kept;
    `min_group_size` is the number of rows behind every figure (see the module's docstring)."""
    described = (metadata or {}).get("tables", {}) or {}
    personal = personal_columns or {}
    profiles = tuple(
        profile_table(
            name,
            frame,
            table_metadata=described.get(name, {}),
            personal=personal.get(name, set()),
            min_group_size=min_group_size,
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
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
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
            group=min_group_size,
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


def _column(
    series: pd.Series, *, sdtype: str, is_key: bool, personal: bool, group: int
) -> ColumnProfile:
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
            return ColumnProfile(kind=kind, **_guarded_moments(numbers, group), **common)
    if kind == ColumnKind.DATETIME and len(present):
        moments = _as_datetimes(present).dropna()
        if len(moments):
            return ColumnProfile(kind=kind, **_guarded_dates(moments, group), **common)
    keep_values = kind in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN} and not personal
    top = _frequent_values(present, group) if keep_values else ()
    return ColumnProfile(kind=kind, top_values=top, **common)


def _guarded_moments(numbers: pd.Series, group: int) -> dict[str, float | None]:
    """Range, mean and deviation that no single row decides (see the module's docstring)."""
    if len(numbers) < group:
        return {}
    ordered = np.sort(numbers.to_numpy())
    moments: dict[str, float | None] = {
        "mean": _significant(float(ordered.mean()), 3, round),
        "std": _significant(float(ordered.std(ddof=1)), 2, round) if len(ordered) > 1 else 0.0,
    }
    if len(ordered) >= 2 * group:
        moments["minimum"] = _significant(float(ordered[group - 1]), 2, math.floor)
        moments["maximum"] = _significant(float(ordered[-group]), 2, math.ceil)
    return moments


def _guarded_dates(moments: pd.Series, group: int) -> dict[str, str]:
    """The months of the k-th earliest and k-th latest dates, or nothing for few dates."""
    if len(moments) < 2 * group:
        return {}
    ordered = moments.sort_values().reset_index(drop=True)
    return {
        "earliest": ordered.iloc[group - 1].strftime("%Y-%m"),
        "latest": ordered.iloc[-group].strftime("%Y-%m"),
    }


def _significant(value: float, digits: int, rounding) -> float:
    """`value` rounded to `digits` significant digits with `rounding` (math.floor, math.ceil
    or round): 48213.7 -> 48000.0 (floor, 2 digits), 0.03172 -> 0.032 (ceil)."""
    if value == 0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    scaled = rounding(value / 10**exponent)
    return round(scaled * 10**exponent, max(0, -exponent))


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


def _frequent_values(present: pd.Series, group: int) -> tuple[ValueFrequency, ...]:
    if not len(present):
        return ()
    counts = present.astype(str).value_counts()
    kept = counts[counts >= group].head(TOP_VALUES)
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
