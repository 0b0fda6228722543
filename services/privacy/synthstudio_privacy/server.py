"""Bootstrap of the privacy service."""

from __future__ import annotations

import grpc

from synthstudio.privacy.v1 import privacy_service_pb2, privacy_service_pb2_grpc
from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import build_server, serve
from synthstudio_libs.runtime import Runtime, open_runtime
from synthstudio_privacy.core import PrivacyCore, register_jobs
from synthstudio_privacy.ledger import MIGRATIONS, BudgetLedger
from synthstudio_privacy.sealing import check_key
from synthstudio_privacy.servicer import PrivacyServicer
from synthstudio_privacy.storage import DpSynthesizerRepository

NAME = "privacy"


def model_key(settings: Settings) -> bytes:
    """The key DP model files are sealed with: the synthesis service's model key, so one
    setting (or one generated file under the data dir) covers every model the platform keeps."""
    key = load_secret(settings.model_signing_key, settings.data_dir, "model-key").encode()
    check_key(key)
    return key


def build_core(runtime: Runtime) -> PrivacyCore:
    """The privacy core over the runtime's database, artifacts and jobs, with its job kinds
    registered."""
    settings = runtime.settings
    core = PrivacyCore(
        ledger=BudgetLedger(
            runtime.engine,
            default_epsilon=settings.default_epsilon_budget,
            default_delta=settings.default_delta_budget,
        ),
        repository=DpSynthesizerRepository(runtime.engine),
        artifacts=runtime.artifacts,
        datasets=DatasetClient(service_channel(settings, "synthesis")),
        queue=runtime.queue,
        audit=runtime.audit,
        model_key=model_key(settings),
    )
    register_jobs(runtime.registry, core)
    return core


def register_worker_jobs(runtime: Runtime) -> None:
    """Entry point for job workers (`synthstudio.jobs`): the privacy job kinds, run outside
    the server."""
    build_core(runtime)


def create_server(settings: Settings, port: int | None = None) -> tuple[grpc.Server, int]:
    """The privacy server, bound but not started; `port` 0 picks a free port."""
    runtime = open_runtime(settings, MIGRATIONS)
    bindings = [
        Binding(
            privacy_service_pb2_grpc.add_PrivacyServiceServicer_to_server,
            PrivacyServicer(build_core(runtime)),
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
