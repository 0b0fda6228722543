"""IdentityService: protobuf <-> users, sign-in, API keys and the audit log."""

from __future__ import annotations

from google.protobuf import empty_pb2

from synthstudio.common.v1 import access_pb2
from synthstudio.identity.v1 import identity_service_pb2 as pb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio_libs.auth.audit import AuditEvent, AuditLog
from synthstudio_libs.auth.identity import ApiKeyRecord, IdentityCore, TokenPair, User, parse_role
from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.auth.projects import Member, Project, ProjectDirectory
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.grpc.convert import struct, timestamp


def role_to_proto(role: Role | str) -> int:
    return access_pb2.Role.Value(f"ROLE_{Role(role).value}") if role else 0


def role_from_proto(value: int, field: str = "role") -> Role:
    return parse_role(access_pb2.Role.Name(value).removeprefix("ROLE_"), field)


def _tokens(pair: TokenPair) -> pb.TokenPair:
    return pb.TokenPair(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        token_type="Bearer",
        refresh_token=pair.refresh_token,
        refresh_expires_in=pair.refresh_expires_in,
    )


def _user(user: User) -> pb.User:
    return pb.User(
        id=user.id,
        email=user.email,
        role=role_to_proto(user.role),
        create_time=timestamp(user.create_time),
        disabled=user.disabled,
    )


def _project(project: Project) -> pb.Project:
    return pb.Project(id=project.id, name=project.name, create_time=timestamp(project.create_time))


def _member(member: Member) -> pb.ProjectMember:
    return pb.ProjectMember(
        project=member.project_id,
        user_id=member.user_id,
        email=member.email,
        role=f"ROLE_{member.role.value}",
    )


def _api_key(key: ApiKeyRecord, secret: str = "") -> pb.ApiKey:
    return pb.ApiKey(
        id=key.id,
        name=key.name,
        role=role_to_proto(key.role),
        secret=secret,
        prefix=key.prefix,
        creator=key.creator,
        create_time=timestamp(key.create_time),
        revoke_time=timestamp(key.revoke_time),
    )


def _event(event: AuditEvent) -> pb.AuditEvent:
    return pb.AuditEvent(
        sequence=event.sequence,
        time=timestamp(event.time),
        principal=event.principal,
        role=role_to_proto(event.role),
        action=event.action,
        resource=event.resource,
        outcome=event.outcome,
        trace_id=event.trace_id,
        details=struct(event.details),
        hash=event.hash,
        previous_hash=event.previous_hash,
    )


class IdentityServicer(identity_service_pb2_grpc.IdentityServiceServicer):
    def __init__(self, identity: IdentityCore, projects: ProjectDirectory, audit: AuditLog) -> None:
        self._identity = identity
        self._projects = projects
        self._audit = audit

    def Login(self, request, context):
        client = self._identity.clients.client_of(
            dict(context.invocation_metadata() or ()), context.peer()
        )
        return _tokens(self._identity.login(request.email, request.password, client))

    def Refresh(self, request, context):
        return _tokens(self._identity.refresh(request.refresh_token))

    def Logout(self, request, context):
        self._identity.logout(request.refresh_token)
        return empty_pb2.Empty()

    def GetCurrentPrincipal(self, request, context):
        principal = current_principal()
        return pb.Principal(
            id=principal.id, name=principal.name, role=role_to_proto(principal.role)
        )

    def CreateUser(self, request, context):
        role = role_from_proto(request.role)
        created = self._identity.create_user(
            request.email, request.password, role, project=request.project
        )
        self._projects.forget()
        return _user(created)

    def UpdateUser(self, request, context):
        role = role_from_proto(request.role) if request.role else None
        disabled = request.disabled if request.HasField("disabled") else None
        return _user(self._identity.update_user(request.user, role=role, disabled=disabled))

    def CreateProject(self, request, context):
        return _project(self._projects.create(request.name, current_principal()))

    def ListProjects(self, request, context):
        found, token = self._projects.list(request.page_size, request.page_token)
        return pb.ListProjectsResponse(projects=[_project(p) for p in found], next_page_token=token)

    def ListProjectMembers(self, request, context):
        members = self._projects.members(request.project)
        return pb.ListProjectMembersResponse(members=[_member(m) for m in members])

    def AddProjectMember(self, request, context):
        role = role_from_proto(request.role)
        return _member(self._projects.add_member(request.project, request.user, role))

    def RemoveProjectMember(self, request, context):
        self._projects.remove_member(request.project, request.user)
        return empty_pb2.Empty()

    def ListUsers(self, request, context):
        found, token = self._identity.list_users(request.page_size, request.page_token)
        return pb.ListUsersResponse(users=[_user(u) for u in found], next_page_token=token)

    def CreateApiKey(self, request, context):
        key, secret = self._identity.create_api_key(
            request.name, role_from_proto(request.role), creator=current_principal().id
        )
        return _api_key(key, secret)

    def ListApiKeys(self, request, context):
        found, token = self._identity.list_api_keys(request.page_size, request.page_token)
        return pb.ListApiKeysResponse(api_keys=[_api_key(k) for k in found], next_page_token=token)

    def RevokeApiKey(self, request, context):
        return _api_key(self._identity.revoke_api_key(request.key_id))

    def ListAuditEvents(self, request, context):
        found, token = self._audit.list(
            request.page_size,
            request.page_token,
            principal=request.principal,
            action=request.action,
            outcome=request.outcome,
        )
        return pb.ListAuditEventsResponse(events=[_event(e) for e in found], next_page_token=token)

    def VerifyAuditChain(self, request, context):
        check = self._audit.verify()
        return pb.VerifyAuditChainResponse(
            intact=check.intact,
            checked=check.checked,
            first_bad_sequence=check.first_bad_sequence,
            reason=check.reason,
        )


def identity_binding(
    identity: IdentityCore, projects: ProjectDirectory, audit: AuditLog
) -> Binding:
    return Binding(
        identity_service_pb2_grpc.add_IdentityServiceServicer_to_server,
        IdentityServicer(identity, projects, audit),
        pb.DESCRIPTOR.services_by_name["IdentityService"].full_name,
    )
