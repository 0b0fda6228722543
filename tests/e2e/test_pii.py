"""The PII capability through the gateway, as a REST client uses it: redaction of text, a
dataset scan job watched to completion through /v1/jobs, and a bad input as problem JSON."""

from __future__ import annotations

import base64

from tests.e2e.jobs import wait_for_job

CSV = "\n".join(
    ["name,email,amount"]
    + [
        f"{first} {last},{first.lower()}.{last.lower()}@example.org,{amount}.50"
        for first, last, amount in [
            ("Maria", "Lopez", 120),
            ("John", "Carter", 75),
            ("Aisha", "Khan", 310),
            ("Peter", "Novak", 42),
            ("Laura", "Smith", 980),
            ("Kenji", "Watanabe", 15),
        ]
    ]
).encode()


def test_redact_text_through_rest(http):
    reply = http.post(
        "/v1/pii:redactText",
        json={"text": "Write to maria.lopez@example.org or call 212-555-0143."},
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["text"] == "Write to <EMAIL_ADDRESS> or call <PHONE_NUMBER>."
    assert body["entityCounts"] == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}


def test_a_dataset_scan_job_is_watched_to_completion_through_rest(http):
    created = http.post(
        "/v1/datasets",
        json={"format": "TABLE_FORMAT_CSV", "content": base64.b64encode(CSV).decode()},
    )
    assert created.status_code == 200, created.text
    dataset_id = created.json()["id"]
    started = http.post(f"/v1/datasets/{dataset_id}:scanPii", json={})
    assert started.status_code == 200, started.text
    assert started.json()["kind"] == "pii.scan_dataset"
    job = wait_for_job(http, started.json()["id"])
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    [table] = job["result"]["tables"]
    verdicts = {v["column"]: v["entity_type"] for v in table["columns"]}
    assert verdicts == {"name": "PERSON", "email": "EMAIL_ADDRESS", "amount": ""}


def test_an_unknown_entity_type_is_a_400_problem_naming_the_field(http):
    reply = http.post("/v1/pii:redactText", json={"text": "hello", "entities": ["SHOE_SIZE"]})
    assert reply.status_code == 400
    problem = reply.json()
    assert problem["code"] == "INVALID_ARGUMENT"
    assert problem["violations"][0]["field"] == "entities[0]"
