"""Bootstrap of the pii service."""

from __future__ import annotations

import grpc

from synthstudio.pii.v1 import pii_service_pb2, pii_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import open_runtime
from synthstudio_pii.analyzer import build_analyzer
from synthstudio_pii.servicer import PiiServicer

NAME = "pii"


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The pii server, bound but not started; `port` 0 picks a free port. Loading the spaCy
    model takes a few seconds, once."""
    runtime = open_runtime(settings)
    bindings = [
        Binding(
            pii_service_pb2_grpc.add_PiiServiceServicer_to_server,
            PiiServicer(build_analyzer()),
            pii_service_pb2.DESCRIPTOR.services_by_name["PiiService"].full_name,
        ),
    ]
    return build_server(
        runtime, name=NAME, bindings=bindings, port=settings.pii_port if port is None else port
    )


def main() -> None:
    serve(NAME, create_server)
