"""Users, sign-in with rotating refresh tokens, API keys, and turning credentials into a
principal."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa

from synthstudio_libs.auth.clients import ClientVouching
from synthstudio_libs.auth.passwords import hash_password, verify_password
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.auth.projects import DEFAULT_PROJECT, add_membership, find_project
from synthstudio_libs.auth.tables import api_keys, login_failures, refresh_tokens, users
from synthstudio_libs.auth.tokens import TokenSigner
from synthstudio_libs.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from synthstudio_libs.storage.database import locked_transaction, read_connection
from synthstudio_libs.storage.util import (
    as_utc,
    new_id,
    read_page,
    utcnow,
)

API_KEY_PREFIX = "ssk_"
MIN_PASSWORD_LENGTH = 12
# Longer passwords are refused rather than hashed: argon2 reads every byte it is given.
MAX_PASSWORD_LENGTH = 1024
# RFC 5321's limit on a forward path; no real address is longer.
MAX_EMAIL_LENGTH = 320
# Failed sign-ins one client may make for an account before each further attempt of that
# client must wait, doubling up to the cap. Other clients (the owner elsewhere) are unaffected
# until the account's failures from all clients reach the higher ceiling, which bounds a
# guesser with many addresses without letting one client lock anybody out.
FREE_FAILED_LOGINS = 5
FREE_FAILED_LOGINS_PER_ACCOUNT = 50
MAX_LOGIN_DELAY_SECONDS = 900
# A client's failures for an account are forgotten a day after its last one.
_FORGET_FAILURES_AFTER = timedelta(days=1)
_MAX_CLIENT_LENGTH = 255
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# How long a check that an access token's user, session or API key is still live is trusted:
# logging out (in any process) ends the sign-in's access tokens within this time.
DEFAULT_REVOCATION_CHECK_SECONDS = 2.0
_LIVENESS_CAPACITY = 10_000


@dataclass(frozen=True)
class User:
    id: str
    email: str
    role: Role
    create_time: datetime
    disabled: bool = False


@dataclass(frozen=True)
class ApiKeyRecord:
    id: str
    name: str
    role: Role
    prefix: str
    creator: str
    create_time: datetime
    revoke_time: datetime | None


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: sa.Row) -> User:
    return User(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        create_time=cast(datetime, as_utc(row.create_time)),
        disabled=bool(row.disabled),
    )


def _api_key(row: sa.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        prefix=row.prefix,
        creator=row.creator,
        create_time=as_utc(row.create_time),
        revoke_time=as_utc(row.revoke_time),
    )


def _principal_of(user: User) -> Principal:
    return Principal(id=f"user:{user.id}", name=user.email, role=user.role)


def _normalized_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise InvalidInput(
            f"email must have at most {MAX_EMAIL_LENGTH} characters",
            field="email",
            reason="EMAIL_TOO_LONG",
            metadata={"max_length": str(MAX_EMAIL_LENGTH)},
        )
    return email


def _check_password_length(password: str) -> None:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(
            f"password must have at most {MAX_PASSWORD_LENGTH} characters",
            field="password",
            reason="PASSWORD_TOO_LONG",
            metadata={"max_length": str(MAX_PASSWORD_LENGTH)},
        )


def _lock_after(failures: int, free: int) -> datetime | None:
    """When a sign-in after `failures` counted failures, `free` of them without delay, may be
    tried again (None: at once)."""
    if failures < free:
        return None
    delay = min(2 ** (failures - free), MAX_LOGIN_DELAY_SECONDS)
    return utcnow() + timedelta(seconds=delay)


def _client_failures(user_id: str, client: str):
    return (login_failures.c.user_id == user_id) & (login_failures.c.client == client)


def _refuse_while_locked(email: str, locked_until: datetime | None, whose: str) -> None:
    now, until = utcnow(), as_utc(locked_until)
    if until is None or until <= now:
        return
    wait = (until - now).total_seconds()
    raise RateLimited(
        f"too many failed sign-ins for {email}{whose}: try again in {wait:.0f} s",
        reason="LOGIN_THROTTLED",
        retry_after_seconds=wait,
        metadata={"email": email},
    )


def _client_key(client: str) -> str:
    """The client as stored: a digest when longer than the column holds."""
    if len(client) <= _MAX_CLIENT_LENGTH:
        return client
    return "sha256:" + hashlib.sha256(client.encode()).hexdigest()


def parse_role(value: str, field: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(
            f"{field} must be one of {', '.join(r.value for r in Role)}",
            field=field,
            metadata={field: value},
        ) from None


class IdentityCore:
    """Everything about who a caller is. Secrets (passwords, refresh tokens, API keys) are
    stored only as hashes."""

    def __init__(
        self,
        engine: sa.Engine,
        signer: TokenSigner,
        refresh_ttl_seconds: int,
        revocation_check_seconds: float = DEFAULT_REVOCATION_CHECK_SECONDS,
    ) -> None:
        self._engine = engine
        self._signer = signer
        # Names the client of a sign-in (the gateway vouches for the address it saw).
        self.clients = ClientVouching(signer.secret)
        self._refresh_ttl = refresh_ttl_seconds
        self._revocation_check = revocation_check_seconds
        # (principal id, session) -> (why its tokens are refused, "" if live; until when).
        self._liveness: dict[tuple[str, str, str], tuple[str, float]] = {}

    # Users

    def create_user(
        self, email: str, password: str, role: Role, project: str = DEFAULT_PROJECT
    ) -> User:
        """A new user, member of `project` (id or name; the default project when empty) with
        `role` there."""
        email = _normalized_email(email)
        _check_password_length(password)
        if not _EMAIL.match(email):
            raise InvalidInput("email must be an e-mail address", field="email")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                f"password must have at least {MIN_PASSWORD_LENGTH} characters",
                field="password",
                reason="PASSWORD_TOO_SHORT",
            )
        values = {
            "id": new_id("usr"),
            "email": email,
            "password_hash": hash_password(password),
            "role": role.value,
            "failed_logins": 0,
            "create_time": utcnow(),
        }
        try:
            with self._engine.begin() as connection:
                connection.execute(users.insert().values(**values))
                joined = find_project(connection, project or DEFAULT_PROJECT)
                add_membership(connection, joined.id, values["id"], role)
        except sa.exc.IntegrityError:
            raise AlreadyExists(
                f"a user with e-mail {email} exists already",
                reason="USER_EXISTS",
                metadata={"email": email},
            ) from None
        return self.get_user(values["id"])

    def get_user(self, user_id: str) -> User:
        """The user with id, or e-mail, `user_id`."""
        reference = user_id.strip()
        with self._engine.connect() as connection:
            row = connection.execute(
                users.select().where(
                    sa.or_(users.c.id == reference, users.c.email == reference.lower())
                )
            ).first()
        if row is None:
            raise NotFound(
                f"user '{reference}' does not exist",
                reason="USER_NOT_FOUND",
                metadata={"user_id": reference},
            )
        return _user(row)

    def update_user(
        self, user_id: str, *, role: Role | None = None, disabled: bool | None = None
    ) -> User:
        """Changes a user's role and whether they are disabled. Either change ends the user's
        current tokens and API keys' access within the revocation check's few seconds in every
        process, and at once in this one."""
        user = self.get_user(user_id)
        changes: dict[str, object] = {}
        if role is not None:
            changes["role"] = role.value
        if disabled is not None:
            changes["disabled"] = disabled
        if not changes:
            raise InvalidInput(
                "say what to change: a role, or disabled true or false",
                field="role",
                reason="NOTHING_TO_UPDATE",
            )
        with self._engine.begin() as connection:
            connection.execute(users.update().where(users.c.id == user.id).values(**changes))
        self._liveness.clear()
        return self.get_user(user.id)

    def list_users(self, size: int = 0, token: str = "") -> tuple[list[User], str]:
        query = users.select().order_by(users.c.create_time, users.c.id)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_user(r) for r in rows], next_token

    def ensure_admin(self, email: str, password: str) -> tuple[User, str] | None:
        """Creates the first administrator when there is no user yet; returns it with the
        password it got (generated when none is given), or None when users exist."""
        with self._engine.connect() as connection:
            if connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
                return None
        password = password or secrets.token_urlsafe(18)
        return self.create_user(email, password, Role.ADMIN), password

    # Sign-in

    def login(self, email: str, password: str, client: str = "") -> TokenPair:
        """Signs in; `client` is who is calling as the service sees it (a vouched-for client or
        the peer's address), so that wrong guesses slow down their own client."""
        email = _normalized_email(email)
        _check_password_length(password)
        client = _client_key(client)
        row = self._claim_attempt(email, client)
        # An unknown e-mail is checked against a dummy hash all the same: as slow as a known one.
        verified = verify_password(row.password_hash if row else None, password)
        if row is None or not verified:
            raise Unauthenticated(
                "the e-mail or password is wrong",
                reason="BAD_CREDENTIALS",
                metadata={"email": email},
            )
        if row.disabled:
            raise Unauthenticated(
                _REVOKED_MESSAGES["USER_DISABLED"],
                reason="USER_DISABLED",
                metadata={"email": email},
            )
        with self._engine.begin() as connection:
            connection.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(failed_logins=0, locked_until=None)
            )
            connection.execute(
                login_failures.delete().where(
                    login_failures.c.user_id == row.id, login_failures.c.client == client
                )
            )
            return self._issue_pair(connection, _user(row), family_id=new_id("fam"))

    def _claim_attempt(self, email: str, client: str) -> sa.Row | None:
        """The user signing in (None when unknown), after counting this attempt as a failure
        of this client and of the account under the user row's write lock; a right password
        forgives it. Counting before the slow password check is what keeps concurrent wrong
        guesses to FREE_FAILED_LOGINS checks."""
        with locked_transaction(self._engine) as connection:
            row = connection.execute(
                users.select().where(users.c.email == email).with_for_update()
            ).first()
            if row is None:
                return None
            mine = _client_failures(row.id, client)
            counted = connection.execute(login_failures.select().where(mine)).first()
            _refuse_while_locked(email, counted.locked_until if counted else None, " from here")
            _refuse_while_locked(email, row.locked_until, "")
            self._count_failure(connection, row, client, counted)
        return row

    @staticmethod
    def _count_failure(
        connection: sa.Connection, user: sa.Row, client: str, counted: sa.Row | None
    ) -> None:
        now = utcnow()
        failures = (counted.failures if counted else 0) + 1
        values = {
            "failures": failures,
            "locked_until": _lock_after(failures, FREE_FAILED_LOGINS),
            "update_time": now,
        }
        if counted is None:
            connection.execute(
                login_failures.insert().values(user_id=user.id, client=client, **values)
            )
        else:
            connection.execute(
                login_failures.update().where(_client_failures(user.id, client)).values(**values)
            )
        connection.execute(
            users.update()
            .where(users.c.id == user.id)
            .values(
                failed_logins=user.failed_logins + 1,
                locked_until=_lock_after(user.failed_logins + 1, FREE_FAILED_LOGINS_PER_ACCOUNT),
            )
        )
        connection.execute(
            login_failures.delete().where(
                login_failures.c.user_id == user.id,
                login_failures.c.update_time < now - _FORGET_FAILURES_AFTER,
            )
        )

    def _issue_pair(self, connection: sa.Connection, user: User, family_id: str) -> TokenPair:
        """A new access and refresh token of sign-in `family_id`, written in the caller's
        transaction."""
        token_id, secret = new_id("rt"), secrets.token_urlsafe(32)
        now = utcnow()
        connection.execute(
            refresh_tokens.insert().values(
                id=token_id,
                family_id=family_id,
                user_id=user.id,
                token_hash=_digest(secret),
                expire_time=now + timedelta(seconds=self._refresh_ttl),
                create_time=now,
            )
        )
        return TokenPair(
            access_token=self._signer.issue(_principal_of(user), session=family_id),
            expires_in=self._signer.ttl_seconds,
            refresh_token=f"{token_id}.{secret}",
            refresh_expires_in=self._refresh_ttl,
        )

    def refresh(self, refresh_token: str) -> TokenPair:
        """Rotates a refresh token. A token used twice means it leaked: the whole family of
        that sign-in is revoked, so neither the thief nor the owner can go on with it. The
        check, the claim and the new token are one transaction under the token's row lock,
        so a racing second use always sees the new token and revokes it too."""
        token_id, _, secret = refresh_token.partition(".")
        now = utcnow()
        with locked_transaction(self._engine) as connection:
            row = connection.execute(
                refresh_tokens.select().where(refresh_tokens.c.id == token_id).with_for_update()
            ).first()
            _check_refresh_secret(row, secret)
            if row.revoke_time is not None or as_utc(row.expire_time) <= now:
                raise Unauthenticated(
                    "the refresh token is expired or revoked: sign in again",
                    reason="REFRESH_TOKEN_REVOKED",
                )
            reused = row.use_time is not None
            if reused:
                self._revoke_family(connection, row.family_id)
            else:
                user_row = connection.execute(
                    users.select().where(users.c.id == row.user_id)
                ).first()
                if user_row is None:
                    raise Unauthenticated(
                        "the user of this refresh token no longer exists",
                        reason="USER_UNKNOWN",
                    )
                if user_row.disabled:
                    raise Unauthenticated(
                        _REVOKED_MESSAGES["USER_DISABLED"], reason="USER_DISABLED"
                    )
                connection.execute(
                    refresh_tokens.update()
                    .where(refresh_tokens.c.id == row.id)
                    .values(use_time=now)
                )
                pair = self._issue_pair(connection, _user(user_row), family_id=row.family_id)
        if reused:
            raise Unauthenticated(
                "this refresh token was already used: every token of this sign-in is now "
                "revoked; sign in again",
                reason="REFRESH_TOKEN_REUSED",
            )
        return pair

    def logout(self, refresh_token: str) -> None:
        token_id, _, secret = refresh_token.partition(".")
        with self._engine.begin() as connection:
            row = connection.execute(
                refresh_tokens.select().where(refresh_tokens.c.id == token_id)
            ).first()
            _check_refresh_secret(row, secret)
            self._revoke_family(connection, row.family_id)

    def _revoke_family(self, connection: sa.Connection, family_id: str) -> None:
        connection.execute(
            refresh_tokens.update()
            .where(refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoke_time.is_(None))
            .values(revoke_time=utcnow())
        )
        self._liveness.clear()

    # API keys

    def create_api_key(self, name: str, role: Role, creator: str) -> tuple[ApiKeyRecord, str]:
        if not name.strip():
            raise InvalidInput("name must say what the key is for", field="name")
        prefix = secrets.token_hex(4)
        secret = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        values = {
            "id": new_id("key"),
            "name": name.strip(),
            "prefix": prefix,
            "key_hash": _digest(secret),
            "role": role.value,
            "creator": creator,
            "create_time": utcnow(),
        }
        with self._engine.begin() as connection:
            connection.execute(api_keys.insert().values(**values))
        return self._get_api_key(values["id"]), secret

    def _get_api_key(self, key_id: str) -> ApiKeyRecord:
        with self._engine.connect() as connection:
            row = connection.execute(api_keys.select().where(api_keys.c.id == key_id)).first()
        if row is None:
            raise NotFound(f"API key '{key_id}' does not exist", metadata={"key_id": key_id})
        return _api_key(row)

    def list_api_keys(self, size: int = 0, token: str = "") -> tuple[list[ApiKeyRecord], str]:
        query = api_keys.select().order_by(api_keys.c.create_time.desc(), api_keys.c.id)
        with self._engine.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_api_key(r) for r in rows], next_token

    def revoke_api_key(self, key_id: str) -> ApiKeyRecord:
        key = self._get_api_key(key_id)
        if key.revoke_time is not None:
            raise FailedPrecondition(
                f"API key '{key_id}' is already revoked",
                reason="API_KEY_REVOKED",
                metadata={"key_id": key_id},
            )
        with self._engine.begin() as connection:
            connection.execute(
                api_keys.update().where(api_keys.c.id == key_id).values(revoke_time=utcnow())
            )
        self._liveness.clear()
        return self._get_api_key(key_id)

    def delegate(self, principal: Principal) -> str:
        """A fresh `authorization` value for `principal`, for work a service does on its
        behalf after the call that asked for it has returned (a job calling other services)."""
        return f"Bearer {self._signer.issue(principal)}"

    # Credentials -> principal

    def authenticate(self, authorization: str) -> Principal:
        """The principal an `authorization` value (`Bearer <token or API key>`) stands for."""
        scheme, _, credential = authorization.strip().partition(" ")
        if not authorization.strip():
            raise Unauthenticated(
                "credentials are missing: send `authorization: Bearer <token>` (sign in at "
                "/v1/auth/login) or an API key",
                reason="CREDENTIALS_MISSING",
            )
        if scheme.lower() != "bearer" or not credential.strip():
            raise Unauthenticated(
                "the authorization value must be `Bearer <token or API key>`",
                reason="CREDENTIALS_MALFORMED",
            )
        credential = credential.strip()
        if credential.startswith(API_KEY_PREFIX):
            return self._authenticate_api_key(credential)
        principal, session = self._signer.verify(credential)
        self._check_live(principal, session)
        return principal

    def _check_live(self, principal: Principal, session: str) -> None:
        """Refuses a well-signed token whose user no longer exists, whose sign-in was ended
        (logout, refresh-token reuse) or whose API key was revoked; each answer is trusted for
        a short while, so this costs a read per principal every few seconds, not per call."""
        now = time.monotonic()
        key = (principal.id, session, principal.role.value)
        remembered = self._liveness.get(key)
        if remembered is not None and now < remembered[1]:
            reason = remembered[0]
        else:
            reason = self._revocation_reason(principal, session)
            if len(self._liveness) >= _LIVENESS_CAPACITY:
                self._liveness.clear()
            self._liveness[key] = (reason, now + self._revocation_check)
        if reason:
            raise Unauthenticated(_REVOKED_MESSAGES[reason], reason=reason)

    def _revocation_reason(self, principal: Principal, session: str) -> str:
        kind, _, own_id = principal.id.partition(":")
        with read_connection(self._engine) as connection:
            if kind == "key":
                key = connection.execute(
                    sa.select(api_keys.c.revoke_time).where(api_keys.c.id == own_id)
                ).first()
                if key is None or key.revoke_time:
                    return "API_KEY_REVOKED"
        if kind == "key":
            return self._owner_reason(self.owner_of(principal.id))
        if kind == "service" and not session:  # a service's own reads (minted by `delegate`)
            return ""
        if kind != "user":
            return "TOKEN_INVALID"
        with read_connection(self._engine) as connection:
            user = connection.execute(
                sa.select(users.c.role, users.c.disabled).where(users.c.id == own_id)
            ).first()
        if user is None:
            return "USER_UNKNOWN"
        if user.disabled:
            return "USER_DISABLED"
        if user.role != principal.role.value:
            return "ROLE_CHANGED"
        if not session:
            return ""
        with read_connection(self._engine) as connection:
            ended = connection.execute(
                sa.select(refresh_tokens.c.id)
                .where(
                    refresh_tokens.c.family_id == session,
                    refresh_tokens.c.revoke_time.is_not(None),
                )
                .limit(1)
            ).first()
        return "SESSION_ENDED" if ended is not None else ""

    def _owner_reason(self, owner: str) -> str:
        """Why an API key whose chain of creators ends at `owner` is refused ("" if live)."""
        if not owner.startswith("user:"):
            return ""
        with read_connection(self._engine) as connection:
            disabled = connection.execute(
                sa.select(users.c.disabled).where(users.c.id == owner.removeprefix("user:"))
            ).scalar_one_or_none()
        return "USER_DISABLED" if disabled else ""

    def owner_of(self, principal_id: str) -> str:
        """The user a principal acts for: a user itself, an API key its creator's owner (a
        key acts for whoever made it in every check of who did what, e.g. four-eyes review)."""
        seen: set[str] = set()
        while principal_id.startswith("key:") and principal_id not in seen:
            seen.add(principal_id)
            with read_connection(self._engine) as connection:
                creator = connection.execute(
                    sa.select(api_keys.c.creator).where(
                        api_keys.c.id == principal_id.removeprefix("key:")
                    )
                ).scalar_one_or_none()
            if creator is None:
                break
            principal_id = creator
        return principal_id

    def _authenticate_api_key(self, secret: str) -> Principal:
        prefix = secret.removeprefix(API_KEY_PREFIX).split("_", 1)[0]
        with self._engine.connect() as connection:
            row = connection.execute(api_keys.select().where(api_keys.c.prefix == prefix)).first()
        if row is None or not hmac.compare_digest(row.key_hash, _digest(secret)):
            raise Unauthenticated("the API key is not valid", reason="API_KEY_INVALID")
        if row.revoke_time is not None:
            raise Unauthenticated(
                "the API key was revoked: ask an administrator for a new one",
                reason="API_KEY_REVOKED",
            )
        principal = Principal(id=f"key:{row.id}", name=row.name, role=Role(row.role))
        self._check_live(principal, "")
        return principal


_REVOKED_MESSAGES = {
    "API_KEY_REVOKED": "the API key was revoked: ask an administrator for a new one",
    "USER_UNKNOWN": "the user of this token no longer exists",
    "SESSION_ENDED": "this sign-in has ended (logged out, or its refresh token was reused): "
    "sign in again",
    "TOKEN_INVALID": "the access token names no known kind of principal: sign in again",
    "USER_DISABLED": "this user is disabled: ask an administrator",
    "ROLE_CHANGED": "your role was changed: sign in again",
}


def _check_refresh_secret(row: sa.Row | None, secret: str) -> None:
    if row is None or not hmac.compare_digest(row.token_hash, _digest(secret)):
        raise Unauthenticated(
            "the refresh token is not valid: sign in again", reason="REFRESH_TOKEN_INVALID"
        )
