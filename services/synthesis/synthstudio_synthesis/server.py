"""Bootstrap of the synthesis service."""

from __future__ import annotations

import grpc

from synthstudio.synthesis.v1 import synthesis_service_pb2, synthesis_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import Runtime, open_runtime
from synthstudio_synthesis.datasets import DatasetCatalog
from synthstudio_synthesis.engine_setup import build_engine, model_key
from synthstudio_synthesis.pii_client import GrpcPiiScanner
from synthstudio_synthesis.privacy_client import GrpcDpTrainer
from synthstudio_synthesis.servicer import SynthesisServicer
from synthstudio_synthesis.storage import MIGRATIONS
from synthstudio_synthesis.synthesizers import SynthesizerCatalog

NAME = "synthesis"


def build_core(runtime: Runtime) -> tuple[DatasetCatalog, SynthesizerCatalog]:
    """The dataset and synthesizer catalogs, with their job kinds registered."""
    settings = runtime.settings
    engine = build_engine(settings)
    catalog = DatasetCatalog(
        runtime.engine,
        runtime.artifacts,
        GrpcPiiScanner(service_channel(settings, "pii")),
        engine,
        pii_sample_rows=settings.pii_sample_rows,
    )
    synthesizers = SynthesizerCatalog(
        runtime.engine,
        runtime.artifacts,
        catalog,
        engine,
        runtime.queue,
        model_key(settings),
        GrpcDpTrainer(service_channel(settings, "privacy"), runtime.jobs),
    )
    synthesizers.register_jobs(runtime.registry)
    return catalog, synthesizers


def register_worker_jobs(runtime: Runtime) -> None:
    """Entry point for Celery workers: the synthesis job kinds, run outside the server."""
    build_core(runtime)


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The synthesis server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    catalog, synthesizers = build_core(runtime)
    bindings = [
        Binding(
            synthesis_service_pb2_grpc.add_SynthesisServiceServicer_to_server,
            SynthesisServicer(catalog, synthesizers),
            synthesis_service_pb2.DESCRIPTOR.services_by_name["SynthesisService"].full_name,
        ),
    ]
    return build_server(
        runtime,
        name=NAME,
        bindings=bindings,
        port=settings.synthesis_port if port is None else port,
    )


def main() -> None:
    serve(NAME, create_server)
