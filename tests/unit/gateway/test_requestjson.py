"""The gateway takes a request field's JSON value exactly when the OpenAPI document says it may:
every field of every message the document declares, probed with values of every JSON type
(booleans where enums and numbers go, numbers where strings go, 64-bit integers both ways), is
checked against the document's schema with jsonschema and sent through the gateway's parser."""

from __future__ import annotations

import json

import pytest
from google.protobuf import descriptor_pool, message_factory
from jsonschema import Draft202012Validator
from starlette.testclient import TestClient

from synthstudio_gateway.app import create_app
from synthstudio_gateway.openapi import build_openapi
from synthstudio_gateway.requestjson import query_fields
from synthstudio_gateway.routes import discover_routes
from synthstudio_gateway.transcoding import BadRequestBody, body_fields, to_message
from synthstudio_libs.config import load_settings

SPEC = build_openapi(discover_routes())
SCHEMAS = SPEC["components"]["schemas"]
MESSAGES = sorted(name for name in SCHEMAS if name != "Problem")

# A date the document's pattern for a timestamp allows, which no calendar has.
ONE_MONTH_TOO_MANY = "2024-13-01T10:00:00Z"
PROBES = [
    None,
    True,
    False,
    0,
    1,
    -3,
    2.0,
    1.5,
    1e300,
    2**40,
    "",
    "x",
    "7",
    "-12",
    "1.5",
    "1e3",
    "true",
    "NaN",
    "aGVsbG8=",
    "he!!o",
    "1.5s",
    "2024-05-01T10:00:00Z",
    "2024-05-01T10:00:00.25+02:00",
    "2024-05-01 10:00",
    ONE_MONTH_TOO_MANY,
    "displayName,description",
    [],
    [1],
    ["a"],
    [True],
    [None],
    {},
    {"a": 1},
    {"a": "b"},
    {"7": {}},
]


def _enum_names(properties: dict) -> list[tuple[str, object]]:
    """Each field's first enum name and first map/array value of its kind, as extra probes."""
    extra = []
    for name, schema in properties.items():
        for option in schema.get("enum", []):
            if isinstance(option, str):
                extra += [(name, option), (name, [option]), (name, {"k": option})]
                break
    return extra


def _accepted(message_name: str, body: dict) -> bool:
    descriptor = descriptor_pool.Default().FindMessageTypeByName(message_name)
    message = message_factory.GetMessageClass(descriptor)()
    try:
        to_message(body_fields(json.dumps(body).encode(), descriptor), message)
    except BadRequestBody:
        return False
    return True


@pytest.mark.parametrize("message_name", MESSAGES)
def test_a_field_takes_a_value_exactly_when_the_document_allows_it(message_name):
    validator = Draft202012Validator(
        {"$ref": f"#/components/schemas/{message_name}", "components": SPEC["components"]}
    )
    properties = SCHEMAS[message_name]["properties"]
    probes = [(field, value) for field in properties for value in PROBES]
    disagreements = []
    for field, value in probes + _enum_names(properties):
        body = {field: value}
        declared = validator.is_valid(body)
        if declared != _accepted(message_name, body):
            disagreements.append((field, value, declared))
    # Only a month the pattern cannot rule out is refused though declared valid.
    assert [d for d in disagreements if d[1] != ONE_MONTH_TOO_MANY] == []


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(load_settings(data_dir=tmp_path_factory.mktemp("gateway")))
    return TestClient(app, headers={"authorization": "Bearer not-checked-before-the-body"})


@pytest.mark.parametrize(
    ("body", "field", "description"),
    [
        ({"kind": True}, "kind", "the boolean true"),
        ({"kind": 1.5}, "kind", "the number 1.5"),
        ({"kind": 999}, "kind", "the number 999"),
        ({"kind": "1"}, "kind", "the string '1'"),
        ({"displayName": 5}, "displayName", "the number 5"),
        ({"useFullDataset": 1}, "useFullDataset", "the number 1"),
        ({"constraints": {}}, "constraints", "an object"),
        ({"gaussianCopula": {"numericalDistributions": {"age": 3}}}, "", "the number 3"),
    ],
)
def test_a_body_of_the_wrong_json_type_is_a_400_naming_the_field(client, body, field, description):
    refused = client.post("/v1/datasets/ds_1/synthesizers", json=body)
    assert refused.status_code == 400
    problem = refused.json()
    assert problem["code"] == "INVALID_ARGUMENT"
    [violation] = problem["violations"]
    assert violation["field"].startswith(field or "gaussianCopula.numericalDistributions")
    assert description in violation["description"] and description in problem["detail"]


def test_a_json_constant_that_is_no_number_is_refused(client):
    refused = client.post(
        "/v1/datasets/ds_1/synthesizers",
        content=b'{"ctgan": {"generatorLr": NaN}}',
        headers={"content-type": "application/json"},
    )
    assert refused.status_code == 400 and "NaN is not a JSON number" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("pageSize=1.0", "pageSize"),
        ("pageSize=", "pageSize"),
        ("pageSize=true", "pageSize"),
        ("pageSize=1&pageSize=2", "pageSize"),
    ],
)
def test_a_query_parameter_of_the_wrong_type_is_a_400_naming_it(client, query, field):
    refused = client.get(f"/v1/datasets?{query}")
    assert refused.status_code == 400
    assert refused.json()["violations"][0]["field"] == field


@pytest.mark.parametrize(
    ("query", "expected"),
    [("force=yes", 400), ("force=1", 400), ("state=JOB_STATE_RUNNING&state=99", 400)],
)
def test_booleans_and_enums_in_a_query_string_take_only_their_names(client, query, expected):
    path = "/v1/datasets/ds_1" if query.startswith("force") else "/v1/jobs"
    method = client.delete if query.startswith("force") else client.get
    assert method(f"{path}?{query}").status_code == expected


def test_a_64_bit_integer_is_declared_as_a_string_of_digits_or_an_integer():
    name = "synthstudio.synthesis.v1.SampleSynthesizerRequest"
    rows = SCHEMAS[name]["properties"]["numRows"]
    assert rows["type"] == ["string", "integer", "null"]
    assert rows["pattern"] == "^-?[0-9]+$"
    assert _accepted(name, {"numRows": "12"}) and _accepted(name, {"numRows": 12})
    assert not _accepted(name, {"numRows": "12 rows"})


def test_query_text_becomes_the_json_values_a_body_would_carry():
    find = descriptor_pool.Default().FindMessageTypeByName
    jobs = find("synthstudio.common.v1.ListJobsRequest")
    assert query_fields({"state": ["2"], "pageSize": ["20"]}, jobs) == {"state": 2, "pageSize": 20}
    assert query_fields({"state": ["JOB_STATE_RUNNING"]}, jobs) == {"state": "JOB_STATE_RUNNING"}
    delete = find("synthstudio.synthesis.v1.DeleteDatasetRequest")
    assert query_fields({"force": ["true"]}, delete) == {"force": True}
    sample = find("synthstudio.synthesis.v1.SampleSynthesizerRequest")
    assert query_fields({"numRows": ["12"]}, sample) == {"numRows": "12"}
