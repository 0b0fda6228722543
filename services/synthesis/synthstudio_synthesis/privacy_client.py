"""The privacy service, which trains and samples the differentially private synthesizers: the
synthesis service forwards DP requests to it over gRPC, acting for the same caller."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import grpc

from synthstudio.privacy.v1 import privacy_service_pb2 as pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio_libs.auth.principal import Principal, Role, acting_as, current_principal
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.errors import raise_from_rpc
from synthstudio_libs.grpc.jobs import job_from_proto
from synthstudio_libs.jobs.store import Job

#: The principal the synthesis service reads a DP synthesizer's rows as inside a sample job:
#: they are stored as a synthetic dataset, which leaves the platform only once released, and
#: the privacy service streams unreleased rows to admins only.
DP_SAMPLE_READER = Principal(id="service:synthesis", name="synthesis service", role=Role.ADMIN)

_ACCOUNTANTS = {"": pb.ACCOUNTANT_UNSPECIFIED, "rdp": pb.ACCOUNTANT_RDP, "prv": pb.ACCOUNTANT_PRV}


class GrpcDpTrainer:
    """Trains and samples DP synthesizers through the privacy service."""

    def __init__(self, channel: grpc.Channel, delegate: Callable[[Principal], str]) -> None:
        self._stub = privacy_service_pb2_grpc.PrivacyServiceStub(channel)
        self._delegate = delegate

    def train(
        self, dataset_id: str, kind: str, privacy: Mapping[str, Any], display_name: str
    ) -> Job:
        accountant = str(privacy.get("accountant", "")).lower()
        if accountant not in _ACCOUNTANTS:
            raise InvalidInput(
                "differential_privacy.accountant must be rdp or prv",
                field="differential_privacy.accountant",
                metadata={"accountant": accountant},
            )
        request = pb.TrainDpSynthesizerRequest(
            dataset_id=dataset_id,
            kind=pb.DpSynthesizerKind.Value(f"DP_SYNTHESIZER_KIND_{kind.upper()}"),
            epsilon=float(privacy.get("epsilon", 0.0)),
            delta=float(privacy.get("delta", 0.0)),
            accountant=_ACCOUNTANTS[accountant],
            display_name=display_name,
            schema=pb.DpTableSchema(columns=_public_columns(privacy.get("public_columns", {}))),
        )
        if "epochs" in privacy:
            request.epochs = int(privacy["epochs"])
        try:
            job = self._stub.TrainDpSynthesizer(request)
        except grpc.RpcError as error:
            raise_from_rpc(error, "privacy")
        return job_from_proto(job, current_principal())

    def trained_on(self, synthesizer_id: str) -> tuple[str, str]:
        """The dataset and table a DP synthesizer was trained on."""
        try:
            found = self._stub.GetDpSynthesizer(
                pb.GetDpSynthesizerRequest(synthesizer_id=synthesizer_id)
            )
        except grpc.RpcError as error:
            raise_from_rpc(error, "privacy")
        return found.dataset_id, found.table

    def sample(self, synthesizer_id: str, num_rows: int, seed: int) -> Iterator[bytes]:
        """The sample as Parquet bytes, in chunks, read as DP_SAMPLE_READER (the sample job
        was authorised when it was queued)."""
        request = pb.SampleDpSynthesizerRequest(
            synthesizer_id=synthesizer_id, num_rows=num_rows, seed=seed
        )
        try:
            # The call carries the service's credentials from its start; the job goes on as
            # its creator between chunks.
            with acting_as(DP_SAMPLE_READER, lambda: self._delegate(DP_SAMPLE_READER)):
                call = self._stub.SampleDpSynthesizer(request)
            for chunk in call:
                yield chunk.data
        except grpc.RpcError as error:
            raise_from_rpc(error, "privacy")


def _public_columns(public: Mapping[str, Mapping[str, Any]]) -> list[pb.DpColumn]:
    """The caller's public column facts as the privacy service's column descriptions: a
    category list makes the column categorical; bounds are passed as given."""
    columns = []
    for name, facts in public.items():
        column = pb.DpColumn(name=name, categories=list(facts.get("categories", ())))
        if column.categories:
            column.kind = pb.DP_COLUMN_KIND_CATEGORICAL
        if "lower" in facts:
            column.lower = float(facts["lower"])
        if "upper" in facts:
            column.upper = float(facts["upper"])
        columns.append(column)
    return columns
