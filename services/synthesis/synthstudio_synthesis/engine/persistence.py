"""Integrity-tagged model files: an HMAC-SHA256 tag checked before a byte is unpickled.

Layout: `MAGIC (8 bytes) | tag (32 bytes) | payload`. The tag covers the magic, the optional
associated data and the payload. Associated data is not stored: the loader must supply the same
bytes, which binds a file to its context (e.g. `b"model:<id>/dataset:<id>"`), so a valid file
copied under another model or dataset is refused too.
"""

from __future__ import annotations

import hashlib
import hmac

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_synthesis.engine.interface import SynthesizerEngine, TrainedModel

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


def unseal(blob: bytes, key: bytes, associated_data: bytes = b"") -> bytes:
    """The payload of a sealed blob, or FailedPrecondition(MODEL_INTEGRITY_FAILED).

    The payload is returned only after the tag verifies (constant-time comparison); a file that
    is not ours, truncated, altered, or sealed with another key or context is refused.
    """
    check_key(key)
    header = len(MAGIC) + TAG_BYTES
    if not isinstance(blob, bytes | bytearray) or len(blob) < header or blob[:8] != MAGIC:
        raise _refused("it is not a Synth Studio model file")
    tag, payload = bytes(blob[8:header]), bytes(blob[header:])
    if not hmac.compare_digest(tag, _tag(key, payload, associated_data)):
        raise _refused("its integrity tag does not match (altered, or not made for this model)")
    return payload


def _refused(why: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"the model file was refused because {why}; it was not loaded. Retrain the synthesizer "
        "to get a new model",
        reason=INTEGRITY_FAILED,
        metadata={"why": why},
    )


def save_model(
    engine: SynthesizerEngine, model: TrainedModel, key: bytes, associated_data: bytes = b""
) -> bytes:
    """The model as a sealed file's bytes, ready for the artifact store."""
    return seal(engine.serialize(model), key, associated_data)


def load_model(
    engine: SynthesizerEngine, blob: bytes, key: bytes, associated_data: bytes = b""
) -> TrainedModel:
    """The model from a sealed file; the tag is verified before anything is unpickled."""
    return engine.deserialize(unseal(blob, key, associated_data))
