"""Tables with their SDV metadata, normalised to one shape for every evaluation step.

SDV 2.0 and SDMetrics 0.32 both speak the multi-table metadata form
(`{"tables": {name: {...}}, "relationships": [...]}`); a single-table dict (`{"columns": ...}`)
is lifted into it, so the rest of the package never branches on the input shape.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from synthstudio_libs.errors import InvalidInput

#: Column sdtypes that carry statistical content; others (ids, e-mails, …) are keys or PII that
#: a synthesizer replaces with fake values, so they take no part in utility or privacy metrics.
FEATURE_SDTYPES = frozenset({"numerical", "categorical", "boolean", "datetime"})
DEFAULT_TABLE_NAME = "table"

Tables = pd.DataFrame | Mapping[str, pd.DataFrame]


class Modality(StrEnum):
    """The shape of a dataset, as SDV's synthesizer families see it."""

    SINGLE_TABLE = "single_table"
    MULTI_TABLE = "multi_table"
    SEQUENTIAL = "sequential"


@dataclass(frozen=True)
class TableSet:
    """Named tables and their metadata in SDV's multi-table form."""

    tables: dict[str, pd.DataFrame]
    metadata: dict[str, Any]

    @property
    def table_names(self) -> list[str]:
        return list(self.metadata["tables"])

    @property
    def relationships(self) -> list[dict[str, Any]]:
        return list(self.metadata.get("relationships", []))

    @property
    def modality(self) -> Modality:
        if len(self.metadata["tables"]) > 1:
            return Modality.MULTI_TABLE
        only = next(iter(self.metadata["tables"].values()))
        return Modality.SEQUENTIAL if only.get("sequence_key") else Modality.SINGLE_TABLE

    def table_metadata(self, table: str) -> dict[str, Any]:
        return self.metadata["tables"][table]

    def sdtype(self, table: str, column: str) -> str:
        return self.table_metadata(table)["columns"][column]["sdtype"]

    def key_columns(self, table: str) -> set[str]:
        """Primary, foreign and sequence keys of `table`: identifiers, not content."""
        meta = self.table_metadata(table)
        keys = set(as_list(meta.get("primary_key"))) | set(as_list(meta.get("sequence_key")))
        for relation in self.relationships:
            if relation["child_table_name"] == table:
                keys |= set(as_list(relation["child_foreign_key"]))
        return keys

    def feature_columns(self, table: str) -> list[str]:
        """Columns with statistical content, in metadata order (keys and PII excluded)."""
        keys = self.key_columns(table)
        return [
            column
            for column, spec in self.table_metadata(table)["columns"].items()
            if spec["sdtype"] in FEATURE_SDTYPES and column not in keys
        ]

    def root_tables(self) -> list[str]:
        """Tables that are no other table's child."""
        children = {relation["child_table_name"] for relation in self.relationships}
        return [name for name in self.table_names if name not in children]

    def with_tables(self, tables: Mapping[str, pd.DataFrame]) -> TableSet:
        """The same metadata over other tables (a split, a sample)."""
        return TableSet(tables=dict(tables), metadata=self.metadata)


def as_table_set(data: Tables, metadata: Mapping[str, Any], *, role: str = "data") -> TableSet:
    """Normalise a DataFrame or a dict of DataFrames plus SDV metadata into a `TableSet`.

    Raises InvalidInput when the metadata is not an SDV metadata dict or when the data does not
    name the metadata's tables.
    """
    normalised = normalise_metadata(metadata, _single_name(data))
    names = list(normalised["tables"])
    if isinstance(data, pd.DataFrame):
        if len(names) != 1:
            raise InvalidInput(
                f"The {role} is one table but the metadata describes {len(names)} tables "
                f"({', '.join(names)}); pass a dict of tables keyed by table name.",
                field=role,
                reason="TABLES_MISMATCH",
                metadata={"tables": ",".join(names)},
            )
        return TableSet(tables={names[0]: data}, metadata=normalised)
    if not isinstance(data, Mapping) or not all(
        isinstance(frame, pd.DataFrame) for frame in data.values()
    ):
        raise InvalidInput(
            f"The {role} must be a pandas DataFrame or a dict of DataFrames keyed by table name.",
            field=role,
            reason="TABLES_MISMATCH",
        )
    return TableSet(tables=dict(data), metadata=normalised)


def normalise_metadata(metadata: Mapping[str, Any], table_name: str | None = None) -> dict:
    """Return a deep copy of SDV metadata in multi-table form.

    A single-table dict (`{"columns": ...}`) becomes `{"tables": {table_name: ...}}`.
    """
    if not isinstance(metadata, Mapping):
        raise InvalidInput(
            "The metadata must be an SDV metadata dict (Metadata.to_dict()).",
            field="metadata",
        )
    if "tables" in metadata:
        normalised = copy.deepcopy(dict(metadata))
    elif "columns" in metadata:
        single = {key: value for key, value in metadata.items() if key != "METADATA_SPEC_VERSION"}
        normalised = {"tables": {table_name or DEFAULT_TABLE_NAME: copy.deepcopy(single)}}
    else:
        raise InvalidInput(
            "The metadata has neither 'tables' nor 'columns'; pass the dict that SDV's "
            "Metadata.to_dict() returns.",
            field="metadata",
            reason="INVALID_METADATA",
        )
    normalised.setdefault("relationships", [])
    if not normalised["tables"]:
        raise InvalidInput("The metadata describes no tables.", field="metadata")
    for name, table in normalised["tables"].items():
        if not isinstance(table, Mapping) or not isinstance(table.get("columns"), Mapping):
            raise InvalidInput(
                f"The metadata of table '{name}' has no 'columns' dict.",
                field="metadata",
                reason="INVALID_METADATA",
                metadata={"table": name},
            )
    return normalised


def _single_name(data: Tables) -> str | None:
    if isinstance(data, Mapping) and len(data) == 1:
        return next(iter(data))
    return None


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)
