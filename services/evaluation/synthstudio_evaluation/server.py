"""Bootstrap of the evaluation service."""

from __future__ import annotations

import grpc

from synthstudio.evaluation.v1 import evaluation_service_pb2, evaluation_service_pb2_grpc
from synthstudio_evaluation.report_catalog import ReportCatalog
from synthstudio_evaluation.servicer import EvaluationServicer
from synthstudio_evaluation.storage import MIGRATIONS
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import open_runtime

NAME = "evaluation"


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The evaluation server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    bindings = [
        Binding(
            evaluation_service_pb2_grpc.add_EvaluationServiceServicer_to_server,
            EvaluationServicer(ReportCatalog(runtime.engine)),
            evaluation_service_pb2.DESCRIPTOR.services_by_name["EvaluationService"].full_name,
        ),
    ]
    return build_server(
        runtime,
        name=NAME,
        bindings=bindings,
        port=settings.evaluation_port if port is None else port,
    )


def main() -> None:
    serve(NAME, create_server)
