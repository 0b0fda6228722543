"""Reproducible train/holdout split of a real dataset, and the record that lets it be recomputed.

Utility (train on synthetic, test on real) and privacy (is synthetic data closer to the training
rows than to unseen rows?) both need real rows the synthesizer never saw. The split happens once,
when a dataset is registered for evaluation; the synthesizer must then be trained on `train` only.

What is split depends on the dataset's shape: rows of a single table, whole sequences of a
sequential table (a sequence never straddles the split), or rows of one table of a multi-table
dataset together with all their descendants (a child row follows its parent). Tables that are
neither the split table nor its descendants (lookup parents such as `airlines`) are shared: they
appear whole on both sides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from synthstudio_evaluation.tables import (
    Modality,
    Tables,
    TableSet,
    as_list,
    as_table_set,
)
from synthstudio_evaluation.validation import (
    check_table_name,
    check_tables_match_metadata,
)
from synthstudio_libs.errors import FailedPrecondition, InvalidInput

DEFAULT_HOLDOUT_FRACTION = 0.2
MAX_HOLDOUT_FRACTION = 0.9


@dataclass(frozen=True)
class HoldoutRecord:
    """What is stored about a split: enough to recompute it and to prove it is the same one.

    `unit` is what was drawn: "row", "sequence" (whole sequences of a sequential table) or
    "row_with_descendants" (rows of `split_table` in a multi-table dataset). Row counts are per
    table; `holdout_index_sha256` hashes the holdout's row positions in every table, and
    `dataset_sha256` the content of the tables the split was drawn from.
    """

    seed: int
    holdout_fraction: float
    split_table: str
    unit: str
    total_units: int
    holdout_units: int
    train_rows: dict[str, int]
    holdout_rows: dict[str, int]
    shared_tables: list[str]
    holdout_index_sha256: str
    dataset_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> HoldoutRecord:
        return cls(**dict(values))


@dataclass(frozen=True)
class HoldoutSplit:
    """The two parts of a real dataset (tables keyed by name, fresh 0..n-1 indexes)."""

    train: dict[str, pd.DataFrame]
    holdout: dict[str, pd.DataFrame]
    record: HoldoutRecord


def split_holdout(
    data: Tables,
    metadata: Mapping[str, Any],
    *,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
    seed: int = 0,
    split_table: str | None = None,
) -> HoldoutSplit:
    """Split `data` into train and holdout with a seeded draw and record how.

    `split_table` names the table whose rows are drawn in a multi-table dataset; by default the
    dataset's only root table. Raises InvalidInput for a fraction outside (0, 0.9], an unknown
    table or a multi-table dataset with several roots and no `split_table`; FailedPrecondition
    when the table is too small to leave a row on each side.
    """
    check_holdout_fraction(holdout_fraction)
    tables = as_table_set(data, metadata, role="real_data")
    check_tables_match_metadata(tables, "real_data")
    table = _choose_split_table(tables, split_table)
    units = _units(tables, table)
    n_holdout = int(round(len(units) * holdout_fraction))
    if len(units) < 2 or not 0 < n_holdout < len(units):
        raise FailedPrecondition(
            f"Table '{table}' has {len(units)} {_unit_name(tables)}s; a holdout fraction of "
            f"{holdout_fraction} leaves no {_unit_name(tables)} on one side. Add rows or change "
            "the fraction.",
            reason="DATASET_TOO_SMALL",
            metadata={
                "table": table,
                "units": len(units),
                "holdout_fraction": holdout_fraction,
            },
        )
    drawn = np.random.default_rng(seed).permutation(len(units))[:n_holdout]
    holdout_masks = _holdout_masks(tables, table, units[np.sort(drawn)])
    return _build_split(tables, table, holdout_masks, seed, holdout_fraction, len(units))


def check_holdout_fraction(holdout_fraction: float) -> None:
    """InvalidInput unless the fraction is in (0, 0.9]."""
    if not 0 < holdout_fraction <= MAX_HOLDOUT_FRACTION:
        raise InvalidInput(
            f"holdout_fraction must be in (0, {MAX_HOLDOUT_FRACTION}]; got {holdout_fraction}. "
            "0.2 keeps a fifth of the rows for evaluation.",
            field="holdout_fraction",
            metadata={"holdout_fraction": holdout_fraction},
        )


def reapply_holdout(
    data: Tables, metadata: Mapping[str, Any], record: HoldoutRecord
) -> HoldoutSplit:
    """Recompute a recorded split and check that it is the same one.

    Raises FailedPrecondition when the dataset's content or the drawn rows differ from the record
    (the dataset changed since it was registered).
    """
    split = split_holdout(
        data,
        metadata,
        holdout_fraction=record.holdout_fraction,
        seed=record.seed,
        split_table=record.split_table,
    )
    for name in ("dataset_sha256", "holdout_index_sha256"):
        if getattr(split.record, name) != getattr(record, name):
            raise FailedPrecondition(
                "The dataset differs from the one whose holdout split was recorded "
                f"({name} changed); register the dataset again to record a new split.",
                reason="HOLDOUT_MISMATCH",
                metadata={
                    "field": name,
                    "recorded": getattr(record, name),
                    "recomputed": getattr(split.record, name),
                },
            )
    return split


def _choose_split_table(tables: TableSet, split_table: str | None) -> str:
    if split_table is not None:
        check_table_name(tables, split_table, "split_table")
        return split_table
    roots = tables.root_tables()
    if len(roots) != 1:
        raise InvalidInput(
            f"The dataset has {len(roots)} root tables ({', '.join(roots)}); name the table whose "
            "rows should be split with split_table (usually the main fact table).",
            field="split_table",
            reason="SPLIT_TABLE_REQUIRED",
            metadata={"root_tables": ",".join(roots)},
        )
    return roots[0]


def _unit_name(tables: TableSet) -> str:
    return "sequence" if tables.modality == Modality.SEQUENTIAL else "row"


def _units(tables: TableSet, table: str) -> np.ndarray:
    """Sequence keys in order of first appearance, or row positions."""
    frame = tables.tables[table]
    sequence_key = tables.table_metadata(table).get("sequence_key")
    if tables.modality == Modality.SEQUENTIAL and sequence_key:
        return pd.unique(frame[sequence_key])
    return np.arange(len(frame))


def _holdout_masks(tables: TableSet, table: str, drawn: np.ndarray) -> dict[str, np.ndarray]:
    """Boolean holdout masks for the split table and, following foreign keys, its descendants."""
    frame = tables.tables[table]
    sequence_key = tables.table_metadata(table).get("sequence_key")
    if tables.modality == Modality.SEQUENTIAL and sequence_key:
        masks = {table: frame[sequence_key].isin(drawn).to_numpy()}
    else:
        mask = np.zeros(len(frame), dtype=bool)
        mask[drawn] = True
        masks = {table: mask}
    pending = [table]
    while pending:
        parent = pending.pop(0)
        for relation in tables.relationships:
            child = relation["child_table_name"]
            if relation["parent_table_name"] != parent or child in masks:
                continue
            parent_keys = as_list(relation["parent_primary_key"])
            child_keys = as_list(relation["child_foreign_key"])
            held = pd.MultiIndex.from_frame(tables.tables[parent].loc[masks[parent], parent_keys])
            child_keys_index = pd.MultiIndex.from_frame(tables.tables[child][child_keys])
            masks[child] = np.asarray(child_keys_index.isin(held))
            pending.append(child)
    return masks


def _build_split(
    tables: TableSet,
    table: str,
    masks: dict[str, np.ndarray],
    seed: int,
    fraction: float,
    total_units: int,
) -> HoldoutSplit:
    train, holdout, positions = {}, {}, {}
    shared = [name for name in tables.table_names if name not in masks]
    for name in tables.table_names:
        frame = tables.tables[name]
        if name in shared:
            train[name] = frame.reset_index(drop=True)
            holdout[name] = frame.reset_index(drop=True)
            continue
        mask = masks[name]
        positions[name] = np.flatnonzero(mask)
        train[name] = frame.loc[~mask].reset_index(drop=True)
        holdout[name] = frame.loc[mask].reset_index(drop=True)
    record = HoldoutRecord(
        seed=seed,
        holdout_fraction=fraction,
        split_table=table,
        unit=_record_unit(tables),
        total_units=total_units,
        holdout_units=_holdout_units(tables, table, holdout[table]),
        train_rows={name: len(frame) for name, frame in train.items()},
        holdout_rows={name: len(frame) for name, frame in holdout.items()},
        shared_tables=shared,
        holdout_index_sha256=_positions_digest(positions, tables),
        dataset_sha256=_content_digest(tables),
    )
    return HoldoutSplit(train=train, holdout=holdout, record=record)


def _record_unit(tables: TableSet) -> str:
    if tables.modality == Modality.SEQUENTIAL:
        return "sequence"
    return "row_with_descendants" if tables.modality == Modality.MULTI_TABLE else "row"


def _holdout_units(tables: TableSet, table: str, holdout: pd.DataFrame) -> int:
    sequence_key = tables.table_metadata(table).get("sequence_key")
    if tables.modality == Modality.SEQUENTIAL and sequence_key:
        return int(holdout[sequence_key].nunique(dropna=False))
    return len(holdout)


def _positions_digest(positions: dict[str, np.ndarray], tables: TableSet) -> str:
    digest = hashlib.sha256()
    for name in sorted(positions):
        digest.update(f"{name}:{len(tables.tables[name])}:".encode())
        digest.update(",".join(map(str, positions[name].tolist())).encode())
        digest.update(b";")
    return digest.hexdigest()


def _content_digest(tables: TableSet) -> str:
    digest = hashlib.sha256()
    for name in sorted(tables.tables):
        frame = tables.tables[name]
        digest.update(f"{name}:{','.join(map(str, frame.columns))}:".encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
