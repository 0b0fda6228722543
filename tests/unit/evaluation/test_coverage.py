"""Every column counts: a column SDV tagged as personal data (so a synthesizer replaced it with
fakes) is scored as a category and named, with the score SDMetrics alone would have given; a
column of free identifiers is excluded by name, never silently."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from synthstudio_evaluation import EvaluationConfig, evaluate, split_holdout

from .support import TABLE


@pytest.fixture(scope="module")
def report(diamonds, metadata):
    real = diamonds.assign(email=[f"person{i}@example.org" for i in range(len(diamonds))])
    tagged = copy.deepcopy(metadata)
    columns = tagged["tables"][TABLE]["columns"]
    columns["color"] = {"sdtype": "administrative_unit", "pii": True}
    columns["email"] = {"sdtype": "email", "pii": True}
    split = split_holdout({TABLE: real}, tagged, seed=4)
    rng = np.random.default_rng(5)
    synthetic = split.train[TABLE].copy()
    # What a synthesizer does with a PII-tagged column: fake values unrelated to the real ones.
    synthetic["color"] = [f"Region {value}" for value in rng.integers(0, 40, len(synthetic))]
    synthetic["email"] = [f"fake{i}@example.com" for i in range(len(synthetic))]
    config = EvaluationConfig(include_plots=False, run_utility=False, run_privacy=False)
    return evaluate(split, {TABLE: synthetic}, tagged, config)


def test_a_replaced_column_is_scored_and_named(report):
    fidelity = report.fidelity
    coverage = {c.column: c for c in fidelity.column_coverage}

    assert coverage["color"].treatment == "scored_as_category"
    assert coverage["color"].sdtype == "administrative_unit"
    shapes = {score.column: score for score in fidelity.column_shapes}
    assert shapes["color"].score < 0.1 < 0.9 < shapes["color"].holdout_score
    assert fidelity.quality_score < fidelity.quality_score_without_replaced - 0.03
    assert any("'color'" in note and "would read" in note for note in report.warnings)


def test_a_column_of_identifiers_is_excluded_by_name(report):
    coverage = {c.column: c for c in report.fidelity.column_coverage}

    assert coverage["email"].treatment == "excluded"
    assert "email" not in {score.column for score in report.fidelity.column_shapes}
    assert any("diamonds.email" in note and "not scored" in note for note in report.warnings)
