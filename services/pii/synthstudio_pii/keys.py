"""The server secret behind salted hashes, pseudonyms and encryption, and the Keyring from it."""

from __future__ import annotations

from pathlib import Path

from synthstudio_libs.auth.tokens import load_secret
from synthstudio_pii.anonymize import Keyring

SECRET_FILE = "pii-secret"


def load_keyring(configured: str, data_dir: Path) -> Keyring:
    """The Keyring derived from the PII secret (at least 16 bytes). Losing the secret makes
    earlier encryptions undecryptable and changes every pseudonym and hash: back it up with
    the data."""
    secret = load_secret(configured, data_dir, SECRET_FILE).encode()
    if len(secret) < 16:
        raise ValueError(
            "SYNTHSTUDIO_PII_SECRET is too short: use at least 16 characters (32 random ones "
            "are best), or leave it empty to have one generated in the data directory"
        )
    return Keyring.from_secret(secret)
