"""`synthstudio users …` and `synthstudio projects …`: who may sign in, with which role, in which
projects (admins; `projects list` and `projects members` for every member)."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from rich.console import Console

from synthstudio_cli.commands import Context
from synthstudio_cli.output import Output, lines, table
from synthstudio_sdk import UsageError, to_dict


def _role_name(message: Any) -> str:
    return to_dict(message).get("role", "").removeprefix("ROLE_").lower()


def _user_data(user) -> dict[str, Any]:
    data = to_dict(user)
    data["user_id"] = user.id
    data["disabled"] = user.disabled
    return data


def _password(args) -> str:
    password = args.password or os.environ.get("SYNTHSTUDIO_NEW_PASSWORD")
    if not password:
        if sys.stdin.isatty():
            password = getpass.getpass(f"Password for {args.email}: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise UsageError(
            "no password: give --password, SYNTHSTUDIO_NEW_PASSWORD or type it (12+ characters)"
        )
    return password


def _user_line(user) -> str:
    state = "disabled" if user.disabled else "active"
    return f"{user.email} ({user.id}): role {_role_name(user)}, {state}"


def users_create(context: Context) -> Output:
    args = context.args
    user = context.client().users.create(
        args.email, _password(args), args.role, project=args.project or ""
    )
    where = f" in project {args.project}" if args.project else ""
    return Output(_user_data(user), lines(f"created {_user_line(user)}{where}"))


def users_list(context: Context) -> Output:
    found = context.client().users.list()

    def render(console: Console) -> None:
        grid = table("id", "email", "role", "state")
        for user in found:
            state = "disabled" if user.disabled else "active"
            grid.add_row(user.id, user.email, _role_name(user), state)
        console.print(grid if found else "no users")

    return Output({"users": [_user_data(u) for u in found], "count": len(found)}, render)


def _update(context: Context, **changes: Any) -> Output:
    user = context.client().users.update(context.args.email, **changes)
    return Output(_user_data(user), lines(f"updated {_user_line(user)}"))


def users_disable(context: Context) -> Output:
    return _update(context, disabled=True)


def users_enable(context: Context) -> Output:
    return _update(context, disabled=False)


def users_set_role(context: Context) -> Output:
    return _update(context, role=context.args.role)


def _project_data(project) -> dict[str, Any]:
    data = to_dict(project)
    data["project_id"] = project.id
    return data


def projects_create(context: Context) -> Output:
    project = context.client().projects.create(context.args.name)
    return Output(_project_data(project), lines(f"created project {project.name} ({project.id})"))


def projects_list(context: Context) -> Output:
    found = context.client().projects.list()

    def render(console: Console) -> None:
        grid = table("id", "name", "created")
        for project in found:
            created = project.create_time.ToDatetime().strftime("%Y-%m-%d %H:%M")
            grid.add_row(project.id, project.name, created)
        console.print(grid if found else "no projects")

    return Output({"projects": [_project_data(p) for p in found], "count": len(found)}, render)


def _member_data(member) -> dict[str, Any]:
    return {**to_dict(member), "role": _role_name(member)}


def projects_members(context: Context) -> Output:
    found = context.client().projects.members(context.args.project_name)

    def render(console: Console) -> None:
        grid = table("email", "user", "role")
        for member in found:
            grid.add_row(member.email, member.user_id, _role_name(member))
        console.print(grid if found else "no members")

    return Output({"members": [_member_data(m) for m in found], "count": len(found)}, render)


def projects_add_member(context: Context) -> Output:
    args = context.args
    member = context.client().projects.add_member(args.project_name, args.email, args.role)
    text = f"{member.email} is {_role_name(member)} in project {args.project_name}"
    return Output(_member_data(member), lines(text))


def projects_remove_member(context: Context) -> Output:
    args = context.args
    context.client().projects.remove_member(args.project_name, args.email)
    data = {"project": args.project_name, "email": args.email, "removed": True}
    return Output(data, lines(f"removed {args.email} from project {args.project_name}"))
