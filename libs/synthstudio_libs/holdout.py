"""The reproducible train/holdout split of a real dataset, shared by every service.

Privacy (are synthetic rows closer to the training rows than to unseen ones?) and utility (train
on synthetic, test on real) both need real rows the synthesizer never saw. The split is a pure
function of the dataset's content and a few recorded parameters, so the synthesis service (which
trains on `train`) and the evaluation service (which measures against `holdout`) draw the very
same rows; the `HoldoutRecord` carries the parameters and two hashes that prove it.

What is split depends on the dataset's shape: rows of a single table, whole sequences of a
sequential table (a sequence never straddles the split), or rows of the root table of a
multi-table dataset together with all their descendants (a child row follows its parent). Tables
that are neither the split table nor its descendants (lookup parents such as `airlines`) are
shared: they appear whole on both sides. Naming a `stratify_column` keeps its class shares (or,
for a number, its quintile shares) the same on both sides.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from synthstudio_libs.errors import FailedPrecondition, InvalidInput

DEFAULT_HOLDOUT_FRACTION = 0.2
DEFAULT_HOLDOUT_SEED = 0
MAX_HOLDOUT_FRACTION = 0.9
#: A numeric stratification column with more distinct values than this is cut into quintiles.
MAX_STRATA_VALUES = 20
_QUANTILE_BINS = 5


@dataclass(frozen=True)
class HoldoutRecord:
    """What is stored about a split: enough to recompute it and to prove it is the same one.

    `unit` is what was drawn: "row", "sequence" (whole sequences of a sequential table) or
    "row_with_descendants" (rows of `split_table` in a multi-table dataset). Row counts are per
    table; `holdout_index_sha256` hashes the holdout's row positions in every table, and
    `dataset_sha256` the content of the tables the split was drawn from. `stratified_by` is the
    column whose shares the split kept, if any.
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
    stratified_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> HoldoutRecord:
        """The record from `to_dict()`'s form, also after a trip through a protobuf Struct
        (whose numbers are all floats)."""
        known = {item.name for item in fields(cls)}
        record = {key: value for key, value in values.items() if key in known}
        for name in ("seed", "total_units", "holdout_units"):
            record[name] = int(record[name])
        for name in ("train_rows", "holdout_rows"):
            record[name] = {table: int(rows) for table, rows in record[name].items()}
        return cls(**record)


@dataclass(frozen=True)
class HoldoutSplit:
    """The two parts of a real dataset (tables keyed by name, fresh 0..n-1 indexes)."""

    train: dict[str, pd.DataFrame]
    holdout: dict[str, pd.DataFrame]
    record: HoldoutRecord


def split_holdout(
    tables: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Any],
    *,
    holdout_fraction: float = DEFAULT_HOLDOUT_FRACTION,
    seed: int = DEFAULT_HOLDOUT_SEED,
    split_table: str | None = None,
    stratify_column: str | None = None,
) -> HoldoutSplit:
    """Split `tables` (name -> DataFrame, described by SDV `metadata`) into train and holdout.

    `split_table` names the table whose rows are drawn in a multi-table dataset; by default the
    dataset's only root table. Raises InvalidInput for a fraction outside (0, 0.9], an unknown
    table or column, or several root tables and no `split_table`; FailedPrecondition when the
    table is too small to leave a row (or sequence) on each side.
    """
    check_holdout_fraction(holdout_fraction)
    shape = _Shape(tables, metadata)
    table = shape.choose_split_table(split_table)
    units, labels = shape.units(table, stratify_column)
    n_holdout = int(round(len(units) * holdout_fraction))
    if len(units) < 2 or not 0 < n_holdout < len(units):
        unit = "sequence" if shape.sequence_key(table) else "row"
        raise FailedPrecondition(
            f"Table '{table}' has {len(units)} {unit}s; a holdout fraction of "
            f"{holdout_fraction} leaves no {unit} on one side. Add rows, change the fraction, "
            "or train on the full dataset (and accept privacy figures without a holdout).",
            reason="DATASET_TOO_SMALL",
            metadata={"table": table, "units": len(units), "holdout_fraction": holdout_fraction},
        )
    drawn = _draw(len(units), n_holdout, labels, np.random.default_rng(seed))
    masks = shape.holdout_masks(table, units[np.sort(drawn)])
    return _build_split(shape, table, masks, seed, holdout_fraction, len(units), stratify_column)


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
    tables: Mapping[str, pd.DataFrame], metadata: Mapping[str, Any], record: HoldoutRecord
) -> HoldoutSplit:
    """Recompute a recorded split and check that it is the same one.

    Raises FailedPrecondition (HOLDOUT_MISMATCH) when the dataset's content or the drawn rows
    differ from the record (the dataset changed since the split was recorded).
    """
    split = split_holdout(
        tables,
        metadata,
        holdout_fraction=record.holdout_fraction,
        seed=record.seed,
        split_table=record.split_table,
        stratify_column=record.stratified_by,
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


class _Shape:
    """The tables and their metadata (single- or multi-table SDV form) as the split sees them."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], metadata: Mapping[str, Any]) -> None:
        self.tables = dict(tables)
        self.metadata = _multi_table(metadata, list(tables))
        self.names = list(self.metadata["tables"])
        missing = [name for name in self.names if name not in self.tables]
        if missing:
            raise InvalidInput(
                f"The metadata names tables the data does not have: {missing}.",
                field="metadata",
                reason="TABLES_MISMATCH",
                metadata={"missing_tables": ",".join(missing)},
            )
        self.relationships = list(self.metadata.get("relationships", []))

    def choose_split_table(self, split_table: str | None) -> str:
        if split_table:
            if split_table not in self.names:
                raise InvalidInput(
                    f"Table '{split_table}' is not in the dataset; choose one of {self.names}.",
                    field="split_table",
                    reason="UNKNOWN_TABLE",
                    metadata={"table": split_table, "tables": ",".join(self.names)},
                )
            return split_table
        children = {relation["child_table_name"] for relation in self.relationships}
        roots = [name for name in self.names if name not in children]
        if len(roots) != 1:
            raise InvalidInput(
                f"The dataset has {len(roots)} root tables ({', '.join(roots)}); name the table "
                "whose rows should be split with split_table (usually the main fact table).",
                field="split_table",
                reason="SPLIT_TABLE_REQUIRED",
                metadata={"root_tables": ",".join(roots)},
            )
        return roots[0]

    def sequence_key(self, table: str) -> str | None:
        if len(self.names) != 1:
            return None
        return self.metadata["tables"][table].get("sequence_key") or None

    def units(self, table: str, stratify_column: str | None) -> tuple[np.ndarray, np.ndarray]:
        """What is drawn (sequence keys in order of first appearance, or row positions) and the
        stratum of each (all zero without a stratification column)."""
        frame = self.tables[table]
        key = self.sequence_key(table)
        if key:
            firsts = frame.drop_duplicates(key)
            units, label_source = firsts[key].to_numpy(), firsts
        else:
            units, label_source = np.arange(len(frame)), frame
        if not stratify_column:
            return units, np.zeros(len(units), dtype=int)
        if stratify_column not in frame.columns:
            raise InvalidInput(
                f"Column '{stratify_column}' does not exist in table '{table}'; the split can "
                f"only keep the shares of one of its columns: {list(map(str, frame.columns))}.",
                field="stratify_column",
                reason="UNKNOWN_COLUMN",
                metadata={"table": table, "column": stratify_column},
            )
        return units, _strata(label_source[stratify_column])

    def holdout_masks(self, table: str, drawn: np.ndarray) -> dict[str, np.ndarray]:
        """Boolean holdout masks for the split table and, following foreign keys, its
        descendants."""
        frame = self.tables[table]
        key = self.sequence_key(table)
        if key:
            masks = {table: frame[key].isin(drawn).to_numpy()}
        else:
            mask = np.zeros(len(frame), dtype=bool)
            mask[drawn] = True
            masks = {table: mask}
        pending = [table]
        while pending:
            parent = pending.pop(0)
            for relation in self.relationships:
                child = relation["child_table_name"]
                if relation["parent_table_name"] != parent or child in masks:
                    continue
                parent_keys = _as_list(relation["parent_primary_key"])
                child_keys = _as_list(relation["child_foreign_key"])
                parent_frame = self.tables[parent]
                held = pd.MultiIndex.from_frame(parent_frame.loc[masks[parent], parent_keys])
                child_index = pd.MultiIndex.from_frame(self.tables[child][child_keys])
                masks[child] = np.asarray(child_index.isin(held))
                pending.append(child)
        return masks

    def modality_unit(self) -> str:
        if len(self.names) > 1:
            return "row_with_descendants"
        return "sequence" if self.sequence_key(self.names[0]) else "row"


def _strata(values: pd.Series) -> np.ndarray:
    """Integer stratum codes: classes as they are, many-valued numbers in quintiles."""
    if pd.api.types.is_numeric_dtype(values) and values.nunique() > MAX_STRATA_VALUES:
        values = pd.qcut(values, _QUANTILE_BINS, duplicates="drop")
    codes = pd.factorize(values.astype(str) if values.dtype == object else values, sort=True)[0]
    return np.asarray(codes)


def _draw(total: int, n_holdout: int, labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Positions of `n_holdout` units of `total`: a permutation without strata, else each
    stratum's share by largest remainder (so the count is exact) and a permutation within it."""
    strata = np.unique(labels)
    if len(strata) == 1:
        return rng.permutation(total)[:n_holdout]
    sizes = np.array([np.sum(labels == stratum) for stratum in strata])
    exact = sizes * n_holdout / total
    taken = np.floor(exact).astype(int)
    remainder_order = np.argsort(-(exact - taken), kind="stable")
    taken[remainder_order[: n_holdout - int(taken.sum())]] += 1
    drawn = [
        rng.permutation(np.flatnonzero(labels == stratum))[:count]
        for stratum, count in zip(strata, taken, strict=True)
    ]
    return np.concatenate(drawn)


def _build_split(
    shape: _Shape,
    table: str,
    masks: dict[str, np.ndarray],
    seed: int,
    fraction: float,
    total_units: int,
    stratify_column: str | None,
) -> HoldoutSplit:
    train, holdout, positions = {}, {}, {}
    shared = [name for name in shape.names if name not in masks]
    for name in shape.names:
        frame = shape.tables[name]
        if name in shared:
            train[name] = frame.reset_index(drop=True)
            holdout[name] = frame.reset_index(drop=True)
            continue
        mask = masks[name]
        positions[name] = np.flatnonzero(mask)
        train[name] = frame.loc[~mask].reset_index(drop=True)
        holdout[name] = frame.loc[mask].reset_index(drop=True)
    key = shape.sequence_key(table)
    held = holdout[table]
    record = HoldoutRecord(
        seed=seed,
        holdout_fraction=fraction,
        split_table=table,
        unit=shape.modality_unit(),
        total_units=total_units,
        holdout_units=int(held[key].nunique(dropna=False)) if key else len(held),
        train_rows={name: len(frame) for name, frame in train.items()},
        holdout_rows={name: len(frame) for name, frame in holdout.items()},
        shared_tables=shared,
        holdout_index_sha256=_positions_digest(positions, shape.tables),
        dataset_sha256=_content_digest(shape),
        stratified_by=stratify_column or None,
    )
    return HoldoutSplit(train=train, holdout=holdout, record=record)


def _multi_table(metadata: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    if "tables" in metadata:
        return copy.deepcopy(dict(metadata))
    if "columns" in metadata and len(names) == 1:
        return {"tables": {names[0]: copy.deepcopy(dict(metadata))}, "relationships": []}
    raise InvalidInput(
        "The metadata has neither 'tables' nor 'columns'; pass the dict that SDV's "
        "Metadata.to_dict() returns.",
        field="metadata",
        reason="INVALID_METADATA",
    )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _positions_digest(positions: dict[str, np.ndarray], tables: Mapping[str, pd.DataFrame]) -> str:
    digest = hashlib.sha256()
    for name in sorted(positions):
        digest.update(f"{name}:{len(tables[name])}:".encode())
        digest.update(",".join(map(str, positions[name].tolist())).encode())
        digest.update(b";")
    return digest.hexdigest()


def _content_digest(shape: _Shape) -> str:
    digest = hashlib.sha256()
    for name in sorted(shape.names):
        frame = shape.tables[name]
        digest.update(f"{name}:{','.join(map(str, frame.columns))}:".encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()
