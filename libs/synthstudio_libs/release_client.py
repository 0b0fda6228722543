"""The evaluation service as the release guard's ReleaseChecker, over gRPC (as the caller)."""

from __future__ import annotations

import grpc

from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio_libs.grpc.errors import raise_from_rpc
from synthstudio_libs.release_guard import ReleaseStatus

_CHECK_TIMEOUT_SECONDS = 30.0


class GrpcReleaseChecker:
    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = evaluation_service_pb2_grpc.EvaluationServiceStub(channel)

    def dataset(self, dataset_id: str) -> ReleaseStatus:
        return self._check(pb.CheckReleaseRequest(dataset_id=dataset_id))

    def synthesizer(self, synthesizer_id: str) -> ReleaseStatus:
        return self._check(pb.CheckReleaseRequest(synthesizer_id=synthesizer_id))

    def _check(self, request: pb.CheckReleaseRequest) -> ReleaseStatus:
        try:
            found = self._stub.CheckRelease(request, timeout=_CHECK_TIMEOUT_SECONDS)
        except grpc.RpcError as error:
            raise_from_rpc(error, "evaluation")
        return ReleaseStatus(found.released, list(found.missing))
