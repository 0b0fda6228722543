"""Signed evidence packs: a zip of files with a manifest of their SHA-256 signed with Ed25519.

Two signatures: `manifest.sig` signs the manifest (so extracted files can be checked one by
one), and the zip's comment signs every byte of the archive before it (so a changed byte
anywhere, headers included, fails). The evaluation service builds and signs packs;
`verify_pack` checks one offline (the CLI's `synthstudio evidence verify`): both signatures,
every file's digest, and that the zip holds nothing the manifest does not list. Only
`cryptography`: the CLI imports this module.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "synthstudio-evidence/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
KEY_FILENAME = "evidence-signing-key.pem"
_UNLISTED = {MANIFEST, SIGNATURE, PUBLIC_KEY}
# A pack's members are read into memory to be checked; a bigger one is refused.
MAX_MEMBER_BYTES = 512 * 1024 * 1024
# The archive signature in the zip comment: base64 of a 64-byte Ed25519 signature.
_SEAL_BYTES = 88
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_OF_DIRECTORY_BYTES = 22


class EvidenceKeyError(ValueError):
    """The configured signing key is not an Ed25519 private key in PEM form."""


def load_signing_key(configured: str, data_dir: Path) -> Ed25519PrivateKey:
    """The configured key (PKCS#8 PEM), else one generated once and kept in
    `<data_dir>/evidence-signing-key.pem`, readable by its owner only."""
    if configured:
        return _private_key(configured.encode())
    path = data_dir / KEY_FILENAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            return _private_key(path.read_bytes())
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    return _private_key(path.read_bytes())


def _private_key(pem: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        message = f"the evidence signing key is not a PEM private key: {exc}"
        raise EvidenceKeyError(message) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise EvidenceKeyError("the evidence signing key must be an Ed25519 key")
    return key


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def build_pack(files: dict[str, bytes], subject: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """A zip of `files`, a manifest naming `subject` and each file's SHA-256, its Ed25519
    signature, and the public key that checks it."""
    manifest = {
        "format": FORMAT,
        "subject": subject,
        "key_id": key_id(key),
        "algorithm": "ed25519",
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    }
    manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        for name, data in sorted(files.items()):
            pack.writestr(name, data)
        pack.writestr(MANIFEST, manifest_bytes)
        pack.writestr(SIGNATURE, base64.b64encode(key.sign(manifest_bytes)))
        pack.writestr(PUBLIC_KEY, public_pem(key))
    return _seal(buffer.getvalue(), key)


def _seal(archive: bytes, key: Ed25519PrivateKey) -> bytes:
    """The archive with its signature as the zip comment (the archive ends with an empty
    comment's length, which the signature's length replaces)."""
    signature = base64.b64encode(key.sign(archive))
    return archive[:-2] + len(signature).to_bytes(2, "little") + signature


def _unseal(data: bytes) -> tuple[bytes, bytes] | None:
    """The archive as it was signed, and its signature; None without a seal."""
    head, signature = data[:-_SEAL_BYTES], data[-_SEAL_BYTES:]
    end = head[-_END_OF_DIRECTORY_BYTES:]
    if len(end) < _END_OF_DIRECTORY_BYTES or not end.startswith(_END_OF_DIRECTORY):
        return None
    if end[-2:] != _SEAL_BYTES.to_bytes(2, "little"):
        return None
    return head[:-2] + b"\x00\x00", signature


@dataclass(frozen=True)
class Verification:
    """The outcome of `verify_pack`: `valid` when `problems` is empty."""

    problems: list[str]
    manifest: dict[str, Any] = field(default_factory=dict)
    #: True when checked against a key given by the caller, not the one inside the pack.
    trusted_key: bool = False

    @property
    def valid(self) -> bool:
        return not self.problems


def verify_pack(data: bytes, public_key_pem: bytes | None = None) -> Verification:
    """Checks a pack against `public_key_pem` (the suite's, from GetEvidencePublicKey), else
    against the key it carries (which proves integrity, not origin)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as pack:
            members = {info.filename: info for info in pack.infolist()}
            if any(info.file_size > MAX_MEMBER_BYTES for info in members.values()):
                return Verification(["a file of the pack is too large to check"])
            contents = {name: pack.read(name) for name in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        return Verification([f"not a readable zip file: {exc}"])
    except Exception as exc:  # zlib and CRC errors of a damaged member
        return Verification([f"a file of the pack is damaged: {exc}"])
    for needed in (MANIFEST, SIGNATURE):
        if needed not in contents:
            return Verification([f"the pack has no {needed}"])
    public, problems = _verifying_key(contents, public_key_pem)
    if public is None:
        return Verification(problems)
    sealed = _unseal(data)
    if sealed is None:
        return Verification(["the pack has no archive signature (its zip comment)"])
    try:
        public.verify(base64.b64decode(sealed[1], validate=True), sealed[0])
    except (InvalidSignature, ValueError):
        return Verification(["the archive's signature does not match: the pack was changed"])
    try:
        public.verify(base64.b64decode(contents[SIGNATURE], validate=True), contents[MANIFEST])
    except (InvalidSignature, ValueError):
        return Verification(["the manifest's signature does not match: the pack was changed"])
    manifest = json.loads(contents[MANIFEST])
    problems += _file_problems(manifest, contents)
    if manifest.get("key_id") != key_id(public):
        problems.append("the manifest names another signing key")
    return Verification(problems, manifest, trusted_key=public_key_pem is not None)


def _verifying_key(
    contents: dict[str, bytes], public_key_pem: bytes | None
) -> tuple[Ed25519PublicKey | None, list[str]]:
    pem = public_key_pem if public_key_pem is not None else contents.get(PUBLIC_KEY)
    if pem is None:
        return None, ["the pack carries no public key: pass the suite's"]
    try:
        public = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError):
        return None, ["the public key is not a PEM public key"]
    if not isinstance(public, Ed25519PublicKey):
        return None, ["the public key is not an Ed25519 key"]
    return public, []


def _file_problems(manifest: dict[str, Any], contents: dict[str, bytes]) -> list[str]:
    listed = manifest.get("files", {})
    problems = [f"{name} is listed but missing" for name in listed if name not in contents] + [
        f"{name} was changed (its SHA-256 differs from the manifest's)"
        for name, digest in listed.items()
        if name in contents and hashlib.sha256(contents[name]).hexdigest() != digest
    ]
    problems += [
        f"{name} is not listed in the manifest"
        for name in contents
        if name not in listed and name not in _UNLISTED
    ]
    return problems
