"""Metadata without SDV (`TableMetadata`, the metadata engine of the Apache profile): on real
tables it finds the keys, links and sequences SDV's detector finds, and it refuses malformed
edits naming the field, as the SDV engine's validation does."""

from __future__ import annotations

import copy

import pytest

from synthstudio_engine_sdv import detect_metadata as sdv_detect_metadata
from synthstudio_libs.errors import InvalidInput
from synthstudio_synthesis.engine import DataLayout, TableMetadata
from synthstudio_synthesis.engine_setup import metadata_rules

RULES = TableMetadata()
CPS_CONTENT = ["wage", "education", "experience", "ethnicity", "smsa", "region", "parttime"]


def sdtypes(metadata: dict, table: str, columns: list[str]) -> dict[str, str]:
    described = metadata["tables"][table]["columns"]
    return {column: described[column]["sdtype"] for column in columns}


def test_without_an_installed_metadata_engine_the_service_uses_its_own():
    assert isinstance(metadata_rules([]), TableMetadata)


def test_single_table_sdtypes_agree_with_sdv(cps):
    ours = RULES.detect_metadata({"cps": cps})
    theirs = sdv_detect_metadata({"cps": cps})
    assert sdtypes(ours, "cps", CPS_CONTENT) == sdtypes(theirs, "cps", CPS_CONTENT)
    assert ours["relationships"] == [] and ours["METADATA_SPEC_VERSION"] == "V2"


def test_linked_tables_get_the_keys_and_links_sdv_finds(flights):
    ours = RULES.detect_metadata(flights)
    theirs = sdv_detect_metadata(flights)
    for name in flights:
        assert ours["tables"][name].get("primary_key") == theirs["tables"][name].get("primary_key")

    def links(metadata: dict) -> set[tuple[str, str, str]]:
        return {
            (r["parent_table_name"], r["child_table_name"], r["child_foreign_key"])
            for r in metadata["relationships"]
        }

    assert (
        links(ours)
        == links(theirs)
        == {
            ("airlines", "flights", "carrier"),
            ("planes", "flights", "tailnum"),
        }
    )


def test_sequences_are_found_as_sdv_finds_them(txhousing):
    table = RULES.detect_metadata({"tx": txhousing}, DataLayout.SEQUENTIAL)["tables"]["tx"]
    assert (table["sequence_key"], table["sequence_index"]) == ("city", "date")
    assert table["columns"]["city"]["sdtype"] == "id"
    assert table.get("primary_key") is None
    named = RULES.detect_metadata({"tx": txhousing}, sequence_key="city", sequence_index="date")
    assert named["tables"]["tx"]["sequence_index"] == "date"


def test_sequence_hints_must_be_columns(txhousing):
    with pytest.raises(InvalidInput) as caught:
        RULES.detect_metadata({"tx": txhousing}, sequence_key="town")
    assert caught.value.violations[0].field == "sequence_key"


def test_a_table_without_rows_is_refused(cps):
    with pytest.raises(InvalidInput) as caught:
        RULES.detect_metadata({"cps": cps.head(0)})
    assert caught.value.reason == "EMPTY_TABLE"


def test_detected_metadata_validates_against_its_tables(flights):
    detected = RULES.detect_metadata(flights)
    assert RULES.validate_metadata(detected, flights)["tables"] == detected["tables"]


def edit(metadata: dict, change) -> dict:
    edited = copy.deepcopy(metadata)
    change(edited)
    return edited


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda m: m["tables"]["cps"]["columns"]["wage"].pop("sdtype"), "columns.wage.sdtype"),
        (
            lambda m: m["tables"]["cps"]["columns"]["wage"].update(sdtype="Money!"),
            "columns.wage.sdtype",
        ),
        (lambda m: m["tables"]["cps"].update(primary_key="nope"), "cps.primary_key"),
        (lambda m: m["tables"]["cps"].update(columns={}), "cps.columns"),
        (lambda m: m.update(tables={}), "metadata.tables"),
        (lambda m: m.update(relationships={}), "metadata.relationships"),
        (
            lambda m: m["relationships"].append({"parent_table_name": "cps"}),
            "relationships[0].parent_primary_key",
        ),
        (lambda m: m["tables"]["cps"]["columns"].pop("region"), "metadata.tables.cps.columns"),
    ],
)
def test_malformed_edits_name_the_field(cps, change, field):
    detected = RULES.detect_metadata({"cps": cps})
    with pytest.raises(InvalidInput) as caught:
        RULES.validate_metadata(edit(detected, change), {"cps": cps})
    assert caught.value.violations[0].field.endswith(field), caught.value.violations[0].field


def test_a_relationship_must_name_tables_and_columns_of_the_metadata(flights):
    detected = RULES.detect_metadata(flights)
    wrong = edit(detected, lambda m: m["relationships"][0].update(child_foreign_key="nope"))
    with pytest.raises(InvalidInput) as caught:
        RULES.validate_metadata(wrong)
    assert caught.value.violations[0].field == "metadata.relationships[0].child_foreign_key"
