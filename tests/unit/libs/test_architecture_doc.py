"""docs/architecture.md cannot drift: every service, port, path and entry-point group it names
exists, and every installed service is on it."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

from synthstudio_libs.config import SERVICE_PORTS, Settings
from synthstudio_libs.service import installed_services

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "architecture.md").read_text()


def _table_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4:
            rows[cells[0]] = cells[1:]
    return rows


def test_every_installed_service_is_on_the_page_with_its_port_and_module():
    rows = _table_rows()
    for service in installed_services():
        package, port, built_by = rows[service.name]
        assert port == str(SERVICE_PORTS[service.name])
        assert built_by == f"`synthstudio_{service.name}.server:SERVICE`"
        assert (ROOT / package.strip("`")).is_dir()


def test_the_other_processes_listen_where_the_page_says():
    rows = _table_rows()
    assert rows["gateway"][1] == str(Settings.model_fields["gateway_port"].default)
    engine = rows["TabularARGN engine host"][1]
    assert engine == str(Settings.model_fields["engine_tabular_argn_port"].default)


def test_every_path_the_page_names_exists():
    paths = set(re.findall(r"`((?:libs|services|gateway|engines|clients)/[^`]+)`", DOC))
    assert paths
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, missing


def test_the_entry_point_groups_it_names_are_used():
    for group in ("synthstudio.services", "synthstudio.migrations"):
        assert group in DOC
        assert entry_points(group=group), group
