"""Metadata by SDV's rules: detected from the tables, edited by the user as a plain dict,
validated on return. (`synthstudio_synthesis.engine.metadata` has the rules that need no SDV.)

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
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sdv.errors import InvalidDataError
from sdv.metadata import Metadata
from sdv.metadata.errors import InvalidMetadataError

from synthstudio_libs.errors import InvalidInput
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind
from synthstudio_synthesis.engine.metadata import (
    check_described,
    check_tables,
    resolve_layout,
    sequence_columns,
)

# Errors SDV raises while parsing a user's dict; anything else is a bug and propagates.
_SDV_PARSE_ERRORS = (InvalidMetadataError, ValueError, TypeError, KeyError, AttributeError)
_TABLE_KEYS = ("primary_key", "sequence_key", "sequence_index")
_RELATIONSHIP_KEYS = (
    "parent_table_name",
    "parent_primary_key",
    "child_table_name",
    "child_foreign_key",
)
# The free HMA refuses bigger schemas; saying so before training saves the user a failed job.
HMA_MAX_TABLES = 5
HMA_MAX_DEPTH = 2


def detect_metadata(
    tables: Mapping[str, pd.DataFrame],
    layout: DataLayout | None = None,
    *,
    sequence_key: str | None = None,
    sequence_index: str | None = None,
) -> dict[str, Any]:
    """Metadata detected from the tables, as a dict the user may edit and hand back.

    Several tables are linked by primary/foreign keys found by column name. For sequential data
    the entity column (`sequence_key`) and the order column (`sequence_index`) are taken from the
    arguments or, when absent, found in the data: the index must increase within each entity.
    """
    layout = resolve_layout(tables, layout, sequence_key, sequence_index)
    metadata = Metadata.detect_from_dataframes(dict(tables))
    for name, frame in tables.items():
        _unmark_measured_key(metadata, name, frame)
    if layout is DataLayout.SEQUENTIAL:
        ((name, frame),) = tables.items()
        _mark_sequences(metadata, name, frame, sequence_key, sequence_index)
    return metadata.to_dict()


def _unmark_measured_key(metadata: Metadata, table: str, frame: pd.DataFrame) -> None:
    """Undoes SDV taking a float column whose values happen to be distinct as the key.

    Identifiers are text or integers; distinct floats (prices, volumes) are measurements.
    """
    key = metadata.tables[table].primary_key
    if not isinstance(key, str) or not pd.api.types.is_float_dtype(frame[key]):
        return
    metadata.remove_primary_key(table)
    metadata.update_column(key, table, sdtype="numerical")


def _mark_sequences(
    metadata: Metadata,
    table: str,
    frame: pd.DataFrame,
    sequence_key: str | None,
    sequence_index: str | None,
) -> None:
    sequence_key, sequence_index = sequence_columns(frame, table, sequence_key, sequence_index)
    if metadata.tables[table].primary_key in (sequence_key, sequence_index):
        metadata.remove_primary_key(table)
    # The entity column identifies sequences; synthetic sequences get fresh ids.
    metadata.update_column(sequence_key, table, sdtype="id")
    metadata.set_sequence_key(sequence_key, table)
    metadata.set_sequence_index(sequence_index, table)


def load_metadata(metadata: Mapping[str, Any]) -> Metadata:
    """SDV metadata from the user's dict; InvalidInput names the first wrong field."""
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
    return _parse(metadata, "metadata")


def validate_metadata(
    metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, Any]:
    """The user's (edited) metadata, checked (against the tables when given) and normalised."""
    parsed = load_metadata(metadata)
    if tables is not None:
        check_tables(tables)
        check_matches_tables(parsed, tables)
        try:
            parsed.validate_data(dict(tables))
        except InvalidDataError as error:
            raise InvalidInput(
                f"the tables do not match the metadata: {plain_message(error)}",
                field="metadata",
                metadata={"detail": plain_message(error)},
            ) from None
    return parsed.to_dict()


def check_matches_tables(metadata: Metadata, tables: Mapping[str, pd.DataFrame]) -> None:
    """InvalidInput when tables or columns differ between the metadata and the data."""
    check_described(metadata.to_dict(), tables)


def check_layout(kind: SynthesizerKind, metadata: Metadata) -> None:
    """InvalidInput when the metadata's shape does not suit the synthesizer kind."""
    tables = list(metadata.tables)
    layout = kind.layout
    if layout is not DataLayout.MULTI_TABLE and len(tables) != 1:
        raise InvalidInput(
            f"a {kind.value} synthesizer learns one table, but the metadata has {len(tables)}: "
            "use hma for linked tables",
            field="metadata.tables",
            metadata={"kind": kind.value, "tables": len(tables)},
        )
    if layout is DataLayout.SEQUENTIAL:
        (name,) = tables
        if not metadata.tables[name].sequence_key:
            raise InvalidInput(
                f"a par synthesizer needs sequences: set metadata.tables.{name}.sequence_key "
                "to the column that identifies each entity",
                field=f"metadata.tables.{name}.sequence_key",
                metadata={"table": name},
            )
    if layout is DataLayout.SINGLE_TABLE:
        (name,) = tables
        if metadata.tables[name].sequence_key:
            raise InvalidInput(
                f"table '{name}' holds sequences (sequence_key is set): train a par synthesizer "
                f"or remove metadata.tables.{name}.sequence_key",
                field=f"metadata.tables.{name}.sequence_key",
                metadata={"table": name, "kind": kind.value},
            )
    if kind is SynthesizerKind.HMA:
        depth = metadata._get_max_schema_depth()
        if len(tables) > HMA_MAX_TABLES or depth > HMA_MAX_DEPTH:
            raise InvalidInput(
                f"hma learns at most {HMA_MAX_TABLES} tables linked at most {HMA_MAX_DEPTH} "
                f"levels deep (no grandchild tables); this schema has {len(tables)} tables, "
                f"{depth} levels: drop tables or relationships",
                field="metadata.relationships",
                metadata={"tables": len(tables), "depth": depth},
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
        column_path = f"{path}.columns.{column}"
        if not isinstance(spec, Mapping) or not isinstance(spec.get("sdtype"), str):
            raise InvalidInput(
                f"{column_path}.sdtype is missing: give the column a type such as numerical, "
                "categorical, datetime, id or email",
                field=f"{column_path}.sdtype",
                metadata={"table": name, "column": column},
            )
        single = {"tables": {name: {"columns": {column: copy.deepcopy(dict(spec))}}}}
        field = f"{column_path}.sdtype" if _sdtype_unknown(single) else column_path
        _parse(single, field)
    for key in _TABLE_KEYS:
        value = table.get(key)
        if value is not None and value not in columns:
            raise InvalidInput(
                f"{path}.{key} is '{value}', which is not a column of '{name}': use one of "
                f"{list(columns)}",
                field=f"{path}.{key}",
                metadata={"table": name, "column": value},
            )
    _parse({"tables": {name: copy.deepcopy(dict(table))}}, path)


def _sdtype_unknown(single: dict[str, Any]) -> bool:
    try:
        Metadata.load_from_dict(copy.deepcopy(single)).validate()
    except _SDV_PARSE_ERRORS as error:
        return "Invalid sdtype" in str(error)
    return False


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
    for side in ("parent", "child"):
        table = relationship[f"{side}_table_name"]
        if table not in tables:
            raise InvalidInput(
                f"{path}.{side}_table_name '{table}' is not a table of the metadata: use one of "
                f"{sorted(tables)}",
                field=f"{path}.{side}_table_name",
                metadata={"table": table},
            )
        key_name = "parent_primary_key" if side == "parent" else "child_foreign_key"
        column = relationship[key_name]
        if column not in tables[table]["columns"]:
            raise InvalidInput(
                f"{path}.{key_name} '{column}' is not a column of '{table}'",
                field=f"{path}.{key_name}",
                metadata={"table": table, "column": column},
            )
    linked = {
        "tables": {
            name: copy.deepcopy(dict(tables[name]))
            for name in {relationship["parent_table_name"], relationship["child_table_name"]}
        },
        "relationships": [dict(relationship)],
    }
    _parse(linked, path)


def _parse(metadata: Mapping[str, Any], field: str) -> Metadata:
    try:
        parsed = Metadata.load_from_dict(copy.deepcopy(dict(metadata)))
        parsed.validate()
    except _SDV_PARSE_ERRORS as error:
        raise InvalidInput(
            f"{field} is not valid: {plain_message(error)}",
            field=field,
            metadata={"detail": plain_message(error)},
        ) from None
    return parsed


def plain_message(error: Exception) -> str:
    """SDV's multi-line message as one line, without its generic headings."""
    noise = {"The metadata is not valid", "Relationships:"}
    lines = [line.strip() for line in str(error).splitlines()]
    kept = [line for line in lines if line and line not in noise and not line.startswith("Table:")]
    return "; ".join(kept) or type(error).__name__
