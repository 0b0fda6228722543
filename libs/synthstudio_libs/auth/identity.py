"""Users, sign-in with rotating refresh tokens, API keys, and turning credentials into a
principal."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from synthstudio_libs.auth.passwords import hash_password, verify_password
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.auth.tables import api_keys, refresh_tokens, users
from synthstudio_libs.auth.tokens import TokenSigner
from synthstudio_libs.errors import (
    AlreadyExists,
    FailedPrecondition,
    InvalidInput,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from synthstudio_libs.storage.util import (
    as_utc,
    decode_page_token,
    new_id,
    next_page_token,
    page_size,
    utcnow,
)

API_KEY_PREFIX = "ssk_"
MIN_PASSWORD_LENGTH = 12
# Failed sign-ins allowed before each further attempt must wait, doubling up to the cap.
FREE_FAILED_LOGINS = 5
MAX_LOGIN_DELAY_SECONDS = 900
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class User:
    id: str
    email: str
    role: Role
    create_time: datetime


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
        id=row.id, email=row.email, role=Role(row.role), create_time=as_utc(row.create_time)
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

    def __init__(self, engine: sa.Engine, signer: TokenSigner, refresh_ttl_seconds: int) -> None:
        self._engine = engine
        self._signer = signer
        self._refresh_ttl = refresh_ttl_seconds

    # Users

    def create_user(self, email: str, password: str, role: Role) -> User:
        email = email.strip().lower()
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
        except sa.exc.IntegrityError:
            raise AlreadyExists(
                f"a user with e-mail {email} exists already",
                reason="USER_EXISTS",
                metadata={"email": email},
            ) from None
        return self.get_user(values["id"])

    def get_user(self, user_id: str) -> User:
        with self._engine.connect() as connection:
            row = connection.execute(users.select().where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"user '{user_id}' does not exist", metadata={"user_id": user_id})
        return _user(row)

    def list_users(self, size: int = 0, token: str = "") -> tuple[list[User], str]:
        limit, offset = page_size(size), decode_page_token(token)
        query = users.select().order_by(users.c.create_time, users.c.id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        return [_user(r) for r in rows[:limit]], next_page_token(offset, limit, len(rows))

    def ensure_admin(self, email: str, password: str) -> tuple[User, str] | None:
        """Creates the first administrator when there is no user yet; returns it with the
        password it got (generated when none is given), or None when users exist."""
        with self._engine.connect() as connection:
            if connection.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
                return None
        password = password or secrets.token_urlsafe(18)
        return self.create_user(email, password, Role.ADMIN), password

    # Sign-in

    def login(self, email: str, password: str) -> TokenPair:
        email = email.strip().lower()
        with self._engine.connect() as connection:
            row = connection.execute(users.select().where(users.c.email == email)).first()
        now = utcnow()
        if row is not None and row.locked_until is not None and as_utc(row.locked_until) > now:
            wait = (as_utc(row.locked_until) - now).total_seconds()
            raise RateLimited(
                f"too many failed sign-ins for {email}: try again in {wait:.0f} s",
                reason="LOGIN_THROTTLED",
                retry_after_seconds=wait,
                metadata={"email": email},
            )
        if not verify_password(row.password_hash if row else None, password):
            if row is not None:
                self._record_failure(row)
            raise Unauthenticated(
                "the e-mail or password is wrong",
                reason="BAD_CREDENTIALS",
                metadata={"email": email},
            )
        with self._engine.begin() as connection:
            connection.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(failed_logins=0, locked_until=None)
            )
        return self._issue_pair(_user(row), family_id=new_id("fam"))

    def _record_failure(self, row: sa.Row) -> None:
        failures = row.failed_logins + 1
        locked_until = None
        if failures >= FREE_FAILED_LOGINS:
            delay = min(2 ** (failures - FREE_FAILED_LOGINS), MAX_LOGIN_DELAY_SECONDS)
            locked_until = utcnow() + timedelta(seconds=delay)
        with self._engine.begin() as connection:
            connection.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(failed_logins=failures, locked_until=locked_until)
            )

    def _issue_pair(self, user: User, family_id: str) -> TokenPair:
        token_id, secret = new_id("rt"), secrets.token_urlsafe(32)
        now = utcnow()
        with self._engine.begin() as connection:
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
            access_token=self._signer.issue(_principal_of(user)),
            expires_in=self._signer.ttl_seconds,
            refresh_token=f"{token_id}.{secret}",
            refresh_expires_in=self._refresh_ttl,
        )

    def refresh(self, refresh_token: str) -> TokenPair:
        """Rotates a refresh token. A token used twice means it leaked: the whole family of
        that sign-in is revoked, so neither the thief nor the owner can go on with it."""
        row = self._find_refresh_token(refresh_token)
        now = utcnow()
        if row.revoke_time is not None or as_utc(row.expire_time) <= now:
            raise Unauthenticated(
                "the refresh token is expired or revoked: sign in again",
                reason="REFRESH_TOKEN_REVOKED",
            )
        with self._engine.begin() as connection:
            claimed = connection.execute(
                refresh_tokens.update()
                .where(refresh_tokens.c.id == row.id, refresh_tokens.c.use_time.is_(None))
                .values(use_time=now)
            ).rowcount
        if claimed != 1:
            self._revoke_family(row.family_id)
            raise Unauthenticated(
                "this refresh token was already used: every token of this sign-in is now "
                "revoked; sign in again",
                reason="REFRESH_TOKEN_REUSED",
            )
        return self._issue_pair(self.get_user(row.user_id), family_id=row.family_id)

    def logout(self, refresh_token: str) -> None:
        self._revoke_family(self._find_refresh_token(refresh_token).family_id)

    def _find_refresh_token(self, refresh_token: str) -> sa.Row:
        token_id, _, secret = refresh_token.partition(".")
        with self._engine.connect() as connection:
            row = connection.execute(
                refresh_tokens.select().where(refresh_tokens.c.id == token_id)
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, _digest(secret)):
            raise Unauthenticated(
                "the refresh token is not valid: sign in again", reason="REFRESH_TOKEN_INVALID"
            )
        return row

    def _revoke_family(self, family_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                refresh_tokens.update()
                .where(
                    refresh_tokens.c.family_id == family_id, refresh_tokens.c.revoke_time.is_(None)
                )
                .values(revoke_time=utcnow())
            )

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
        limit, offset = page_size(size), decode_page_token(token)
        query = api_keys.select().order_by(api_keys.c.create_time.desc(), api_keys.c.id)
        with self._engine.connect() as connection:
            rows = connection.execute(query.offset(offset).limit(limit + 1)).all()
        return [_api_key(r) for r in rows[:limit]], next_page_token(offset, limit, len(rows))

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
        return self._signer.verify(credential)

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
        return Principal(id=f"key:{row.id}", name=row.name, role=Role(row.role))
