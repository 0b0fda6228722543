"""Every service package has the same shape: a `server.py` that builds it and a `servicer.py`
that translates, and its domain modules never see gRPC or generated messages (only the
servicer, the converters and the clients of other services do)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from synthstudio_libs.service import installed_services

ROOT = Path(__file__).resolve().parents[3]
# Modules whose job is the wire: building the server, translating, calling other services.
TRANSPORT_MODULES = {"server.py", "servicer.py", "convert.py", "clients.py", "__main__.py"}
WIRE_IMPORTS = ("grpc", "google.protobuf", "google.rpc", "synthstudio.")
# Domain modules that still see a message, each with what removes it. The test fails when one
# is fixed and still listed, so the list only shrinks.
KNOWN_OFFENDERS = {
    # DatasetClient.get returns pb.Dataset, whose metadata is a Struct (issue 14: the shared
    # dataset client should return a dataclass).
    "services/pii/synthstudio_pii/datasets.py": ["google.protobuf"],
}


def _packages() -> list[Path]:
    return sorted(path.parent for path in ROOT.glob("services/*/synthstudio_*/__init__.py"))


def _is_transport(path: Path) -> bool:
    return path.name in TRANSPORT_MODULES or path.name.endswith("_client.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_every_installed_service_has_a_package_here():
    names = {path.name.removeprefix("synthstudio_") for path in _packages()}
    assert {service.name for service in installed_services()} <= names


@pytest.mark.parametrize("package", _packages(), ids=lambda path: path.name)
def test_a_service_package_has_its_role_files(package: Path):
    for role in ("server.py", "servicer.py", "__main__.py"):
        assert (package / role).is_file(), f"{package.name} has no {role}"
    assert (package / "migrations").is_dir(), f"{package.name} has no migrations/"


@pytest.mark.parametrize("package", _packages(), ids=lambda path: path.name)
def test_domain_modules_import_no_grpc_and_no_generated_messages(package: Path):
    offenders = {}
    for path in sorted(package.rglob("*.py")):
        if _is_transport(path):
            continue
        wire = sorted(
            name
            for name in _imports(path)
            if any(name == prefix.rstrip(".") or name.startswith(prefix) for prefix in WIRE_IMPORTS)
        )
        name = str(path.relative_to(ROOT))
        if wire != KNOWN_OFFENDERS.get(name, []):
            offenders[name] = wire
    assert not offenders, offenders
