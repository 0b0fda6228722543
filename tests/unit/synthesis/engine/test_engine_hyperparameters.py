"""Typed hyperparameters: defaults, normalisation, and errors naming the field."""

from __future__ import annotations

import pytest

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import (
    CopulaGANHyperparameters,
    CTGANHyperparameters,
    GaussianCopulaHyperparameters,
    HMAHyperparameters,
    PARHyperparameters,
    SynthesizerKind,
    TrainingSpec,
    TVAEHyperparameters,
    parse_hyperparameters,
    parse_kind,
)
from synthstudio_synthesis.engine.hyperparameters import HYPERPARAMETER_TYPES


def test_each_kind_has_its_own_typed_defaults():
    assert set(HYPERPARAMETER_TYPES) == set(SynthesizerKind)
    ctgan = parse_hyperparameters("ctgan")
    assert isinstance(ctgan, CTGANHyperparameters)
    assert (ctgan.epochs, ctgan.batch_size, ctgan.pac) == (300, 500, 10)
    assert ctgan.generator_dim == (256, 256)
    assert parse_hyperparameters("tvae").compress_dims == (128, 128)
    assert parse_hyperparameters("par").epochs == 128
    assert parse_hyperparameters("gaussian_copula").default_distribution == "beta"
    assert parse_hyperparameters("hma").default_distribution is None
    assert isinstance(parse_hyperparameters("copulagan"), CopulaGANHyperparameters)


def test_values_from_json_are_normalised():
    parsed = parse_hyperparameters(
        "ctgan", {"epochs": 5.0, "generator_dim": [64, 32], "locales": ["fr_FR"]}
    )
    assert parsed.epochs == 5 and isinstance(parsed.epochs, int)
    assert parsed.generator_dim == (64, 32)
    assert parsed.locales == ("fr_FR",)
    assert parsed.to_dict()["generator_dim"] == (64, 32)


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("ctgan", {"epochs": 0}, "hyperparameters.epochs"),
        ("ctgan", {"epochs": "ten"}, "hyperparameters.epochs"),
        ("ctgan", {"epochs": True}, "hyperparameters.epochs"),
        ("ctgan", {"epochs": 2.5}, "hyperparameters.epochs"),
        ("ctgan", {"batch_size": 55}, "hyperparameters.batch_size"),
        ("ctgan", {"batch_size": 100, "pac": 3}, "hyperparameters.batch_size"),
        ("ctgan", {"generator_dim": [256, 0]}, "hyperparameters.generator_dim[1]"),
        ("ctgan", {"generator_dim": []}, "hyperparameters.generator_dim"),
        ("ctgan", {"generator_lr": 0}, "hyperparameters.generator_lr"),
        ("ctgan", {"discriminator_decay": float("nan")}, "hyperparameters.discriminator_decay"),
        ("ctgan", {"locales": ["xx_YY"]}, "hyperparameters.locales[0]"),
        ("tvae", {"loss_factor": -1}, "hyperparameters.loss_factor"),
        (
            "gaussian_copula",
            {"default_distribution": "cauchy"},
            "hyperparameters.default_distribution",
        ),
        (
            "gaussian_copula",
            {"numerical_distributions": {"wage": "lognormal"}},
            "hyperparameters.numerical_distributions.wage",
        ),
        ("hma", {"default_distribution": "gaussian_kde"}, "hyperparameters.default_distribution"),
        ("par", {"segment_size": 0}, "hyperparameters.segment_size"),
        ("par", {"context_columns": ["a", "a"]}, "hyperparameters.context_columns"),
        ("gaussian_copula", {"enforce_rounding": "yes"}, "hyperparameters.enforce_rounding"),
    ],
)
def test_out_of_range_or_mistyped_values_name_the_field(kind, values, field):
    with pytest.raises(InvalidInput) as caught:
        parse_hyperparameters(kind, values)
    assert caught.value.violations[0].field == field
    assert field in caught.value.message


def test_unknown_names_are_refused_with_the_known_ones():
    with pytest.raises(InvalidInput) as caught:
        parse_hyperparameters("tvae", {"epoch": 3})
    assert caught.value.violations[0].field == "hyperparameters.epoch"
    assert "epochs" in caught.value.message and "tvae" in caught.value.message
    # TVAE has no locales in SDV; asking for them is an unknown name, not a silent no-op.
    with pytest.raises(InvalidInput, match="hyperparameters.locales"):
        parse_hyperparameters("tvae", {"locales": ["en_US"]})


def test_direct_construction_is_validated_too():
    with pytest.raises(InvalidInput) as caught:
        PARHyperparameters(epochs=-1)
    assert caught.value.violations[0].field == "hyperparameters.epochs"
    assert HMAHyperparameters(default_distribution="norm").default_distribution == "norm"
    assert TVAEHyperparameters(batch_size=7).batch_size == 7


def test_unknown_kind_names_the_kind_field():
    with pytest.raises(InvalidInput) as caught:
        parse_kind("gan")
    assert caught.value.violations[0].field == "kind"
    assert "gaussian_copula" in caught.value.message


def test_hyperparameters_of_another_kind_are_refused_at_training(engine, cps, cps_metadata):
    spec = TrainingSpec(SynthesizerKind.CTGAN, cps_metadata, GaussianCopulaHyperparameters())
    with pytest.raises(InvalidInput) as caught:
        engine.train({"cps": cps}, spec, NullProgress())
    assert caught.value.violations[0].field == "hyperparameters"


def test_a_distribution_for_a_missing_column_is_refused_at_training(engine, cps, cps_metadata):
    hyperparameters = GaussianCopulaHyperparameters(numerical_distributions={"salary": "norm"})
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, cps_metadata, hyperparameters)
    with pytest.raises(InvalidInput) as caught:
        engine.train({"cps": cps}, spec, NullProgress())
    assert caught.value.violations[0].field == "hyperparameters.numerical_distributions.salary"
