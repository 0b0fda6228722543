"""Bootstrap of the evaluation service."""

from __future__ import annotations

import grpc

from synthstudio.evaluation.v1 import evaluation_service_pb2, evaluation_service_pb2_grpc
from synthstudio_evaluation.core import EvaluationCore
from synthstudio_evaluation.dataset_source import SynthesisDatasets
from synthstudio_evaluation.report_catalog import ReportCatalog
from synthstudio_evaluation.servicer import EvaluationServicer
from synthstudio_evaluation.splits import SplitStore
from synthstudio_evaluation.storage import MIGRATIONS
from synthstudio_libs.config import Settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import open_runtime

NAME = "evaluation"


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The evaluation server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    core = EvaluationCore(
        SynthesisDatasets(DatasetClient(service_channel(settings, "synthesis"))),
        SplitStore(runtime.engine),
        ReportCatalog(runtime.engine, runtime.artifacts),
        runtime.queue,
    )
    core.register_jobs(runtime.registry)
    bindings = [
        Binding(
            evaluation_service_pb2_grpc.add_EvaluationServiceServicer_to_server,
            EvaluationServicer(core),
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
