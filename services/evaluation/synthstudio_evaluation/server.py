"""Bootstrap of the evaluation service."""

from __future__ import annotations

from synthstudio.evaluation.v1 import evaluation_service_pb2, evaluation_service_pb2_grpc
from synthstudio_evaluation.clients import SynthesisDatasets, SynthesisSynthesizers
from synthstudio_evaluation.core import EvaluationCore
from synthstudio_evaluation.report_catalog import ReportCatalog
from synthstudio_evaluation.servicer import EvaluationServicer
from synthstudio_evaluation.splits import SplitStore
from synthstudio_evaluation.storage import MIGRATIONS
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts


def build(runtime: Runtime) -> ServiceParts:
    """The evaluation core behind the servicer, and the report job it runs."""
    synthesis = service_channel(runtime.settings, "synthesis")
    core = EvaluationCore(
        SynthesisDatasets(DatasetClient(synthesis)),
        SplitStore(runtime.engine),
        ReportCatalog(runtime.engine, runtime.artifacts),
        runtime.queue,
        SynthesisSynthesizers(synthesis),
    )
    binding = Binding(
        evaluation_service_pb2_grpc.add_EvaluationServiceServicer_to_server,
        EvaluationServicer(core),
        evaluation_service_pb2.DESCRIPTOR.services_by_name["EvaluationService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs=core.job_handlers())


SERVICE = Service(
    name="evaluation", migrations=MIGRATIONS, port=lambda s: s.evaluation_port, build=build
)


def main() -> None:
    serve(SERVICE)
