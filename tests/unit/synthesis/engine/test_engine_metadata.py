"""Metadata detection for the three layouts, and validation of the user's edits."""

from __future__ import annotations

import copy
import json

import pytest

from synthstudio_engine_sdv import detect_metadata, validate_metadata
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import DataLayout, SampleRequest, SynthesizerKind, TrainingSpec


def test_single_table_detection_is_an_editable_plain_dict(cps_full):
    metadata = detect_metadata({"cps": cps_full})
    json.dumps(metadata)  # plain data, ready for a request or a person
    table = metadata["tables"]["cps"]
    assert table["primary_key"] == "rownames"
    assert table["columns"]["wage"]["sdtype"] == "numerical"
    assert table["columns"]["region"]["sdtype"] == "categorical"
    assert metadata["relationships"] == []


def test_linked_tables_are_detected_with_their_keys(flights):
    metadata = detect_metadata(flights)
    assert metadata["tables"]["airlines"]["primary_key"] == "carrier"
    assert metadata["tables"]["planes"]["primary_key"] == "tailnum"
    links = {(r["parent_table_name"], r["child_foreign_key"]) for r in metadata["relationships"]}
    assert links == {("airlines", "carrier"), ("planes", "tailnum")}


def test_sequences_are_found_by_an_order_increasing_within_each_entity(txhousing):
    metadata = detect_metadata({"tx": txhousing}, DataLayout.SEQUENTIAL)
    table = metadata["tables"]["tx"]
    assert (table["sequence_key"], table["sequence_index"]) == ("city", "date")
    assert table["columns"]["city"]["sdtype"] == "id"
    # SDV would take `volume` (distinct floats) as the primary key; it is a measurement.
    assert "primary_key" not in table or table["primary_key"] is None
    assert table["columns"]["volume"]["sdtype"] == "numerical"


def test_sequence_hints_must_be_columns(txhousing):
    with pytest.raises(InvalidInput) as caught:
        detect_metadata({"tx": txhousing}, sequence_key="town")
    assert caught.value.violations[0].field == "sequence_key"


def test_a_table_without_rows_is_refused(cps):
    with pytest.raises(InvalidInput) as caught:
        detect_metadata({"cps": cps.head(0)})
    assert caught.value.reason == "EMPTY_TABLE"
    assert caught.value.violations[0].field == "tables.cps"


def test_email_columns_are_personal_data_and_get_fresh_fake_values(engine, cps):
    people = cps.head(120).copy()
    people["email"] = [f"worker{index}@cps-survey.example.org" for index in range(len(people))]
    metadata = detect_metadata({"people": people})
    assert metadata["tables"]["people"]["columns"]["email"]["sdtype"] == "email"
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, metadata)
    model = engine.train({"people": people}, spec, NullProgress())
    sampled = engine.sample(model, SampleRequest(20, seed=1)).data
    assert sampled.email.str.contains("@").all()
    assert not set(sampled.email) & set(people.email)


def test_valid_edits_come_back_normalised(cps, cps_metadata):
    edited = copy.deepcopy(cps_metadata)
    edited["tables"]["cps"]["columns"]["education"] = {"sdtype": "categorical"}
    checked = validate_metadata(edited, {"cps": cps})
    assert checked["tables"]["cps"]["columns"]["education"]["sdtype"] == "categorical"


def edit(metadata, change):
    edited = copy.deepcopy(metadata)
    change(edited)
    return edited


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda m: m["tables"]["cps"]["columns"]["region"].update(sdtype="place"),
            "metadata.tables.cps.columns.region.sdtype",
        ),
        (
            lambda m: m["tables"]["cps"]["columns"]["region"].pop("sdtype"),
            "metadata.tables.cps.columns.region.sdtype",
        ),
        (
            lambda m: m["tables"]["cps"]["columns"]["wage"].update(computer_representation="X"),
            "metadata.tables.cps.columns.wage",
        ),
        (
            lambda m: m["tables"]["cps"].update(primary_key="person"),
            "metadata.tables.cps.primary_key",
        ),
        (lambda m: m["tables"]["cps"].update(owner="me"), "metadata.tables.cps"),
        (
            lambda m: m["tables"]["cps"]["columns"].pop("smsa"),
            "metadata.tables.cps.columns",
        ),
        (
            lambda m: m["relationships"].append(
                {
                    "parent_table_name": "people",
                    "parent_primary_key": "id",
                    "child_table_name": "cps",
                    "child_foreign_key": "region",
                }
            ),
            "metadata.relationships[0].parent_table_name",
        ),
        (lambda m: m.update(tables={}), "metadata.tables"),
    ],
)
def test_bad_edits_name_the_field(cps, cps_metadata, change, field):
    with pytest.raises(InvalidInput) as caught:
        validate_metadata(edit(cps_metadata, change), {"cps": cps})
    assert caught.value.violations[0].field == field


def test_a_sdtype_the_data_cannot_have_is_refused_against_the_data(cps, cps_metadata):
    edited = edit(
        cps_metadata,
        lambda m: m["tables"]["cps"]["columns"].update(
            region={"sdtype": "datetime", "datetime_format": "%Y-%m-%d"}
        ),
    )
    validate_metadata(edited)  # well-formed on its own
    with pytest.raises(InvalidInput) as caught:
        validate_metadata(edited, {"cps": cps})
    assert caught.value.violations[0].field == "metadata"
    assert "region" in caught.value.message


def test_training_refuses_metadata_that_does_not_suit_the_kind(engine, cps, cps_metadata):
    with pytest.raises(InvalidInput) as caught:
        engine.train({"cps": cps}, TrainingSpec(SynthesizerKind.PAR, cps_metadata), NullProgress())
    assert caught.value.violations[0].field == "metadata.tables.cps.sequence_key"


def test_hma_refuses_more_than_five_tables(engine, flights):
    tables = {f"airlines_{index}": flights["airlines"] for index in range(6)}
    metadata = detect_metadata(tables)
    with pytest.raises(InvalidInput) as caught:
        engine.train(tables, TrainingSpec(SynthesizerKind.HMA, metadata), NullProgress())
    assert caught.value.violations[0].field == "metadata.relationships"
    assert "at most 5 tables" in caught.value.message
