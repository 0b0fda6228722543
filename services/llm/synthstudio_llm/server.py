"""Bootstrap of the llm service."""

from __future__ import annotations

from synthstudio.llm.v1 import llm_service_pb2, llm_service_pb2_grpc
from synthstudio_libs.config import Settings
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts
from synthstudio_llm.assistant import Assistant
from synthstudio_llm.audit import AuditTrail
from synthstudio_llm.clients import GrpcBudgets, GrpcDatasets, GrpcReports, PiiRedactor
from synthstudio_llm.core import GENERATE_JOB, LlmCore
from synthstudio_llm.inputs import RequestAssembler
from synthstudio_llm.repository import ArtifactRepository
from synthstudio_llm.servicer import LlmServicer
from synthstudio_llm.settings import LlmSettings
from synthstudio_llm.storage import MIGRATIONS


def llm_settings(settings: Settings) -> LlmSettings:
    """The provider chain's settings, from the typed settings."""
    return LlmSettings(
        groq_api_key=_secret(settings.llm_groq_api_key),
        groq_base_url=settings.llm_groq_base_url,
        groq_model=settings.llm_groq_model,
        gemini_api_key=_secret(settings.llm_gemini_api_key),
        gemini_base_url=settings.llm_gemini_base_url,
        gemini_model=settings.llm_gemini_model,
        timeout_seconds=settings.llm_timeout_seconds,
        max_attempts=settings.llm_max_attempts,
        backoff_initial_seconds=settings.llm_backoff_initial_seconds,
        backoff_max_seconds=settings.llm_backoff_max_seconds,
        breaker_failure_threshold=settings.llm_breaker_failure_threshold,
        breaker_cooldown_seconds=settings.llm_breaker_cooldown_seconds,
        cache_max_entries=settings.llm_cache_max_entries,
        max_output_tokens=settings.llm_max_output_tokens,
    )


def _secret(value) -> str | None:
    return value.get_secret_value() or None if value is not None else None


def build(runtime: Runtime) -> ServiceParts:
    """The llm use cases (assistant, review, audit) behind the servicer, and the generation
    job they run."""
    settings = runtime.settings
    chain = llm_settings(settings)
    redactor = PiiRedactor(service_channel(settings, "pii"), timeout_seconds=chain.timeout_seconds)
    assembler = RequestAssembler(
        GrpcDatasets(
            service_channel(settings, "synthesis"),
            min_group_size=settings.assistant_min_group_size,
        ),
        GrpcReports(service_channel(settings, "evaluation")),
        GrpcBudgets(service_channel(settings, "privacy")),
    )
    core = LlmCore(
        Assistant.from_settings(chain, redactor),
        ArtifactRepository(runtime.engine),
        assembler,
        runtime.queue,
        AuditTrail(runtime.audit),
        owner_of=runtime.identity.owner_of,
        project_of_dataset=DatasetClient(service_channel(settings, "synthesis")).project_of,
    )
    binding = Binding(
        llm_service_pb2_grpc.add_LlmServiceServicer_to_server,
        LlmServicer(core),
        llm_service_pb2.DESCRIPTOR.services_by_name["LlmService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs={GENERATE_JOB: core.run})


SERVICE = Service(name="llm", migrations=MIGRATIONS, port=lambda s: s.llm_port, build=build)


def main() -> None:
    serve(SERVICE)
