"""SynthesisService: translates protobuf to the catalog's calls and back, nothing more."""

from __future__ import annotations

from google.protobuf import empty_pb2

from synthstudio.common.v1 import table_pb2
from synthstudio.pii.v1 import pii_service_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.grpc.convert import timestamp
from synthstudio_synthesis.datasets import Dataset, DatasetCatalog
from synthstudio_synthesis.tables import TableFormat

_FORMATS = {
    table_pb2.TABLE_FORMAT_CSV: TableFormat.CSV,
    table_pb2.TABLE_FORMAT_PARQUET: TableFormat.PARQUET,
}


def dataset_to_proto(dataset: Dataset) -> pb.Dataset:
    return pb.Dataset(
        id=dataset.id,
        display_name=dataset.display_name,
        columns=[
            table_pb2.Column(name=c.name, data_type=c.data_type, null_count=c.null_count)
            for c in dataset.columns
        ],
        row_count=dataset.row_count,
        size_bytes=dataset.size_bytes,
        sha256=dataset.sha256,
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
    )


class SynthesisServicer(synthesis_service_pb2_grpc.SynthesisServiceServicer):
    def __init__(self, catalog: DatasetCatalog) -> None:
        self._catalog = catalog

    def CreateDataset(self, request, context):
        dataset = self._catalog.create(
            request.content,
            _FORMATS.get(request.format),
            display_name=request.display_name,
        )
        return dataset_to_proto(dataset)

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
