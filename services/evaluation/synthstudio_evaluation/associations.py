"""Pairwise association between columns of mixed types, for correlation-matrix plots.

Pearson's r for two numbers (signed, -1..1), Cramér's V for two categories and the correlation
ratio (eta) for a number and a category (both 0..1), the usual mixed-type association matrix.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency


def association_matrix(
    frame: pd.DataFrame, numeric: list[str], categorical: list[str]
) -> pd.DataFrame:
    """Symmetric association matrix over `numeric` + `categorical` columns of `frame`."""
    columns = [*numeric, *categorical]
    matrix = pd.DataFrame(np.eye(len(columns)), index=columns, columns=columns)
    for i, first in enumerate(columns):
        for second in columns[i + 1 :]:
            value = _association(frame, first, second, set(numeric))
            matrix.loc[first, second] = matrix.loc[second, first] = value
    return matrix


def _association(frame: pd.DataFrame, first: str, second: str, numeric: set[str]) -> float:
    pair = frame[[first, second]].dropna()
    if len(pair) < 2:
        return 0.0
    if first in numeric and second in numeric:
        return _pearson(pair[first], pair[second])
    if first not in numeric and second not in numeric:
        return _cramers_v(pair[first], pair[second])
    values, categories = (first, second) if first in numeric else (second, first)
    return _correlation_ratio(pair[categories], pair[values])


def _pearson(first: pd.Series, second: pd.Series) -> float:
    if first.std() == 0 or second.std() == 0:
        return 0.0
    return float(np.corrcoef(first.to_numpy(float), second.to_numpy(float))[0, 1])


def _cramers_v(first: pd.Series, second: pd.Series) -> float:
    table = pd.crosstab(first, second)
    if min(table.shape) < 2:
        return 0.0
    chi2 = chi2_contingency(table, correction=False)[0]
    return math.sqrt(chi2 / (table.to_numpy().sum() * (min(table.shape) - 1)))


def _correlation_ratio(categories: pd.Series, values: pd.Series) -> float:
    values = values.astype(float)
    overall = values.mean()
    groups = values.groupby(categories.to_numpy())
    between = float((groups.count() * (groups.mean() - overall) ** 2).sum())
    total = float(((values - overall) ** 2).sum())
    return math.sqrt(between / total) if total > 0 else 0.0
