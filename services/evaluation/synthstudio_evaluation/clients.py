"""Calls to the synthesis service: its datasets and synthesizers as the core's `DatasetSource` and
`SynthesizerSource`."""

from __future__ import annotations

import grpc
import pandas as pd

from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_evaluation.sources import DatasetInfo, TrainedOn
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.grpc.errors import raise_from_rpc

_TRAINING_DATA = {
    pb.TRAINING_DATA_TRAIN_PART: "train_part",
    pb.TRAINING_DATA_FULL_DATASET: "full_dataset",
}


class SynthesisDatasets:
    """Describes and reads datasets through `DatasetClient` (errors arrive as domain errors)."""

    def __init__(self, client: DatasetClient) -> None:
        self._client = client

    def describe(self, dataset_id: str) -> DatasetInfo:
        dataset = self._client.get(dataset_id)
        return DatasetInfo(
            id=dataset.id,
            display_name=dataset.display_name,
            columns={table.name: [c.name for c in table.columns] for table in dataset.tables},
            rows={table.name: table.row_count for table in dataset.tables},
            metadata=struct_to_dict(dataset.metadata),
            pii_columns=list(dict.fromkeys(finding.column for finding in dataset.pii_findings)),
        )

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        return self._client.read_tables(dataset_id)


class SynthesisSynthesizers:
    """What a synthesizer trained on, read with GetSynthesizer."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)

    def trained_on(self, synthesizer_id: str) -> TrainedOn:
        request = pb.GetSynthesizerRequest(synthesizer_id=synthesizer_id)
        try:
            synthesizer = self._stub.GetSynthesizer(request)
        except grpc.RpcError as error:
            raise_from_rpc(error, "synthesis")
        return TrainedOn(
            synthesizer_id=synthesizer.id,
            dataset_id=synthesizer.dataset_id,
            training_data=_TRAINING_DATA.get(synthesizer.training_data, "unknown"),
            holdout=struct_to_dict(synthesizer.holdout),
        )
