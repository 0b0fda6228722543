"""Differentially private statistics used to build encoders without leaking the data.

Every function here is a DP mechanism under add/remove-one-row neighbouring datasets (the same
notion Opacus' accountants use for Poisson-sampled DP-SGD). Each row contributes to exactly one
histogram bin or one category, so histograms have L1 sensitivity 1 and Laplace noise of scale
1/epsilon makes them epsilon-DP. Noise comes from a fresh, OS-seeded generator; like Opacus
without `secure_mode`, it is not hardened against floating-point attacks on the Laplace sampler.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthstudio_privacy.schema import CategoryValue, to_category_value

# Signed powers of two from 2^-10 to 2^62 (about 4.6e18): a data-independent grid that covers
# any magnitude a table holds, including datetimes as epoch seconds.
_SMALLEST_EXPONENT = -10
_LARGEST_EXPONENT = 62
# Chance that some empty bin of the bounds grid passes the threshold (a noise-only bin), which
# would stretch the bounds far beyond the data.
_BOUNDS_FALSE_BIN_PROBABILITY = 1e-3
# Noisy CDF bins below this many noise scales count as empty (post-processing, free): it keeps
# noise in empty bins from spreading mass where there is no data.
_HISTOGRAM_EMPTY_SCALES = 2.0


class MechanismFailed(Exception):
    """A DP mechanism's noisy output holds too little signal to release a usable statistic."""


def laplace_counts(counts: np.ndarray, epsilon: float, rng: np.random.Generator) -> np.ndarray:
    """Counts plus Laplace(1/epsilon) noise: epsilon-DP when each row adds 1 to one count."""
    return counts + rng.laplace(0.0, 1.0 / epsilon, size=counts.shape)


def magnitude_grid() -> np.ndarray:
    """Edges of the fixed signed log-scale grid used to find bounds (0 is an edge)."""
    positive = 2.0 ** np.arange(_SMALLEST_EXPONENT, _LARGEST_EXPONENT + 1)
    return np.concatenate([-positive[::-1], [0.0], positive])


def datetime_grid() -> np.ndarray:
    """Edges of a fixed grid of calendar years, 1800 to 2200, in seconds since the Unix epoch:
    DP bounds of a datetime column are whole years, where powers of two of seconds would be
    decades (2^30 s to 2^31 s is 2004 to 2038)."""
    years = pd.date_range("1800-01-01", "2200-01-01", freq="YS")
    return ((years - pd.Timestamp("1970-01-01")) / pd.Timedelta(seconds=1)).to_numpy(float)


def dp_bounds(
    values: np.ndarray,
    epsilon: float,
    rng: np.random.Generator,
    *,
    integer: bool,
    edges: np.ndarray | None = None,
) -> tuple[float, float]:
    """Epsilon-DP lower and upper bounds of `values` (finite floats) on a power-of-two grid.

    A noisy histogram over the fixed grid; bins whose noisy count clears a threshold chosen so
    that any noise-only bin passes with probability at most 0.1% are taken as holding data; the
    bounds are the outer edges of the first and last such bin. Bounds are therefore coarse (a
    factor of two) and may cut off sparse tails: callers who know the range should state it.
    """
    edges = magnitude_grid() if edges is None else edges
    clipped = np.clip(values, edges[0], np.nextafter(edges[-1], 0.0))
    counts = np.bincount(np.searchsorted(edges, clipped, side="right") - 1, minlength=len(edges))
    counts = counts[: len(edges) - 1].astype(float)
    noisy = laplace_counts(counts, epsilon, rng)
    bins = len(counts)
    threshold = math.log(bins / (2 * _BOUNDS_FALSE_BIN_PROBABILITY)) / epsilon
    passing = np.flatnonzero(noisy > threshold)
    if passing.size == 0:
        raise MechanismFailed(
            f"no range of values holds more than {threshold:.0f} rows after noise"
        )
    lower, upper = float(edges[passing[0]]), float(edges[passing[-1] + 1])
    if integer:
        lower, upper = float(math.floor(lower)), float(math.ceil(upper))
    return lower, upper


@dataclass(frozen=True)
class NoisyHistogram:
    """Bin edges over [lower, upper] and the DP bin masses (non-negative, summing to 1)."""

    edges: np.ndarray
    masses: np.ndarray


def histogram_bins(lower: float, upper: float, *, integer: bool, budget_rows: float) -> np.ndarray:
    """Bin edges over a column's bounds for its noisy CDF: about sqrt(rows x epsilon) equal bins
    (between 8 and 64), so that the Laplace noise summed over the bins stays small next to the
    number of rows. An integer column's range is widened by 0.5 on each side, and gets one bin
    per whole number when it has no more values than that."""
    target = int(min(64, max(8, math.sqrt(max(budget_rows, 1.0)))))
    if not integer:
        return np.linspace(lower, upper, target + 1)
    if upper - lower + 1 <= target:
        return np.arange(lower - 0.5, upper + 1.0, 1.0)
    return np.linspace(lower - 0.5, upper + 0.5, target + 1)


def dp_histogram(
    values: np.ndarray, edges: np.ndarray, epsilon: float, rng: np.random.Generator
) -> NoisyHistogram:
    """Epsilon-DP normalised histogram of `values` (already clipped into the edges' range).

    Noisy counts below two noise scales are set to zero and every bin keeps a small floor, so
    the CDF built from it is strictly increasing and invertible.
    """
    inner = np.clip(values, edges[0], edges[-1])
    counts, _ = np.histogram(inner, bins=edges)
    noisy = laplace_counts(counts.astype(float), epsilon, rng)
    noisy = np.where(noisy < _HISTOGRAM_EMPTY_SCALES / epsilon, 0.0, noisy)
    total = noisy.sum()
    floor = max(total, 1.0) * 1e-3 / len(noisy)
    masses = noisy + floor
    return NoisyHistogram(edges=edges.astype(float), masses=masses / masses.sum())


@dataclass(frozen=True)
class NoisyCategories:
    """Categories released by partition selection, most frequent first, with noisy counts."""

    values: tuple[CategoryValue, ...]
    noisy_counts: tuple[float, ...]


def category_threshold(epsilon: float, delta: float) -> float:
    """Laplace partition-selection threshold: a category held by one row is released with
    probability at most delta (Wilson et al., 'Differentially Private SQL with Bounded User
    Contribution', 2020)."""
    return 1.0 + math.log(1.0 / (2.0 * delta)) / epsilon


def dp_category_set(
    counts: Mapping[object, int], epsilon: float, delta: float, rng: np.random.Generator
) -> NoisyCategories:
    """(epsilon, delta)-DP set of categories from their row counts (each row counted once):
    counts plus Laplace(1/epsilon) noise, kept when above `category_threshold`. Rare categories
    are never released."""
    merged: Counter[CategoryValue] = Counter()
    for value, count in counts.items():
        merged[to_category_value(value)] += int(count)
    threshold = category_threshold(epsilon, delta)
    kept = [
        (category, noisy)
        for category, count in merged.items()
        if (noisy := count + rng.laplace(0.0, 1.0 / epsilon)) > threshold
    ]
    if not kept:
        raise MechanismFailed(f"no category is held by more than {threshold:.0f} rows after noise")
    kept.sort(key=lambda pair: -pair[1])
    return NoisyCategories(
        values=tuple(category for category, _ in kept),
        noisy_counts=tuple(float(noisy) for _, noisy in kept),
    )
