"""Warnings, said before training starts, when the chosen kind is a poor fit for the table.

CTGAN, CopulaGAN and TVAE one-hot encode every categorical column: a column of free text or
of identifiers with thousands of distinct values becomes thousands of network inputs (3,555
for one free-text column of a real table here, at 40-55 s an epoch), and the model learns
little from values seen once. The warning names the column, says what it costs and what to
do instead, in the job while it runs and in its result."""

from __future__ import annotations

from typing import Any

import pandas as pd

from synthstudio_synthesis.engine.kinds import SynthesizerKind

_ONE_HOT_KINDS = frozenset({SynthesizerKind.CTGAN, SynthesizerKind.COPULAGAN, SynthesizerKind.TVAE})
# Distinct values above which a one-hot encoded column dominates the model's input.
WIDE_COLUMN_VALUES = 500
_CATEGORICAL_SDTYPES = frozenset({"categorical", "unknown", "text"})


def poor_fit_warnings(
    kind: SynthesizerKind, tables: dict[str, pd.DataFrame], metadata: dict[str, Any]
) -> list[str]:
    """One sentence per column that makes `kind` slow and poor on these tables."""
    if kind not in _ONE_HOT_KINDS:
        return []
    warnings = []
    for table, frame in tables.items():
        columns = metadata.get("tables", {}).get(table, {}).get("columns", {})
        for column, spec in columns.items():
            if spec.get("sdtype") not in _CATEGORICAL_SDTYPES or column not in frame:
                continue
            distinct = int(frame[column].nunique(dropna=True))
            if distinct > WIDE_COLUMN_VALUES:
                warnings.append(_wide_column(kind, table, column, distinct))
    return warnings


def _wide_column(kind: SynthesizerKind, table: str, column: str, distinct: int) -> str:
    return (
        f"{kind.value} one-hot encodes {table}.{column} into {distinct:,} inputs (one per "
        f"distinct value, over {WIDE_COLUMN_VALUES}): training will be slow and learn little "
        "from values seen once. Train tabular_argn (or auto) instead, or drop, pseudonymise or "
        "mark the column as an id before training"
    )
