"""`synthstudio users …`, `synthstudio projects …` and `--project`, as real subprocesses against
the running suite."""

from __future__ import annotations

import secrets

PASSWORD = "cli projects password"


def test_an_admin_makes_projects_and_users_and_members_see_only_theirs(cli, admin_token, tmp_path):
    suffix = secrets.token_hex(3)
    team, other = f"team-{suffix}", f"other-{suffix}"
    for name in (team, other):
        created = cli("projects", "create", name, "--json", token=admin_token)
        assert created.code == 0, created.stderr
        assert created.json["name"] == name
    alice, bob = f"alice-{suffix}@example.org", f"bob-{suffix}@example.org"
    made = cli(
        "users", "create", alice, "--role", "editor", "--password", PASSWORD,
        "--project", team, "--json", token=admin_token,
    )  # fmt: skip
    assert made.code == 0, made.stderr
    assert made.json["email"] == alice and made.json["disabled"] is False
    made = cli(
        "users", "create", bob, "--role", "editor", "--password", PASSWORD, token=admin_token
    )
    assert made.code == 0 and "role editor" in made.stdout, made.stderr
    added = cli("projects", "add-member", other, bob, "--role", "viewer", token=admin_token)
    assert added.code == 0 and "viewer" in added.stdout, added.stderr

    login = cli("login", "--email", alice, "--password", PASSWORD)
    assert login.code == 0, login.stderr
    mine = cli("projects", "list", "--json")
    assert [p["name"] for p in mine.json["projects"]] == [team]
    path = tmp_path / "tiny.csv"
    path.write_text("a,b\n1,2\n3,4\n")
    uploaded = cli("datasets", "upload", str(path), "--json")
    assert uploaded.code == 0, uploaded.stderr
    assert uploaded.json["project"] == mine.json["projects"][0]["id"]
    listed = cli("datasets", "list", "--project", team, "--json")
    assert [d["dataset_id"] for d in listed.json["datasets"]] == [uploaded.json["dataset_id"]]
    refused = cli("datasets", "upload", str(path), "--project", other, "--json")
    assert refused.code == 4, refused.stderr
    assert refused.json["error"]["reason"] == "PROJECT_NOT_FOUND"
    members = cli("projects", "members", other, "--json", token=admin_token)
    assert {m["email"]: m["role"] for m in members.json["members"]}[bob] == "viewer"
    not_admin = cli("projects", "create", f"mine-{suffix}")
    assert not_admin.code == 3, not_admin.stderr


def test_a_disabled_user_is_refused_and_enabled_again(cli, admin_token):
    email = f"carol-{secrets.token_hex(3)}@example.org"
    made = cli(
        "users", "create", email, "--role", "viewer", "--password", PASSWORD, token=admin_token
    )
    assert made.code == 0, made.stderr
    assert cli("login", "--email", email, "--password", PASSWORD).code == 0
    assert cli("datasets", "list").code == 0
    disabled = cli("users", "disable", email, "--json", token=admin_token)
    assert disabled.code == 0 and disabled.json["disabled"] is True, disabled.stderr
    refused = cli("datasets", "list", "--json")
    assert refused.code == 3 and refused.json["error"]["reason"] == "USER_DISABLED"
    assert cli("login", "--email", email, "--password", PASSWORD).code == 3
    enabled = cli("users", "enable", email, token=admin_token)
    assert enabled.code == 0 and "active" in enabled.stdout
    promoted = cli("users", "set-role", email, "editor", "--json", token=admin_token)
    assert promoted.code == 0 and promoted.json["role"] == "ROLE_EDITOR"
    assert cli("users", "disable", "nobody@example.org", token=admin_token).code == 4
    assert cli("users", "create", "x@example.org", "--role", "owner", token=admin_token).code == 2
