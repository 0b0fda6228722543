"""What protobuf lets through but no servicer can use is refused before any servicer runs."""

from __future__ import annotations

import pytest

from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.validation import MAX_NAME_LENGTH, check_request


def test_an_enum_number_the_proto_does_not_define_is_refused():
    request = synthesis_pb.TrainSynthesizerRequest(dataset_id="ds_1", kind=99)
    with pytest.raises(InvalidInput) as refused:
        check_request(request)
    assert refused.value.violations[0].field == "kind"
    assert "99 is not a SynthesizerKind" in refused.value.message


def test_names_are_bounded_and_free_of_control_characters():
    for name in ("x" * (MAX_NAME_LENGTH + 1), "nul\x00inside", "two\nlines"):
        with pytest.raises(InvalidInput) as refused:
            check_request(synthesis_pb.CreateDatasetRequest(display_name=name))
        assert refused.value.violations[0].field == "display_name"
    check_request(synthesis_pb.CreateDatasetRequest(display_name="Flights 2024 — Zürich"))
    with pytest.raises(InvalidInput):
        check_request(identity_pb.CreateApiKeyRequest(name="k\x00"))


def test_nested_messages_are_checked_with_their_path():
    upload = synthesis_pb.UploadDatasetRequest(table=synthesis_pb.TableStart(name="t", format=42))
    with pytest.raises(InvalidInput) as refused:
        check_request(upload)
    assert refused.value.violations[0].field == "table.format"
