"""Scanning and anonymizing stored datasets: the work behind the pii service's dataset jobs.

Datasets live in the synthesis service; `DatasetStore` is what this module needs of it
(`synthstudio_libs.datasets_client.DatasetClient` provides it over gRPC). Anonymization always
writes a NEW dataset that records its source (`derived_from`); the source is only read.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import pandas as pd
from google.protobuf import json_format

from synthstudio_libs.errors import InvalidInput, NotFound, PermissionDenied
from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_pii.analyzer import AnalyzerStatus
from synthstudio_pii.anonymize import ColumnPolicy, Operator
from synthstudio_pii.columns import (
    MAX_INLINE_SCAN_VALUES,
    ClassificationOptions,
    ColumnVerdict,
    FreeTextScan,
    TableClassification,
    with_full_scan,
)
from synthstudio_pii.core import PiiCore
from synthstudio_pii.recognizers import RecognizerSelection

MAX_SAMPLE_ROWS = 10_000
# Operators whose output depends on the column's entity type (pseudonym format, placeholder):
# where a policy gives none, the column is classified first.
_TYPED_OPERATORS = frozenset({Operator.PSEUDONYMIZE.value, Operator.REPLACE.value})
# SDV sdtypes that no longer fit once a column's values become strings.
_VALUE_SDTYPES = frozenset({"numerical", "datetime", "boolean"})


class DatasetStore(Protocol):
    """The dataset operations of the synthesis service that this module uses."""

    def get(self, dataset_id: str) -> Any:
        """The dataset's description: `id`, `display_name`, `tables` (each with `name` and
        `columns` with `name`), `metadata` (SDV metadata, a protobuf Struct)."""
        ...

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        """Every table of the dataset."""
        ...

    def create(
        self,
        tables: dict[str, pd.DataFrame],
        *,
        display_name: str = "",
        derived_from: str = "",
        metadata: dict[str, Any] | None = None,
    ) -> Any:
        """Store tables as a new dataset; returns its description (with `id`)."""
        ...


@dataclass(frozen=True)
class DatasetScan:
    """Column verdicts of every table of a dataset."""

    dataset_id: str
    tables: tuple[TableClassification, ...]
    status: AnalyzerStatus


@dataclass(frozen=True)
class ColumnScan:
    """A full scan of one column of a dataset."""

    dataset_id: str
    table: str
    scan: FreeTextScan


@dataclass(frozen=True)
class AnonymizedDataset:
    """The new dataset an anonymization produced, and what changed."""

    dataset_id: str
    source_dataset_id: str
    columns_transformed: Mapping[str, int]


class _Scaled:
    """Progress of one stage, mapped into [start, end] of the job's progress."""

    def __init__(self, progress: Progress, start: float, end: float) -> None:
        self._progress, self._start, self._end = progress, start, end

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        scaled = self._start + (self._end - self._start) * min(max(fraction, 0.0), 1.0)
        self._progress.update(min(scaled, 0.999), message, **details)


class PiiDatasets:
    """Scans and anonymizes stored datasets with a `PiiCore`, reading and writing them through
    a `DatasetStore`. The `check_*` methods validate a request before a job is queued; the
    others run inside the job."""

    def __init__(self, core: PiiCore, datasets: DatasetStore) -> None:
        self._core = core
        self._datasets = datasets

    def schema(self, dataset_id: str) -> dict[str, list[str]]:
        """Table name -> column names of a dataset (NotFound if there is no such dataset)."""
        return _schema(self._datasets.get(dataset_id))

    # -- scan ---------------------------------------------------------------------------------

    def check_scan(
        self, dataset_id: str, selection: RecognizerSelection | None, sample_rows: int
    ) -> None:
        """Validate a dataset scan request (NotFound, InvalidInput)."""
        _options(sample_rows)
        self._core.check_selection(selection)
        self.schema(dataset_id)

    def scan(
        self,
        dataset_id: str,
        *,
        selection: RecognizerSelection | None = None,
        sample_rows: int = 0,
        progress: Progress | None = None,
    ) -> DatasetScan:
        """Classify every column of every table from samples, then read every cell of the
        free-text columns (up to `MAX_INLINE_SCAN_VALUES` distinct values each): PII in prose
        can sit in one row of thousands."""
        progress = progress or NullProgress()
        progress.update(0.0, f"reading dataset {dataset_id}")
        tables = self._datasets.read_tables(dataset_id)
        classified = self._core.classify(
            tables,
            selection=selection,
            options=_options(sample_rows),
            progress=_Scaled(progress, 0.2, 0.6),
        )
        scanned = self._scan_free_text(tables, classified, selection, _Scaled(progress, 0.6, 1.0))
        return DatasetScan(dataset_id, scanned, self._core.status)

    def _scan_free_text(
        self,
        tables: Mapping[str, pd.DataFrame],
        classified: Mapping[str, TableClassification],
        selection: RecognizerSelection | None,
        progress: Progress,
    ) -> tuple[TableClassification, ...]:
        pending = [
            (name, verdict.column)
            for name, table in classified.items()
            for verdict in table.columns
            if verdict.full_scan_recommended
            and tables[name][verdict.column].nunique() <= MAX_INLINE_SCAN_VALUES
        ]
        done: dict[tuple[str, str], ColumnVerdict] = {}
        for index, (name, column) in enumerate(pending):
            scan = self._core.scan_column(
                tables[name][column],
                column=column,
                selection=selection,
                progress=_Scaled(progress, index / len(pending), (index + 1) / len(pending)),
            )
            done[(name, column)] = with_full_scan(classified[name].verdict(column), scan)
        return tuple(
            replace(table, columns=tuple(done.get((name, v.column), v) for v in table.columns))
            for name, table in classified.items()
        )

    # -- full column scan ---------------------------------------------------------------------

    def check_scan_column(
        self,
        dataset_id: str,
        table: str,
        column: str,
        selection: RecognizerSelection | None,
    ) -> str:
        """Validate a column scan request; returns the table's name (NotFound, InvalidInput)."""
        self._core.check_selection(selection)
        schema = self.schema(dataset_id)
        name = _table_name(schema, table, dataset_id, "table")
        if column not in schema[name]:
            raise NotFound(
                f"Table {name!r} of dataset {dataset_id!r} has no column {column!r}; its columns "
                f"are {', '.join(schema[name])}.",
                reason="COLUMN_NOT_FOUND",
                metadata={"dataset_id": dataset_id, "table": name, "column": column},
            )
        return name

    def scan_column(
        self,
        dataset_id: str,
        table: str,
        column: str,
        *,
        selection: RecognizerSelection | None = None,
        progress: Progress | None = None,
    ) -> ColumnScan:
        """Scan every cell of one column."""
        progress = progress or NullProgress()
        progress.update(0.0, f"reading dataset {dataset_id}")
        tables = self._datasets.read_tables(dataset_id)
        name = _table_name({t: list(f.columns) for t, f in tables.items()}, table, dataset_id)
        scan = self._core.scan_column(
            tables[name][column],
            column=column,
            selection=selection,
            progress=_Scaled(progress, 0.1, 1.0),
        )
        return ColumnScan(dataset_id, name, scan)

    # -- anonymization ------------------------------------------------------------------------

    def check_anonymize(
        self,
        dataset_id: str,
        policies: Mapping[str, Mapping[str, ColumnPolicy]],
        *,
        selection: RecognizerSelection | None = None,
        may_decrypt: bool = False,
    ) -> dict[str, dict[str, ColumnPolicy]]:
        """Validate policies against the dataset; returns them keyed by the real table names
        (`""` names the only table of a single-table dataset)."""
        if not any(policies.values()):
            raise InvalidInput(
                "No column policy given: name at least one column and its operator, e.g. "
                "policies[table][email] = {operator: pseudonymize}.",
                field="policies",
            )
        _check_decrypt(policies, may_decrypt)
        dataset = self._datasets.get(dataset_id)
        schema = _schema(dataset)
        named = {
            _table_name(schema, table, dataset_id, f"policies[{table}]"): dict(columns)
            for table, columns in policies.items()
        }
        self._core.check_policies(schema, named, selection=selection)
        _derived_metadata(_metadata_of(dataset), named)  # refuses to drop a linking key
        return named

    def anonymize(
        self,
        dataset_id: str,
        policies: Mapping[str, Mapping[str, ColumnPolicy]],
        *,
        selection: RecognizerSelection | None = None,
        display_name: str = "",
        may_decrypt: bool = False,
        progress: Progress | None = None,
    ) -> AnonymizedDataset:
        """Write a new dataset with each column transformed by its policy; the source dataset
        is only read. One pseudonymizer serves every table, so a value gets one pseudonym in
        every column and table."""
        progress = progress or NullProgress()
        named = self.check_anonymize(
            dataset_id, policies, selection=selection, may_decrypt=may_decrypt
        )
        source = self._datasets.get(dataset_id)
        progress.update(0.0, f"reading dataset {dataset_id}")
        tables = self._datasets.read_tables(dataset_id)
        named = self._with_entity_types(tables, named, selection)
        progress.update(0.2, "anonymizing")
        anonymized = self._core.anonymize(
            tables, named, selection=selection, progress=_Scaled(progress, 0.2, 0.8)
        )
        anonymized = {
            name: _nulls_as_none(frame, named.get(name, {})) for name, frame in anonymized.items()
        }
        progress.update(0.8, "storing the anonymized dataset")
        created = self._datasets.create(
            anonymized,
            display_name=display_name or f"{source.display_name or dataset_id} (anonymized)",
            derived_from=dataset_id,
            metadata=_derived_metadata(_metadata_of(source), named),
        )
        transformed = {
            table: sum(1 for p in columns.values() if p.operator != Operator.KEEP.value)
            for table, columns in named.items()
        }
        return AnonymizedDataset(created.id, dataset_id, transformed)

    def _with_entity_types(
        self,
        tables: Mapping[str, pd.DataFrame],
        policies: Mapping[str, Mapping[str, ColumnPolicy]],
        selection: RecognizerSelection | None,
    ) -> dict[str, dict[str, ColumnPolicy]]:
        """Fill in the entity type of pseudonymize/replace policies that give none, from a
        classification of those columns."""
        untyped = {
            table: [
                c
                for c, p in columns.items()
                if p.entity_type is None and p.operator in _TYPED_OPERATORS
            ]
            for table, columns in policies.items()
        }
        untyped = {table: columns for table, columns in untyped.items() if columns}
        filled = {table: dict(columns) for table, columns in policies.items()}
        if not untyped:
            return filled
        classified = self._core.classify(
            {table: tables[table][columns] for table, columns in untyped.items()},
            selection=selection,
        )
        for table, columns in untyped.items():
            for column in columns:
                entity_type = classified[table].verdict(column).entity_type
                filled[table][column] = replace(filled[table][column], entity_type=entity_type)
        return filled


def _schema(dataset: Any) -> dict[str, list[str]]:
    return {t.name: [c.name for c in t.columns] for t in dataset.tables}


def _options(sample_rows: int) -> ClassificationOptions:
    if not 0 <= sample_rows <= MAX_SAMPLE_ROWS:
        raise InvalidInput(
            f"sample_rows must be between 1 and {MAX_SAMPLE_ROWS} (0 for the default), got "
            f"{sample_rows}.",
            field="sample_rows",
            metadata={"sample_rows": sample_rows, "max_sample_rows": MAX_SAMPLE_ROWS},
        )
    return (
        ClassificationOptions(sample_rows=sample_rows) if sample_rows else ClassificationOptions()
    )


def _table_name(
    schema: Mapping[str, Sequence[str]], table: str, dataset_id: str, field: str = "table"
) -> str:
    """The table a request names; `""` stands for the only table of a single-table dataset."""
    if table in schema:
        return table
    if not table and len(schema) == 1:
        return next(iter(schema))
    tables = ", ".join(schema)
    if not table:
        raise InvalidInput(
            f"Dataset {dataset_id!r} has several tables ({tables}): name one.",
            field=field,
            metadata={"dataset_id": dataset_id, "tables": tables},
        )
    raise NotFound(
        f"Dataset {dataset_id!r} has no table {table!r}; its tables are {tables}.",
        reason="TABLE_NOT_FOUND",
        metadata={"dataset_id": dataset_id, "table": table, "tables": tables},
    )


def _check_decrypt(policies: Mapping[str, Mapping[str, ColumnPolicy]], may_decrypt: bool) -> None:
    if may_decrypt:
        return
    for table, columns in policies.items():
        for column, policy in columns.items():
            if policy.operator == Operator.DECRYPT.value:
                raise PermissionDenied(
                    "Decrypting a column re-identifies people: only an admin may use the "
                    "`decrypt` operator.",
                    reason="DECRYPT_REQUIRES_ADMIN",
                    metadata={"table": table, "column": column},
                )


def _nulls_as_none(frame: pd.DataFrame, policies: Mapping[str, ColumnPolicy]) -> pd.DataFrame:
    """Transformed columns hold strings; their nulls (NaN, NaT) become None for Parquet."""
    for column, policy in policies.items():
        if column in frame.columns and policy.operator not in (
            Operator.KEEP.value,
            Operator.DROP.value,
        ):
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def _metadata_of(dataset: Any) -> dict[str, Any]:
    metadata = getattr(dataset, "metadata", None)
    if metadata is None or not metadata.fields:
        return {}
    # A protobuf Struct: plain values for the JSON-like dict SDV metadata is.
    return json_format.MessageToDict(metadata)


def _derived_metadata(
    metadata: Mapping[str, Any], policies: Mapping[str, Mapping[str, ColumnPolicy]]
) -> dict[str, Any] | None:
    """The source's SDV metadata adjusted to the anonymized tables: dropped columns removed,
    and columns now holding strings no longer numerical, datetime or boolean."""
    if not metadata:
        return None
    derived = copy.deepcopy(dict(metadata))
    tables = derived.get("tables", {})
    for table, columns in policies.items():
        described = tables.get(table, {}).get("columns", {})
        for column, policy in columns.items():
            if column not in described or policy.operator == Operator.KEEP.value:
                continue
            if policy.operator == Operator.DROP.value:
                _refuse_dropping_a_key(derived, table, column)
                del described[column]
            elif described[column].get("sdtype") in _VALUE_SDTYPES:
                described[column] = {"sdtype": "categorical"}
    return derived


def _refuse_dropping_a_key(metadata: Mapping[str, Any], table: str, column: str) -> None:
    described = metadata.get("tables", {}).get(table, {})
    keys = {described.get("primary_key"), described.get("sequence_key")}
    for relationship in metadata.get("relationships", []):
        if relationship.get("parent_table_name") == table:
            keys.add(relationship.get("parent_primary_key"))
        if relationship.get("child_table_name") == table:
            keys.add(relationship.get("child_foreign_key"))
    if column in keys:
        raise InvalidInput(
            f"Column {column!r} of table {table!r} is a key that links the dataset's tables: "
            "it cannot be dropped. Pseudonymize or hash it instead (consistent across tables, "
            "so the links hold).",
            field=f"policies[{table}][{column}].operator",
            metadata={"table": table, "column": column},
        )
