"""Bootstrap of the synthesis service."""

from __future__ import annotations

from synthstudio.synthesis.v1 import synthesis_service_pb2, synthesis_service_pb2_grpc
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.release_client import GrpcReleaseChecker
from synthstudio_libs.release_guard import ReleaseGuard
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts
from synthstudio_synthesis.datasets import DatasetCatalog
from synthstudio_synthesis.engine_setup import build_engines, model_key
from synthstudio_synthesis.pii_client import GrpcPiiScanner
from synthstudio_synthesis.privacy_client import GrpcDpTrainer
from synthstudio_synthesis.servicer import SynthesisServicer
from synthstudio_synthesis.storage import MIGRATIONS
from synthstudio_synthesis.synthesizers import SynthesizerCatalog


def build(runtime: Runtime) -> ServiceParts:
    """The dataset and synthesizer catalogs behind the servicer, and the job kinds they run."""
    settings = runtime.settings
    engines = build_engines(settings)
    catalog = DatasetCatalog(
        runtime.engine,
        runtime.artifacts,
        GrpcPiiScanner(service_channel(settings, "pii")),
        engines.metadata,
        pii_sample_rows=settings.pii_sample_rows,
    )
    synthesizers = SynthesizerCatalog(
        runtime.engine,
        runtime.artifacts,
        catalog,
        engines,
        runtime.queue,
        model_key(settings),
        GrpcDpTrainer(service_channel(settings, "privacy"), runtime.identity.delegate),
    )
    binding = Binding(
        synthesis_service_pb2_grpc.add_SynthesisServiceServicer_to_server,
        SynthesisServicer(
            catalog,
            synthesizers,
            ReleaseGuard(GrpcReleaseChecker(service_channel(settings, "evaluation"))),
        ),
        synthesis_service_pb2.DESCRIPTOR.services_by_name["SynthesisService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs=synthesizers.job_handlers())


SERVICE = Service(
    name="synthesis", migrations=MIGRATIONS, port=lambda s: s.synthesis_port, build=build
)


def main() -> None:
    serve(SERVICE)
