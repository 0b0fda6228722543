"""Users, tokens, refresh rotation and API keys, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import jwt
import pytest

from synthstudio_libs.auth import identity as identity_module
from synthstudio_libs.auth.identity import (
    FREE_FAILED_LOGINS,
    FREE_FAILED_LOGINS_PER_ACCOUNT,
    MAX_PASSWORD_LENGTH,
    IdentityCore,
)
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.auth.tokens import TokenSigner
from synthstudio_libs.errors import (
    AlreadyExists,
    InvalidInput,
    RateLimited,
    Unauthenticated,
)
from synthstudio_libs.storage.util import utcnow

SECRET = "test-secret-of-sufficient-length-0123456789"
PASSWORD = "a long enough password"


@pytest.fixture
def identity(engine) -> IdentityCore:
    return IdentityCore(engine, TokenSigner(SECRET, ttl_seconds=60), refresh_ttl_seconds=3600)


@pytest.fixture
def ana(identity):
    return identity.create_user("Ana@Example.org", PASSWORD, Role.EDITOR)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def test_login_gives_a_token_that_authenticates_as_the_user(identity, ana):
    pair = identity.login("ana@example.org", PASSWORD)
    principal = identity.authenticate(bearer(pair.access_token))
    assert principal.id == f"user:{ana.id}"
    assert principal.name == "ana@example.org"
    assert principal.role is Role.EDITOR
    assert pair.expires_in == 60


def test_passwords_are_stored_hashed(engine, identity, ana):
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM users").scalar_one()
    assert PASSWORD not in stored and stored.startswith("$argon2id$")


def test_user_input_is_validated(identity, ana):
    with pytest.raises(InvalidInput, match="at least 12"):
        identity.create_user("bo@example.org", "short", Role.VIEWER)
    with pytest.raises(InvalidInput, match="e-mail"):
        identity.create_user("not-an-email", PASSWORD, Role.VIEWER)
    with pytest.raises(AlreadyExists):
        identity.create_user("ana@example.org", PASSWORD, Role.VIEWER)


def test_a_wrong_password_and_an_unknown_email_fail_alike(identity, ana):
    for email, password in (("ana@example.org", "wrong password!"), ("x@example.org", PASSWORD)):
        with pytest.raises(Unauthenticated, match="e-mail or password is wrong"):
            identity.login(email, password)


@pytest.fixture
def still_clock(monkeypatch):
    """Sign-in's clock stands still: on a loaded machine a few argon2 checks outlast the first
    1 s delay, after which one more attempt is rightly allowed."""
    now = identity_module.utcnow()
    monkeypatch.setattr(identity_module, "utcnow", lambda: now)


def test_repeated_failures_slow_sign_in_down(identity, ana, still_clock):
    for _ in range(FREE_FAILED_LOGINS):
        with pytest.raises(Unauthenticated):
            identity.login("ana@example.org", "wrong password!")
    with pytest.raises(RateLimited) as throttled:
        identity.login("ana@example.org", PASSWORD)
    assert throttled.value.reason == "LOGIN_THROTTLED"
    assert throttled.value.retry_after_seconds == 1


def test_one_clients_wrong_guesses_do_not_lock_the_owner_out_elsewhere(identity, ana, still_clock):
    for _ in range(FREE_FAILED_LOGINS + 3):
        with pytest.raises((Unauthenticated, RateLimited)):
            identity.login("ana@example.org", "wrong password!", client="203.0.113.9")
    with pytest.raises(RateLimited, match="from here"):
        identity.login("ana@example.org", PASSWORD, client="203.0.113.9")

    assert identity.login("ana@example.org", PASSWORD, client="198.51.100.7").access_token


def test_guesses_from_many_clients_reach_the_accounts_ceiling(identity, ana, still_clock):
    for client in range(FREE_FAILED_LOGINS_PER_ACCOUNT):
        with pytest.raises(Unauthenticated):
            identity.login("ana@example.org", "wrong password!", client=f"203.0.113.{client}")
    with pytest.raises(RateLimited) as throttled:
        identity.login("ana@example.org", PASSWORD, client="198.51.100.7")
    assert "from here" not in str(throttled.value)


def test_a_right_password_forgives_its_clients_failures(identity, ana):
    for _ in range(FREE_FAILED_LOGINS - 1):
        with pytest.raises(Unauthenticated):
            identity.login("ana@example.org", "wrong password!", client="198.51.100.7")
    identity.login("ana@example.org", PASSWORD, client="198.51.100.7")
    for _ in range(FREE_FAILED_LOGINS - 1):
        with pytest.raises(Unauthenticated):
            identity.login("ana@example.org", "wrong password!", client="198.51.100.7")


def test_refresh_rotates_and_reuse_revokes_the_whole_family(identity, ana):
    first = identity.login("ana@example.org", PASSWORD)
    second = identity.refresh(first.refresh_token)
    assert second.refresh_token != first.refresh_token
    third = identity.refresh(second.refresh_token)
    with pytest.raises(Unauthenticated) as reused:
        identity.refresh(first.refresh_token)
    assert reused.value.reason == "REFRESH_TOKEN_REUSED"
    with pytest.raises(Unauthenticated) as revoked:
        identity.refresh(third.refresh_token)
    assert revoked.value.reason == "REFRESH_TOKEN_REVOKED"


def test_refresh_tokens_are_stored_hashed(engine, identity, ana):
    pair = identity.login("ana@example.org", PASSWORD)
    secret = pair.refresh_token.split(".", 1)[1]
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT token_hash FROM refresh_tokens").scalar_one()
    assert secret not in stored


def test_logout_revokes_the_family(identity, ana):
    pair = identity.login("ana@example.org", PASSWORD)
    identity.logout(pair.refresh_token)
    with pytest.raises(Unauthenticated):
        identity.refresh(pair.refresh_token)


def test_a_forged_refresh_token_is_refused(identity, ana):
    pair = identity.login("ana@example.org", PASSWORD)
    token_id = pair.refresh_token.split(".", 1)[0]
    with pytest.raises(Unauthenticated, match="not valid"):
        identity.refresh(f"{token_id}.guessed-secret")


def test_an_expired_access_token_is_refused(engine, ana):
    short = IdentityCore(engine, TokenSigner(SECRET, ttl_seconds=1), refresh_ttl_seconds=60)
    pair = short.login("ana@example.org", PASSWORD)
    time.sleep(2.1)
    with pytest.raises(Unauthenticated) as expired:
        short.authenticate(bearer(pair.access_token))
    assert expired.value.reason == "TOKEN_EXPIRED"


def test_a_token_verified_once_is_still_refused_once_it_expires(engine, ana):
    short = IdentityCore(engine, TokenSigner(SECRET, ttl_seconds=1), refresh_ttl_seconds=60)
    pair = short.login("ana@example.org", PASSWORD)
    assert short.authenticate(bearer(pair.access_token)).id.startswith("user:")
    time.sleep(2.1)
    with pytest.raises(Unauthenticated) as expired:
        short.authenticate(bearer(pair.access_token))
    assert expired.value.reason == "TOKEN_EXPIRED"


def test_a_token_altered_after_a_valid_one_was_verified_is_refused(identity, ana):
    token = identity.login("ana@example.org", PASSWORD).access_token
    identity.authenticate(bearer(token))
    header, claims, signature = token.split(".")
    altered = f"{header}.{claims}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    with pytest.raises(Unauthenticated) as refused:
        identity.authenticate(bearer(altered))
    assert refused.value.reason == "TOKEN_INVALID"


def test_a_token_signed_with_another_key_is_refused(identity, engine, ana):
    other = IdentityCore(engine, TokenSigner("another-secret-key-0123456789abcdef", 60), 60)
    forged = other.login("ana@example.org", PASSWORD).access_token
    with pytest.raises(Unauthenticated) as refused:
        identity.authenticate(bearer(forged))
    assert refused.value.reason == "TOKEN_INVALID"


def test_an_unsigned_alg_none_token_is_refused(identity, ana):
    now = utcnow()
    claims = {
        "iss": "synthstudio",
        "sub": f"user:{ana.id}",
        "role": "ADMIN",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    with pytest.raises(Unauthenticated, match="not valid"):
        identity.authenticate(bearer(unsigned))


def test_missing_or_malformed_credentials_are_refused(identity):
    with pytest.raises(Unauthenticated) as missing:
        identity.authenticate("")
    assert missing.value.reason == "CREDENTIALS_MISSING"
    with pytest.raises(Unauthenticated) as malformed:
        identity.authenticate("Basic dXNlcjpwYXNz")
    assert malformed.value.reason == "CREDENTIALS_MALFORMED"


def test_api_keys_authenticate_until_revoked_and_are_stored_hashed(engine, identity, ana):
    key, secret = identity.create_api_key("nightly export", Role.VIEWER, creator="user:admin")
    principal = identity.authenticate(bearer(secret))
    assert principal.id == f"key:{key.id}" and principal.role is Role.VIEWER
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT key_hash FROM api_keys").scalar_one()
    assert secret not in stored
    listed, _token = identity.list_api_keys()
    assert [k.id for k in listed] == [key.id]
    identity.revoke_api_key(key.id)
    with pytest.raises(Unauthenticated) as revoked:
        identity.authenticate(bearer(secret))
    assert revoked.value.reason == "API_KEY_REVOKED"


def test_a_guessed_api_key_is_refused(identity):
    key, secret = identity.create_api_key("ci", Role.EDITOR, creator="user:admin")
    with pytest.raises(Unauthenticated, match="API key is not valid"):
        identity.authenticate(bearer(secret[:-4] + "abcd"))


def test_the_first_administrator_is_created_once(identity):
    created = identity.ensure_admin("root@example.org", "")
    assert created is not None
    user, password = created
    assert user.role is Role.ADMIN and len(password) >= 16
    identity.login("root@example.org", password)
    assert identity.ensure_admin("other@example.org", "") is None


def _race(calls: int, call):
    """Runs `call()` from `calls` threads released together; returns results and errors."""
    barrier = threading.Barrier(calls)

    def attempt(_):
        barrier.wait()
        try:
            return call()
        except (Unauthenticated, RateLimited) as error:
            return error

    with ThreadPoolExecutor(calls) as pool:
        return list(pool.map(attempt, range(calls)))


def test_concurrent_wrong_passwords_get_only_the_free_checks(identity, ana, still_clock):
    outcomes = _race(40, lambda: identity.login("ana@example.org", "wrong password!"))
    checked = [o for o in outcomes if isinstance(o, Unauthenticated)]
    throttled = [o for o in outcomes if isinstance(o, RateLimited)]
    assert len(checked) == FREE_FAILED_LOGINS
    assert len(throttled) == 40 - FREE_FAILED_LOGINS


@pytest.fixture
def strict(engine) -> IdentityCore:
    """Checks that a token's sign-in is live on every call (no remembered answer)."""
    signer = TokenSigner(SECRET, ttl_seconds=60)
    return IdentityCore(engine, signer, refresh_ttl_seconds=3600, revocation_check_seconds=0)


def test_a_refresh_racing_another_never_leaves_a_live_token(strict, ana):
    for _trial in range(10):
        pair = strict.login("ana@example.org", PASSWORD)
        outcomes = _race(2, lambda: strict.refresh(pair.refresh_token))  # noqa: B023
        issued = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [o for o in outcomes if isinstance(o, Unauthenticated)]
        assert len(issued) == 1 and [e.reason for e in refused] == ["REFRESH_TOKEN_REUSED"]
        with pytest.raises(Unauthenticated):
            strict.refresh(issued[0].refresh_token)
        with pytest.raises(Unauthenticated) as ended:
            strict.authenticate(bearer(issued[0].access_token))
        assert ended.value.reason == "SESSION_ENDED"


def test_logout_ends_the_access_tokens_of_that_sign_in_only(strict, ana):
    kept = strict.login("ana@example.org", PASSWORD)
    ended = strict.login("ana@example.org", PASSWORD)
    assert strict.authenticate(bearer(ended.access_token)).id == f"user:{ana.id}"
    strict.logout(ended.refresh_token)
    with pytest.raises(Unauthenticated) as refused:
        strict.authenticate(bearer(ended.access_token))
    assert refused.value.reason == "SESSION_ENDED"
    assert strict.authenticate(bearer(kept.access_token)).id == f"user:{ana.id}"


def test_a_token_of_an_unknown_user_is_refused(strict):
    signer = TokenSigner(SECRET, ttl_seconds=60)
    ghost = signer.issue(Principal(id="user:usr_gone", name="gone@example.org", role=Role.ADMIN))
    with pytest.raises(Unauthenticated) as refused:
        strict.authenticate(bearer(ghost))
    assert refused.value.reason == "USER_UNKNOWN"


def test_a_revoked_sign_in_is_remembered_no_longer_than_the_check_interval(engine, ana):
    signer = TokenSigner(SECRET, ttl_seconds=60)
    # Two processes: one serves the logout, the other remembers the token as live.
    serving = IdentityCore(engine, signer, 3600, revocation_check_seconds=0.5)
    other = IdentityCore(engine, TokenSigner(SECRET, 60), 3600, revocation_check_seconds=0.5)
    pair = serving.login("ana@example.org", PASSWORD)
    other.authenticate(bearer(pair.access_token))
    serving.logout(pair.refresh_token)
    time.sleep(0.6)
    with pytest.raises(Unauthenticated):
        other.authenticate(bearer(pair.access_token))


def test_sign_in_input_is_bounded(identity, ana):
    with pytest.raises(InvalidInput) as long_email:
        identity.login("a" * 400 + "@example.org", PASSWORD)
    assert long_email.value.reason == "EMAIL_TOO_LONG"
    with pytest.raises(InvalidInput) as long_password:
        identity.login("ana@example.org", "x" * (MAX_PASSWORD_LENGTH + 1))
    assert long_password.value.reason == "PASSWORD_TOO_LONG"
    with pytest.raises(InvalidInput):
        identity.create_user("bo@example.org", "y" * (MAX_PASSWORD_LENGTH + 1), Role.VIEWER)


def test_an_api_key_acts_for_the_user_who_made_it(identity, ana):
    key, _secret = identity.create_api_key("ci", Role.EDITOR, creator=f"user:{ana.id}")
    child, _ = identity.create_api_key("child", Role.VIEWER, creator=f"key:{key.id}")
    assert identity.owner_of(f"key:{child.id}") == f"user:{ana.id}"
    assert identity.owner_of(f"user:{ana.id}") == f"user:{ana.id}"
