"""Signed access tokens (JWT, HS256) and the secret every process shares."""

from __future__ import annotations

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path

import jwt

from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.errors import Unauthenticated
from synthstudio_libs.storage.util import utcnow

ISSUER = "synthstudio"
ALGORITHM = "HS256"
# Tokens verified already, remembered until they expire: a client sends the same token on every
# call, and checking its signature and claims again each time cost more than most reads.
_VERIFIED_CAPACITY = 10_000


def load_secret(configured: str, data_dir: Path, filename: str = "jwt-secret") -> str:
    """A secret: the configured one, else one kept in `<data_dir>/<filename>` (created on first
    use, readable by its owner only) so every local process shares it."""
    if configured:
        return configured
    path = data_dir / filename
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class TokenSigner:
    """Issues and verifies access tokens; only HS256 with our secret is accepted (no `none`)."""

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self.secret = secret
        self.ttl_seconds = ttl_seconds
        self._verified: dict[str, tuple[Principal, str, float]] = {}

    def issue(self, principal: Principal, session: str = "") -> str:
        """A token for `principal`; `session` names the sign-in it belongs to (its refresh
        token family), so that ending the sign-in ends the token too."""
        now = utcnow()
        claims = {
            "iss": ISSUER,
            "sub": principal.id,
            "name": principal.name,
            "role": principal.role.value,
            "iat": now,
            "exp": now + timedelta(seconds=self.ttl_seconds),
            "jti": secrets.token_hex(8),
        }
        if session:
            claims["sid"] = session
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def verify(self, token: str) -> tuple[Principal, str]:
        """The principal a token names and the sign-in session it belongs to ("" for tokens
        minted for background work), or the reason the token is refused."""
        remembered = self._verified.get(token)
        if remembered is not None and time.time() < remembered[2]:
            return remembered[0], remembered[1]
        principal, session, expires = self._decode(token)
        if len(self._verified) >= _VERIFIED_CAPACITY:
            self._verified.clear()
        self._verified[token] = (principal, session, expires)
        return principal, session

    def _decode(self, token: str) -> tuple[Principal, str, float]:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "role", "iss"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated(
                "the access token has expired: refresh it, or sign in again",
                reason="TOKEN_EXPIRED",
            ) from None
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(
                f"the access token is not valid ({exc}): sign in again",
                reason="TOKEN_INVALID",
            ) from None
        try:
            role = Role(claims["role"])
        except ValueError:
            raise Unauthenticated(
                "the access token names no known role", reason="TOKEN_INVALID"
            ) from None
        principal = Principal(id=claims["sub"], name=claims.get("name", ""), role=role)
        return principal, str(claims.get("sid", "")), float(claims["exp"])
