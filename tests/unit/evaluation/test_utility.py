"""Utility: TSTR against TRTR on the real holdout, regression and classification."""

from __future__ import annotations

from synthstudio_evaluation import Task, as_table_set, evaluate_utility

from .support import TABLE


def test_regression_ratio_separates_good_from_shuffled(good_report, shuffled_report):
    good, bad = good_report.utility, shuffled_report.utility

    assert good.task == Task.REGRESSION
    assert good.primary_metric == "r2"
    assert good.train_real_test_real > 0.8
    assert good.ratio > 0.7
    assert bad.ratio < 0.2
    assert good_report.scores.utility > bad.score + 0.5
    assert {model.model for model in good.models} == {"ridge", "random_forest"}
    assert good.test_rows == 300
    assert "price" not in good.feature_columns


def test_classification_target_is_detected_and_scored(split, metadata, good_synthetic):
    train = as_table_set(split.train, metadata)
    holdout = train.with_tables(split.holdout)
    synthetic = train.with_tables({TABLE: good_synthetic})

    result = evaluate_utility(train, holdout, synthetic, TABLE, "cut")

    assert result.task == Task.CLASSIFICATION
    assert result.primary_metric == "f1_macro"
    model = result.models[0]
    assert set(model.train_real_test_real) == {"f1_macro", "accuracy", "balanced_accuracy"}
    assert 0.0 < result.train_synthetic_test_real <= 1.0
    assert result.ratio == result.train_synthetic_test_real / result.train_real_test_real
