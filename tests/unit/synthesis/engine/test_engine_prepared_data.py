"""A second deep training on the same data reuses the prepared training data."""

from __future__ import annotations

import pytest

from synthstudio_engine_sdv import PreparedDataCache, SdvEngine
from synthstudio_synthesis.engine import PreparedDataUse, SampleRequest, SynthesizerKind
from tests.unit.synthesis.engine.support import RecordingProgress, train


@pytest.fixture()
def cache(tmp_path, key) -> PreparedDataCache:
    return PreparedDataCache(tmp_path / "prepared", key)


@pytest.fixture()
def caching_engine(cache) -> SdvEngine:
    return SdvEngine(prepared_data=cache)


def test_the_second_training_reuses_what_the_first_prepared(caching_engine, cache, cps):
    first = train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN)
    assert first.report.prepared_data is PreparedDataUse.COMPUTED
    assert len(list(cache.directory.glob("*.prepared"))) == 1
    progress = RecordingProgress()
    second = train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN, progress=progress)
    assert second.report.prepared_data is PreparedDataUse.REUSED
    assert any(event.message == "reused prepared training data" for event in progress.events)
    assert second.report.epochs_completed == 2
    transformer = second.synthesizer._model._transformer
    assert type(transformer).__name__ == "DataTransformer"
    assert not [name for name in vars(transformer) if name.startswith("_reuse")]
    rows = caching_engine.sample(second, SampleRequest(100, seed=1)).data
    assert set(rows.region) <= set(cps.region)


def test_tvae_reuses_what_ctgan_prepared_from_the_same_table(caching_engine, cps):
    train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN)
    tvae = train(caching_engine, {"cps": cps}, SynthesizerKind.TVAE)
    assert tvae.report.prepared_data is PreparedDataUse.REUSED


def test_copulagan_reuses_its_own_prepared_data(caching_engine, cps):
    first = train(caching_engine, {"cps": cps}, SynthesizerKind.COPULAGAN)
    second = train(caching_engine, {"cps": cps}, SynthesizerKind.COPULAGAN)
    assert first.report.prepared_data is PreparedDataUse.COMPUTED
    assert second.report.prepared_data is PreparedDataUse.REUSED


def test_other_rows_or_settings_are_prepared_afresh(caching_engine, cps, cache):
    train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN)
    other_rows = train(caching_engine, {"cps": cps.iloc[:250]}, SynthesizerKind.CTGAN)
    assert other_rows.report.prepared_data is PreparedDataUse.COMPUTED
    # A metadata edit that changes the table SDV hands over (education as categories) too.
    metadata = {
        "tables": {
            "cps": {
                "columns": {
                    **{c: {"sdtype": "categorical"} for c in cps.columns if cps[c].dtype == object},
                    "wage": {"sdtype": "numerical"},
                    "education": {"sdtype": "categorical"},
                    "experience": {"sdtype": "numerical"},
                }
            }
        }
    }
    recategorised = train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN, metadata)
    assert recategorised.report.prepared_data is PreparedDataUse.COMPUTED
    assert len(list(cache.directory.glob("*.prepared"))) == 3


def test_a_tampered_entry_is_discarded_not_loaded(caching_engine, cache, cps):
    train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN)
    (entry,) = cache.directory.glob("*.prepared")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF
    entry.write_bytes(bytes(data))
    again = train(caching_engine, {"cps": cps}, SynthesizerKind.CTGAN)
    assert again.report.prepared_data is PreparedDataUse.COMPUTED
    assert entry.read_bytes() != bytes(data)  # replaced by a fresh, valid entry


def test_old_entries_are_evicted(tmp_path, key, cps):
    engine = SdvEngine(prepared_data=PreparedDataCache(tmp_path, key, max_entries=1))
    train(engine, {"cps": cps.iloc[:200]}, SynthesizerKind.TVAE)
    train(engine, {"cps": cps.iloc[100:]}, SynthesizerKind.TVAE)
    assert len(list(tmp_path.glob("*.prepared"))) == 1
