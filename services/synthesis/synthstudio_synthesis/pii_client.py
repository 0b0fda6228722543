"""The pii service as the catalog's PiiScanner, over gRPC."""

from __future__ import annotations

import grpc

from synthstudio.pii.v1 import pii_service_pb2, pii_service_pb2_grpc
from synthstudio_libs.errors import Unavailable
from synthstudio_synthesis.datasets import PiiFinding

_SCAN_TIMEOUT_SECONDS = 60.0


class GrpcPiiScanner:
    def __init__(self, channel: grpc.Channel) -> None:
        self._stub = pii_service_pb2_grpc.PiiServiceStub(channel)

    def scan(self, samples: dict[str, list[str]]) -> list[PiiFinding]:
        request = pii_service_pb2.ScanTableRequest(
            columns=[
                pii_service_pb2.ColumnSample(name=name, values=values)
                for name, values in samples.items()
            ]
        )
        try:
            response = self._stub.ScanTable(request, timeout=_SCAN_TIMEOUT_SECONDS)
        except grpc.RpcError as exc:
            raise Unavailable(
                f"the pii service could not scan the table ({exc.code().name}: {exc.details()}); "
                "nothing was stored — try again once it is up",
                reason="PII_SCAN_UNAVAILABLE",
            ) from None
        return [
            PiiFinding(
                column=f.column,
                entity_type=f.entity_type,
                score=f.score,
                matched_count=f.matched_count,
                sampled_count=f.sampled_count,
                examples=list(f.examples),
            )
            for f in response.findings
        ]
