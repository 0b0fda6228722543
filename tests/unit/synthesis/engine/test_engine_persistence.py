"""Model files: sealed with an HMAC, refused unopened when the tag does not verify."""

from __future__ import annotations

import os
import pickle

import pandas as pd
import pytest

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_synthesis.engine import SampleRequest, load_model, save_model, seal
from synthstudio_synthesis.engine.persistence import MAGIC


class _CreatesFileWhenUnpickled:
    """A hostile payload: unpickling it would create `path` (run code of the file's choosing)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


@pytest.fixture(scope="module")
def sealed(engine, cps_copula, key) -> bytes:
    return save_model(engine, cps_copula, key, b"model:m1/dataset:d1")


def test_a_sealed_model_loads_and_samples_the_same_rows(engine, cps_copula, key, sealed):
    assert sealed.startswith(MAGIC)
    loaded = load_model(engine, sealed, key, b"model:m1/dataset:d1")
    assert loaded.kind == cps_copula.kind and loaded.tables == cps_copula.tables
    request = SampleRequest(500, seed=9)
    pd.testing.assert_frame_equal(
        engine.sample(loaded, request).data, engine.sample(cps_copula, request).data
    )


def refused(engine, blob, key, associated=b"model:m1/dataset:d1") -> FailedPrecondition:
    with pytest.raises(FailedPrecondition) as caught:
        load_model(engine, blob, key, associated)
    assert caught.value.reason == "MODEL_INTEGRITY_FAILED"
    return caught.value


def test_a_changed_byte_is_refused(engine, key, sealed):
    tampered = bytearray(sealed)
    tampered[len(tampered) // 2] ^= 0x01
    assert "tag does not match" in refused(engine, bytes(tampered), key).message


def test_a_truncated_file_is_refused(engine, key, sealed):
    refused(engine, sealed[:-10], key)
    refused(engine, sealed[:20], key)


def test_another_key_or_context_is_refused(engine, key, sealed):
    refused(engine, sealed, bytes(reversed(key)))
    # A valid file presented as another dataset's model.
    refused(engine, sealed, key, b"model:m1/dataset:d2")


def test_hostile_files_are_never_unpickled(engine, key, tmp_path):
    marker = tmp_path / "ran"
    payload = pickle.dumps(_CreatesFileWhenUnpickled(str(marker)))
    refused(engine, payload, key)  # a bare pickle: not our file at all
    forged = MAGIC + os.urandom(32) + payload  # our header, but a tag made without the key
    refused(engine, forged, key)
    assert not marker.exists()


def test_a_verified_file_that_is_not_a_model_is_refused(engine, key):
    blob = seal(pickle.dumps({"weights": [1, 2, 3]}), key)
    with pytest.raises(FailedPrecondition) as caught:
        load_model(engine, blob, key)
    assert caught.value.reason == "MODEL_INCOMPATIBLE"


def test_a_short_key_is_a_configuration_error(engine, cps_copula):
    with pytest.raises(ValueError, match="32"):
        save_model(engine, cps_copula, b"secret")
