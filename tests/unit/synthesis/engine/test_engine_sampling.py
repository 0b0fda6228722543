"""Sampling: seeds, chunks, worker processes, conditions and the errors around them."""

from __future__ import annotations

import os
import signal

import pandas as pd
import pytest

from synthstudio_engine_sdv import ParallelSampler, SdvEngine
from synthstudio_libs.errors import InvalidInput, JobCancelled, Unavailable
from synthstudio_synthesis.engine import (
    ExactCondition,
    RangeCondition,
    SampleRequest,
    SynthesizerKind,
)
from tests.unit.synthesis.engine.support import RecordingProgress, train

# Small blocks keep the tests quick; the block logic is the same at any size.
BLOCK_ROWS = 2_000
ROWS = 2 * BLOCK_ROWS + 1_000


@pytest.fixture(scope="module")
def here() -> SdvEngine:
    """Samples in this process."""
    return SdvEngine(block_rows=BLOCK_ROWS)


@pytest.fixture(scope="module")
def pool(sampler) -> SdvEngine:
    """Samples in two worker processes."""
    return SdvEngine(sampler=sampler, block_rows=BLOCK_ROWS)


@pytest.fixture(scope="module")
def reference(here, cps_copula) -> pd.DataFrame:
    """5k rows made in this process, seed 7."""
    return here.sample(cps_copula, SampleRequest(ROWS, seed=7)).data


def test_the_same_seed_gives_the_same_rows_whatever_the_parallelism(cps_copula, reference, pool):
    pd.testing.assert_frame_equal(
        pool.sample(cps_copula, SampleRequest(ROWS, seed=7)).data, reference
    )
    with ParallelSampler(workers=1) as one_worker:
        serial = SdvEngine(sampler=one_worker, block_rows=BLOCK_ROWS)
        pd.testing.assert_frame_equal(
            serial.sample(cps_copula, SampleRequest(ROWS, seed=7)).data, reference
        )


def test_another_seed_gives_other_rows(here, cps_copula, reference):
    other = here.sample(cps_copula, SampleRequest(ROWS, seed=8)).data
    assert not other.wage.equals(reference.wage)


def test_rows_come_in_ordered_chunks_with_unique_keys(pool, cps_copula, reference):
    progress = RecordingProgress()
    request = SampleRequest(ROWS, seed=7)
    with pool.iter_sample(cps_copula, request, progress) as stream:
        chunks = list(stream)
    assert [len(chunk) for chunk in chunks] == [BLOCK_ROWS, BLOCK_ROWS, 1_000]
    pd.testing.assert_frame_equal(pd.concat(chunks), reference)
    assert reference.rownames.is_unique
    assert [event.details["rows"] for event in progress.events] == [2_000, 4_000, 5_000]


def test_chunk_size_does_not_change_the_rows(pool, cps_copula, reference):
    with pool.iter_sample(cps_copula, SampleRequest(ROWS, seed=7), chunk_rows=700) as stream:
        chunks = list(stream)
    assert max(len(chunk) for chunk in chunks) == 700
    pd.testing.assert_frame_equal(pd.concat(chunks), reference)


def test_closing_a_stream_early_stops_the_work(pool, cps_copula):
    stream = pool.iter_sample(cps_copula, SampleRequest(10 * BLOCK_ROWS, seed=1))
    first = next(stream)
    stream.close()
    assert len(first) == BLOCK_ROWS
    with pytest.raises(StopIteration):
        next(stream)


def test_exact_conditions_hold_in_every_row(pool, cps_copula):
    conditions = (ExactCondition("region", "south"), ExactCondition("education", 16))
    result = pool.sample(cps_copula, SampleRequest(300, seed=2, conditions=conditions))
    assert len(result.data) == 300 and not result.warnings
    assert (result.data.region == "south").all()
    assert (result.data.education == 16).all()


def test_range_conditions_hold_in_every_row(here, cps_copula):
    conditions = (RangeCondition("wage", 300.0, 400.0), ExactCondition("parttime", "yes"))
    request = SampleRequest(200, seed=4, conditions=conditions)
    first = here.sample(cps_copula, request).data
    assert len(first) == 200
    assert first.wage.between(300.0, 400.0).all() and (first.parttime == "yes").all()
    pd.testing.assert_frame_equal(here.sample(cps_copula, request).data, first)


@pytest.mark.parametrize(
    ("conditions", "field", "reason"),
    [
        ((ExactCondition("salary", 5.0),), "conditions[0].column", "INVALID_ARGUMENT"),
        ((ExactCondition("rownames", 5),), "conditions[0].column", "INVALID_ARGUMENT"),
        (
            (ExactCondition("region", "antarctica"),),
            "conditions[0].value",
            "CONDITION_UNSATISFIABLE",
        ),
        ((ExactCondition("education", 12.5),), "conditions[0].value", "CONDITION_UNSATISFIABLE"),
        ((ExactCondition("wage", 1e9),), "conditions[0].value", "CONDITION_UNSATISFIABLE"),
        ((ExactCondition("wage", "high"),), "conditions[0].value", "INVALID_ARGUMENT"),
        ((RangeCondition("wage", 5e5, 6e5),), "conditions[0]", "CONDITION_UNSATISFIABLE"),
        ((RangeCondition("wage", 500.0, 100.0),), "conditions[0].low", "INVALID_ARGUMENT"),
        ((RangeCondition("wage"),), "conditions[0]", "INVALID_ARGUMENT"),
        ((RangeCondition("region", 1.0, 2.0),), "conditions[0].column", "INVALID_ARGUMENT"),
        (
            (ExactCondition("smsa", "yes"), ExactCondition("smsa", "no")),
            "conditions[1].column",
            "INVALID_ARGUMENT",
        ),
    ],
)
def test_wrong_or_impossible_conditions_are_refused_before_sampling(
    here, cps_copula, conditions, field, reason
):
    with pytest.raises(InvalidInput) as caught:
        here.iter_sample(cps_copula, SampleRequest(10, seed=0, conditions=conditions))
    assert caught.value.violations[0].field == field
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"num_rows": -1}, "num_rows"), ({"num_rows": 10, "seed": -3}, "seed")],
)
def test_negative_counts_and_seeds_are_refused(arguments, field):
    with pytest.raises(InvalidInput) as caught:
        SampleRequest(**arguments)
    assert caught.value.violations[0].field == field


def test_zero_rows_is_an_empty_table(here, cps_copula):
    result = here.sample(cps_copula, SampleRequest(0))
    assert result.data.empty and list(result.data.columns) == list(cps_copula.table().columns)


@pytest.fixture(scope="module")
def hma_model(engine, flights):
    return train(engine, flights, SynthesizerKind.HMA)


@pytest.fixture(scope="module")
def par_model(engine, txhousing):
    return train(engine, {"tx": txhousing}, SynthesizerKind.PAR)


def test_linked_tables_are_reproducible_in_and_out_of_process(engine, parallel_engine, hma_model):
    local = engine.sample_tables(hma_model, scale=0.5, seed=21)
    tlocal = parallel_engine.sample_tables(hma_model, scale=0.5, seed=21)
    for name in local:
        pd.testing.assert_frame_equal(local[name], tlocal[name])
    other = engine.sample_tables(hma_model, scale=0.5, seed=22)
    assert not other["flights"].dep_delay.equals(local["flights"].dep_delay)


def test_sequences_are_reproducible_in_and_out_of_process(engine, parallel_engine, par_model):
    local = engine.sample_sequences(par_model, 3, seed=5)
    pd.testing.assert_frame_equal(parallel_engine.sample_sequences(par_model, 3, seed=5), local)
    fixed_length = engine.sample_sequences(par_model, 2, seed=5, sequence_length=6)
    assert fixed_length.groupby("city").size().tolist() == [6, 6]


def test_each_sampler_refuses_models_of_another_layout(engine, cps_copula, hma_model, par_model):
    with pytest.raises(InvalidInput) as caught:
        engine.sample_tables(cps_copula, scale=1.0)
    assert caught.value.violations[0].field == "synthesizer"
    with pytest.raises(InvalidInput):
        engine.sample(hma_model, SampleRequest(5))
    with pytest.raises(InvalidInput):
        engine.sample_sequences(cps_copula, 5)
    with pytest.raises(InvalidInput) as caught:
        engine.sample_tables(hma_model, scale=0)
    assert caught.value.violations[0].field == "scale"
    with pytest.raises(InvalidInput) as caught:
        engine.sample_sequences(par_model, -2)
    assert caught.value.violations[0].field == "num_sequences"


def test_cancelling_a_stream_stops_it_and_leaves_the_pool_usable(pool, cps_copula, reference):
    progress = RecordingProgress(cancel_when=lambda event: event.details["rows"] >= BLOCK_ROWS)
    with pytest.raises(JobCancelled):
        list(pool.iter_sample(cps_copula, SampleRequest(ROWS, seed=7), progress))
    again = pool.sample(cps_copula, SampleRequest(ROWS, seed=7)).data
    pd.testing.assert_frame_equal(again, reference)


def test_a_lost_worker_is_reported_and_replaced(cps_copula, reference):
    with ParallelSampler(workers=1) as sampler:
        engine = SdvEngine(sampler=sampler, block_rows=BLOCK_ROWS)
        engine.sample(cps_copula, SampleRequest(10, seed=0))
        for process in list(sampler._pool._processes.values()):
            os.kill(process.pid, signal.SIGKILL)
        with pytest.raises(Unavailable) as caught:
            engine.sample(cps_copula, SampleRequest(ROWS, seed=7))
        assert caught.value.reason == "SAMPLING_WORKER_LOST"
        pd.testing.assert_frame_equal(
            engine.sample(cps_copula, SampleRequest(ROWS, seed=7)).data, reference
        )
