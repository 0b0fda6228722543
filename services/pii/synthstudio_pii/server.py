"""Bootstrap of the pii service."""

from __future__ import annotations

import logging

import grpc

from synthstudio.pii.v1 import pii_service_pb2, pii_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import Runtime, open_runtime
from synthstudio_pii.analyzer import build_analyzer
from synthstudio_pii.core import PiiCore
from synthstudio_pii.datasets import PiiDatasets
from synthstudio_pii.jobs import register_jobs
from synthstudio_pii.keys import load_keyring
from synthstudio_pii.repository import SqlRecognizerRepository
from synthstudio_pii.servicer import PiiServicer
from synthstudio_pii.storage import MIGRATIONS

NAME = "pii"
log = logging.getLogger(__name__)


def build_core(runtime: Runtime) -> tuple[PiiCore, PiiDatasets]:
    """The pii core and its dataset operations, with their job kinds registered. Loading the
    spaCy model takes a few seconds, once."""
    settings = runtime.settings
    analyzer = build_analyzer()
    if not analyzer.status.nlp_available:
        # build_analyzer has logged why; repeat it where operators look for start-up problems.
        log.warning(
            "pii service starts WITHOUT NER: %s. PERSON, LOCATION and NRP are not detected; "
            "GetAnalyzerStatus (GET /v1/pii/analyzerStatus) reports it.",
            analyzer.status.reason,
        )
    core = PiiCore(
        analyzer,
        load_keyring(settings.pii_secret, settings.data_dir),
        SqlRecognizerRepository(runtime.engine),
    )
    datasets = PiiDatasets(core, DatasetClient(service_channel(settings, "synthesis")))
    register_jobs(runtime.registry, datasets)
    return core, datasets


def register_worker_jobs(runtime: Runtime) -> None:
    """Entry point for Celery workers: the pii job kinds, run outside the server."""
    build_core(runtime)


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The pii server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    core, datasets = build_core(runtime)
    bindings = [
        Binding(
            pii_service_pb2_grpc.add_PiiServiceServicer_to_server,
            PiiServicer(core, datasets, runtime.queue),
            pii_service_pb2.DESCRIPTOR.services_by_name["PiiService"].full_name,
        ),
    ]
    return build_server(
        runtime, name=NAME, bindings=bindings, port=settings.pii_port if port is None else port
    )


def main() -> None:
    serve(NAME, create_server)
