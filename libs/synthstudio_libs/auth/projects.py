"""Projects own resources; users are members with a role per project. Services ask
`require_access` on every call that touches a resource and `visible_projects` to filter lists;
the process's directory (installed by the runtime) answers from the database, trusting each
principal's memberships for a short while."""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from synthstudio_libs.auth.principal import Principal, Role, current_principal
from synthstudio_libs.auth.tables import project_members, projects, users
from synthstudio_libs.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from synthstudio_libs.storage.database import read_connection
from synthstudio_libs.storage.util import as_utc, new_id, read_page, utcnow

DEFAULT_PROJECT = "default"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
_CACHE_CAPACITY = 10_000


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    create_time: datetime


@dataclass(frozen=True)
class Member:
    project_id: str
    user_id: str
    email: str
    role: Role


def _project(row: sa.Row) -> Project:
    return Project(id=row.id, name=row.name, create_time=cast(datetime, as_utc(row.create_time)))


def satisfies(role: Role, minimum: Role) -> bool:
    """Whether a member with `role` may do what needs `minimum`: viewing needs membership,
    editing the editor role, reviewing the reviewer role; a project's admin may do all."""
    return role is Role.ADMIN or minimum is Role.VIEWER or role is minimum


def _capped(key_role: Role, member_role: Role) -> Role:
    """An API key acts with the smaller of its own role and its owner's role in a project."""
    if key_role is Role.ADMIN or key_role is member_role:
        return member_role
    return key_role if member_role is Role.ADMIN else Role.VIEWER


def find_project(connection: sa.Connection, reference: str) -> Project:
    """The project with id or name `reference`."""
    row = connection.execute(
        projects.select().where(sa.or_(projects.c.id == reference, projects.c.name == reference))
    ).first()
    if row is None:
        raise _no_project(reference)
    return _project(row)


def _no_project(reference: str) -> NotFound:
    return NotFound(
        f"project '{reference}' does not exist or you are not a member of it",
        reason="PROJECT_NOT_FOUND",
        metadata={"project": reference},
    )


def add_membership(connection: sa.Connection, project_id: str, user_id: str, role: Role) -> None:
    """Makes `user_id` a member of `project_id` with `role`, or changes their role there."""
    connection.execute(
        project_members.delete().where(
            project_members.c.project_id == project_id, project_members.c.user_id == user_id
        )
    )
    connection.execute(
        project_members.insert().values(
            project_id=project_id, user_id=user_id, role=role.value, create_time=utcnow()
        )
    )


class ProjectDirectory:
    """Projects, their members, and what a principal may reach."""

    def __init__(
        self, engine: sa.Engine, owner_of: Callable[[str], str], cache_seconds: float
    ) -> None:
        self._engine = engine
        self._owner_of = owner_of
        self._cache_seconds = cache_seconds
        # principal id -> (project id -> role; until when).
        self._roles: dict[str, tuple[dict[str, Role], float]] = {}

    # Administration

    def create(self, name: str, creator: Principal) -> Project:
        name = name.strip().lower()
        if not _NAME.match(name):
            raise InvalidInput(
                "name must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a "
                "letter or digit",
                field="name",
                reason="PROJECT_NAME_INVALID",
                metadata={"name": name[:64]},
            )
        project = Project(id=new_id("prj"), name=name, create_time=utcnow())
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    projects.insert().values(
                        id=project.id, name=project.name, create_time=project.create_time
                    )
                )
                owner = self._owner_of(creator.id)
                if owner.startswith("user:"):
                    add_membership(connection, project.id, owner.removeprefix("user:"), Role.ADMIN)
        except IntegrityError:
            raise AlreadyExists(
                f"a project named '{name}' exists already",
                reason="PROJECT_EXISTS",
                metadata={"name": name},
            ) from None
        self.forget()
        return project

    def get(self, reference: str) -> Project:
        """The project `reference` (id or name) when the caller may see it."""
        with read_connection(self._engine) as connection:
            project = find_project(connection, reference)
        visible = self.visible(current_principal())
        if visible is not None and project.id not in visible:
            raise _no_project(reference)
        return project

    def list(self, size: int = 0, token: str = "") -> tuple[list[Project], str]:
        """The projects the caller belongs to (all of them for an admin)."""
        query = projects.select().order_by(projects.c.name, projects.c.id)
        visible = self.visible(current_principal())
        if visible is not None:
            query = query.where(projects.c.id.in_(visible))
        with read_connection(self._engine) as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_project(r) for r in rows], next_token

    def add_member(self, reference: str, user: str, role: Role) -> Member:
        """Adds user `user` (id or e-mail) to the project, or changes their role in it."""
        with self._engine.begin() as connection:
            project = find_project(connection, reference)
            user_row = _find_user(connection, user)
            add_membership(connection, project.id, user_row.id, role)
        self.forget()
        return Member(project.id, user_row.id, user_row.email, role)

    def remove_member(self, reference: str, user: str) -> None:
        with self._engine.begin() as connection:
            project = find_project(connection, reference)
            user_row = _find_user(connection, user)
            removed = connection.execute(
                project_members.delete().where(
                    project_members.c.project_id == project.id,
                    project_members.c.user_id == user_row.id,
                )
            ).rowcount
        if not removed:
            raise FailedPrecondition(
                f"{user_row.email} is not a member of project '{project.name}'",
                reason="NOT_A_MEMBER",
                metadata={"project": project.id, "user": user_row.id},
            )
        self.forget()

    def members(self, reference: str) -> list[Member]:
        """The members of project `reference` when the caller may see it."""
        project = self.get(reference)
        with read_connection(self._engine) as connection:
            rows = connection.execute(
                sa.select(project_members.c.user_id, project_members.c.role, users.c.email)
                .join(users, users.c.id == project_members.c.user_id)
                .where(project_members.c.project_id == project.id)
                .order_by(users.c.email)
            ).all()
        return [Member(project.id, r.user_id, r.email, Role(r.role)) for r in rows]

    def forget(self) -> None:
        """Drops remembered memberships (after a change made in this process)."""
        self._roles.clear()

    # Access

    def roles_of(self, principal: Principal) -> dict[str, Role]:
        """Project id -> the principal's role there, read at most every few seconds."""
        now = time.monotonic()
        remembered = self._roles.get(principal.id)
        if remembered is not None and now < remembered[1]:
            return remembered[0]
        roles = self._read_roles(principal)
        if len(self._roles) >= _CACHE_CAPACITY:
            self._roles.clear()
        self._roles[principal.id] = (roles, now + self._cache_seconds)
        return roles

    def _read_roles(self, principal: Principal) -> dict[str, Role]:
        owner = self._owner_of(principal.id)
        if not owner.startswith("user:"):
            return {}
        with read_connection(self._engine) as connection:
            rows = connection.execute(
                sa.select(project_members.c.project_id, project_members.c.role).where(
                    project_members.c.user_id == owner.removeprefix("user:")
                )
            ).all()
        roles = {r.project_id: Role(r.role) for r in rows}
        if principal.id.startswith("key:"):
            return {p: _capped(principal.role, r) for p, r in roles.items()}
        return roles

    def visible(self, principal: Principal) -> list[str] | None:
        """The projects `principal` may see; None for an admin (all)."""
        if principal.role is Role.ADMIN:
            return None
        return sorted(self.roles_of(principal))

    def require(
        self,
        principal: Principal,
        project_id: str,
        minimum: Role,
        not_found: NotFound | None = None,
    ) -> None:
        if principal.role is Role.ADMIN:
            return
        role = self.roles_of(principal).get(project_id)
        if role is None:
            raise not_found or _no_project(project_id)
        if not satisfies(role, minimum):
            raise PermissionDenied(
                f"your role in project '{project_id}' is {role.value}; this needs {minimum.value}",
                reason="PROJECT_ROLE_TOO_LOW",
                metadata={"project": project_id, "role": role.value, "needed": minimum.value},
            )

    def resolve(self, principal: Principal, reference: str, minimum: Role) -> str:
        """The id of the project a new resource goes to: `reference` (id or name) when given,
        else the caller's only project, else the default one; the caller needs `minimum`."""
        if reference:
            with read_connection(self._engine) as connection:
                try:
                    project_id = find_project(connection, reference).id
                except NotFound:
                    raise _no_project(reference) from None
            if principal.role is not Role.ADMIN and project_id not in self.roles_of(principal):
                raise _no_project(reference)
        else:
            mine = [] if principal.role is Role.ADMIN else list(self.roles_of(principal))
            project_id = mine[0] if len(mine) == 1 else DEFAULT_PROJECT
        self.require(principal, project_id, minimum)
        return project_id


def _find_user(connection: sa.Connection, user: str) -> sa.Row:
    reference = user.strip()
    row = connection.execute(
        users.select().where(sa.or_(users.c.id == reference, users.c.email == reference.lower()))
    ).first()
    if row is None:
        raise NotFound(
            f"user '{reference}' does not exist",
            reason="USER_NOT_FOUND",
            metadata={"user": reference},
        )
    return row


_directory: ProjectDirectory | None = None
# The directory of the call or job being served, where the server or job runner binds one: a
# process hosting several runtimes on different databases (the tests start every service in
# one process) keeps each call on its own runtime's projects.
_serving: contextvars.ContextVar[ProjectDirectory | None] = contextvars.ContextVar(
    "synthstudio_project_directory", default=None
)


def install(directory: ProjectDirectory) -> None:
    """Makes `directory` the one this process's access checks read outside a bound call."""
    global _directory
    _directory = directory


@contextlib.contextmanager
def serving(directory: ProjectDirectory | None) -> Iterator[None]:
    """Access checks made inside read `directory` (the installed one when None)."""
    token = _serving.set(directory)
    try:
        yield
    finally:
        _serving.reset(token)


def _installed() -> ProjectDirectory:
    directory = _serving.get() or _directory
    if directory is None:
        raise FailedPrecondition(
            "project access checks are not configured in this process",
            reason="PROJECTS_NOT_CONFIGURED",
        )
    return directory


def require_access(
    project_id: str, minimum_role: Role = Role.VIEWER, *, not_found: NotFound | None = None
) -> None:
    """Refuses the current principal unless it has `minimum_role` in `project_id`: NOT_FOUND
    (`not_found`, the resource's own "does not exist", when given) when it is no member, so a
    project's resources are not revealed to outsiders; PERMISSION_DENIED when its role there
    is too low. Admins pass everywhere."""
    if current_principal().role is Role.ADMIN:
        return
    _installed().require(current_principal(), project_id, minimum_role, not_found)


def visible_projects() -> list[str] | None:
    """The projects whose resources the current principal may list; None: all (an admin)."""
    if current_principal().role is Role.ADMIN:
        return None
    return _installed().visible(current_principal())


def resolve_project(reference: str, minimum_role: Role = Role.EDITOR) -> str:
    """The project id a new root resource of the current principal goes to (see
    ProjectDirectory.resolve)."""
    return _installed().resolve(current_principal(), reference, minimum_role)


def list_filter(requested: str) -> list[str] | None:
    """The project ids a list call returns resources of: the caller's visible projects, narrowed
    to `requested` (an id or name) when given; None: no filter (an admin asking for all)."""
    if not requested:
        return visible_projects()
    project_id = resolve_project(requested, Role.VIEWER)
    return [project_id]
