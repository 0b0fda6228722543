"""Bootstrap of the evaluation service."""

from __future__ import annotations

from synthstudio.evaluation.v1 import evaluation_service_pb2, evaluation_service_pb2_grpc
from synthstudio_evaluation.audit_trail import AuditTrail
from synthstudio_evaluation.clients import (
    PrivacyLedger,
    ServiceReadDatasets,
    SynthesisDatasets,
    SynthesisSynthesizers,
)
from synthstudio_evaluation.core import EvaluationCore
from synthstudio_evaluation.evidence_pack import EvidenceBuilder
from synthstudio_evaluation.release_policy import PolicyStore
from synthstudio_evaluation.releases import ReleaseDesk, ReleaseStore
from synthstudio_evaluation.report_catalog import ReportCatalog
from synthstudio_evaluation.servicer import EvaluationServicer
from synthstudio_evaluation.splits import SplitStore
from synthstudio_evaluation.storage import MIGRATIONS
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.evidence import load_signing_key
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.channels import service_channel
from synthstudio_libs.grpc.server import serve
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.service import Service, ServiceParts


def build(runtime: Runtime) -> ServiceParts:
    """The evaluation core and the release desk behind the servicer, and the report job."""
    settings = runtime.settings
    synthesis = service_channel(settings, "synthesis")
    datasets = ServiceReadDatasets(DatasetClient(synthesis), runtime.identity.delegate)
    synthesizers = SynthesisSynthesizers(synthesis)
    ledger = PrivacyLedger(service_channel(settings, "privacy"))
    catalog = ReportCatalog(runtime.engine, runtime.artifacts)
    policies = PolicyStore(runtime.engine)
    core = EvaluationCore(
        datasets, SplitStore(runtime.engine), catalog, runtime.queue, synthesizers, policies, ledger
    )
    audit = AuditTrail(runtime.audit)
    describer = SynthesisDatasets(DatasetClient(synthesis))
    desk = ReleaseDesk(catalog, policies, ReleaseStore(runtime.engine), describer, audit.write)
    evidence = EvidenceBuilder(
        desk,
        catalog,
        describer,
        synthesizers,
        ledger,
        audit.events,
        load_signing_key(settings.evidence_signing_key, settings.data_dir),
    )
    binding = Binding(
        evaluation_service_pb2_grpc.add_EvaluationServiceServicer_to_server,
        EvaluationServicer(core, policies, desk, evidence),
        evaluation_service_pb2.DESCRIPTOR.services_by_name["EvaluationService"].full_name,
    )
    return ServiceParts(bindings=[binding], jobs=core.job_handlers())


SERVICE = Service(
    name="evaluation", migrations=MIGRATIONS, port=lambda s: s.evaluation_port, build=build
)


def main() -> None:
    serve(SERVICE)
