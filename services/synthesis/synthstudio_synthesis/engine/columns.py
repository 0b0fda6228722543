"""Column facts learned at training time and used when sampling.

A column that holds one value in every row, or no value at all, carries nothing to learn and
trips some models; it is left out of the model and put back, with its value and dtype, in every
synthetic row. The observed range or value set of each column lets conditions that can never be
met be refused before any sampling.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

# Columns with more distinct values than this keep no value set (an exact condition on them is
# checked by sampling instead).
MAX_DOMAIN_VALUES = 1000


@dataclass(frozen=True)
class FixedColumn:
    """A column left out of the model: `value` in every row, or empty when `value` is None."""

    table: str
    name: str
    value: Any
    dtype: str

    @property
    def empty(self) -> bool:
        return self.value is None

    def warning(self) -> str:
        """The note for the training result."""
        if self.empty:
            return (
                f"column '{self.name}' of table '{self.table}' is empty; it was not modelled and "
                "stays empty in synthetic rows"
            )
        return (
            f"column '{self.name}' of table '{self.table}' holds one value ({self.value!r}) in "
            "every row; it was not modelled and every synthetic row gets that value"
        )


@dataclass(frozen=True)
class ColumnDomain:
    """What a column held in the training data: its range if numeric, its values if few.

    `integral` says every numeric value was a whole number (rounded models keep it so).
    """

    numeric: bool
    minimum: float | None = None
    maximum: float | None = None
    values: frozenset[Any] | None = None
    integral: bool = False


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with pandas categoricals as plain objects (ctgan refuses the category dtype)."""
    categorical = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not categorical:
        return frame
    return frame.astype({column: object for column in categorical})


def find_fixed_columns(
    table: str, frame: pd.DataFrame, protected: Collection[str]
) -> tuple[FixedColumn, ...]:
    """The columns of `frame` with at most one distinct value, except `protected` ones (keys)."""
    fixed = []
    for column in frame.columns:
        if column in protected:
            continue
        series = frame[column]
        if series.nunique(dropna=False) != 1:
            continue
        first = series.iloc[0]
        value = None if pd.isna(first) else _plain_scalar(first)
        fixed.append(FixedColumn(table, column, value, str(series.dtype)))
    return tuple(fixed)


def restore_columns(
    frame: pd.DataFrame, fixed: Sequence[FixedColumn], order: Sequence[str]
) -> pd.DataFrame:
    """`frame` with the fixed columns put back, columns in the training data's order."""
    if not fixed and list(frame.columns) == list(order):
        return frame
    restored = {column.name: _constant(column, frame.index) for column in fixed}
    if restored:
        frame = frame.assign(**restored)
    return frame[[column for column in order if column in frame.columns]]


def _constant(column: FixedColumn, index: pd.Index) -> pd.Series:
    return pd.Series(column.value, index=index, dtype=column.dtype)


def profile_domains(frame: pd.DataFrame) -> dict[str, ColumnDomain]:
    """Each column's observed domain."""
    return {column: _domain(frame[column]) for column in frame.columns}


def _domain(series: pd.Series) -> ColumnDomain:
    present = series.dropna()
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    distinct = present.unique()
    values = None
    if len(distinct) <= MAX_DOMAIN_VALUES:
        values = frozenset(_plain_scalar(value) for value in distinct)
    if numeric and not present.empty:
        integral = bool((present % 1 == 0).all())
        return ColumnDomain(True, float(present.min()), float(present.max()), values, integral)
    return ColumnDomain(numeric, values=values)


def _plain_scalar(value: Any) -> Any:
    """numpy scalars as the Python values a request would carry."""
    return value.item() if hasattr(value, "item") and not isinstance(value, pd.Timestamp) else value


def protected_columns(table_metadata: Mapping[str, Any]) -> set[str]:
    """Key columns of one table's metadata dict, which must stay in the model."""
    keys = {table_metadata.get(name) for name in ("primary_key", "sequence_key", "sequence_index")}
    keys.update(table_metadata.get("alternate_keys") or [])
    return {key for key in keys if isinstance(key, str)}
