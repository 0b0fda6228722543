"""Bootstrap of the pii service."""

from __future__ import annotations

import logging

from synthstudio.pii.v1 import pii_service_pb2, pii_service_pb2_grpc
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts
from synthstudio_pii.analyzer import build_analyzer
from synthstudio_pii.core import PiiCore
from synthstudio_pii.datasets import PiiDatasets
from synthstudio_pii.jobs import PiiJobs
from synthstudio_pii.keys import load_keyring
from synthstudio_pii.repository import SqlRecognizerRepository
from synthstudio_pii.servicer import PiiServicer
from synthstudio_pii.storage import MIGRATIONS

log = logging.getLogger(__name__)


def build(runtime: Runtime) -> ServiceParts:
    """The pii core and its dataset operations behind the servicer, and the jobs they run.
    Loading the spaCy model takes a few seconds, once."""
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
    jobs = PiiJobs(datasets, runtime.queue)
    binding = Binding(
        pii_service_pb2_grpc.add_PiiServiceServicer_to_server,
        PiiServicer(core, jobs),
        pii_service_pb2.DESCRIPTOR.services_by_name["PiiService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs=jobs.handlers())


SERVICE = Service(name="pii", migrations=MIGRATIONS, port=lambda s: s.pii_port, build=build)


def main() -> None:
    serve(SERVICE)
