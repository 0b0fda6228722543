"""Evidence packs: signed, verified offline, and refused after any change."""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from synthstudio_libs.evidence import (
    EvidenceKeyError,
    build_pack,
    load_signing_key,
    public_pem,
    verify_pack,
)

FILES = {"report/report.json": b'{"score": 0.9}', "data/sha256.json": b'{"t": "ab"}'}


@pytest.fixture
def key(tmp_path):
    return load_signing_key("", tmp_path)


def test_a_pack_verifies_against_the_suites_key(key):
    pack = build_pack(FILES, {"dataset_id": "ds_1"}, key)

    result = verify_pack(pack, public_pem(key).encode())

    assert result.valid and result.trusted_key
    assert result.manifest["subject"] == {"dataset_id": "ds_1"}
    assert set(result.manifest["files"]) == set(FILES)


def test_one_changed_byte_anywhere_fails(key):
    pack = build_pack(FILES, {"dataset_id": "ds_1"}, key)

    for position in range(0, len(pack), max(1, len(pack) // 97)):
        changed = bytearray(pack)
        changed[position] ^= 0x01
        assert not verify_pack(bytes(changed)).valid, position


def test_a_repacked_zip_with_a_changed_file_fails(key):
    pack = build_pack(FILES, {}, key)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(pack)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "report/report.json":
                data = b'{"score": 1.0}'
            target.writestr(info.filename, data)
        target.comment = source.comment

    result = verify_pack(buffer.getvalue())

    assert not result.valid
    assert "signature does not match" in result.problems[0]


def test_a_pack_signed_by_another_key_fails_against_the_suites(key, tmp_path):
    other = load_signing_key("", tmp_path / "other")
    pack = build_pack(FILES, {}, other)

    assert verify_pack(pack).valid
    assert "signature" in verify_pack(pack, public_pem(key).encode()).problems[0]


def test_the_generated_key_is_kept_private_and_reused(tmp_path):
    first = load_signing_key("", tmp_path)
    path = tmp_path / "evidence-signing-key.pem"

    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert public_pem(load_signing_key("", tmp_path)) == public_pem(first)
    assert public_pem(load_signing_key(path.read_text(), tmp_path / "x")) == public_pem(first)


def test_a_configured_key_that_is_not_ed25519_pem_is_refused(tmp_path):
    with pytest.raises(EvidenceKeyError):
        load_signing_key("not a key", tmp_path)


def test_garbage_is_not_a_pack():
    assert "zip" in verify_pack(b"garbage").problems[0]
