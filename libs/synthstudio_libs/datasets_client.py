"""Reading and writing datasets of the synthesis service from other services and clients,
streaming Parquet in chunks well under gRPC's message limit."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import grpc
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.convert import struct
from synthstudio_libs.grpc.errors import raise_from_rpc

CHUNK_BYTES = 1 << 20


def as_arrow(tables: dict[str, pa.Table | pd.DataFrame]) -> dict[str, pa.Table]:
    """The tables as Arrow, refusing what Parquet cannot store before anything is sent."""
    converted = {}
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame | pa.Table):
            raise InvalidInput(
                f"table '{name}' must be a pandas DataFrame or an Arrow table, not "
                f"{type(table).__name__}",
                field=f"tables.{name}",
            )
        try:
            converted[name] = (
                pa.Table.from_pandas(table, preserve_index=False)
                if isinstance(table, pd.DataFrame)
                else table
            )
        except (ValueError, TypeError, pa.ArrowException) as exc:
            raise InvalidInput(
                f"table '{name}' cannot be stored: {exc} (column names must be unique and "
                "each column must hold one type)",
                field=f"tables.{name}",
            ) from None
    return converted


def upload_requests(
    tables: dict[str, pa.Table],
    *,
    display_name: str = "",
    derived_from: str = "",
    metadata: dict[str, Any] | None = None,
) -> Iterator[pb.UploadDatasetRequest]:
    """The UploadDataset stream for in-memory tables, each written as Parquet in chunks."""
    yield pb.UploadDatasetRequest(
        header=pb.UploadHeader(
            display_name=display_name, derived_from=derived_from, metadata=struct(metadata or {})
        )
    )
    for name, table in tables.items():
        yield pb.UploadDatasetRequest(
            table=pb.TableStart(name=name, format=table_pb2.TABLE_FORMAT_PARQUET)
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        view = buffer.getbuffer()
        for start in range(0, len(view), CHUNK_BYTES):
            yield pb.UploadDatasetRequest(data=bytes(view[start : start + CHUNK_BYTES]))


class DatasetClient:
    """Datasets over gRPC; errors come back as the domain errors they stand for."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)

    def get(self, dataset_id: str) -> pb.Dataset:
        try:
            return self._stub.GetDataset(pb.GetDatasetRequest(dataset_id=dataset_id))
        except grpc.RpcError as error:
            raise_from_rpc(error, "synthesis")

    def project_of(self, dataset_id: str) -> str:
        """The id of the dataset's project (NotFound when the caller may not see it)."""
        return self.get(dataset_id).project

    def read_arrow(self, dataset_id: str, table: str = "") -> dict[str, pa.Table]:
        """Every table of the dataset (or the one named) as Arrow tables."""
        parts: dict[str, io.BytesIO] = {}
        request = pb.DownloadDatasetRequest(
            dataset_id=dataset_id, table=table, format=table_pb2.TABLE_FORMAT_PARQUET
        )
        try:
            for chunk in self._stub.DownloadDataset(request):
                parts.setdefault(chunk.table, io.BytesIO()).write(chunk.data)
        except grpc.RpcError as error:
            raise_from_rpc(error, "synthesis")
        return {name: pq.read_table(buffer) for name, buffer in parts.items()}

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        """Every table of the dataset as pandas DataFrames."""
        return {name: t.to_pandas() for name, t in self.read_arrow(dataset_id).items()}

    def create(
        self,
        tables: dict[str, pa.Table | pd.DataFrame],
        *,
        display_name: str = "",
        derived_from: str = "",
        metadata: dict[str, Any] | None = None,
    ) -> pb.Dataset:
        """Stores the tables as a new dataset (lineage in `derived_from`)."""
        requests = upload_requests(
            as_arrow(tables),
            display_name=display_name,
            derived_from=derived_from,
            metadata=metadata,
        )
        try:
            return self._stub.UploadDataset(requests)
        except grpc.RpcError as error:
            raise_from_rpc(error, "synthesis")
