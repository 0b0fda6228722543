"""Bootstrap of the privacy service."""

from __future__ import annotations

import grpc

from synthstudio.privacy.v1 import privacy_service_pb2, privacy_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import open_runtime
from synthstudio_privacy.servicer import PrivacyServicer

NAME = "privacy"


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The privacy server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings)
    bindings = [
        Binding(
            privacy_service_pb2_grpc.add_PrivacyServiceServicer_to_server,
            PrivacyServicer(settings),
            privacy_service_pb2.DESCRIPTOR.services_by_name["PrivacyService"].full_name,
        ),
    ]
    return build_server(
        runtime,
        name=NAME,
        bindings=bindings,
        port=settings.privacy_port if port is None else port,
    )


def main() -> None:
    serve(NAME, create_server)
