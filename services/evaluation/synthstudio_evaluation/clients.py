"""Calls to the synthesis service: its datasets and synthesizers as the core's `DatasetSource` and
`SynthesizerSource`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pandas as pd
from google.protobuf import json_format

from synthstudio.privacy.v1 import privacy_service_pb2, privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_evaluation.release_policy import DEFAULT_PROJECT
from synthstudio_evaluation.sources import DatasetInfo, TrainedOn
from synthstudio_libs.auth.principal import Principal, Role, acting_as
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
            project=project_of(dataset),
            derived_from=dataset.derived_from,
            sha256={table.name: table.sha256 for table in dataset.tables},
        )

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        return self._client.read_tables(dataset_id)


def project_of(dataset: pb.Dataset) -> str:
    """The project that owns a dataset: its `project` field where the synthesis service records
    one, else the default project."""
    return dataset.project or DEFAULT_PROJECT


#: The principal the evaluation service reads datasets as inside its own jobs: a synthetic
#: dataset is evaluated before it is released, and only admins read unreleased samples. The
#: call that started the job was authorised (GetDataset, as its caller) before it was queued.
EVALUATION_READER = Principal(id="service:evaluation", name="evaluation service", role=Role.ADMIN)


class ServiceReadDatasets(SynthesisDatasets):
    """Describes datasets as the caller, reads their rows as `EVALUATION_READER` with a token
    from `delegate`."""

    def __init__(self, client: DatasetClient, delegate: Callable[[Principal], str]) -> None:
        super().__init__(client)
        self._delegate = delegate

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        with acting_as(EVALUATION_READER, lambda: self._delegate(EVALUATION_READER)):
            return super().read_tables(dataset_id)


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

    def summary(self, synthesizer_id: str) -> dict[str, Any]:
        """The synthesizer as GetSynthesizer returns it, in its JSON form."""
        try:
            synthesizer = self._stub.GetSynthesizer(
                pb.GetSynthesizerRequest(synthesizer_id=synthesizer_id)
            )
        except grpc.RpcError as error:
            raise_from_rpc(error, "synthesis")
        return json_format.MessageToDict(synthesizer)


class PrivacyLedger:
    """A DP synthesizer's guarantee and the ledger's spends, from the privacy service."""

    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = privacy_service_pb2_grpc.PrivacyServiceStub(channel)

    def dp_synthesizer(self, synthesizer_id: str) -> dict[str, Any]:
        request = privacy_service_pb2.GetDpSynthesizerRequest(synthesizer_id=synthesizer_id)
        try:
            return json_format.MessageToDict(self._stub.GetDpSynthesizer(request))
        except grpc.RpcError as error:
            raise_from_rpc(error, "privacy")

    def epsilon(self, synthesizer_id: str) -> float:
        """The total epsilon of a DP synthesizer's guarantee."""
        return float(self.dp_synthesizer(synthesizer_id).get("guarantee", {}).get("epsilon", 0.0))

    def spends(self, dataset_id: str) -> list[dict[str, Any]]:
        found, token = [], ""
        while True:
            request = privacy_service_pb2.ListPrivacySpendsRequest(
                dataset_id=dataset_id, page_size=1000, page_token=token
            )
            try:
                page = self._stub.ListPrivacySpends(request)
            except grpc.RpcError as error:
                raise_from_rpc(error, "privacy")
            found += [json_format.MessageToDict(spend) for spend in page.spends]
            if not page.next_page_token:
                return found
            token = page.next_page_token
