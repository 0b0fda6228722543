"""DP model files sealed with the platform's integrity tag (synthstudio_libs.sealing), bound to
their synthesizer and dataset."""

from __future__ import annotations

from synthstudio_libs import sealing
from synthstudio_libs.sealing import check_key, seal

__all__ = ["associated_data", "check_key", "seal", "unseal"]

_REMEDY = "train the DP synthesizer again to get a new model (this spends budget again)"


def associated_data(synthesizer_id: str, dataset_id: str) -> bytes:
    """What binds a model file to its synthesizer and dataset."""
    return f"dp_synthesizer:{synthesizer_id}/dataset:{dataset_id}".encode()


def unseal(blob: bytes, key: bytes, context: bytes = b"") -> bytes:
    """The payload of a sealed DP model file, or FailedPrecondition(MODEL_INTEGRITY_FAILED)."""
    return sealing.unseal(blob, key, context, remedy=_REMEDY)
