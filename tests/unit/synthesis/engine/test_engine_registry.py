"""Which engine serves each kind, and what `auto` chooses, with the real SDV engine and an
engine host that is not running (a closed loopback port)."""

from __future__ import annotations

import grpc
import pytest

from synthstudio_engine_sdv import SdvEngine
from synthstudio_engine_sdv.engine import SDV_KINDS
from synthstudio_libs.errors import FailedPrecondition
from synthstudio_synthesis.engine import TableMetadata
from synthstudio_synthesis.engine.host_client import RemoteEngine
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind
from synthstudio_synthesis.engine.registry import EngineRegistry
from synthstudio_synthesis.engine_setup import metadata_rules
from tests.conftest import free_port


@pytest.fixture(scope="module")
def registry():
    address = f"127.0.0.1:{free_port()}"
    absent_host = RemoteEngine(grpc.insecure_channel(address), address)
    sdv = SdvEngine()
    return EngineRegistry(sdv, [sdv, absent_host])


def test_sdv_serves_its_kinds_and_detects_metadata(registry):
    assert registry.for_kind(SynthesizerKind.CTGAN).name == "sdv"
    assert registry.metadata.name == "sdv"


def test_a_kind_of_an_absent_engine_host_names_the_engine_to_install(registry):
    with pytest.raises(FailedPrecondition) as refused:
        registry.for_kind(SynthesizerKind.TABULAR_ARGN)
    assert refused.value.reason == "ENGINE_NOT_AVAILABLE"
    assert refused.value.metadata["engine"] == "tabular_argn"


def test_auto_falls_back_to_sdv_per_layout_and_says_why(registry):
    kind, why = registry.choose(DataLayout.SINGLE_TABLE)
    assert kind is SynthesizerKind.GAUSSIAN_COPULA and "TabularARGN" in why
    assert registry.choose(DataLayout.MULTI_TABLE)[0] is SynthesizerKind.HMA
    assert registry.choose(DataLayout.SEQUENTIAL)[0] is SynthesizerKind.PAR


def test_list_engines_shows_an_absent_host_as_unavailable(registry):
    sdv, host = registry.describe()
    assert (sdv.name, sdv.licence, sdv.available) == ("sdv", "BUSL-1.1", True)
    assert "tabular_argn" not in sdv.kinds and "gaussian_copula" in sdv.kinds
    assert not host.available and host.kinds == () and host.name.startswith("engine at ")


@pytest.fixture(scope="module")
def without_sdv():
    """The Apache profile's registry: the SDV engine is not installed, so no entry point gives
    it; the TabularARGN host is configured (here: not answering)."""
    address = f"127.0.0.1:{free_port()}"
    host = RemoteEngine(grpc.insecure_channel(address), address)
    return EngineRegistry(metadata_rules([]), [host])


def test_without_sdv_list_engines_shows_no_business_source_engine(without_sdv):
    assert isinstance(without_sdv.metadata, TableMetadata)
    (host,) = without_sdv.describe()  # the TabularARGN host only: no sdv entry
    assert host.name.startswith("engine at ") and host.licence != "BUSL-1.1"


@pytest.mark.parametrize("kind", sorted(SDV_KINDS, key=lambda k: k.value))
def test_without_sdv_an_sdv_kind_fails_its_precondition_naming_the_engine(without_sdv, kind):
    with pytest.raises(FailedPrecondition) as refused:
        without_sdv.for_kind(kind)
    assert refused.value.reason == "ENGINE_NOT_AVAILABLE"
    assert refused.value.metadata == {"kind": kind.value, "engine": "sdv"}
    assert "the sdv engine" in str(refused.value)


def test_without_any_engine_auto_names_the_best_one_to_install(without_sdv):
    with pytest.raises(FailedPrecondition) as single:
        without_sdv.choose(DataLayout.SINGLE_TABLE)
    assert single.value.metadata["engine"] == "tabular_argn"
    with pytest.raises(FailedPrecondition) as linked:
        without_sdv.choose(DataLayout.MULTI_TABLE)
    assert linked.value.metadata["engine"] == "sdv"
