"""The whole evaluation: scores, progress, cancellation, JSON form and the leaderboard."""

from __future__ import annotations

import json

import pytest

from synthstudio_evaluation import (
    EvaluationConfig,
    EvaluationReport,
    compare_reports,
    evaluate,
    report_json,
    split_holdout,
)
from synthstudio_libs.errors import InvalidInput, JobCancelled

from .support import FAST, TABLE


def test_good_synthesizer_scores_clearly_above_bad_table(good_report, shuffled_report):
    assert good_report.scores.overall > shuffled_report.scores.overall + 0.2
    assert good_report.scores.fidelity == good_report.fidelity.quality_score
    assert good_report.rows == {
        "train": {TABLE: 900},
        "holdout": {TABLE: 300},
        "synthetic": {TABLE: 900},
    }
    # Only anonymeter's own notes, and that nobody said which rows the synthesizer trained on.
    assert any("Which rows the synthesizer trained on" in note for note in good_report.warnings)
    assert all(
        note.startswith("anonymeter: ") or "Which rows the synthesizer" in note
        for note in good_report.warnings
    )


def test_progress_is_reported_stage_by_stage(good_report, good_progress):
    fractions = [fraction for fraction, _ in good_progress.updates]
    messages = " | ".join(message for _, message in good_progress.updates)

    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    stages = ["quality report", "diagnostic report", "Training ridge", "singling-out"]
    stages += ["linkability", "inference", "plots"]
    for stage in stages:
        assert stage in messages


def test_cancellation_stops_the_evaluation(split, good_synthetic, metadata):
    class CancelAtPrivacy:
        def __init__(self) -> None:
            self.last = ""

        def update(self, fraction, message="", **details):
            self.last = message
            if "training rows" in message:
                raise JobCancelled()

    progress = CancelAtPrivacy()
    config = EvaluationConfig(target_column="price", include_plots=False, **FAST)
    with pytest.raises(JobCancelled):
        evaluate(split, {TABLE: good_synthetic}, metadata, config, progress=progress)
    assert progress.last == "Counting exact copies of training rows"


def test_json_export_carries_the_results(good_report):
    document = json.loads(report_json(good_report))

    assert document["synthesizer_name"] == "gaussian_copula"
    assert document["modality"] == "single_table"
    assert document["utility"]["task"] == "regression"
    assert document["holdout"]["holdout_index_sha256"] == good_report.holdout.holdout_index_sha256
    checks = {check["name"]: check for check in document["privacy"]["checks"]}
    assert checks["dcr_share"]["passed"] is True
    assert (
        checks["dcr_share"]["ci_low"]
        <= checks["dcr_share"]["value"]
        <= checks["dcr_share"]["ci_high"]
    )
    assert document["fidelity"]["holdout_ceiling"]["above_ceiling"] is False
    assert {plot["key"] for plot in document["plots"]} >= {"correlation:diamonds", "privacy:dcr"}
    assert "png_base64" not in document["plots"][0]
    with_plots = json.loads(report_json(good_report, include_plots=True))
    assert with_plots["plots"][0]["png_base64"].startswith("iVBORw0KGgo")


def test_report_survives_a_json_round_trip(good_report):
    stored = json.loads(report_json(good_report, include_plots=True))

    restored = EvaluationReport.from_dict(stored)

    assert restored == good_report
    without_plots = EvaluationReport.from_dict(good_report.to_dict())
    assert without_plots.plots == [] and without_plots.privacy == good_report.privacy


def test_leaderboard_ranks_the_copy_last(good_report, shuffled_report, copied_report):
    leaderboard = compare_reports([copied_report, shuffled_report, good_report])

    names = [entry.synthesizer_name for entry in leaderboard.entries]
    # On 900 rows the copula's singling-out bound stays above the limit, as the shuffled
    # table's may; the copy fails far more and is last either way.
    assert names[-1] == "copy" and set(names) == {"gaussian_copula", "shuffled", "copy"}
    assert [entry.rank for entry in leaderboard.entries] == [1, 2, 3]
    # The copy has perfect fidelity and utility but leaks every row.
    copy = leaderboard.entries[2]
    assert copy.fidelity == 1.0 and copy.privacy_passed is False
    shuffled = next(e for e in leaderboard.entries if e.synthesizer_name == "shuffled")
    assert copy.overall > shuffled.overall
    assert leaderboard.plots[0].key == "comparison:scores"


def test_reports_on_different_splits_are_not_compared(
    good_report, diamonds, metadata, good_synthetic
):
    other_split = split_holdout({TABLE: diamonds}, metadata, holdout_fraction=0.25, seed=99)
    config = EvaluationConfig(run_utility=False, run_privacy=False, include_plots=False)
    other = evaluate(
        other_split, {TABLE: good_synthetic}, metadata, config, synthesizer_name="other"
    )

    with pytest.raises(InvalidInput) as raised:
        compare_reports([good_report, other])
    assert raised.value.reason == "DIFFERENT_DATASETS"
    with pytest.raises(InvalidInput) as raised:
        compare_reports([good_report, good_report])
    assert raised.value.reason == "DUPLICATE_SYNTHESIZER"
