"""Metadata rules that need no SDV, and the metadata engine of a suite without SDV.

The dict is SDV's metadata format (version V2), which a person can read and edit:

    {"tables": {"cps": {"columns": {"wage": {"sdtype": "numerical"},
                                    "email": {"sdtype": "email", "pii": true}, ...},
                        "primary_key": "id",            # optional
                        "sequence_key": "city",         # sequential data only
                        "sequence_index": "date"}},     # sequential data only
     "relationships": [{"parent_table_name": "airlines", "parent_primary_key": "carrier",
                        "child_table_name": "flights", "child_foreign_key": "carrier"}],
     "METADATA_SPEC_VERSION": "V2"}

A column whose sdtype names a kind of personal data (`email`, `name`, `phone_number`, …) and is
marked `"pii": true` is never learned: synthetic rows get fresh fake values for it.

Where the SDV engine is installed it detects and validates metadata by SDV's own rules
(`synthstudio_engine_sdv.metadata`); without it (the Apache profile) `TableMetadata` does, with
the detector the evaluation service uses (`synthstudio_libs.metadata_detection`) and checks of
the dict's shape against the tables.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.metadata_detection import detect_metadata as detect_table_metadata
from synthstudio_synthesis.engine.kinds import DataLayout

_TABLE_KEYS = ("primary_key", "sequence_key", "sequence_index")
_RELATIONSHIP_KEYS = (
    "parent_table_name",
    "parent_primary_key",
    "child_table_name",
    "child_foreign_key",
)
# SDV's statistical sdtypes; any other snake_case sdtype names a kind of personal data (Faker's
# provider names: email, phone_number, address, ...).
_STATISTICAL_SDTYPES = frozenset(
    {"numerical", "categorical", "boolean", "datetime", "id", "unknown"}
)
_PII_SDTYPE = re.compile(r"[a-z][a-z0-9_]*")


def check_tables(tables: Mapping[str, pd.DataFrame], field: str = "tables") -> None:
    """InvalidInput unless `tables` maps names to DataFrames with string columns and rows."""
    if not isinstance(tables, Mapping) or not tables:
        raise InvalidInput(f"{field} is empty: give at least one table", field=field)
    for name, frame in tables.items():
        path = f"{field}.{name}"
        if not isinstance(name, str) or not name:
            raise InvalidInput(f"table names must be non-empty strings, got {name!r}", field=field)
        if not isinstance(frame, pd.DataFrame):
            raise InvalidInput(f"{path} is not a table", field=path)
        bad = [column for column in frame.columns if not isinstance(column, str) or not column]
        if bad:
            raise InvalidInput(
                f"{path} has column names that are not text: {bad[:5]}; name every column",
                field=path,
                metadata={"table": name, "columns": bad[:5]},
            )
        if frame.columns.duplicated().any():
            duplicated = sorted(set(frame.columns[frame.columns.duplicated()]))
            raise InvalidInput(
                f"{path} has duplicated column names {duplicated}: rename them",
                field=path,
                metadata={"table": name, "columns": duplicated},
            )
        if len(frame) == 0:
            raise InvalidInput(
                f"table '{name}' has no rows: a synthesizer needs at least one row to learn from",
                field=path,
                reason="EMPTY_TABLE",
                metadata={"table": name},
            )


def layout_of(tables: Mapping[str, pd.DataFrame]) -> DataLayout:
    return DataLayout.MULTI_TABLE if len(tables) > 1 else DataLayout.SINGLE_TABLE


def resolve_layout(
    tables: Mapping[str, pd.DataFrame],
    layout: DataLayout | None,
    sequence_key: str | None,
    sequence_index: str | None,
) -> DataLayout:
    """The checked tables' layout: `layout`, or sequential when a sequence column is named, or
    by the number of tables; InvalidInput when a one-table layout has several."""
    check_tables(tables)
    if layout is None:
        sequential = sequence_key is not None or sequence_index is not None
        layout = DataLayout.SEQUENTIAL if sequential else layout_of(tables)
    if layout is not DataLayout.MULTI_TABLE and len(tables) != 1:
        raise InvalidInput(
            f"{layout.value} data is one table, got {len(tables)}: {sorted(tables)}",
            field="tables",
            metadata={"layout": layout.value, "tables": len(tables)},
        )
    return layout


def sequence_columns(
    frame: pd.DataFrame, table: str, sequence_key: str | None, sequence_index: str | None
) -> tuple[str, str]:
    """The (entity, order) columns of sequential `table`: those named, checked, or found."""
    for field, column in (("sequence_key", sequence_key), ("sequence_index", sequence_index)):
        if column is not None and column not in frame.columns:
            raise InvalidInput(
                f"{field} '{column}' is not a column of '{table}': use one of "
                f"{list(frame.columns)}",
                field=field,
                metadata={"column": column, "table": table},
            )
    if sequence_key is not None and sequence_index is not None:
        return sequence_key, sequence_index
    found = find_sequence_columns(frame, sequence_key, sequence_index)
    if found is None:
        raise InvalidInput(
            f"no entity column with an increasing order column was found in '{table}': "
            "name the entity column (sequence_key) and the order column (sequence_index)",
            field="sequence_key",
            metadata={"table": table},
        )
    return found


def find_sequence_columns(
    frame: pd.DataFrame, key: str | None = None, index: str | None = None
) -> tuple[str, str] | None:
    """An (entity column, order column) pair where the order strictly increases per entity.

    Datetime order columns are preferred to numbers; entity columns must repeat (2 or more
    entities, each with 2 or more rows on average).
    """
    indexes = [index] if index is not None else _order_candidates(frame)
    keys = [key] if key is not None else _entity_candidates(frame)
    for candidate_key in keys:
        for candidate_index in indexes:
            if candidate_key != candidate_index and _increases_within(
                frame, candidate_key, candidate_index
            ):
                return candidate_key, candidate_index
    return None


def _order_candidates(frame: pd.DataFrame) -> list[str]:
    complete = [column for column in frame.columns if frame[column].notna().all()]
    dates = [c for c in complete if pd.api.types.is_datetime64_any_dtype(frame[c])]
    numbers = [
        c
        for c in complete
        if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
    ]
    return dates + numbers


def _entity_candidates(frame: pd.DataFrame) -> list[str]:
    rows = len(frame)
    found = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_float_dtype(series) or series.isna().any():
            continue
        distinct = series.nunique()
        if 2 <= distinct <= rows // 2:
            found.append((not pd.api.types.is_object_dtype(series), column))
    # Text columns (city names, customer ids) before integer ones (years, months).
    return [column for _, column in sorted(found, key=lambda item: item[0])]


def _increases_within(frame: pd.DataFrame, key: str, index: str) -> bool:
    steps = frame.groupby(key, sort=False)[index].diff().dropna()
    zero = pd.Timedelta(0) if pd.api.types.is_timedelta64_dtype(steps) else 0
    return not steps.empty and bool((steps > zero).all())


class TableMetadata:
    """Detects and checks metadata without SDV: the metadata engine where SDV is not installed."""

    def detect_metadata(
        self,
        tables: Mapping[str, pd.DataFrame],
        layout: DataLayout | None = None,
        *,
        sequence_key: str | None = None,
        sequence_index: str | None = None,
    ) -> dict[str, Any]:
        """Metadata detected from the tables (see `synthstudio_libs.metadata_detection`); for
        sequential data with its entity and order columns, named or found."""
        layout = resolve_layout(tables, layout, sequence_key, sequence_index)
        metadata = detect_table_metadata(tables)
        if layout is DataLayout.SEQUENTIAL:
            ((name, frame),) = tables.items()
            key, index = sequence_columns(frame, name, sequence_key, sequence_index)
            table = metadata["tables"][name]
            if table.get("primary_key") in (key, index):
                del table["primary_key"]
            # The entity column identifies sequences; synthetic sequences get fresh ids.
            table["columns"][key] = {"sdtype": "id"}
            table["sequence_key"], table["sequence_index"] = key, index
        return metadata

    def validate_metadata(
        self, metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None
    ) -> dict[str, Any]:
        """The user's (edited) metadata, its shape checked (against the tables when given)."""
        checked = check_metadata_shape(metadata)
        if tables is not None:
            check_tables(tables)
            check_described(checked, tables)
        return checked


def check_metadata_shape(metadata: object) -> dict[str, Any]:
    """A copy of `metadata` once its tables, columns, keys and relationships hang together;
    InvalidInput names the first wrong field."""
    if not isinstance(metadata, Mapping):
        raise InvalidInput("metadata must be an object with 'tables'", field="metadata")
    tables = metadata.get("tables")
    if not isinstance(tables, Mapping) or not tables:
        raise InvalidInput(
            "metadata.tables is empty: describe at least one table", field="metadata.tables"
        )
    for name, table in tables.items():
        _check_table(name, table)
    relationships = metadata.get("relationships", [])
    if not isinstance(relationships, list):
        raise InvalidInput("metadata.relationships must be a list", field="metadata.relationships")
    for index, relationship in enumerate(relationships):
        _check_relationship(index, relationship, tables)
    checked = copy.deepcopy(dict(metadata))
    checked["relationships"] = copy.deepcopy(relationships)
    checked["METADATA_SPEC_VERSION"] = "V2"
    return checked


def check_described(metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> None:
    """InvalidInput when tables or columns differ between the metadata and the data."""
    described, given = set(metadata["tables"]), set(tables)
    if described != given:
        raise InvalidInput(
            f"the metadata describes tables {sorted(described)} but the data has "
            f"{sorted(given)}: describe exactly the tables you train on",
            field="metadata.tables",
            metadata={"described": sorted(described), "given": sorted(given)},
        )
    for name, frame in tables.items():
        described_columns = set(metadata["tables"][name]["columns"])
        missing = [column for column in frame.columns if column not in described_columns]
        extra = sorted(described_columns - set(frame.columns))
        path = f"metadata.tables.{name}.columns"
        if missing:
            raise InvalidInput(
                f"column(s) {missing} of table '{name}' are not in the metadata: add them to "
                f"{path} or drop them from the data",
                field=path,
                metadata={"table": name, "columns": missing},
            )
        if extra:
            raise InvalidInput(
                f"the metadata describes column(s) {extra} that table '{name}' does not have: "
                f"remove them from {path}",
                field=path,
                metadata={"table": name, "columns": extra},
            )


def _check_table(name: object, table: object) -> None:
    path = f"metadata.tables.{name}"
    if not isinstance(name, str) or not name:
        raise InvalidInput(f"table names must be non-empty text, got {name!r}", field=path)
    if not isinstance(table, Mapping):
        raise InvalidInput(f"{path} must be an object with 'columns'", field=path)
    columns = table.get("columns")
    if not isinstance(columns, Mapping) or not columns:
        raise InvalidInput(
            f"{path}.columns is empty: describe every column", field=f"{path}.columns"
        )
    for column, spec in columns.items():
        sdtype = spec.get("sdtype") if isinstance(spec, Mapping) else None
        if not isinstance(sdtype, str) or not (
            sdtype in _STATISTICAL_SDTYPES or _PII_SDTYPE.fullmatch(sdtype)
        ):
            raise InvalidInput(
                f"{path}.columns.{column}.sdtype is missing or not a type: give the column a "
                "type such as numerical, categorical, datetime, id or email",
                field=f"{path}.columns.{column}.sdtype",
                metadata={"table": name, "column": column},
            )
    for key in _TABLE_KEYS:
        value = table.get(key)
        if value is not None and value not in columns:
            raise InvalidInput(
                f"{path}.{key} is '{value}', which is not a column of '{name}': use one of "
                f"{list(columns)}",
                field=f"{path}.{key}",
                metadata={"table": name, "column": value},
            )


def _check_relationship(index: int, relationship: object, tables: Mapping[str, Any]) -> None:
    path = f"metadata.relationships[{index}]"
    if not isinstance(relationship, Mapping):
        raise InvalidInput(f"{path} must be an object", field=path)
    for key in _RELATIONSHIP_KEYS:
        if not isinstance(relationship.get(key), str):
            raise InvalidInput(
                f"{path}.{key} is missing: a relationship names {', '.join(_RELATIONSHIP_KEYS)}",
                field=f"{path}.{key}",
            )
    for side, key_name in (("parent", "parent_primary_key"), ("child", "child_foreign_key")):
        table = relationship[f"{side}_table_name"]
        if table not in tables:
            raise InvalidInput(
                f"{path}.{side}_table_name '{table}' is not a table of the metadata: use one of "
                f"{sorted(tables)}",
                field=f"{path}.{side}_table_name",
                metadata={"table": table},
            )
        column = relationship[key_name]
        if column not in tables[table]["columns"]:
            raise InvalidInput(
                f"{path}.{key_name} '{column}' is not a column of '{table}'",
                field=f"{path}.{key_name}",
                metadata={"table": table, "column": column},
            )
