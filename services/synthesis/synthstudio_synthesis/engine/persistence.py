"""Model files sealed with the platform's integrity tag (synthstudio_libs.sealing), checked
before a byte is unpickled."""

from __future__ import annotations

from synthstudio_libs.sealing import INTEGRITY_FAILED, MAGIC, check_key, seal, unseal
from synthstudio_synthesis.engine.interface import SynthesizerEngine, TrainedModel

__all__ = ["INTEGRITY_FAILED", "MAGIC", "check_key", "load_model", "save_model", "seal", "unseal"]


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
