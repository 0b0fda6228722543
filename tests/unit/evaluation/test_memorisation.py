"""Memorisation is caught: a lightly perturbed copy of the training rows beats the holdout's own
fidelity and fails the distance and membership checks; a synthesizer that memorised the holdout
(trained on the wrong part) sits closer to the holdout than to the training rows; every attack
comes with an interval and the warnings its library raised."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_evaluation import EvaluationConfig, evaluate
from synthstudio_evaluation.privacy import TrainingData
from synthstudio_evaluation.verdicts import Verdict, judge

from .support import FAST, TABLE

NUMBERS = ["carat", "depth", "table", "price", "x", "y", "z"]
CONFIG = EvaluationConfig(include_plots=False, run_utility=False, **FAST)


def perturbed(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each number moved by about 1%: no row is an exact copy any more."""
    rng = np.random.default_rng(seed)
    moved = frame.copy()
    for column in NUMBERS:
        moved[column] = moved[column] * (1 + rng.normal(0, 0.01, len(moved)))
    return moved


@pytest.fixture(scope="module")
def perturbed_report(split, metadata):
    return evaluate(split, {TABLE: perturbed(split.train[TABLE], 1)}, metadata, CONFIG)


@pytest.fixture(scope="module")
def holdout_memoriser_report(split, metadata):
    rows = split.holdout[TABLE].sample(len(split.train[TABLE]), replace=True, random_state=2)
    return evaluate(split, {TABLE: perturbed(rows.reset_index(drop=True), 2)}, metadata, CONFIG)


def test_a_perturbed_copy_beats_the_holdout_ceiling_and_is_flagged(perturbed_report, good_report):
    fidelity = perturbed_report.fidelity
    ceiling = fidelity.holdout_ceiling

    assert perturbed_report.privacy.exact_copy_rate == 0.0
    assert ceiling.above_ceiling and ceiling.rows == 300
    assert ceiling.synthetic_quality_score > ceiling.quality_score
    assert judge(perturbed_report).overall is Verdict.FAILED
    assert any("beats the holdout" in reason for reason in judge(perturbed_report).reasons)
    assert any("above the holdout's own" in note for note in perturbed_report.warnings)
    honest = good_report.fidelity.holdout_ceiling
    assert not honest.above_ceiling
    assert honest.quality_score == pytest.approx(ceiling.quality_score)
    shapes = {score.column: score for score in good_report.fidelity.column_shapes}
    assert all(score.holdout_score is not None for score in shapes.values())
    assert all(p.holdout_score is not None for p in good_report.fidelity.quality_properties[:2])


def test_a_perturbed_copy_fails_the_memorisation_checks(perturbed_report):
    privacy = perturbed_report.privacy
    failed = {check.name for check in privacy.checks if not check.passed}

    assert {"dcr_share", "membership_inference"} <= failed
    assert privacy.dcr_share_ci_low > 0.8
    distance = next(a for a in privacy.membership_attacks if a.name == "distance")
    assert distance.auc_low > 0.8 and distance.tpr_at_low_fpr > 0.05


def test_a_synthesizer_that_memorised_the_holdout_is_caught(holdout_memoriser_report):
    privacy = holdout_memoriser_report.privacy
    closer = next(check for check in privacy.checks if check.name == "closer_to_holdout")

    assert not closer.passed and closer.ci_low > 0.8
    assert privacy.dcr_share_ci_high < 0.2


def test_attacks_report_intervals_repeats_and_both_membership_attacks(good_report):
    privacy = good_report.privacy

    assert {a.name for a in privacy.membership_attacks} == {"distance", "density_ratio"}
    for attack in privacy.membership_attacks:
        assert attack.auc_low <= attack.auc <= attack.auc_high
        assert 0 <= attack.tpr_at_low_fpr <= 1 and attack.members == attack.non_members
    for attack in privacy.attacks:
        assert attack.repeats == 2 and len(attack.repeat_risks) == 2
        assert attack.ci_low <= attack.risk <= attack.ci_high
    assert privacy.inference_targets == ["price"]
    assert privacy.dcr_share_ci_low <= privacy.dcr_share <= privacy.dcr_share_ci_high
    inference = next(c for c in privacy.checks if c.name == "anonymeter_inference_price")
    assert inference.ci_low <= inference.value <= inference.ci_high


def test_full_dataset_training_leaves_no_holdout_reference(split, metadata):
    config = EvaluationConfig(include_plots=False, run_utility=False, run_fidelity=False, **FAST)
    report = evaluate(
        split,
        {TABLE: perturbed(split.train[TABLE], 3)},
        metadata,
        config,
        training_data=TrainingData.FULL_DATASET,
    )

    reference = next(c for c in report.privacy.checks if c.name == "holdout_reference")
    assert not reference.passed and report.training_data == "full_dataset"
    assert any("no holdout reference" in note for note in report.warnings)
