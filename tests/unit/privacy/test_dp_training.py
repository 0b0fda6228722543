"""DP-TVAE and DP-CTGAN trained with Opacus on the CPS 1988 survey: usable samples, a
guarantee that recomputes with Opacus' accountants, progress, cancellation, serialisation."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from opacus.accountants import PRVAccountant, RDPAccountant

from synthstudio_libs.errors import InvalidInput, JobCancelled
from synthstudio_privacy.accounting import AccountantKind, account_events, recompute_epsilon
from synthstudio_privacy.planning import (
    DP_SGD_KINDS,
    DPTrainingConfig,
    DPTrainingPlan,
    SynthesizerKind,
    plan_dp_training,
)
from synthstudio_privacy.preprocessing import OTHER_CATEGORY
from synthstudio_privacy.schema import infer_schema
from synthstudio_privacy.synthesizer import DPSynthesizer, train_dp_synthesizer

from .conftest import PUBLIC_SCHEMA, ROWS, RecordingProgress

DELTA = 1e-5
OPACUS_ACCOUNTANTS = {AccountantKind.RDP: RDPAccountant, AccountantKind.PRV: PRVAccountant}


def _config(kind: SynthesizerKind, **changes) -> DPTrainingConfig:
    settings = {"epsilon": 3.0, "delta": DELTA, "epochs": 2, "batch_size": 250} | changes
    return DPTrainingConfig(kind=kind, **settings)


@pytest.fixture(scope="module", params=sorted(DP_SGD_KINDS))
def trained(request, cps):
    """One model per kind, trained once for the module (RDP for the VAE, PRV for the GAN)."""
    accountant = AccountantKind.RDP if request.param == SynthesizerKind.DP_TVAE else "prv"
    plan = plan_dp_training(_config(request.param, accountant=accountant), PUBLIC_SCHEMA, ROWS)
    progress = RecordingProgress()
    model = train_dp_synthesizer(cps, plan, progress=progress)
    return plan, model, progress


def test_samples_have_the_columns_types_bounds_and_categories_of_the_public_schema(trained, cps):
    _, model, _ = trained

    sample = model.sample(600, seed=7)

    assert list(sample.columns) == list(cps.columns)
    assert sample.dtypes.to_dict() == cps.dtypes.to_dict()
    assert len(sample) == 600 and not sample.isna().any().any()
    assert sample["wage"].between(0, 20_000).all()
    assert sample["education"].between(0, 18).all()
    assert sample["experience"].between(-5, 65).all()
    for spec in PUBLIC_SCHEMA.columns[3:]:
        assert set(sample[spec.name]) <= set(spec.categories)
    # A usable table, not a constant: values spread over the range and several categories.
    assert sample["wage"].std() > 10 and sample["experience"].nunique() > 5
    assert sample["region"].nunique() >= 2


def test_the_stored_parameters_recompute_the_reported_epsilon_with_opacus(trained):
    plan, model, _ = trained
    guarantee = model.guarantee
    accountant = OPACUS_ACCOUNTANTS[guarantee.accountant]()
    accountant.history = [(guarantee.noise_multiplier, guarantee.sample_rate, guarantee.steps)]

    calibrated = guarantee.preprocessing_epsilon + accountant.get_epsilon(
        delta=guarantee.training_delta
    )
    by_events = account_events(guarantee.events, guarantee.delta)

    # Opacus' calibration plus basic composition stays below the target ...
    assert calibrated == pytest.approx(recompute_epsilon(guarantee), rel=0.01)
    assert 0.8 * plan.epsilon <= calibrated <= plan.epsilon
    # ... and so does the charge: the larger of dp-accounting's PLD and RDP epsilons of the
    # same events (the noise is raised where RDP exceeds what PRV calibrated to).
    assert guarantee.epsilon == by_events.charged == max(by_events.pld, by_events.rdp)
    assert (guarantee.pld_epsilon, guarantee.rdp_epsilon) == (by_events.pld, by_events.rdp)
    assert 0.8 * plan.epsilon <= guarantee.epsilon <= plan.epsilon
    dp_sgd = [e for e in guarantee.events if e.kind == "subsampled_gaussian"]
    assert [(e.count, e.scale, e.sample_rate) for e in dp_sgd] == [
        (plan.steps, plan.noise_multiplier, plan.sample_rate)
    ]
    assert guarantee.delta == pytest.approx(DELTA)
    assert guarantee.steps == plan.steps == 2 * 8
    assert guarantee.sample_rate == plan.sample_rate == 1 / 8
    assert guarantee.noise_multiplier == plan.noise_multiplier > 0
    assert guarantee.max_grad_norm == 1.0
    # Public bounds and categories: only the quantile-transform histograms spend epsilon.
    assert [(s.column, s.mechanism) for s in guarantee.preprocessing] == [
        ("wage", "histogram"),
        ("education", "histogram"),
        ("experience", "histogram"),
    ]
    assert guarantee.preprocessing_epsilon == pytest.approx(0.75)


def test_progress_reports_epochs_and_epsilon_spent_so_far(trained):
    _, model, progress = trained
    epochs = [details for _, message, details in progress.updates if message.startswith("finished")]

    assert [d["epoch"] for d in epochs] == [1, 2]
    assert 0.3 < epochs[0]["epsilon_spent"] < epochs[1]["epsilon_spent"]
    assert epochs[1]["epsilon_spent"] == pytest.approx(recompute_epsilon(model.guarantee), rel=1e-6)
    assert progress.updates[-1][0] == 1.0


def test_only_progress_leaves_training_never_a_loss(trained):
    """The training loss is computed on raw rows, outside the guarantee: no progress report
    and no part of the saved model carries it."""
    _, model, progress = trained
    published = {name for _, _, details in progress.updates for name in details}

    assert published <= {"epoch", "step", "epsilon_spent"}
    assert "loss" not in json.dumps([message for _, message, _ in progress.updates])
    assert set(vars(model.training)) == {"epochs", "steps", "seconds"}


def test_the_model_round_trips_through_bytes_and_seeds_reproduce(trained):
    _, model, _ = trained

    loaded = DPSynthesizer.from_bytes(model.to_bytes())

    pd.testing.assert_frame_equal(loaded.sample(200, seed=3), model.sample(200, seed=3))
    assert not model.sample(200, seed=3).equals(model.sample(200, seed=4))
    assert loaded.guarantee == model.guarantee
    assert account_events(loaded.guarantee.events, loaded.guarantee.delta).charged == (
        model.guarantee.epsilon
    )


def test_bytes_that_are_not_a_model_are_rejected():
    with pytest.raises(InvalidInput) as rejected:
        DPSynthesizer.from_bytes(b"PK\x03\x04 definitely not a model")

    assert rejected.value.violations[0].field == "model"


def test_bad_sample_requests_name_the_field(trained):
    _, model, _ = trained
    with pytest.raises(InvalidInput) as rejected:
        model.sample(0)
    assert rejected.value.violations[0].field == "num_rows"
    with pytest.raises(InvalidInput) as rejected:
        model.sample(10, seed=-1)
    assert rejected.value.violations[0].field == "seed"


def test_cancellation_stops_training_within_the_epoch(cps):
    plan = plan_dp_training(
        _config(SynthesizerKind.DP_TVAE, epochs=50, batch_size=50), PUBLIC_SCHEMA, ROWS
    )
    progress = RecordingProgress(cancel_when=lambda fraction, message, d: d.get("step", 0) >= 1)

    with pytest.raises(JobCancelled):
        train_dp_synthesizer(cps, plan, progress=progress)

    last_step = progress.updates[-1][2]["step"]
    assert last_step <= plan.steps_per_epoch < plan.steps


def test_without_public_metadata_bounds_and_categories_come_from_dp_releases(cps_full):
    frame = cps_full.sample(6000, random_state=1).reset_index(drop=True)
    config = _config(SynthesizerKind.DP_TVAE, epsilon=8.0, epochs=1, batch_size=500)
    plan = plan_dp_training(config, infer_schema(frame), len(frame))

    model = train_dp_synthesizer(frame, plan)

    guarantee = model.guarantee
    mechanisms = {(s.column, s.mechanism) for s in guarantee.preprocessing}
    assert ("wage", "bounds") in mechanisms and ("region", "categories") in mechanisms
    # DP-SGD kinds give preprocessing a quarter of epsilon by default.
    assert guarantee.preprocessing_epsilon == pytest.approx(2.0)
    assert guarantee.preprocessing_delta == pytest.approx(0.1 * DELTA)
    assert guarantee.epsilon <= 8.0
    encoders = {t.column: t for t in model.encoder.transforms}
    wage = encoders["wage"]
    # Power-of-two bounds around the bulk of the wages.
    assert wage.lower <= frame["wage"].quantile(0.05) and wage.upper >= frame["wage"].median()
    # Released categories, most frequent first, then the protected value for rare ones.
    assert set(encoders["region"].categories) == {
        "northeast",
        "midwest",
        "south",
        "west",
        OTHER_CATEGORY,
    }
    assert encoders["smsa"].categories[0] == "yes"
    assert encoders["smsa"].categories[-1] == OTHER_CATEGORY
    sample = model.sample(300, seed=1)
    assert sample["wage"].between(wage.lower, wage.upper).all()
    assert set(sample["ethnicity"]) <= {*frame["ethnicity"], OTHER_CATEGORY}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": -2.0}, "epsilon"),
        ({"delta": 0.0}, "delta"),
        ({"delta": 1 / ROWS}, "delta"),
        ({"epochs": 0}, "epochs"),
        ({"batch_size": 1}, "batch_size"),
        ({"accountant": "moments"}, "accountant"),
        ({"max_grad_norm": 0.0}, "max_grad_norm"),
        ({"preprocessing_epsilon_fraction": 1.0}, "preprocessing_epsilon_fraction"),
        ({"epsilon": 1e-7}, "epsilon"),
    ],
)
def test_bad_training_requests_name_the_field(changes, field):
    with pytest.raises(InvalidInput) as rejected:
        plan_dp_training(_config(SynthesizerKind.DP_CTGAN, **changes), PUBLIC_SCHEMA, ROWS)

    assert rejected.value.violations[0].field == field


def test_without_a_preprocessing_share_every_bound_must_be_public(cps):
    config = _config(SynthesizerKind.DP_TVAE, preprocessing_epsilon_fraction=0.0)

    with pytest.raises(InvalidInput) as rejected:
        plan_dp_training(config, infer_schema(cps), ROWS)

    fields = {v.field for v in rejected.value.violations}
    assert "schema.columns[0].lower" in fields and "schema.columns[3].categories" in fields
    # With public metadata it plans, spending nothing on preprocessing.
    plan = plan_dp_training(config, PUBLIC_SCHEMA, ROWS)
    assert plan.preprocessing == () and plan.training_epsilon == 3.0


def test_inconsistent_schema_and_mismatched_data_are_rejected(cps):
    schema = PUBLIC_SCHEMA.with_column("wage", lower=100.0, upper=50.0)
    with pytest.raises(InvalidInput) as rejected:
        plan_dp_training(_config(SynthesizerKind.DP_TVAE), schema, ROWS)
    assert rejected.value.violations[0].field == "schema.columns[0].upper"

    plan = plan_dp_training(_config(SynthesizerKind.DP_TVAE), PUBLIC_SCHEMA, ROWS)
    with pytest.raises(InvalidInput) as rejected:
        train_dp_synthesizer(cps.head(100), plan)
    assert rejected.value.violations[0].field == "n_rows"
    with pytest.raises(InvalidInput) as rejected:
        train_dp_synthesizer(cps.drop(columns=["region"]), plan)
    assert rejected.value.violations[0].field == "schema.columns"


def test_a_request_round_trips_through_plain_values():
    config = _config(SynthesizerKind.DP_CTGAN, accountant="prv", hidden_dims=(64, 32))

    restored = DPTrainingConfig.from_dict(config.to_dict())

    assert restored == config
    assert restored.accountant is AccountantKind.PRV and restored.kind is SynthesizerKind.DP_CTGAN


def test_a_plan_round_trips_through_json_unchanged(cps_full):
    schema = infer_schema(cps_full).with_column("wage", lower=0.0, upper=20_000.0)
    plan = plan_dp_training(_config(SynthesizerKind.DP_TVAE), schema, len(cps_full))

    restored = DPTrainingPlan.from_dict(json.loads(json.dumps(plan.to_dict())))

    assert restored == plan
    assert restored.preprocessing and restored.steps == plan.steps
