"""Builds the service's aggregate profiles from pandas frames, as the evaluation service's
profiler would: the LLM service itself never sees a frame."""

from __future__ import annotations

import pandas as pd

from synthstudio_llm.profiles import ColumnKind, ColumnProfile, TableProfile, ValueFrequency


def profile_frame(
    name: str, frame: pd.DataFrame, *, primary_key: str | None = None, top: int = 6
) -> TableProfile:
    """The profile of `frame`: kinds, missing shares, ranges, moments, frequent values."""
    columns = tuple(_column(frame[column], column == primary_key, top) for column in frame)
    return TableProfile(name=name, row_count=len(frame), columns=columns, primary_key=primary_key)


def _column(series: pd.Series, is_key: bool, top: int) -> ColumnProfile:
    present = series.dropna()
    common = {
        "name": str(series.name),
        "missing_fraction": round(float(series.isna().mean()), 6),
        "distinct_count": int(present.nunique()),
    }
    if is_key:
        return ColumnProfile(kind=ColumnKind.ID, **common)
    if pd.api.types.is_bool_dtype(series):
        return ColumnProfile(kind=ColumnKind.BOOLEAN, top_values=_top(present, top), **common)
    if pd.api.types.is_numeric_dtype(series):
        return ColumnProfile(
            kind=ColumnKind.NUMERICAL,
            minimum=float(present.min()),
            maximum=float(present.max()),
            mean=round(float(present.mean()), 6),
            std=round(float(present.std()), 6),
            **common,
        )
    if pd.api.types.is_datetime64_any_dtype(series):
        return ColumnProfile(
            kind=ColumnKind.DATETIME,
            earliest=present.min().date().isoformat(),
            latest=present.max().date().isoformat(),
            **common,
        )
    kind = ColumnKind.CATEGORICAL if common["distinct_count"] <= 30 else ColumnKind.TEXT
    return ColumnProfile(kind=kind, top_values=_top(present, top), **common)


def _top(series: pd.Series, top: int) -> tuple[ValueFrequency, ...]:
    shares = series.astype(str).value_counts(normalize=True).head(top)
    return tuple(
        ValueFrequency(str(value), round(float(share), 6)) for value, share in shares.items()
    )
