"""Constraints declared as data, applied when a synthesizer is fitted.

Each class mirrors one of SDV 2.0's constraint-augmented-generation constraints (`sdv.cag`):
the synthesizer learns the data in a form where the rule always holds, so every synthetic row
obeys it. `table_name` is needed only for multi-table synthesizers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from typing import Any

from synthstudio_libs.errors import InvalidInput


def _path(index: int, name: str | None = None) -> str:
    return f"constraints[{index}]" + (f".{name}" if name else "")


def _check_column(index: int, name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidInput(
            f"{_path(index, name)} must be a column name, got {value!r}",
            field=_path(index, name),
            metadata={"value": value},
        )


def _check_column_list(index: int, name: str, value: object, minimum: int) -> None:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) < minimum:
        raise InvalidInput(
            f"{_path(index, name)} must list at least {minimum} columns, got {value!r}",
            field=_path(index, name),
            metadata={"value": value, "minimum": minimum},
        )
    for position, column in enumerate(value):
        _check_column(index, f"{name}[{position}]", column)
    if len(set(value)) != len(value):
        raise InvalidInput(
            f"{_path(index, name)} names a column twice: {list(value)}",
            field=_path(index, name),
            metadata={"value": list(value)},
        )


def _check_distinct(index: int, columns: Mapping[str, str]) -> None:
    if len(set(columns.values())) != len(columns):
        raise InvalidInput(
            f"{_path(index)} must use different columns for "
            f"{', '.join(columns)}, got {list(columns.values())}",
            field=_path(index),
            metadata=dict(columns),
        )


def _freeze_list(constraint: object, name: str) -> None:
    # A list from JSON becomes a tuple so the constraint stays hashable and immutable.
    value = getattr(constraint, name)
    if isinstance(value, list):
        object.__setattr__(constraint, name, tuple(value))


@dataclass(frozen=True)
class FixedCombinations:
    """Only the combinations of these categorical columns seen in the data are generated."""

    column_names: tuple[str, ...]
    table_name: str | None = None

    def __post_init__(self) -> None:
        _freeze_list(self, "column_names")

    def check(self, index: int) -> None:
        _check_column_list(index, "column_names", self.column_names, 2)

    def column_fields(self) -> dict[str, str]:
        return {f"column_names[{i}]": column for i, column in enumerate(self.column_names)}

    def to_sdv(self) -> Any:
        from sdv.cag import FixedCombinations as SdvFixedCombinations

        return SdvFixedCombinations(
            column_names=list(self.column_names), table_name=self.table_name
        )


@dataclass(frozen=True)
class Inequality:
    """`high_column` >= `low_column` in every row (> when `strict`); numbers or datetimes."""

    low_column: str
    high_column: str
    strict: bool = False
    table_name: str | None = None

    def check(self, index: int) -> None:
        _check_column(index, "low_column", self.low_column)
        _check_column(index, "high_column", self.high_column)
        _check_distinct(index, {"low_column": self.low_column, "high_column": self.high_column})

    def column_fields(self) -> dict[str, str]:
        return {"low_column": self.low_column, "high_column": self.high_column}

    def to_sdv(self) -> Any:
        from sdv.cag import Inequality as SdvInequality

        return SdvInequality(
            low_column_name=self.low_column,
            high_column_name=self.high_column,
            strict_boundaries=self.strict,
            table_name=self.table_name,
        )


@dataclass(frozen=True)
class Range:
    """`low_column` <= `middle_column` <= `high_column` in every row (< when `strict`)."""

    low_column: str
    middle_column: str
    high_column: str
    strict: bool = True
    table_name: str | None = None

    def check(self, index: int) -> None:
        named = {
            "low_column": self.low_column,
            "middle_column": self.middle_column,
            "high_column": self.high_column,
        }
        for name, column in named.items():
            _check_column(index, name, column)
        _check_distinct(index, named)

    def column_fields(self) -> dict[str, str]:
        return {
            "low_column": self.low_column,
            "middle_column": self.middle_column,
            "high_column": self.high_column,
        }

    def to_sdv(self) -> Any:
        from sdv.cag import Range as SdvRange

        return SdvRange(
            low_column_name=self.low_column,
            middle_column_name=self.middle_column,
            high_column_name=self.high_column,
            strict_boundaries=self.strict,
            table_name=self.table_name,
        )


@dataclass(frozen=True)
class FixedIncrements:
    """Values of a numerical column are multiples of `increment` (prices in steps of 5)."""

    column: str
    increment: int
    table_name: str | None = None

    def check(self, index: int) -> None:
        _check_column(index, "column", self.column)
        if not isinstance(self.increment, int) or isinstance(self.increment, bool):
            valid = False
        else:
            valid = self.increment > 0
        if not valid:
            raise InvalidInput(
                f"{_path(index, 'increment')} must be a positive integer, got {self.increment!r}",
                field=_path(index, "increment"),
                metadata={"value": self.increment},
            )

    def column_fields(self) -> dict[str, str]:
        return {"column": self.column}

    def to_sdv(self) -> Any:
        from sdv.cag import FixedIncrements as SdvFixedIncrements

        return SdvFixedIncrements(
            column_name=self.column, increment_value=self.increment, table_name=self.table_name
        )


@dataclass(frozen=True)
class OneHotEncoding:
    """Exactly one of these 0/1 columns is 1 in every row."""

    column_names: tuple[str, ...]
    table_name: str | None = None

    def __post_init__(self) -> None:
        _freeze_list(self, "column_names")

    def check(self, index: int) -> None:
        _check_column_list(index, "column_names", self.column_names, 2)

    def column_fields(self) -> dict[str, str]:
        return {f"column_names[{i}]": column for i, column in enumerate(self.column_names)}

    def to_sdv(self) -> Any:
        from sdv.cag import OneHotEncoding as SdvOneHotEncoding

        return SdvOneHotEncoding(column_names=list(self.column_names), table_name=self.table_name)


Constraint = FixedCombinations | Inequality | Range | FixedIncrements | OneHotEncoding

CONSTRAINT_TYPES: dict[str, type[Constraint]] = {
    "fixed_combinations": FixedCombinations,
    "inequality": Inequality,
    "range": Range,
    "fixed_increments": FixedIncrements,
    "one_hot_encoding": OneHotEncoding,
}


def parse_constraint(index: int, value: Mapping[str, Any]) -> Constraint:
    """A constraint from its plain form: `{"type": "inequality", "low_column": ..., ...}`."""
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{_path(index)} must be an object with a 'type'", field=_path(index))
    kind = value.get("type")
    cls = CONSTRAINT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(CONSTRAINT_TYPES)
        raise InvalidInput(
            f"{_path(index, 'type')} must be one of {known}, got {kind!r}",
            field=_path(index, "type"),
            metadata={"type": kind, "known": known},
        )
    names = {spec.name for spec in fields(cls)}
    arguments = {key: item for key, item in value.items() if key != "type"}
    for key in arguments:
        if key not in names:
            raise InvalidInput(
                f"{_path(index, key)} is not a field of a {kind} constraint: use "
                f"{', '.join(sorted(names))}",
                field=_path(index, key),
                metadata={"type": kind},
            )
    try:
        constraint = cls(**arguments)
    except TypeError:
        missing = sorted(
            spec.name
            for spec in fields(cls)
            if spec.name not in arguments
            and spec.default is MISSING
            and spec.default_factory is MISSING
        )
        raise InvalidInput(
            f"{_path(index)} ({kind}) is missing {', '.join(missing)}",
            field=_path(index, missing[0] if missing else None),
            metadata={"type": kind, "missing": ", ".join(missing)},
        ) from None
    constraint.check(index)
    return constraint


def constraint_to_dict(constraint: Constraint) -> dict[str, Any]:
    """The plain form `parse_constraint` reads back (for a job record or a response)."""
    kind = next(name for name, cls in CONSTRAINT_TYPES.items() if type(constraint) is cls)
    values = {spec.name: getattr(constraint, spec.name) for spec in fields(constraint)}
    return {"type": kind, **{k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}}


def check_constraints(constraints: Sequence[Constraint]) -> None:
    """Field-level checks of every constraint (column names given, increments positive, …)."""
    for index, constraint in enumerate(constraints):
        if not isinstance(constraint, tuple(CONSTRAINT_TYPES.values())):
            raise InvalidInput(
                f"{_path(index)} is a {type(constraint).__name__}, not a constraint",
                field=_path(index),
            )
        constraint.check(index)
