"""Bootstrap of the privacy service."""

from __future__ import annotations

from synthstudio.privacy.v1 import privacy_service_pb2, privacy_service_pb2_grpc
from synthstudio_libs.auth.tokens import load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.release_client import GrpcReleaseChecker
from synthstudio_libs.release_guard import ReleaseGuard
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts
from synthstudio_privacy.core import PrivacyCore, job_handlers
from synthstudio_privacy.ledger import MIGRATIONS, BudgetLedger
from synthstudio_privacy.sealing import check_key
from synthstudio_privacy.servicer import PrivacyServicer
from synthstudio_privacy.storage import DpSynthesizerRepository


def model_key(settings: Settings) -> bytes:
    """The key DP model files are sealed with: the synthesis service's model key, so one
    setting (or one generated file under the data dir) covers every model the platform keeps."""
    key = load_secret(settings.model_signing_key, settings.data_dir, "model-key").encode()
    check_key(key)
    return key


def build(runtime: Runtime) -> ServiceParts:
    """The privacy core (ledger, DP synthesizers) behind the servicer, and its training job."""
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
        releases=ReleaseGuard(GrpcReleaseChecker(service_channel(settings, "evaluation"))),
    )
    binding = Binding(
        privacy_service_pb2_grpc.add_PrivacyServiceServicer_to_server,
        PrivacyServicer(core),
        privacy_service_pb2.DESCRIPTOR.services_by_name["PrivacyService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs=job_handlers(core))


SERVICE = Service(name="privacy", migrations=MIGRATIONS, port=lambda s: s.privacy_port, build=build)


def main() -> None:
    serve(SERVICE)
