"""Turning metadata-typed columns into what scikit-learn and anonymeter can work with."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler

from synthstudio_evaluation.tables import TableSet

NUMERIC_SDTYPES = frozenset({"numerical", "datetime"})
#: One-hot columns beyond this many categories collapse into "infrequent" for model training.
MAX_MODEL_CATEGORIES = 30
_MISSING = "__missing__"


def model_frame(
    frame: pd.DataFrame, tables: TableSet, table: str, columns: list[str]
) -> pd.DataFrame:
    """`columns` of `frame` with numbers as floats (datetimes in epoch seconds) and categories
    as strings, missing values kept as NaN."""
    converted = {}
    for column in columns:
        spec = tables.table_metadata(table)["columns"][column]
        values = frame[column]
        if spec["sdtype"] == "datetime":
            converted[column] = _epoch_seconds(values, spec.get("datetime_format"))
        elif spec["sdtype"] == "numerical":
            converted[column] = pd.to_numeric(values, errors="coerce").astype(float)
        else:
            converted[column] = values.astype(str).where(values.notna(), np.nan)
    return pd.DataFrame(converted, index=frame.index)


def split_by_kind(tables: TableSet, table: str, columns: list[str]) -> tuple[list[str], list[str]]:
    """(numeric columns, categorical columns) among `columns`."""
    numeric = [c for c in columns if tables.sdtype(table, c) in NUMERIC_SDTYPES]
    categorical = [c for c in columns if c not in numeric]
    return numeric, categorical


def model_preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    """Median imputation and scaling for numbers, one-hot (rare levels grouped) for categories."""
    numeric_steps = Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]
    )
    categorical_steps = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value=_MISSING)),
            (
                "one_hot",
                OneHotEncoder(
                    handle_unknown="infrequent_if_exist",
                    max_categories=MAX_MODEL_CATEGORIES,
                    sparse_output=False,
                ),
            ),
        ]
    )
    return ColumnTransformer(
        [
            ("numeric", numeric_steps, numeric),
            ("categorical", categorical_steps, categorical),
        ]
    )


def distance_preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    """Encoding under which the Manhattan distance divided by the column count is Gower's distance.

    Numbers are scaled to the reference data's range (a difference across the whole range
    counts 1); each category is one-hot at weight 0.5, so two different categories count 1.
    """
    numeric_steps = Pipeline(
        [("impute", SimpleImputer(strategy="median")), ("scale", MinMaxScaler())]
    )
    categorical_steps = Pipeline(
        [
            ("impute", SimpleImputer(strategy="constant", fill_value=_MISSING)),
            ("one_hot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    return ColumnTransformer(
        [
            ("numeric", numeric_steps, numeric),
            ("categorical", categorical_steps, categorical),
        ],
        transformer_weights={"numeric": 1.0, "categorical": 0.5},
    )


def _epoch_seconds(values: pd.Series, datetime_format: str | None) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    parsed = pd.to_datetime(values, format=datetime_format, errors="coerce", utc=True)
    seconds = (parsed - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds()
    return seconds.astype(float)
