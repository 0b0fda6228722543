"""Checking sampling conditions against what the model learned, before any sampling.

A wrong column, a key column, an inverted range or a value the training data never held (and
the model therefore never produces) is refused with `InvalidInput` naming the condition;
impossible conditions carry reason `CONDITION_UNSATISFIABLE`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from synthstudio_libs.errors import InvalidInput
from synthstudio_synthesis.engine.columns import ColumnDomain, FixedColumn
from synthstudio_synthesis.engine.interface import (
    Condition,
    ExactCondition,
    RangeCondition,
    TableProfile,
)

UNSATISFIABLE = "CONDITION_UNSATISFIABLE"
_SHOWN_VALUES = 10


@dataclass(frozen=True)
class ConditionPlan:
    """Conditions as the sampler applies them: exact values to the model, ranges as filters."""

    exact: dict[str, Any] = field(default_factory=dict)
    ranges: tuple[tuple[str, float | None, float | None], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.exact and not self.ranges


def plan_conditions(
    conditions: Sequence[Condition], table: TableProfile, *, bounded: bool, rounded: bool
) -> ConditionPlan:
    """The checked plan.

    `bounded`: the model never leaves a column's training range; `rounded`: it keeps whole-number
    columns whole (SDV's enforce_min_max_values and enforce_rounding).
    """
    fixed = {column.name: column for column in table.fixed_columns}
    exact: dict[str, Any] = {}
    ranges: list[tuple[str, float | None, float | None]] = []
    seen: set[str] = set()
    for index, condition in enumerate(conditions):
        path = f"conditions[{index}]"
        column = _checked_column(condition, path, table, seen)
        if column in fixed:
            _check_fixed(condition, path, fixed[column])
        elif isinstance(condition, ExactCondition):
            domain = table.domains[column]
            exact[column] = _checked_value(condition, path, domain, bounded, rounded)
        else:
            ranges.append(_checked_range(condition, path, table.domains[column], bounded))
    return ConditionPlan(exact, tuple(ranges))


def _checked_column(condition: object, path: str, table: TableProfile, seen: set[str]) -> str:
    if not isinstance(condition, ExactCondition | RangeCondition):
        raise InvalidInput(f"{path} is not a condition", field=path)
    column = condition.column
    if column not in table.columns:
        raise InvalidInput(
            f"{path}.column '{column}' is not a column of table '{table.name}': use one of "
            f"{list(table.columns)}",
            field=f"{path}.column",
            metadata={"column": column, "table": table.name},
        )
    if column in table.keys:
        raise InvalidInput(
            f"{path}.column '{column}' is a key of table '{table.name}'; keys are generated, "
            "not conditioned on",
            field=f"{path}.column",
            metadata={"column": column, "table": table.name},
        )
    if column in seen:
        raise InvalidInput(
            f"{path}.column '{column}' has a condition already: give one condition per column",
            field=f"{path}.column",
            metadata={"column": column},
        )
    seen.add(column)
    return column


def _check_fixed(condition: Condition, path: str, fixed: FixedColumn) -> None:
    """A condition on a left-out column holds for every row or for none."""
    if isinstance(condition, ExactCondition):
        holds = not fixed.empty and condition.value == fixed.value
    else:
        holds = not fixed.empty and _within(fixed.value, condition.low, condition.high)
    if not holds:
        held = "no value" if fixed.empty else f"only {fixed.value!r}"
        raise InvalidInput(
            f"{path} can never hold: column '{fixed.name}' held {held} in the training data",
            field=path,
            reason=UNSATISFIABLE,
            metadata={"column": fixed.name, "value": fixed.value},
        )


def _checked_value(
    condition: ExactCondition, path: str, domain: ColumnDomain, bounded: bool, rounded: bool
) -> Any:
    value = condition.value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InvalidInput(
            f"{path}.value is missing: give the value every row should have",
            field=f"{path}.value",
        )
    if domain.numeric:
        if not _is_number(value):
            raise InvalidInput(
                f"{path}.value must be a number for numerical column '{condition.column}', "
                f"got {value!r}",
                field=f"{path}.value",
                metadata={"column": condition.column, "value": value},
            )
        if bounded and not _within(value, domain.minimum, domain.maximum):
            raise _outside(path, condition.column, value, domain)
        if rounded and domain.integral and not float(value).is_integer():
            raise InvalidInput(
                f"{path} can never hold: column '{condition.column}' held whole numbers only "
                f"in the training data, so it is never {value!r}",
                field=f"{path}.value",
                reason=UNSATISFIABLE,
                metadata={"column": condition.column, "value": value},
            )
        return value
    if domain.values is not None and value not in domain.values:
        raise _unseen(path, condition.column, value, domain)
    return value


def _checked_range(
    condition: RangeCondition, path: str, domain: ColumnDomain, bounded: bool
) -> tuple[str, float | None, float | None]:
    column, low, high = condition.column, condition.low, condition.high
    if not domain.numeric:
        raise InvalidInput(
            f"{path} is a range, but column '{column}' is not numerical: use an exact value",
            field=f"{path}.column",
            metadata={"column": column},
        )
    for name, bound in (("low", low), ("high", high)):
        if bound is not None and not (_is_number(bound) and math.isfinite(bound)):
            raise InvalidInput(
                f"{path}.{name} must be a finite number, got {bound!r}",
                field=f"{path}.{name}",
                metadata={"value": bound},
            )
    if low is None and high is None:
        raise InvalidInput(
            f"{path} gives neither low nor high: bound the range on at least one side",
            field=path,
        )
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            f"{path}.low ({low}) is above {path}.high ({high}): swap them",
            field=f"{path}.low",
            metadata={"low": low, "high": high},
        )
    if bounded and domain.minimum is not None:
        misses_low = high is not None and high < domain.minimum
        misses_high = low is not None and low > domain.maximum
        if misses_low or misses_high:
            raise InvalidInput(
                f"{path} can never hold: '{column}' ranged from {domain.minimum:g} to "
                f"{domain.maximum:g} in the training data and synthetic values stay inside it",
                field=path,
                reason=UNSATISFIABLE,
                metadata={"column": column, "minimum": domain.minimum, "maximum": domain.maximum},
            )
    return column, low, high


def _outside(path: str, column: str, value: Any, domain: ColumnDomain) -> InvalidInput:
    return InvalidInput(
        f"{path} can never hold: '{column}' ranged from {domain.minimum:g} to "
        f"{domain.maximum:g} in the training data and synthetic values stay inside it, "
        f"so it is never {value!r}",
        field=f"{path}.value",
        reason=UNSATISFIABLE,
        metadata={
            "column": column,
            "value": value,
            "minimum": domain.minimum,
            "maximum": domain.maximum,
        },
    )


def _unseen(path: str, column: str, value: Any, domain: ColumnDomain) -> InvalidInput:
    shown = sorted(map(str, domain.values or ()))[:_SHOWN_VALUES]
    return InvalidInput(
        f"{path} can never hold: column '{column}' never held {value!r} in the training data; "
        f"it held values such as {shown}",
        field=f"{path}.value",
        reason=UNSATISFIABLE,
        metadata={"column": column, "value": value, "known": ", ".join(shown)},
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _within(value: Any, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def filter_ranges(
    frame: pd.DataFrame, ranges: Sequence[tuple[str, float | None, float | None]]
) -> pd.DataFrame:
    """The rows of `frame` inside every range."""
    keep = pd.Series(True, index=frame.index)
    for column, low, high in ranges:
        values = frame[column]
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
    return frame[keep]
