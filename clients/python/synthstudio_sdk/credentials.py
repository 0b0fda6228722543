"""Stored sign-ins: the tokens `login` gets, kept in `credentials.json` (mode 0600) under the
configuration directory, one entry per deployment, and refreshed when the access token expires.

The directory is `$SYNTHSTUDIO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/synthstudio`, else
`~/.config/synthstudio`. Refresh tokens rotate (each works once), so a refresh holds a lock on
the file and first looks whether another process has refreshed already.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, refreshes may race
    fcntl = None

FILE_NAME = "credentials.json"
# Refresh this long before the access token's expiry, so a call never starts with a token
# that expires in flight.
EXPIRY_MARGIN_SECONDS = 30.0


def config_dir() -> Path:
    """Where the SDK keeps its files."""
    explicit = os.environ.get("SYNTHSTUDIO_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "synthstudio"


@dataclass(frozen=True)
class StoredLogin:
    """One sign-in: its tokens and when they expire (Unix time)."""

    email: str
    access_token: str
    access_expires_at: float
    refresh_token: str
    refresh_expires_at: float

    @classmethod
    def from_pair(cls, email: str, pair, now: float | None = None) -> StoredLogin:
        """From an IdentityService TokenPair."""
        now = time.time() if now is None else now
        return cls(
            email=email,
            access_token=pair.access_token,
            access_expires_at=now + pair.expires_in,
            refresh_token=pair.refresh_token,
            refresh_expires_at=now + pair.refresh_expires_in,
        )

    def access_valid(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self.access_expires_at - EXPIRY_MARGIN_SECONDS > now

    def refresh_valid(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return self.refresh_expires_at > now


class CredentialStore:
    """The credentials file: read, write (atomically, 0600), remove, and lock for a refresh."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or config_dir()
        self.path = self.directory / FILE_NAME

    def _read_all(self) -> dict:
        try:
            document = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # unreadable or corrupt: treated as signed out; `login` rewrites it
        return document.get("servers", {}) if isinstance(document, dict) else {}

    def _write_all(self, servers: dict) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = self.path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump({"version": 1, "servers": servers}, handle, indent=2, sort_keys=True)
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)

    def load(self, key: str) -> StoredLogin | None:
        entry = self._read_all().get(key)
        if not isinstance(entry, dict):
            return None
        try:
            return StoredLogin(**entry)
        except TypeError:
            return None

    def save(self, key: str, login: StoredLogin) -> None:
        servers = self._read_all()
        servers[key] = asdict(login)
        self._write_all(servers)

    def remove(self, key: str) -> bool:
        servers = self._read_all()
        if servers.pop(key, None) is None:
            return False
        self._write_all(servers)
        return True

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Holds an exclusive lock between processes (a refresh must happen once)."""
        if fcntl is None:
            yield
            return
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(self.directory / ".credentials.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)
