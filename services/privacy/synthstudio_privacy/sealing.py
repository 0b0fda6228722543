"""Integrity-tagged model files: an HMAC-SHA256 tag checked before a byte is deserialised.

The same layout as the synthesis service's model files, `MAGIC (8 bytes) | tag (32 bytes) |
payload`, with the tag over the magic, the associated data (length-prefixed) and the payload.
The associated data is not stored: the loader supplies it (`dp_synthesizer:<id>/dataset:<id>`),
so a valid file copied under another synthesizer is refused too.
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


def associated_data(synthesizer_id: str, dataset_id: str) -> bytes:
    """What binds a model file to its synthesizer and dataset."""
    return f"dp_synthesizer:{synthesizer_id}/dataset:{dataset_id}".encode()


def _tag(key: bytes, payload: bytes, context: bytes) -> bytes:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    mac.update(MAGIC)
    mac.update(len(context).to_bytes(8, "big"))
    mac.update(context)
    mac.update(payload)
    return mac.digest()


def seal(payload: bytes, key: bytes, context: bytes = b"") -> bytes:
    """`payload` with an integrity tag in front."""
    check_key(key)
    return MAGIC + _tag(key, payload, context) + payload


def unseal(blob: bytes, key: bytes, context: bytes = b"") -> bytes:
    """The payload of a sealed blob, or FailedPrecondition(MODEL_INTEGRITY_FAILED); the tag is
    compared in constant time before the payload is handed out."""
    check_key(key)
    header = len(MAGIC) + TAG_BYTES
    if not isinstance(blob, bytes | bytearray) or len(blob) < header or blob[:8] != MAGIC:
        raise _refused("it is not a Synth Studio model file")
    tag, payload = bytes(blob[8:header]), bytes(blob[header:])
    if not hmac.compare_digest(tag, _tag(key, payload, context)):
        raise _refused("its integrity tag does not match (altered, or not made for this model)")
    return payload


def _refused(why: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"the DP model file was refused because {why}; it was not loaded. Train the DP "
        "synthesizer again to get a new model (this spends budget again)",
        reason=INTEGRITY_FAILED,
        metadata={"why": why},
    )
