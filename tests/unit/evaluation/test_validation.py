"""Bad input fails before any work with an actionable InvalidInput or FailedPrecondition."""

from __future__ import annotations

import pytest

from synthstudio_evaluation import EvaluationConfig, evaluate, split_holdout
from synthstudio_libs.errors import FailedPrecondition, InvalidInput

from .support import TABLE

QUICK = EvaluationConfig(target_column="price", include_plots=False)


class NoProgressExpected:
    """Fails the test if validation let any metric start."""

    def update(self, fraction, message="", **details):
        assert fraction == 0.0, f"work started despite bad input: {message}"


def _evaluate(split, synthetic, metadata, config=QUICK):
    return evaluate(split, {TABLE: synthetic}, metadata, config, progress=NoProgressExpected())


def test_synthetic_table_with_different_columns(split, good_synthetic, metadata):
    renamed = good_synthetic.rename(columns={"carat": "weight"}).drop(columns="depth")

    with pytest.raises(InvalidInput) as raised:
        _evaluate(split, renamed, metadata)

    error = raised.value
    assert error.reason == "COLUMNS_MISMATCH"
    assert error.metadata == {
        "table": TABLE,
        "missing_columns": "carat,depth",
        "extra_columns": "weight",
    }
    assert "missing ['carat', 'depth']" in error.message
    assert error.violations[0].field == f"synthetic_data.{TABLE}"


def test_target_column_that_does_not_exist(split, good_synthetic, metadata):
    config = EvaluationConfig(target_column="colour", include_plots=False)

    with pytest.raises(InvalidInput) as raised:
        _evaluate(split, good_synthetic, metadata, config)

    assert raised.value.reason == "UNKNOWN_COLUMN"
    assert raised.value.violations[0].field == "target_column"
    assert "'colour' does not exist" in raised.value.message
    assert "'color'" in raised.value.message


def test_empty_synthetic_table(split, good_synthetic, metadata):
    with pytest.raises(FailedPrecondition) as raised:
        _evaluate(split, good_synthetic.head(0), metadata)

    assert raised.value.reason == "EMPTY_SYNTHETIC_TABLE"
    assert "sample some rows" in raised.value.message


def test_missing_table_and_unusable_metadata(split, good_synthetic, metadata):
    with pytest.raises(InvalidInput) as raised:
        evaluate(split, {"other": good_synthetic}, metadata, QUICK)
    assert raised.value.reason == "TABLES_MISMATCH"

    with pytest.raises(InvalidInput) as raised:
        _evaluate(split, good_synthetic, {"fields": {}})
    assert raised.value.reason == "INVALID_METADATA"


def test_holdout_too_small_for_utility_and_privacy(diamonds, metadata, good_synthetic):
    tiny = split_holdout({TABLE: diamonds.head(40)}, metadata, holdout_fraction=0.1)

    with pytest.raises(FailedPrecondition) as raised:
        _evaluate(tiny, good_synthetic, metadata)

    assert raised.value.reason == "HOLDOUT_TOO_SMALL"
    assert raised.value.metadata == {"table": TABLE, "rows": "4", "minimum": "10"}


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("anonymeter_attacks", 0),
        ("max_privacy_rows", 5),
        ("confidence_level", 1.5),
        ("task", "clustering"),
    ],
)
def test_settings_out_of_range(split, good_synthetic, metadata, setting, value):
    config = EvaluationConfig(target_column="price", **{setting: value})

    with pytest.raises(InvalidInput) as raised:
        _evaluate(split, good_synthetic, metadata, config)

    assert raised.value.violations[0].field == setting
