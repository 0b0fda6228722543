"""Requests a servicer cannot use are INVALID_ARGUMENT at every service, never INTERNAL."""

from __future__ import annotations

import grpc
import pytest

from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from tests.service.test_watch_capacity import refusal_reason


def raw_call(channel: grpc.Channel, method: str, payload: bytes):
    call = channel.unary_unary(
        method, request_serializer=lambda data: data, response_deserializer=lambda data: data
    )
    return call(payload, timeout=10)


@pytest.mark.parametrize("service", ["synthesis", "privacy", "pii", "evaluation", "llm"])
def test_bytes_that_are_not_protobuf_are_invalid_argument(channels, anonymous_channels, service):
    method = "/synthstudio.common.v1.JobService/GetJob"
    with pytest.raises(grpc.RpcError) as refused:
        raw_call(channels[service], method, b"\xff\xff\xff\xff not protobuf")
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refusal_reason(refused.value) == "MALFORMED_REQUEST"
    assert "GetJobRequest" in refused.value.details()
    with pytest.raises(grpc.RpcError) as anonymous:
        raw_call(anonymous_channels[service], method, b"\xff\xff\xff\xff")
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_an_undefined_enum_number_is_invalid_argument(channels):
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    with pytest.raises(grpc.RpcError) as refused:
        stub.TrainSynthesizer(pb.TrainSynthesizerRequest(dataset_id="ds_x", kind=99))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "99 is not a SynthesizerKind" in refused.value.details()


@pytest.mark.parametrize("name", ["x" * 1024 * 1024, "nul\x00name"], ids=["1 MB", "NUL"])
def test_a_display_name_must_be_a_short_line_of_text(channels, name):
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    with pytest.raises(grpc.RpcError) as refused:
        stub.CreateDataset(pb.CreateDatasetRequest(format=1, content=b"a\n1\n", display_name=name))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "display_name" in refused.value.details()
    with pytest.raises(grpc.RpcError) as streamed:
        stub.UploadDataset(
            iter(
                [
                    pb.UploadDatasetRequest(header=pb.UploadHeader(display_name=name)),
                    pb.UploadDatasetRequest(table=pb.TableStart(name="t", format=1)),
                    pb.UploadDatasetRequest(data=b"a\n1\n"),
                ]
            )
        )
    assert streamed.value.code() == grpc.StatusCode.INVALID_ARGUMENT
