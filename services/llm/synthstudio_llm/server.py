"""Bootstrap of the llm service."""

from __future__ import annotations

import grpc

from synthstudio.llm.v1 import llm_service_pb2, llm_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import open_runtime
from synthstudio_llm.artifact_catalog import ArtifactCatalog
from synthstudio_llm.servicer import LlmServicer
from synthstudio_llm.storage import MIGRATIONS

NAME = "llm"


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The llm server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    bindings = [
        Binding(
            llm_service_pb2_grpc.add_LlmServiceServicer_to_server,
            LlmServicer(ArtifactCatalog(runtime.engine)),
            llm_service_pb2.DESCRIPTOR.services_by_name["LlmService"].full_name,
        ),
    ]
    return build_server(
        runtime,
        name=NAME,
        bindings=bindings,
        port=settings.llm_port if port is None else port,
    )


def main() -> None:
    serve(NAME, create_server)
