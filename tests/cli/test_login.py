"""Signing in stores the tokens (0600) for later commands, which refresh them when the access
token expires — once, even when several commands refresh at the same moment."""

from __future__ import annotations

import json
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from synthstudio.common.v1 import access_pb2
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.auth.tokens import TokenSigner, load_secret
from synthstudio_sdk import Client, CredentialStore, Endpoints
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD


def _stored(config_dir: Path) -> dict:
    servers = json.loads((config_dir / "credentials.json").read_text())["servers"]
    assert len(servers) == 1
    return next(iter(servers.values()))


def _rewrite(config_dir: Path, **changes) -> None:
    path = config_dir / "credentials.json"
    document = json.loads(path.read_text())
    for entry in document["servers"].values():
        entry.update(changes)
    path.write_text(json.dumps(document))


def test_login_stores_tokens_and_commands_refresh_them(cli, config_dir, suite_env):
    signed_in = cli("login", "--email", ADMIN_EMAIL, "--password", ADMIN_PASSWORD, "--json")
    assert signed_in.code == 0, signed_in.stderr
    path = config_dir / "credentials.json"
    assert signed_in.json["credentials"] == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    first = _stored(config_dir)
    assert first["email"] == ADMIN_EMAIL and first["refresh_token"]
    assert first["access_expires_at"] > time.time() + 60

    me = cli("whoami", "--json")
    assert me.code == 0 and me.json["role"] == "ROLE_ADMIN"

    # Expired by the clock: refreshed before the call, the new pair stored at once.
    _rewrite(config_dir, access_expires_at=time.time() - 1)
    assert cli("whoami").code == 0
    second = _stored(config_dir)
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    # Refused by the server as expired (a token signed with the suite's secret, in the past):
    # refreshed once and the call retried.
    secret = load_secret("", Path(suite_env["SYNTHSTUDIO_DATA_DIR"]))
    expired = TokenSigner(secret, ttl_seconds=-60).issue(
        Principal(id=me.json["id"], name=ADMIN_EMAIL, role=Role.ADMIN)
    )
    _rewrite(config_dir, access_token=expired, access_expires_at=time.time() + 600)
    assert cli("whoami", "--json").json["id"] == me.json["id"]
    third = _stored(config_dir)
    assert third["refresh_token"] != second["refresh_token"]

    # Several commands finding the token expired at once refresh it once between them (a
    # refresh token works once: presenting it twice would revoke the sign-in).
    _rewrite(config_dir, access_expires_at=time.time() - 1)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: cli("whoami"), range(4)))
    assert [r.code for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert cli("whoami").code == 0

    signed_out = cli("logout", "--json")
    assert signed_out.code == 0 and signed_out.json["signed_out"] is True
    assert json.loads(path.read_text())["servers"] == {}
    after = cli("whoami")
    assert after.code == 3 and "synthstudio login" in after.stderr


def test_a_wrong_password_is_one_line_and_exit_3(cli, config_dir):
    refused = cli("login", "--email", ADMIN_EMAIL, "--password", "wrong password")
    assert refused.code == 3 and "(BAD_CREDENTIALS)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (config_dir / "credentials.json").exists()

    piped = cli("login", "--email", ADMIN_EMAIL, "--json", stdin=f"{ADMIN_PASSWORD}\n")
    assert piped.code == 0, piped.stderr


def test_the_sdk_signs_in_and_uses_api_keys(sdk_env, config_dir):
    store = CredentialStore(config_dir)
    with Client(credentials=store) as client:
        login = client.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        assert store.load(client.endpoints.key) == login
        key = client.create_api_key("cli test", "viewer")
        assert key.secret
    with Client(api_key=key.secret) as machine:
        principal = machine.whoami()
        assert principal.role == access_pb2.ROLE_VIEWER and principal.name == "cli test"
    # The stored sign-in belongs to the deployment it was made with.
    other = Endpoints.from_url("10.0.0.1")
    assert store.load(other.key) is None
