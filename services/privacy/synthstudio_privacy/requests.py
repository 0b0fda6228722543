"""A DP training request as the service receives it, and the public schema it implies.

The schema of the table to train on is built from the caller's public column descriptions and,
for the columns the caller does not describe, from the stored column types (Arrow type names
such as `int64`, `double`, `string`, `timestamp[us]`): names and types only, never values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from synthstudio_libs.errors import FieldViolation, InvalidInput
from synthstudio_privacy.accounting import AccountantKind
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind
from synthstudio_privacy.schema import CategoryValue, ColumnKind, ColumnSpec, TableSchema

_INTEGER_TYPES = ("int", "uint")
_FLOAT_TYPES = ("float", "double", "halffloat", "decimal")
_DATETIME_TYPES = ("timestamp", "date")


@dataclass(frozen=True)
class ColumnOverride:
    """A caller's public description of one column; None fields are inferred."""

    name: str
    kind: ColumnKind | None = None
    integer: bool | None = None
    lower: float | None = None
    upper: float | None = None
    categories: tuple[str, ...] = ()
    nullable: bool = False


@dataclass(frozen=True)
class DpTrainingRequest:
    """What TrainDpSynthesizer asks for. `hyperparameters` holds only the settings given
    (`batch_size`, `max_grad_norm`, `learning_rate`, `hidden_dims`, `latent_dim`,
    `preprocessing_epsilon_fraction`, `preprocessing_delta_fraction`)."""

    dataset_id: str
    kind: SynthesizerKind | None
    epsilon: float
    delta: float
    epochs: int | None = None
    accountant: AccountantKind = AccountantKind.RDP
    columns: tuple[ColumnOverride, ...] = ()
    exclude_unlisted: bool = False
    exclude_columns: tuple[str, ...] = ()
    display_name: str = ""
    table: str = ""
    hyperparameters: dict[str, Any] = field(default_factory=dict)

    def config(self) -> DPTrainingConfig:
        """The core's training config (validated later by `plan_dp_training`)."""
        if self.kind is None:
            raise InvalidInput(
                "kind is required: DP_SYNTHESIZER_KIND_DP (the platform chooses), _DP_AIM, "
                "_DP_MST, _DP_TVAE or _DP_CTGAN",
                field="kind",
            )
        settings = dict(self.hyperparameters)
        if "hidden_dims" in settings:
            settings["hidden_dims"] = tuple(settings["hidden_dims"])
        if self.epochs is not None:
            settings["epochs"] = self.epochs
        return DPTrainingConfig(
            kind=self.kind,
            epsilon=self.epsilon,
            delta=self.delta,
            accountant=self.accountant,
            **settings,
        )


def kind_of_type(data_type: str) -> tuple[ColumnKind, bool]:
    """How a column of a stored (Arrow) type is modelled, and whether it holds whole numbers."""
    name = data_type.strip().lower()
    if name in ("bool", "boolean"):
        return ColumnKind.BOOLEAN, False
    if name.startswith(_INTEGER_TYPES):
        return ColumnKind.NUMERICAL, True
    if name.startswith(_FLOAT_TYPES):
        return ColumnKind.NUMERICAL, False
    if name.startswith(_DATETIME_TYPES):
        return ColumnKind.DATETIME, False
    return ColumnKind.CATEGORICAL, False


def schema_for_table(
    columns: list[tuple[str, str]],
    overrides: tuple[ColumnOverride, ...],
    *,
    exclude_unlisted: bool = False,
    exclude_columns: tuple[str, ...] = (),
) -> TableSchema:
    """The public schema of a table with `columns` (name, stored type): the caller's
    descriptions where given, the stored types elsewhere, without the excluded columns.
    Raises InvalidInput naming the field for an unknown, repeated or both described and
    excluded column, or a category that does not fit the column."""
    types = dict(columns)
    violations: list[FieldViolation] = []
    described_names = {override.name for override in overrides}
    for index, name in enumerate(exclude_columns):
        if name not in types:
            violations.append(
                FieldViolation(
                    f"schema.exclude_columns[{index}]",
                    f"the table has no column {name!r}; its columns are {', '.join(types)}",
                )
            )
        elif name in described_names:
            violations.append(
                FieldViolation(
                    f"schema.exclude_columns[{index}]",
                    f"column {name!r} is both described and excluded",
                )
            )
    described: dict[str, ColumnSpec] = {}
    for index, override in enumerate(overrides):
        path = f"schema.columns[{index}]"
        if override.name not in types:
            violations.append(
                FieldViolation(
                    f"{path}.name",
                    f"the table has no column {override.name!r}; its columns are "
                    f"{', '.join(types)}",
                )
            )
            continue
        if override.name in described:
            violations.append(
                FieldViolation(f"{path}.name", f"column {override.name!r} is described twice")
            )
            continue
        spec, problems = _described_column(path, override, types[override.name])
        violations.extend(problems)
        described[override.name] = spec
    if violations:
        raise InvalidInput(
            "The schema does not fit the table: "
            + "; ".join(f"{v.field}: {v.description}" for v in violations)
            + ".",
            violations=violations,
            metadata={"fields": ",".join(v.field for v in violations)},
        )
    if described:
        # Validated in the request's order, so that field paths name the request's entries.
        TableSchema(tuple(described.values())).validate()
    specs = []
    for name, data_type in columns:
        if name in described:
            specs.append(described[name])
        elif not exclude_unlisted and name not in exclude_columns:
            kind, integer = kind_of_type(data_type)
            specs.append(ColumnSpec(name, kind, integer=integer))
    return TableSchema(tuple(specs))


def _described_column(
    path: str, override: ColumnOverride, data_type: str
) -> tuple[ColumnSpec, list[FieldViolation]]:
    stored_kind, stored_integer = kind_of_type(data_type)
    kind = override.kind or stored_kind
    integer = stored_integer if override.integer is None else override.integer
    categories: tuple[CategoryValue, ...] | None = None
    problems: list[FieldViolation] = []
    if override.categories:
        converted = [_category(value, data_type) for value in override.categories]
        bad = [
            text
            for text, value in zip(override.categories, converted, strict=True)
            if value is None
        ]
        if bad:
            problems.append(
                FieldViolation(
                    f"{path}.categories",
                    f"{', '.join(repr(b) for b in bad)} cannot be values of column "
                    f"{override.name!r} of type {data_type}",
                )
            )
        categories = tuple(value for value in converted if value is not None)
    return (
        ColumnSpec(
            override.name,
            kind,
            integer=integer if kind == ColumnKind.NUMERICAL else False,
            lower=override.lower,
            upper=override.upper,
            categories=categories,
            nullable=override.nullable,
        ),
        problems,
    )


def _category(text: str, data_type: str) -> CategoryValue | None:
    """A category given as text, as a value of the column's stored type (None if it is not
    one). Dictionary-encoded columns take the type of their values."""
    name = data_type.strip().lower()
    if name.startswith("dictionary<values="):
        name = name.removeprefix("dictionary<values=")
    try:
        if name.startswith(_INTEGER_TYPES):
            return int(text)
        if name.startswith(_FLOAT_TYPES):
            value = float(text)
            return value if math.isfinite(value) else None
    except ValueError:
        return None
    if name.startswith("bool"):
        lowered = text.strip().lower()
        return {"true": True, "false": False}.get(lowered)
    return text
