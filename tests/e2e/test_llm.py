"""The assistant through the gateway, as a REST client uses it: upload a dataset, ask for a
compliance report, watch the job, review the draft as another user, export the PDF."""

from __future__ import annotations

import base64
import io

import pandas as pd
import pypdf
import pytest

from tests.e2e.jobs import wait_for_job

JOB_TIMEOUT_SECONDS = 60
PEOPLE = pd.DataFrame(
    {
        "patient_name": [
            f"{first} {last}" for first in ("Maria", "Kenji", "Olga", "David") for last in "ABCDE"
        ],
        "email": [f"patient{index}@example.org" for index in range(20)],
        "ward": ["cardiology", "oncology", "surgery", "cardiology"] * 5,
        "age": list(range(30, 50)),
    }
)


@pytest.fixture(scope="module")
def reviewer(suite, anonymous_http, admin_token):
    """A client calling as a user with the reviewer role, created by the administrator."""
    user = {"email": "reviewer@example.org", "password": "e2e reviewer pw", "role": "ROLE_REVIEWER"}
    created = anonymous_http.post(
        "/v1/users", json=user, headers={"authorization": f"Bearer {admin_token}"}
    )
    assert created.status_code == 200, created.text
    token = anonymous_http.post(
        "/v1/auth/login", json={"email": user["email"], "password": user["password"]}
    ).json()["accessToken"]
    return {"authorization": f"Bearer {token}"}


def test_a_compliance_report_is_drafted_reviewed_and_exported_over_rest(http, reviewer):
    content = base64.b64encode(PEOPLE.to_csv(index=False).encode()).decode()
    uploaded = http.post(
        "/v1/datasets",
        json={"format": "TABLE_FORMAT_CSV", "content": content, "displayName": "patients"},
    )
    assert uploaded.status_code == 200, uploaded.text
    dataset_id = uploaded.json()["id"]

    started = http.post(
        "/v1/artifacts",
        json={
            "complianceReport": {
                "datasetId": dataset_id,
                "regulation": "REGULATION_HIPAA",
                "treatments": [{"column": "email", "action": "ANONYMIZATION_ACTION_DROP"}],
            }
        },
    )
    assert started.status_code == 200, started.text
    job = wait_for_job(http, started.json()["id"], JOB_TIMEOUT_SECONDS)
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    artifact_id = job["result"]["artifact_id"]

    artifact = http.get(f"/v1/artifacts/{artifact_id}").json()
    assert artifact["state"] == "ARTIFACT_STATE_DRAFT"
    assert artifact["feature"] == "FEATURE_COMPLIANCE_REPORT"
    assert artifact["provider"] == "offline"
    inventory = {item["column"]: item["status"] for item in artifact["output"]["pii_inventory"]}
    assert inventory["email"] == "addressed"
    assert "patient0@example.org" not in artifact["prompt"]

    draft_export = http.post(
        f"/v1/artifacts/{artifact_id}:export", json={"format": "EXPORT_FORMAT_PDF"}
    )
    assert draft_export.status_code == 400
    assert draft_export.json()["reason"] == "ARTIFACT_NOT_APPROVED"
    self_review = http.post(
        f"/v1/artifacts/{artifact_id}:review", json={"decision": "REVIEW_DECISION_APPROVE"}
    )
    assert self_review.status_code == 403

    approved = http.post(
        f"/v1/artifacts/{artifact_id}:review",
        json={"decision": "REVIEW_DECISION_APPROVE", "comment": "Checked."},
        headers=reviewer,
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "ARTIFACT_STATE_APPROVED"
    reviews = http.get(f"/v1/artifacts/{artifact_id}/reviews").json()["reviews"]
    assert [review["comment"] for review in reviews] == ["Checked."]

    exported = http.post(
        f"/v1/artifacts/{artifact_id}:export", json={"format": "EXPORT_FORMAT_PDF"}
    )
    assert exported.status_code == 200, exported.text
    assert exported.json()["mediaType"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(base64.b64decode(exported.json()["content"])))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "HIPAA compliance report: patients" in text

    listed = http.get(
        "/v1/artifacts", params={"feature": "FEATURE_COMPLIANCE_REPORT", "pageSize": 10}
    ).json()
    assert artifact_id in [item["id"] for item in listed["artifacts"]]
