"""Input checks that run before any metric, so bad input fails fast with an actionable message."""

from __future__ import annotations

import pandas as pd

from synthstudio_evaluation.tables import FEATURE_SDTYPES, TableSet
from synthstudio_libs.errors import FailedPrecondition, InvalidInput

#: Fewest holdout rows for which a trained model's score or a distance share means anything.
MIN_HOLDOUT_ROWS = 10
MIN_TRAIN_ROWS = 10


def check_tables_match_metadata(tables: TableSet, role: str) -> None:
    """Every metadata table is present, and each table has exactly the metadata's columns."""
    expected = set(tables.table_names)
    present = set(tables.tables)
    if expected != present:
        missing, extra = sorted(expected - present), sorted(present - expected)
        raise InvalidInput(
            f"The {role} tables do not match the metadata: missing {missing or 'none'}, "
            f"unexpected {extra or 'none'}. Pass one DataFrame per table the metadata names.",
            field=role,
            reason="TABLES_MISMATCH",
            metadata={
                "missing_tables": ",".join(missing),
                "extra_tables": ",".join(extra),
            },
        )
    for name in tables.table_names:
        described = list(tables.table_metadata(name)["columns"])
        actual = [str(column) for column in tables.tables[name].columns]
        missing = [column for column in described if column not in actual]
        extra = [column for column in actual if column not in described]
        if missing or extra:
            raise InvalidInput(
                f"The {role} table '{name}' does not match its metadata: columns missing from "
                f"the data {missing or 'none'}, columns the metadata does not describe "
                f"{extra or 'none'}. Update the metadata or the table so they agree.",
                field=f"{role}.{name}",
                reason="COLUMNS_MISMATCH",
                metadata={
                    "table": name,
                    "missing_columns": ",".join(missing),
                    "extra_columns": ",".join(extra),
                },
            )


def check_synthetic_matches_real(real: TableSet, synthetic: TableSet) -> None:
    """Same tables and same columns on both sides, and no empty synthetic table."""
    real_names, synthetic_names = set(real.tables), set(synthetic.tables)
    if real_names != synthetic_names:
        raise InvalidInput(
            f"The synthetic data has tables {sorted(synthetic_names)} but the real data has "
            f"{sorted(real_names)}; sample every table of the synthesizer's dataset.",
            field="synthetic_data",
            reason="TABLES_MISMATCH",
            metadata={
                "real_tables": ",".join(sorted(real_names)),
                "synthetic_tables": ",".join(sorted(synthetic_names)),
            },
        )
    for name in real.table_names:
        real_columns = [str(column) for column in real.tables[name].columns]
        synthetic_columns = [str(column) for column in synthetic.tables[name].columns]
        missing = [column for column in real_columns if column not in synthetic_columns]
        extra = [column for column in synthetic_columns if column not in real_columns]
        if missing or extra:
            raise InvalidInput(
                f"The synthetic table '{name}' has different columns from the real one: "
                f"missing {missing or 'none'}, unexpected {extra or 'none'}. Evaluate a sample "
                "drawn from a synthesizer trained on this dataset.",
                field=f"synthetic_data.{name}",
                reason="COLUMNS_MISMATCH",
                metadata={
                    "table": name,
                    "missing_columns": ",".join(missing),
                    "extra_columns": ",".join(extra),
                },
            )
        if synthetic.tables[name].empty:
            raise FailedPrecondition(
                f"The synthetic table '{name}' has no rows; sample some rows before evaluating.",
                reason="EMPTY_SYNTHETIC_TABLE",
                metadata={"table": name, "rows": 0},
            )


def check_synthetic_types(real: TableSet, synthetic: TableSet) -> None:
    """The synthetic tables' numerical columns hold numbers and their datetime columns dates
    (in the metadata's `datetime_format` where it has one), missing values aside."""
    for name in real.table_names:
        frame = synthetic.tables[name]
        for column, spec in real.table_metadata(name)["columns"].items():
            kind = spec["sdtype"]
            values = frame[column]
            if kind not in ("numerical", "datetime") or pd.api.types.is_numeric_dtype(values):
                continue
            if pd.api.types.is_datetime64_any_dtype(values):
                converted = values if kind == "datetime" else pd.Series(float("nan"), values.index)
            elif kind == "numerical":
                converted = pd.to_numeric(values, errors="coerce")
            else:
                converted = pd.to_datetime(
                    values, format=spec.get("datetime_format"), errors="coerce", utc=True
                )
            wrong = values.notna() & converted.isna()
            if wrong.any():
                examples = [str(value) for value in values[wrong].unique()[:3]]
                raise InvalidInput(
                    f"The synthetic column '{name}.{column}' should hold "
                    f"{'numbers' if kind == 'numerical' else 'dates'} like the real one, but "
                    f"{int(wrong.sum())} of its values do not (e.g. {examples}). Evaluate a sample "
                    "of a synthesizer trained on this dataset.",
                    field=f"synthetic_data.{name}.{column}",
                    reason="COLUMN_TYPE_MISMATCH",
                    metadata={
                        "table": name,
                        "column": column,
                        "sdtype": kind,
                        "wrong_values": int(wrong.sum()),
                    },
                )


def check_minimum_rows(tables: TableSet, table: str, minimum: int, role: str) -> None:
    """`table` of `role` has at least `minimum` rows (FailedPrecondition otherwise)."""
    rows = len(tables.tables[table])
    if rows < minimum:
        raise FailedPrecondition(
            f"The {role} part of table '{table}' has {rows} rows; utility and privacy metrics "
            f"need at least {minimum}. Register the dataset with more rows or a larger "
            "holdout fraction.",
            reason=f"{role.upper()}_TOO_SMALL",
            metadata={"table": table, "rows": rows, "minimum": minimum},
        )


def check_table_name(tables: TableSet, table: str, field: str) -> None:
    """`table` is one of the dataset's tables."""
    if table not in tables.tables:
        raise InvalidInput(
            f"Table '{table}' is not in the dataset; choose one of {tables.table_names}.",
            field=field,
            reason="UNKNOWN_TABLE",
            metadata={"table": table, "tables": ",".join(tables.table_names)},
        )


def check_column(tables: TableSet, table: str, column: str, field: str) -> None:
    """`column` exists in `table` and has statistical content a model can learn or predict."""
    columns = tables.table_metadata(table)["columns"]
    if column not in columns:
        raise InvalidInput(
            f"Column '{column}' does not exist in table '{table}'; choose one of "
            f"{tables.feature_columns(table)}.",
            field=field,
            reason="UNKNOWN_COLUMN",
            metadata={"table": table, "column": column},
        )
    if column not in tables.feature_columns(table):
        raise InvalidInput(
            f"Column '{column}' of table '{table}' is a key or has sdtype "
            f"'{columns[column]['sdtype']}'; choose a column with sdtype "
            f"{sorted(FEATURE_SDTYPES)} that is not a key.",
            field=field,
            reason="UNUSABLE_COLUMN",
            metadata={
                "table": table,
                "column": column,
                "sdtype": columns[column]["sdtype"],
            },
        )
