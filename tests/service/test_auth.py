"""Every gRPC method of every service, enumerated from the descriptors, is behind
credentials and the roles its proto declares; state changes are audited."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import message_factory
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from synthstudio.common.v1 import access_pb2
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.policy import policy_for
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.contracts import services
from tests.service.conftest import PASSWORD, open_channels

# The services every component hosts besides its own.
SHARED = {"synthstudio.common.v1.JobService", "synthstudio.identity.v1.IdentityService"}


def served_methods():
    """(component, method) for every method that needs credentials, of every component."""
    own = {host: service for service, host in services() if service.full_name not in SHARED}
    shared = [service for service, _host in services() if service.full_name in SHARED]
    for host, service in sorted(own.items()):
        for served in (service, *shared):
            for method in served.methods:
                if not policy_for(f"/{served.full_name}/{method.name}").public:
                    yield pytest.param(host, method, id=f"{host}:{method.full_name}")


def invoke(channel: grpc.Channel, method, metadata=()):
    request = message_factory.GetMessageClass(method.input_type)()
    path = f"/{method.containing_service.full_name}/{method.name}"
    response_class = message_factory.GetMessageClass(method.output_type)
    if method.server_streaming:
        call = channel.unary_stream(
            path,
            request_serializer=type(request).SerializeToString,
            response_deserializer=response_class.FromString,
        )
        return list(call(request, metadata=metadata, timeout=10))
    call = channel.unary_unary(
        path,
        request_serializer=type(request).SerializeToString,
        response_deserializer=response_class.FromString,
    )
    return call(request, metadata=metadata, timeout=10)


@pytest.mark.parametrize(("host", "method"), served_methods())
def test_every_method_refuses_a_call_without_credentials(anonymous_channels, host, method):
    with pytest.raises(grpc.RpcError) as refused:
        invoke(anonymous_channels[host], method)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_every_method_is_public_only_if_it_signs_in_or_publishes_the_evidence_key():
    public = {
        method.name
        for service, _host in services()
        for method in service.methods
        if policy_for(f"/{service.full_name}/{method.name}").public
    }
    # The evidence pack's public key is public by design: anyone may verify a pack offline.
    assert public == {"Login", "Refresh", "Logout", "GetEvidencePublicKey"}


@pytest.mark.parametrize("credential", ["Bearer not-a-token", "Basic YTpi", "Bearer ssk_0_x"])
def test_bad_credentials_are_unauthenticated(anonymous_channels, credential):
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(anonymous_channels["synthesis"])
    with pytest.raises(grpc.RpcError) as refused:
        stub.ListDatasets(
            synthesis_pb.ListDatasetsRequest(), metadata=[("authorization", credential)]
        )
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize("credentials", [False, True], ids=["anonymous", "signed in"])
def test_oversized_metadata_is_the_callers_mistake_not_a_reason_to_retry(
    anonymous_channels, tokens, credentials
):
    """gRPC's transport would answer RESOURCE_EXHAUSTED (retry later); the call is refused
    as INVALID_ARGUMENT naming the limit, signed in or not."""
    metadata = [("x-padding", "p" * 40_000)]
    if credentials:
        metadata.append(("authorization", f"Bearer {tokens[Role.EDITOR]}"))
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(anonymous_channels["synthesis"])
    with pytest.raises(grpc.RpcError) as refused:
        stub.ListDatasets(synthesis_pb.ListDatasetsRequest(), metadata=metadata)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = error_details_pb2.ErrorInfo()
    rpc_status.from_call(refused.value).details[0].Unpack(info)
    assert info.reason == "METADATA_TOO_LARGE" and info.metadata["limit"] == "16384"


def test_a_role_the_proto_does_not_allow_is_permission_denied(servers, tokens):
    addresses, _settings = servers
    viewer = open_channels(addresses, tokens[Role.VIEWER])
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(viewer["synthesis"])
    stub.ListDatasets(synthesis_pb.ListDatasetsRequest())
    with pytest.raises(grpc.RpcError) as refused:
        stub.CreateDataset(synthesis_pb.CreateDatasetRequest(content=b"a\n1\n"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    info = error_details_pb2.ErrorInfo()
    rpc_status.from_call(refused.value).details[0].Unpack(info)
    assert info.reason == "ROLE_NOT_ALLOWED" and info.metadata["role"] == "VIEWER"
    admin_only = identity_service_pb2_grpc.IdentityServiceStub(viewer["synthesis"])
    with pytest.raises(grpc.RpcError) as not_admin:
        admin_only.ListUsers(identity_pb.ListUsersRequest())
    assert not_admin.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_sign_in_refresh_and_reuse_over_grpc(anonymous_channels, tokens):
    stub = identity_service_pb2_grpc.IdentityServiceStub(anonymous_channels["synthesis"])
    pair = stub.Login(identity_pb.LoginRequest(email="reviewer@example.org", password=PASSWORD))
    me = identity_service_pb2_grpc.IdentityServiceStub(anonymous_channels["synthesis"])
    principal = me.GetCurrentPrincipal(
        identity_pb.GetCurrentPrincipalRequest(),
        metadata=[("authorization", f"Bearer {pair.access_token}")],
    )
    assert principal.name == "reviewer@example.org"
    rotated = stub.Refresh(identity_pb.RefreshRequest(refresh_token=pair.refresh_token))
    with pytest.raises(grpc.RpcError) as reused:
        stub.Refresh(identity_pb.RefreshRequest(refresh_token=pair.refresh_token))
    assert reused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.RpcError):
        stub.Refresh(identity_pb.RefreshRequest(refresh_token=rotated.refresh_token))


def test_a_revoked_api_key_stops_working_at_once(servers, tokens):
    addresses, _settings = servers
    admin = identity_service_pb2_grpc.IdentityServiceStub(
        open_channels(addresses, tokens[Role.ADMIN])["synthesis"]
    )
    key = admin.CreateApiKey(
        identity_pb.CreateApiKeyRequest(name="etl", role=access_pb2.ROLE_EDITOR)
    )
    assert key.secret.startswith("ssk_")
    machine = synthesis_service_pb2_grpc.SynthesisServiceStub(
        open_channels(addresses, key.secret)["synthesis"]
    )
    machine.ListDatasets(synthesis_pb.ListDatasetsRequest())
    listed = admin.ListApiKeys(identity_pb.ListApiKeysRequest())
    assert all(not k.secret for k in listed.api_keys)
    admin.RevokeApiKey(identity_pb.RevokeApiKeyRequest(key_id=key.id))
    with pytest.raises(grpc.RpcError) as refused:
        machine.ListDatasets(synthesis_pb.ListDatasetsRequest())
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_state_changes_are_audited_with_who_what_and_outcome(servers, channels, tokens):
    addresses, _settings = servers
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channels["synthesis"])
    created = stub.CreateDataset(synthesis_pb.CreateDatasetRequest(format=1, content=b"a\n1\n"))
    with pytest.raises(grpc.RpcError):
        stub.CreateDataset(synthesis_pb.CreateDatasetRequest(format=1, content=b""))
    admin = identity_service_pb2_grpc.IdentityServiceStub(
        open_channels(addresses, tokens[Role.ADMIN])["synthesis"]
    )
    events = admin.ListAuditEvents(
        identity_pb.ListAuditEventsRequest(action="SynthesisService/CreateDataset", page_size=500)
    ).events
    editor = admin.ListUsers(identity_pb.ListUsersRequest()).users
    editor_id = next(u.id for u in editor if u.email == "editor@example.org")
    mine = [e for e in events if e.principal == f"user:{editor_id}"]
    assert any(e.resource == f"dataset/{created.id}" and e.outcome == "OK" for e in mine)
    assert any(e.outcome == "INVALID_ARGUMENT" for e in mine)
    assert all(e.role == access_pb2.ROLE_EDITOR for e in mine)
    assert admin.VerifyAuditChain(identity_pb.VerifyAuditChainRequest()).intact


def test_sign_in_is_limited_per_client_the_gateway_vouches_for(anonymous_channels, identity):
    stub = identity_service_pb2_grpc.IdentityServiceStub(anonymous_channels["synthesis"])

    def refresh(client: str):
        metadata = identity.clients.metadata(client)
        try:
            stub.Refresh(identity_pb.RefreshRequest(refresh_token="rt_x.guess"), metadata=metadata)
        except grpc.RpcError as error:
            return error.code()

    # Two windows' worth: the limit is crossed whatever second of a minute this starts in.
    codes = [refresh("198.51.100.7") for _ in range(125)]
    assert grpc.StatusCode.RESOURCE_EXHAUSTED in codes
    assert refresh("198.51.100.8") == grpc.StatusCode.UNAUTHENTICATED


def test_an_anonymous_sign_in_writes_a_bounded_e_mail_to_the_audit_log(
    anonymous_channels, servers, tokens
):
    addresses, _settings = servers
    stub = identity_service_pb2_grpc.IdentityServiceStub(anonymous_channels["synthesis"])
    typed = "x" * 4000 + "@example.org"
    with pytest.raises(grpc.RpcError) as refused:
        stub.Login(identity_pb.LoginRequest(email=typed, password=PASSWORD))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    admin = identity_service_pb2_grpc.IdentityServiceStub(
        open_channels(addresses, tokens[Role.ADMIN])["synthesis"]
    )
    events = admin.ListAuditEvents(
        identity_pb.ListAuditEventsRequest(action="IdentityService/Login", page_size=5)
    ).events
    assert events[0].principal.startswith("email-sha256:")
    assert len(events[0].principal) < 100
