"""The evaluation's view of the shared train/holdout split (`synthstudio_libs.holdout`).

The split itself lives in libs so that the synthesis service trains on exactly the rows the
evaluation keeps out; here it only gains the evaluation's input checks (a DataFrame or a dict of
them, tables that match their metadata) before any row is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthstudio_evaluation.tables import Tables, as_table_set
from synthstudio_evaluation.validation import check_tables_match_metadata
from synthstudio_libs import holdout as shared
from synthstudio_libs.holdout import (
    DEFAULT_HOLDOUT_FRACTION,
    DEFAULT_HOLDOUT_SEED,
    HoldoutRecord,
    HoldoutSplit,
    check_holdout_fraction,
)

__all__ = [
    "DEFAULT_HOLDOUT_FRACTION",
    "DEFAULT_HOLDOUT_SEED",
    "HoldoutRecord",
    "HoldoutSplit",
    "check_holdout_fraction",
    "reapply_holdout",
    "split_holdout",
]


def split_holdout(
    data: Tables,
    metadata: Mapping[str, Any],
    *,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
    seed: int = DEFAULT_HOLDOUT_SEED,
    split_table: str | None = None,
    stratify_column: str | None = None,
) -> HoldoutSplit:
    """`synthstudio_libs.holdout.split_holdout` after checking the tables against `metadata`."""
    check_holdout_fraction(holdout_fraction)
    tables = as_table_set(data, metadata, role="real_data")
    check_tables_match_metadata(tables, "real_data")
    return shared.split_holdout(
        tables.tables,
        tables.metadata,
        holdout_fraction=holdout_fraction,
        seed=seed,
        split_table=split_table,
        stratify_column=stratify_column,
    )


def reapply_holdout(
    data: Tables, metadata: Mapping[str, Any], record: HoldoutRecord
) -> HoldoutSplit:
    """`synthstudio_libs.holdout.reapply_holdout` after checking the tables against `metadata`."""
    tables = as_table_set(data, metadata, role="real_data")
    check_tables_match_metadata(tables, "real_data")
    return shared.reapply_holdout(tables.tables, tables.metadata, record)
