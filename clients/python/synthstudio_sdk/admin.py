"""`client.users` and `client.projects`: who may sign in, with which role, in which projects."""

from __future__ import annotations

from synthstudio.common.v1 import access_pb2
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio_sdk.messages import enum_value_name
from synthstudio_sdk.transport import Connection


def role_value(role: str) -> str:
    """The Role enum value name of `editor`, `EDITOR` or `ROLE_EDITOR` (`ROLE_EDITOR`)."""
    return enum_value_name(access_pb2.Role.DESCRIPTOR, role)


class Users:
    """Users (admins only): create, list, disable, enable, change a role."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def create(
        self, email: str, password: str, role: str = "viewer", *, project: str = ""
    ) -> identity_pb.User:
        """A new user with `role`, member of `project` (id or name; default project if empty)
        with that role."""
        request = identity_pb.CreateUserRequest(
            email=email, password=password, role=role_value(role), project=project
        )
        return self._connection.unary("identity", "CreateUser", request)

    def list(self, *, limit: int = 500) -> list[identity_pb.User]:
        request = identity_pb.ListUsersRequest(page_size=min(limit, 500))
        return list(self._connection.unary("identity", "ListUsers", request).users)

    def update(
        self, user: str, *, role: str | None = None, disabled: bool | None = None
    ) -> identity_pb.User:
        """Changes a user's (id or e-mail) role or whether they are disabled; either ends
        their current tokens and API keys' access at once."""
        request = identity_pb.UpdateUserRequest(user=user, role=role_value(role) if role else None)
        if disabled is not None:
            request.disabled = disabled
        return self._connection.unary("identity", "UpdateUser", request)


class Projects:
    """Projects own datasets, synthesizers, reports, jobs and artifacts."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def create(self, name: str) -> identity_pb.Project:
        request = identity_pb.CreateProjectRequest(name=name)
        return self._connection.unary("identity", "CreateProject", request)

    def list(self, *, limit: int = 500) -> list[identity_pb.Project]:
        """The caller's projects (every project for an admin)."""
        request = identity_pb.ListProjectsRequest(page_size=min(limit, 500))
        return list(self._connection.unary("identity", "ListProjects", request).projects)

    def members(self, project: str) -> list[identity_pb.ProjectMember]:
        request = identity_pb.ListProjectMembersRequest(project=project)
        return list(self._connection.unary("identity", "ListProjectMembers", request).members)

    def add_member(self, project: str, user: str, role: str) -> identity_pb.ProjectMember:
        """Adds a user (id or e-mail) to a project (id or name) with `role` there, or changes
        their role in it."""
        request = identity_pb.AddProjectMemberRequest(
            project=project, user=user, role=role_value(role)
        )
        return self._connection.unary("identity", "AddProjectMember", request)

    def remove_member(self, project: str, user: str) -> None:
        request = identity_pb.RemoveProjectMemberRequest(project=project, user=user)
        self._connection.unary("identity", "RemoveProjectMember", request)
