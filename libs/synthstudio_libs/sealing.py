"""Integrity-tagged model files: an HMAC-SHA256 tag checked before a byte is deserialised.

Layout: `MAGIC (8 bytes) | tag (32 bytes) | payload`. The tag covers the magic, the associated
data (length-prefixed) and the payload. Associated data is not stored: the loader supplies the
same bytes, which binds a file to its context (e.g. `model:<id>/dataset:<id>`), so a valid file
copied under another model or dataset is refused too. Every service that stores models uses
this one format.
"""

from __future__ import annotations

import hashlib
import hmac

from synthstudio_libs.errors import FailedPrecondition

MAGIC = b"SSMODEL1"
TAG_BYTES = 32
MIN_KEY_BYTES = 32
INTEGRITY_FAILED = "MODEL_INTEGRITY_FAILED"


def check_key(key: bytes) -> None:
    """ValueError (a configuration error, not a user's) unless `key` is bytes of 32 or more."""
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the model integrity key must be at least {MIN_KEY_BYTES} random bytes")


def _tag(key: bytes, payload: bytes, associated_data: bytes) -> bytes:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(MAGIC)
    mac.update(len(associated_data).to_bytes(8, "big"))
    mac.update(associated_data)
    mac.update(payload)
    return mac.digest()


def seal(payload: bytes, key: bytes, associated_data: bytes = b"") -> bytes:
    """`payload` with an integrity tag in front."""
    check_key(key)
    return MAGIC + _tag(key, payload, associated_data) + payload


def unseal(
    blob: bytes,
    key: bytes,
    associated_data: bytes = b"",
    *,
    remedy: str = "retrain the synthesizer to get a new model",
) -> bytes:
    """The payload of a sealed blob, or FailedPrecondition(MODEL_INTEGRITY_FAILED) saying to
    `remedy`. The payload is returned only after the tag verifies (constant-time comparison);
    a file that is not ours, truncated, altered, or sealed with another key or context is
    refused."""
    check_key(key)
    header = len(MAGIC) + TAG_BYTES
    if not isinstance(blob, bytes | bytearray) or len(blob) < header or blob[:8] != MAGIC:
        raise _refused("it is not a Synth Studio model file", remedy)
    tag, payload = bytes(blob[8:header]), bytes(blob[header:])
    if not hmac.compare_digest(tag, _tag(key, payload, associated_data)):
        raise _refused("its integrity tag does not match (altered, or not made for it)", remedy)
    return payload


def _refused(why: str, remedy: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"the model file was refused because {why}; it was not loaded: {remedy}",
        reason=INTEGRITY_FAILED,
        metadata={"why": why},
    )
