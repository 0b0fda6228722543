"""Fidelity: SDMetrics quality and diagnostic reports with their details, for every modality."""

from __future__ import annotations

import sdmetrics

from synthstudio_evaluation import EvaluationConfig, Modality, evaluate, split_holdout


def test_good_synthesizer_beats_shuffled_columns_on_quality(good_report, shuffled_report):
    good, bad = good_report.fidelity, shuffled_report.fidelity

    assert good.quality_score > bad.quality_score + 0.08
    trends = {p.name: p.score for p in good.quality_properties}
    bad_trends = {p.name: p.score for p in bad.quality_properties}
    # Shuffling keeps each column's values, so only the pairwise trends reveal it.
    assert bad_trends["Column Shapes"] > 0.99
    assert trends["Column Pair Trends"] > bad_trends["Column Pair Trends"] + 0.2


def test_details_cover_every_column_and_pair(good_report, split):
    fidelity = good_report.fidelity
    columns = list(split.train["diamonds"].columns)

    assert {score.column for score in fidelity.column_shapes} == set(columns)
    assert {s.metric for s in fidelity.column_shapes} == {"KSComplement", "TVComplement"}
    assert len(fidelity.column_pair_trends) == len(columns) * (len(columns) - 1) // 2
    carat_price = next(
        pair
        for pair in fidelity.column_pair_trends
        if {pair.column_1, pair.column_2} == {"carat", "price"}
    )
    assert carat_price.real_correlation > 0.85
    assert carat_price.synthetic_correlation > 0.7
    assert carat_price.meets_threshold is True
    assert fidelity.diagnostic_score == 1.0
    assert {s.metric for s in fidelity.data_structure} == {"TableStructure"}
    assert not fidelity.relationship_validity
    assert fidelity.sequence_score is None


def test_multi_table_reports_relationships():
    real, synthetic, metadata = sdmetrics.load_demo("multi_table")
    split = split_holdout(real, metadata, holdout_fraction=0.2, seed=0)
    config = EvaluationConfig(run_utility=False, run_privacy=False, include_plots=False)

    report = evaluate(split, synthetic, metadata, config)

    fidelity = report.fidelity
    assert report.modality == Modality.MULTI_TABLE
    properties = {p.name for p in fidelity.quality_properties}
    assert {"Cardinality", "Intertable Trends"} <= properties
    assert {(r.parent_table, r.child_table) for r in fidelity.cardinality} == {
        ("users", "sessions"),
        ("sessions", "transactions"),
    }
    assert {r.metric for r in fidelity.relationship_validity} == {
        "ReferentialIntegrity",
        "CardinalityBoundaryAdherence",
    }
    assert all(pair.table.count("->") == 1 for pair in fidelity.intertable_trends)
    assert {s.table for s in fidelity.column_shapes} == {"users", "sessions", "transactions"}


def test_sequential_data_gets_sequence_metrics():
    real, synthetic, metadata = sdmetrics.load_demo("timeseries")
    split = split_holdout(real, metadata, holdout_fraction=0.2, seed=0)
    config = EvaluationConfig(
        target_column="total_sales", anonymeter_attacks=20, max_privacy_rows=300
    )

    report = evaluate(split, synthetic, metadata, config)

    fidelity = report.fidelity
    assert report.modality == Modality.SEQUENTIAL
    metrics = {(s.column, s.metric) for s in fidelity.sequence_scores}
    assert ("store_id", "Sequence Length Similarity") in metrics
    assert ("total_sales", "Statistic Multi-Sequence Aggregate Similarity") in metrics
    assert ("nb_customers", "Inter-Row Multi-Sequence Aggregate Similarity") in metrics
    assert 0.0 < fidelity.sequence_score <= 1.0
    # The sequence key identifies stores; it is no feature for models or distances.
    assert "store_id" not in report.utility.feature_columns
    assert "store_id" not in report.privacy.feature_columns
