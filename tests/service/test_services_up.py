"""Each service on a real socket: health SERVING, reflection lists what it serves."""

from __future__ import annotations

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

EXPECTED = {
    "synthesis": "synthstudio.synthesis.v1.SynthesisService",
    "evaluation": "synthstudio.evaluation.v1.EvaluationService",
    "privacy": "synthstudio.privacy.v1.PrivacyService",
    "pii": "synthstudio.pii.v1.PiiService",
    "llm": "synthstudio.llm.v1.LlmService",
}


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_health_is_serving(channels, service):
    stub = health_pb2_grpc.HealthStub(channels[service])
    for name in ("", EXPECTED[service], "synthstudio.common.v1.JobService"):
        reply = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=5)
        assert reply.status == health_pb2.HealthCheckResponse.SERVING, name


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_reflection_lists_the_service(channels, service):
    stub = reflection_pb2_grpc.ServerReflectionStub(channels[service])
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    reply = next(stub.ServerReflectionInfo(iter([request]), timeout=5))
    names = {s.name for s in reply.list_services_response.service}
    assert EXPECTED[service] in names
    assert "grpc.health.v1.Health" in names
    assert "synthstudio.common.v1.JobService" in names


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_reflection_serves_the_service_descriptor(channels, service):
    stub = reflection_pb2_grpc.ServerReflectionStub(channels[service])
    request = reflection_pb2.ServerReflectionRequest(file_containing_symbol=EXPECTED[service])
    reply = next(stub.ServerReflectionInfo(iter([request]), timeout=5))
    assert reply.file_descriptor_response.file_descriptor_proto
