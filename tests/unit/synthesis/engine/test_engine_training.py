"""Training every kind on real tables: progress, cancellation, degenerate and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from synthstudio_engine_sdv import detect_metadata
from synthstudio_libs.errors import InvalidInput, JobCancelled
from synthstudio_synthesis.engine import (
    ExactCondition,
    PreparedDataUse,
    RangeCondition,
    SampleRequest,
    SynthesizerKind,
    TrainingSpec,
)
from tests.unit.synthesis.engine.support import RecordingProgress, train

SINGLE_TABLE = [
    SynthesizerKind.GAUSSIAN_COPULA,
    SynthesizerKind.CTGAN,
    SynthesizerKind.TVAE,
    SynthesizerKind.COPULAGAN,
]


@pytest.mark.parametrize("kind", SINGLE_TABLE)
def test_single_table_kinds_learn_and_sample_the_table(engine, cps, kind):
    progress = RecordingProgress()
    model = train(engine, {"cps": cps}, kind, progress=progress)
    rows = engine.sample(model, SampleRequest(200, seed=11)).data
    assert list(rows.columns) == list(cps.columns)
    assert len(rows) == 200
    for column in ("ethnicity", "smsa", "region", "parttime"):
        assert set(rows[column]) <= set(cps[column])
    assert rows.wage.between(cps.wage.min(), cps.wage.max()).all()
    assert (rows.education % 1 == 0).all()
    fractions = [event.fraction for event in progress.events]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert model.report.rows == {"cps": 300}
    if kind is SynthesizerKind.GAUSSIAN_COPULA:
        assert model.report.epochs_completed is None
        assert model.report.prepared_data is PreparedDataUse.NOT_APPLICABLE
    else:
        assert model.report.epochs_completed == 2
        assert progress.epochs() == [1, 2]
        assert model.report.prepared_data is PreparedDataUse.COMPUTED


def test_the_trained_model_holds_plain_sdv_objects(engine, cps):
    model = train(engine, {"cps": cps}, SynthesizerKind.CTGAN)
    assert type(model.synthesizer).__module__ == "sdv.single_table.ctgan"
    assert type(model.synthesizer._model).__name__ == "CTGAN"
    assert type(model.synthesizer._model._transformer).__name__ == "DataTransformer"
    assert "_observer" not in vars(model.synthesizer)
    assert "_observer" not in vars(model.synthesizer._model)


def test_linked_tables_keep_their_links(engine, flights):
    progress = RecordingProgress()
    model = train(engine, flights, SynthesizerKind.HMA, progress=progress)
    sampled = engine.sample_tables(model, scale=0.5, seed=2)
    assert set(sampled) == {"airlines", "planes", "flights"}
    assert list(sampled["flights"].columns) == list(flights["flights"].columns)
    assert len(sampled["flights"]) == pytest.approx(125, rel=0.3)
    assert sampled["flights"].carrier.isin(sampled["airlines"].carrier).all()
    assert sampled["flights"].tailnum.dropna().isin(sampled["planes"].tailnum).all()
    assert any("relationship 2/2" in event.message for event in progress.events)


def test_sequences_are_learned_per_entity(engine, txhousing):
    model = train(engine, {"tx": txhousing}, SynthesizerKind.PAR)
    sequences = engine.sample_sequences(model, 4, seed=3)
    assert list(sequences.columns) == list(txhousing.columns)
    assert sequences.city.nunique() == 4
    assert not set(sequences.city) & set(txhousing.city)
    for _, sequence in sequences.groupby("city"):
        assert sequence.date.is_monotonic_increasing
    assert model.report.epochs_completed == 2


def test_cancellation_stops_a_deep_model_at_the_next_epoch(engine, cps):
    progress = RecordingProgress(cancel_when=lambda event: event.details.get("epoch") == 1)
    with pytest.raises(JobCancelled):
        train(engine, {"cps": cps}, SynthesizerKind.CTGAN, progress=progress, epochs=50)
    assert max(event.details.get("epoch", 0) for event in progress.events) == 1


def test_cancellation_stops_a_copula_between_stages(engine, cps):
    progress = RecordingProgress(cancel_when=lambda event: "learning" in event.message)
    with pytest.raises(JobCancelled):
        train(engine, {"cps": cps}, SynthesizerKind.GAUSSIAN_COPULA, progress=progress)
    assert progress.events[-1].fraction < 1.0


def test_cancellation_stops_par_and_hma(engine, txhousing, flights):
    progress = RecordingProgress(cancel_when=lambda event: event.details.get("epoch") == 1)
    with pytest.raises(JobCancelled):
        train(engine, {"tx": txhousing}, SynthesizerKind.PAR, progress=progress, epochs=40)
    progress = RecordingProgress(cancel_when=lambda event: "relationship" in event.message)
    with pytest.raises(JobCancelled):
        train(engine, flights, SynthesizerKind.HMA, progress=progress)


def test_a_table_without_rows_is_refused(engine, cps, cps_metadata):
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, cps_metadata)
    with pytest.raises(InvalidInput) as caught:
        engine.train({"cps": cps.head(0)}, spec, RecordingProgress())
    assert caught.value.reason == "EMPTY_TABLE"
    assert caught.value.violations[0].field == "tables.cps"


def test_a_deep_model_needs_two_rows(engine, cps, cps_metadata):
    with pytest.raises(InvalidInput) as caught:
        train(engine, {"cps": cps.head(1)}, SynthesizerKind.TVAE, cps_metadata)
    assert caught.value.reason == "TOO_FEW_ROWS"
    one_row = train(engine, {"cps": cps.head(1)}, SynthesizerKind.GAUSSIAN_COPULA, cps_metadata)
    assert len(engine.sample(one_row, SampleRequest(3, seed=0)).data) == 3


@pytest.fixture(scope="module")
def degenerate(cps):
    table = cps.copy()
    table["survey_year"] = 1988
    table["bonus"] = np.nan
    table["note"] = pd.Series([None] * len(table), dtype=object)
    return table


@pytest.mark.parametrize("kind", [SynthesizerKind.GAUSSIAN_COPULA, SynthesizerKind.CTGAN])
def test_constant_and_empty_columns_are_restored_with_a_warning(engine, degenerate, kind):
    model = train(engine, {"cps": degenerate}, kind)
    warnings = " ".join(model.report.warnings)
    assert "'survey_year'" in warnings and "(1988)" in warnings
    assert "'bonus'" in warnings and "'note'" in warnings and "empty" in warnings
    rows = engine.sample(model, SampleRequest(40, seed=1)).data
    assert list(rows.columns) == list(degenerate.columns)
    assert (rows.survey_year == 1988).all() and rows.survey_year.dtype == np.int64
    assert rows.bonus.isna().all() and rows.bonus.dtype == np.float64
    assert rows.note.isna().all()


def test_a_table_of_constants_samples_its_constants(engine, cps):
    table = pd.DataFrame({"country": ["US"] * 20, "year": [1988] * 20})
    model = train(engine, {"survey": table}, SynthesizerKind.GAUSSIAN_COPULA)
    assert model.synthesizer is None
    rows = engine.sample(model, SampleRequest(5, seed=0)).data
    assert rows.to_dict("list") == {"country": ["US"] * 5, "year": [1988] * 5}


def test_a_context_column_must_be_a_column(engine, txhousing):
    metadata = detect_metadata({"tx": txhousing}, sequence_key="city", sequence_index="date")
    with pytest.raises(InvalidInput) as caught:
        train(engine, {"tx": txhousing}, SynthesizerKind.PAR, metadata, context_columns=["state"])
    assert caught.value.violations[0].field == "hyperparameters.context_columns[0]"


def test_a_context_column_must_be_constant_within_each_sequence(engine, txhousing):
    with pytest.raises(InvalidInput) as caught:
        train(engine, {"tx": txhousing}, SynthesizerKind.PAR, context_columns=["sales", "year"])
    assert caught.value.violations[0].field == "hyperparameters.context_columns[0]"
    assert "changes within sequences" in caught.value.message


def test_deep_models_sample_under_conditions(engine, cps):
    model = train(engine, {"cps": cps}, SynthesizerKind.CTGAN)
    conditions = (ExactCondition("region", "south"), RangeCondition("wage", 200.0, 800.0))
    result = engine.sample(model, SampleRequest(50, seed=1, conditions=conditions))
    assert len(result.data) == 50
    assert (result.data.region == "south").all() and result.data.wage.between(200, 800).all()
