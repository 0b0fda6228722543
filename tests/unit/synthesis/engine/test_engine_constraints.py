"""Constraints declared as data: parsed, checked against the data, enforced in samples."""

from __future__ import annotations

import pytest

from synthstudio_engine_sdv import detect_metadata
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import (
    FixedCombinations,
    FixedIncrements,
    Inequality,
    Range,
    SampleRequest,
    SynthesizerKind,
    TrainingSpec,
    constraint_to_dict,
    parse_constraint,
)


@pytest.fixture(scope="module")
def housing(txhousing):
    """Texas sales where sales < median price < dollar volume holds in every row."""
    return txhousing.drop(columns=["city"]).dropna().reset_index(drop=True)


def train_with(engine, table, *constraints):
    metadata = detect_metadata({"housing": table})
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, metadata, constraints=constraints)
    return engine.train({"housing": table}, spec, NullProgress())


def test_plain_constraints_parse_into_typed_ones():
    parsed = parse_constraint(0, {"type": "inequality", "low_column": "a", "high_column": "b"})
    assert parsed == Inequality("a", "b")
    combos = parse_constraint(1, {"type": "fixed_combinations", "column_names": ["x", "y"]})
    assert combos == FixedCombinations(("x", "y"))
    for constraint in (parsed, combos, Range("a", "b", "c"), FixedIncrements("a", 5)):
        assert parse_constraint(0, constraint_to_dict(constraint)) == constraint


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"type": "between"}, "constraints[2].type"),
        ({"type": "inequality", "low_column": "a"}, "constraints[2].high_column"),
        ({"type": "inequality", "low_column": "a", "high_column": "a"}, "constraints[2]"),
        ({"type": "inequality", "low": "a", "high_column": "b"}, "constraints[2].low"),
        ({"type": "fixed_increments", "column": "a", "increment": 0}, "constraints[2].increment"),
        ({"type": "fixed_combinations", "column_names": ["a"]}, "constraints[2].column_names"),
        (
            {"type": "fixed_combinations", "column_names": ["a", ""]},
            "constraints[2].column_names[1]",
        ),
        (
            {"type": "range", "low_column": "a", "middle_column": "b", "high_column": "a"},
            "constraints[2]",
        ),
    ],
)
def test_malformed_constraints_name_the_field(value, field):
    with pytest.raises(InvalidInput) as caught:
        parse_constraint(2, value)
    assert caught.value.violations[0].field == field


def test_inequality_and_range_hold_in_every_sampled_row(engine, housing):
    model = train_with(
        engine,
        housing,
        Inequality("sales", "volume"),
        Range("sales", "median", "volume", strict=False),
    )
    rows = engine.sample(model, SampleRequest(500, seed=3)).data
    assert len(rows) == 500
    assert (rows.sales <= rows.volume).all()
    assert ((rows.sales <= rows["median"]) & (rows["median"] <= rows.volume)).all()


def test_fixed_combinations_only_produce_combinations_seen_in_the_data(engine, cps):
    metadata = detect_metadata({"cps": cps})
    constraint = FixedCombinations(("ethnicity", "region", "parttime"))
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, metadata, constraints=(constraint,))
    model = engine.train({"cps": cps}, spec, NullProgress())
    rows = engine.sample(model, SampleRequest(400, seed=5)).data
    seen = set(cps[["ethnicity", "region", "parttime"]].itertuples(index=False, name=None))
    sampled = set(rows[["ethnicity", "region", "parttime"]].itertuples(index=False, name=None))
    assert sampled <= seen


def test_a_constraint_on_an_unknown_column_names_that_field(engine, housing):
    with pytest.raises(InvalidInput) as caught:
        train_with(engine, housing, Inequality("sales", "revenue"))
    assert caught.value.violations[0].field == "constraints[0].high_column"
    assert "revenue" in caught.value.message


def test_a_constraint_the_data_breaks_is_refused(engine, housing):
    # Dollar volume is never below the number of sales.
    with pytest.raises(InvalidInput) as caught:
        train_with(engine, housing, FixedIncrements("month", 1), Inequality("volume", "sales"))
    assert caught.value.violations[0].field == "constraints[1]"
    assert "Inequality" in caught.value.message


def test_a_constraint_on_a_column_of_the_wrong_type_is_refused(engine, housing):
    # `year` (2013 to 2015) is detected as ordinal; fixed increments need a numerical column.
    with pytest.raises(InvalidInput) as caught:
        train_with(engine, housing, FixedIncrements("year", 1))
    assert caught.value.violations[0].field == "constraints[0]"
    assert "numerical" in caught.value.message


def test_a_constraint_for_another_table_is_refused(engine, housing):
    with pytest.raises(InvalidInput) as caught:
        train_with(engine, housing, Inequality("sales", "volume", table_name="flights"))
    assert caught.value.violations[0].field == "constraints[0].table_name"
