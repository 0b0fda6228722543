"""SynthesisService: translates protobuf to the catalog's calls and back, nothing more."""

from __future__ import annotations

from google.protobuf import empty_pb2

from synthstudio.common.v1 import table_pb2
from synthstudio.pii.v1 import pii_service_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import current_principal
from synthstudio_libs.grpc.convert import struct, struct_to_dict, timestamp
from synthstudio_synthesis.datasets import (
    Dataset,
    DatasetCatalog,
    StoredTable,
    TableStart,
    UploadHeader,
)
from synthstudio_synthesis.tables import TableFormat

_FORMATS = {
    table_pb2.TABLE_FORMAT_CSV: TableFormat.CSV,
    table_pb2.TABLE_FORMAT_PARQUET: TableFormat.PARQUET,
}


def _columns(table: StoredTable) -> list[table_pb2.Column]:
    return [
        table_pb2.Column(name=c.name, data_type=c.data_type, null_count=c.null_count)
        for c in table.columns
    ]


def dataset_to_proto(dataset: Dataset) -> pb.Dataset:
    first = dataset.tables[0]
    return pb.Dataset(
        id=dataset.id,
        display_name=dataset.display_name,
        columns=_columns(first),
        row_count=first.row_count,
        size_bytes=first.size_bytes,
        sha256=first.sha256,
        creator=dataset.creator,
        create_time=timestamp(dataset.create_time),
        pii_findings=[
            pii_service_pb2.PiiFinding(
                column=f.column,
                entity_type=f.entity_type,
                score=f.score,
                matched_count=f.matched_count,
                sampled_count=f.sampled_count,
                examples=f.examples,
            )
            for f in dataset.pii_findings
        ],
        tables=[
            pb.DatasetTable(
                name=t.name,
                columns=_columns(t),
                row_count=t.row_count,
                size_bytes=t.size_bytes,
                sha256=t.sha256,
            )
            for t in dataset.tables
        ],
        kind=pb.DatasetKind.Value(f"DATASET_KIND_{dataset.kind.value}"),
        derived_from=dataset.derived_from,
        metadata=struct(dataset.metadata),
    )


def _upload_parts(requests):
    for request in requests:
        part = request.WhichOneof("part")
        if part == "header":
            yield UploadHeader(
                display_name=request.header.display_name,
                derived_from=request.header.derived_from,
                metadata=struct_to_dict(request.header.metadata),
            )
        elif part == "table":
            yield TableStart(request.table.name, _FORMATS.get(request.table.format))
        elif part == "data":
            yield request.data


class SynthesisServicer(synthesis_service_pb2_grpc.SynthesisServiceServicer):
    def __init__(self, catalog: DatasetCatalog) -> None:
        self._catalog = catalog

    def CreateDataset(self, request, context):
        dataset = self._catalog.create(
            request.content,
            _FORMATS.get(request.format),
            display_name=request.display_name,
            creator=current_principal().id,
        )
        return dataset_to_proto(dataset)

    def UploadDataset(self, request_iterator, context):
        dataset = self._catalog.upload(
            _upload_parts(request_iterator), creator=current_principal().id
        )
        return dataset_to_proto(dataset)

    def DownloadDataset(self, request, context):
        table_format = _FORMATS.get(request.format, TableFormat.PARQUET)
        for table, data in self._catalog.download(request.dataset_id, request.table, table_format):
            yield pb.DatasetChunk(table=table, data=data)

    def GetDataset(self, request, context):
        return dataset_to_proto(self._catalog.get(request.dataset_id))

    def ListDatasets(self, request, context):
        found, token = self._catalog.list(request.page_size, request.page_token)
        return pb.ListDatasetsResponse(
            datasets=[dataset_to_proto(d) for d in found], next_page_token=token
        )

    def DeleteDataset(self, request, context):
        self._catalog.delete(request.dataset_id)
        return empty_pb2.Empty()
