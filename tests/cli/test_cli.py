"""`synthstudio` driven as a user's scripts drive it: subprocesses against the running suite,
`--json` output parsed, exit codes and one-line errors checked."""

from __future__ import annotations

import pandas as pd
import pytest

# An empty variable is an unset one: what a shell without the suite's addresses has.
UNSET_ADDRESSES = {
    f"SYNTHSTUDIO_{service}_ADDR": ""
    for service in ("SYNTHESIS", "EVALUATION", "PRIVACY", "PII", "LLM")
}


@pytest.fixture(scope="module")
def people_csv(tmp_path_factory):
    """A small table with personal data in it (names and e-mail addresses)."""
    frame = pd.DataFrame(
        {
            "name": ["Alice Martin", "Bruno Keller", "Chloe Dubois", "Dmitri Ivanov"] * 30,
            "email": [f"user{i}@example.org" for i in range(120)],
            "age": [23 + (i * 7) % 50 for i in range(120)],
            "income": [30000.0 + 517.5 * i for i in range(120)],
            "region": ["north", "south", "east", "west", "south", "east"] * 20,
        }
    )
    path = tmp_path_factory.mktemp("tables") / "people.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_datasets_round_trip_with_json_output(cli, editor_token, people_csv, tmp_path):
    path, frame = people_csv
    uploaded = cli(
        "datasets", "upload", str(path), "--name", "people", "--json", token=editor_token
    )
    assert uploaded.code == 0, uploaded.stderr
    dataset = uploaded.json
    assert dataset["id"] == dataset["dataset_id"] and dataset["id"].startswith("ds_")
    assert dataset["display_name"] == "people" and dataset["row_count"] == len(frame)
    assert {f["column"] for f in dataset["pii_findings"]} >= {"email"}

    # --json is accepted before the command too.
    listed = cli("--json", "datasets", "list", token=editor_token)
    assert listed.code == 0 and dataset["id"] in [d["id"] for d in listed.json["datasets"]]

    shown = cli("datasets", "show", dataset["id"], "--json", token=editor_token).json
    assert [c["name"] for c in shown["columns"]] == list(frame.columns)

    human = cli("datasets", "show", dataset["id"], token=editor_token)
    assert human.code == 0 and "people" in human.stdout and "email" in human.stdout

    out = tmp_path / "back.csv"
    downloaded = cli(
        "datasets", "download", dataset["id"], "--out", str(out), "--json", token=editor_token
    )
    assert downloaded.code == 0 and downloaded.json["paths"] == [str(out)]
    pd.testing.assert_frame_equal(pd.read_csv(out), frame, check_dtype=False)

    scanned = cli("pii", "scan", dataset["id"], "--json", token=editor_token)
    assert scanned.code == 0, scanned.stderr
    scan = scanned.json
    assert scan["job_id"].startswith("job_") and scan["dataset_id"] == dataset["id"]
    entities = {c["column"]: c["entity_type"] for c in scan["tables"][0]["columns"]}
    assert entities["email"] == "EMAIL_ADDRESS" and entities["age"] == ""
    assert scan["pii_columns"] >= 1

    deleted = cli("datasets", "delete", dataset["id"], "--json", token=editor_token)
    assert deleted.code == 0 and deleted.json == {"dataset_id": dataset["id"], "deleted": True}

    # A failing command: exit code 4 (not found), one line on stderr with the server's reason.
    missing = cli("datasets", "show", dataset["id"], token=editor_token)
    assert missing.code == 4
    assert missing.stdout == ""
    lines = missing.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("synthstudio: error: ")
    assert "(DATASET_NOT_FOUND)" in lines[0] and "Traceback" not in missing.stderr
    as_json = cli("datasets", "show", dataset["id"], "--json", token=editor_token)
    assert as_json.code == 4
    assert as_json.json["error"]["reason"] == "DATASET_NOT_FOUND"
    assert as_json.json["error"]["code"] == "NOT_FOUND"


def test_datasets_list_filter_finds_names_containing_the_text(cli, editor_token, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("a,b\n1,2\n")
    names = ["Quarterly 50% Sample", "quarterly_totals", "annual totals"]
    for name in names:
        uploaded = cli("datasets", "upload", str(path), "--name", name, token=editor_token)
        assert uploaded.code == 0, uploaded.stderr

    def listed(text: str) -> list[str]:
        found = cli("datasets", "list", "--filter", text, "--json", token=editor_token)
        assert found.code == 0, found.stderr
        return [d["display_name"] for d in found.json["datasets"]]

    assert listed("QUARTERLY") == ["quarterly_totals", "Quarterly 50% Sample"]
    assert listed("50%") == ["Quarterly 50% Sample"]
    assert listed("y_t") == ["quarterly_totals"]
    human = cli("datasets", "list", "--filter", "no such name", token=editor_token)
    assert human.code == 0 and "no datasets" in human.stdout


def test_exit_codes_of_usage_auth_server_and_unreachable_errors(cli, editor_token, suite_env):
    usage = cli("sample", "syn_x", token=editor_token)  # --rows missing
    assert usage.code == 2 and "--rows" in usage.stderr
    assert len(usage.stderr.strip().splitlines()) == 1

    missing_file = cli("datasets", "upload", "/nonexistent/table.csv", token=editor_token)
    assert missing_file.code == 2 and "no such file" in missing_file.stderr

    bad_condition = cli(
        "sample", "syn_x", "--rows", "5", "--condition", "nocolumn", token=editor_token
    )
    assert bad_condition.code == 2 and "COLUMN=VALUE" in bad_condition.stderr

    signed_out = cli("datasets", "list")
    assert signed_out.code == 3 and "synthstudio login" in signed_out.stderr
    assert "(CREDENTIALS_MISSING)" in signed_out.stderr

    bad_token = cli("datasets", "list", token="not-a-token")
    assert bad_token.code == 3 and "(TOKEN_INVALID)" in bad_token.stderr

    unreachable = cli(
        "--url",
        "127.0.0.1:1",
        "datasets",
        "list",
        token=editor_token,
        env={"SYNTHSTUDIO_RETRIES": "1", **UNSET_ADDRESSES},
    )
    assert unreachable.code == 5, unreachable.stderr
    assert "not reachable" in unreachable.stderr and "(UNAVAILABLE)" in unreachable.stderr
    assert len(unreachable.stderr.strip().splitlines()) == 1


def test_jobs_list_watch_and_a_refused_cancel(cli, editor_token, people_csv):
    path, _frame = people_csv
    dataset = cli("datasets", "upload", str(path), "--json", token=editor_token).json
    started = cli("pii", "scan", dataset["id"], "--no-wait", "--json", token=editor_token).json
    job_id = started["job_id"]

    watched = cli("jobs", "watch", job_id, "--json", token=editor_token)
    assert watched.code == 0, watched.stderr
    assert watched.json["state"] == "JOB_STATE_SUCCEEDED" and watched.json["progress"] == 1.0
    assert watched.json["result"]["dataset_id"] == dataset["id"]

    listed = cli("jobs", "list", "--kind", "pii.scan_dataset", "--json", token=editor_token).json
    assert job_id in [job["id"] for job in listed["jobs"]]
    human = cli("jobs", "list", "--state", "succeeded", token=editor_token)
    assert human.code == 0 and job_id in human.stdout

    # Cancelling a finished job is refused by the server: exit 1 and its reason.
    refused = cli("jobs", "cancel", job_id, token=editor_token)
    assert refused.code == 1
    assert "(JOB_ALREADY_ENDED)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    bad_state = cli("jobs", "list", "--state", "sleeping", token=editor_token)
    assert bad_state.code == 2 and "unknown job state" in bad_state.stderr


def test_budget_is_read_and_set_by_an_admin(cli, admin_token, editor_token, people_csv):
    path, _frame = people_csv
    dataset = cli("datasets", "upload", str(path), "--json", token=editor_token).json
    budget = cli("budget", dataset["id"], "--json", token=editor_token)
    assert budget.code == 0, budget.stderr
    assert budget.json["dataset_id"] == dataset["id"]
    assert budget.json["epsilon_spent"] == 0
    assert budget.json["epsilon_remaining"] == budget.json["epsilon_total"] > 0

    updated = cli("budget", dataset["id"], "--set", "2.5", "--json", token=admin_token)
    assert updated.code == 0, updated.stderr
    assert updated.json["epsilon_total"] == 2.5 and updated.json["epsilon_remaining"] == 2.5

    # Editors may not change budgets.
    refused = cli("budget", dataset["id"], "--set", "50", token=editor_token)
    assert refused.code == 3 and "(ROLE_NOT_ALLOWED)" in refused.stderr


def test_assistant_drafts_and_a_reviewer_decides(cli, admin_token, editor_token, people_csv):
    path, _frame = people_csv
    dataset = cli("datasets", "upload", str(path), "--json", token=editor_token).json

    asked = cli(
        "assist", "data_dictionary", f"dataset_id={dataset['id']}", "--json", token=editor_token
    )
    assert asked.code == 0, asked.stderr
    artifact = asked.json
    assert artifact["id"] == artifact["artifact_id"] and artifact["job_id"].startswith("job_")
    assert artifact["state"] == "ARTIFACT_STATE_DRAFT"
    assert artifact["output"]["tables"][0]["row_count"] == 120  # a whole number stays one

    second = cli(
        "assist",
        "classify-columns",
        f"dataset-id={dataset['id']}",
        "table=people",
        "--json",
        token=editor_token,
    ).json

    pending = cli("review", "list", "--json", token=admin_token).json
    assert {artifact["id"], second["id"]} <= {a["id"] for a in pending["artifacts"]}

    # Editors do not review: exit 3 and the reason.
    own = cli("review", "approve", artifact["id"], token=editor_token)
    assert own.code == 3 and "(ROLE_NOT_ALLOWED)" in own.stderr

    approved = cli(
        "review", "approve", artifact["id"], "--comment", "checked", "--json", token=admin_token
    )
    assert approved.code == 0 and approved.json["state"] == "ARTIFACT_STATE_APPROVED"
    rejected = cli(
        "review", "reject", second["id"], "--comment", "too vague", "--json", token=admin_token
    )
    assert rejected.code == 0 and rejected.json["state"] == "ARTIFACT_STATE_REJECTED"
    listed = cli("review", "list", "--state", "approved", "--json", token=admin_token).json
    assert artifact["id"] in [a["id"] for a in listed["artifacts"]]

    unknown = cli("assist", "write_poem", token=editor_token)
    assert unknown.code == 2
    wrong_field = cli("assist", "data_dictionary", "colour=blue", token=editor_token)
    assert wrong_field.code == 2 and "no field 'colour'" in wrong_field.stderr
    # A job that fails: exit 6 and the job's reason.
    failed = cli("assist", "explain_evaluation", "report_id=rep_missing", token=editor_token)
    assert failed.code == 6 and "(REPORT_NOT_FOUND)" in failed.stderr


def test_a_url_means_that_endpoint_or_is_refused(cli, editor_token):
    gateway = cli("--url", "http://127.0.0.1:8080", "datasets", "list", token=editor_token)
    assert gateway.code == 2 and "REST address" in gateway.stderr
    assert "grpc://127.0.0.1:PORT" in gateway.stderr
    # The suite's SYNTHSTUDIO_*_ADDR variables name other ports: refused, not overridden.
    conflicting = cli("--url", "127.0.0.1:1", "datasets", "list", token=editor_token)
    assert conflicting.code == 2
    assert "SYNTHSTUDIO_SYNTHESIS_ADDR is" in conflicting.stderr
