"""Every contract of the suite in one list: which protos exist and which component serves each
gRPC service. The gateway's routes, the API reference and the tests all read it from here."""

from __future__ import annotations

from google.protobuf import descriptor

from synthstudio.common.v1 import access_pb2, job_pb2, table_pb2
from synthstudio.evaluation.v1 import evaluation_service_pb2
from synthstudio.identity.v1 import identity_service_pb2
from synthstudio.llm.v1 import llm_service_pb2
from synthstudio.pii.v1 import pii_service_pb2
from synthstudio.privacy.v1 import privacy_service_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2

PROTO_MODULES = [
    synthesis_service_pb2,
    pii_service_pb2,
    evaluation_service_pb2,
    privacy_service_pb2,
    llm_service_pb2,
    identity_service_pb2,
    job_pb2,
    table_pb2,
    access_pb2,
]

# Jobs and identity live in tables every component shares, and every component serves them;
# the gateway sends their REST calls to the synthesis service.
SERVICE_HOSTS: dict[str, str] = {
    "synthstudio.synthesis.v1.SynthesisService": "synthesis",
    "synthstudio.evaluation.v1.EvaluationService": "evaluation",
    "synthstudio.privacy.v1.PrivacyService": "privacy",
    "synthstudio.pii.v1.PiiService": "pii",
    "synthstudio.llm.v1.LlmService": "llm",
    "synthstudio.common.v1.JobService": "synthesis",
    "synthstudio.identity.v1.IdentityService": "synthesis",
}


def services() -> list[tuple[descriptor.ServiceDescriptor, str]]:
    """Every gRPC service of the suite with the component that serves it."""
    found = []
    for module in PROTO_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            found.append((service, SERVICE_HOSTS[service.full_name]))
    return found
