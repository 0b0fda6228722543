"""Public table metadata for DP training: what the caller may state without touching the data.

Everything in a `TableSchema` is treated as PUBLIC by the privacy guarantee: column names, kinds,
pandas dtypes, nullability, and any bounds or category sets the caller supplies. Whatever the
schema leaves out (a numerical column's bounds, a categorical column's categories) is estimated
from the data with a differentially private mechanism whose epsilon is part of the spend
(see `synthstudio_privacy.preprocessing`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from synthstudio_libs.errors import FieldViolation, InvalidInput


class ColumnKind(StrEnum):
    """How a column is modelled."""

    NUMERICAL = "numerical"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    DATETIME = "datetime"


CategoryValue = str | int | float | bool


@dataclass(frozen=True)
class ColumnSpec:
    """One column's public description.

    `lower`/`upper` bound a numerical column (for a datetime column: seconds since the Unix epoch);
    values outside are clipped. Bounds estimated under DP are powers of two, far too coarse for
    datetimes: state public bounds for datetime columns. `categories` is the complete set of
    values of a categorical column. `nullable` says the column may hold missing values, which
    are then modelled; missing values in a column not declared nullable are imputed with a fixed
    public value (the midpoint of its bounds, or its first category) so that no data-dependent
    decision is taken.
    `dtype` is the pandas dtype samples are returned in (the training frame's when omitted).
    """

    name: str
    kind: ColumnKind
    integer: bool = False
    lower: float | None = None
    upper: float | None = None
    categories: tuple[CategoryValue, ...] | None = None
    nullable: bool = False
    dtype: str | None = None

    @property
    def is_continuous(self) -> bool:
        return self.kind in (ColumnKind.NUMERICAL, ColumnKind.DATETIME)

    @property
    def has_public_bounds(self) -> bool:
        return self.lower is not None and self.upper is not None

    @property
    def public_categories(self) -> tuple[CategoryValue, ...] | None:
        """The category set known without looking at the data, if any."""
        if self.kind == ColumnKind.BOOLEAN:
            return (False, True)
        return self.categories

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind.value,
            "integer": self.integer,
            "lower": self.lower,
            "upper": self.upper,
            "categories": list(self.categories) if self.categories is not None else None,
            "nullable": self.nullable,
            "dtype": self.dtype,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ColumnSpec:
        categories = data.get("categories")
        return cls(
            name=data["name"],
            kind=ColumnKind(data["kind"]),
            integer=bool(data.get("integer", False)),
            lower=data.get("lower"),
            upper=data.get("upper"),
            categories=tuple(categories) if categories is not None else None,
            nullable=bool(data.get("nullable", False)),
            dtype=data.get("dtype"),
        )


@dataclass(frozen=True)
class TableSchema:
    """The public description of a table: its columns in order."""

    columns: tuple[ColumnSpec, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise InvalidInput(
            f"The schema has no column {name!r}; its columns are {self.names}.",
            field="schema.columns",
            metadata={"column": name},
        )

    def with_column(self, name: str, **changes) -> TableSchema:
        """A copy with one column's fields replaced (e.g. public `lower`/`upper`)."""
        self.column(name)
        return TableSchema(
            tuple(replace(c, **changes) if c.name == name else c for c in self.columns)
        )

    def to_dict(self) -> dict:
        return {"columns": [column.to_dict() for column in self.columns]}

    @classmethod
    def from_dict(cls, data: dict) -> TableSchema:
        return cls(tuple(ColumnSpec.from_dict(column) for column in data["columns"]))

    def validate(self) -> None:
        """Raise InvalidInput listing every inconsistent field."""
        violations: list[FieldViolation] = []
        if not self.columns:
            violations.append(FieldViolation("schema.columns", "the schema has no columns"))
        seen: set[str] = set()
        for index, column in enumerate(self.columns):
            violations.extend(_column_violations(f"schema.columns[{index}]", column, seen))
            seen.add(column.name)
        if violations:
            raise InvalidInput(
                "The table schema is inconsistent: "
                + "; ".join(f"{v.field}: {v.description}" for v in violations)
                + ".",
                violations=violations,
                metadata={"fields": ",".join(v.field for v in violations)},
            )


def _column_violations(path: str, column: ColumnSpec, seen: set[str]) -> list[FieldViolation]:
    found: list[FieldViolation] = []
    if column.name in seen:
        found.append(FieldViolation(f"{path}.name", f"column {column.name!r} appears twice"))
    if (column.lower is None) != (column.upper is None):
        found.append(
            FieldViolation(f"{path}.lower", "give both lower and upper bounds, or neither")
        )
    if column.has_public_bounds:
        if not column.is_continuous:
            found.append(
                FieldViolation(
                    f"{path}.lower",
                    f"bounds apply to numerical columns only, "
                    f"not to {column.kind.value} column {column.name!r}",
                )
            )
        elif not (math.isfinite(column.lower) and math.isfinite(column.upper)):
            found.append(FieldViolation(f"{path}.lower", "bounds must be finite numbers"))
        elif column.lower >= column.upper:
            found.append(
                FieldViolation(
                    f"{path}.upper",
                    f"upper ({column.upper}) must be greater than lower ({column.lower})",
                )
            )
    if column.categories is not None:
        if column.kind != ColumnKind.CATEGORICAL:
            found.append(
                FieldViolation(f"{path}.categories", "categories apply to categorical columns")
            )
        elif not column.categories:
            found.append(FieldViolation(f"{path}.categories", "the category set is empty"))
        elif len(set(column.categories)) != len(column.categories):
            found.append(FieldViolation(f"{path}.categories", "categories repeat a value"))
    return found


def infer_schema(frame: pd.DataFrame) -> TableSchema:
    """A schema from the frame's column names and dtypes only, never from its values.

    No bounds, categories or nullability are read from the data (that would leak it): bounds
    and category sets are then estimated under DP at training time, unless the caller adds
    them (`TableSchema.with_column(name, lower=..., upper=...)`).
    """
    return TableSchema(tuple(_infer_column(name, frame[name].dtype) for name in frame.columns))


def _infer_column(name: object, dtype) -> ColumnSpec:
    text = str(dtype)
    if pd.api.types.is_bool_dtype(dtype):
        return ColumnSpec(str(name), ColumnKind.BOOLEAN, dtype=text)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return ColumnSpec(str(name), ColumnKind.DATETIME, dtype=text)
    if pd.api.types.is_numeric_dtype(dtype):
        integer = pd.api.types.is_integer_dtype(dtype)
        return ColumnSpec(str(name), ColumnKind.NUMERICAL, integer=integer, dtype=text)
    return ColumnSpec(str(name), ColumnKind.CATEGORICAL, dtype=text)


def to_category_value(value: object) -> CategoryValue:
    """A plain Python value for a category (numpy scalars unwrapped, other objects as text)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str | bool | int | float):
        return value
    return str(value)
