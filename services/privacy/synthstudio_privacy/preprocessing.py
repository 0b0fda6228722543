"""Building the encoder from public metadata and DP statistics only.

Covered by the guarantee (each release's share is recorded in the plan and the model):
- bounds of a continuous column without public bounds: `mechanisms.dp_bounds` (epsilon-DP);
- the histogram behind a continuous column's quantile transform: `mechanisms.dp_histogram`
  (epsilon-DP), over the public or DP bounds;
- the category set of a categorical column without a public one: `mechanisms.dp_category_set`
  ((epsilon, delta)-DP). Only categories held by more rows than its threshold survive; the rest
  (all of them, when none does) become the protected value OTHER_CATEGORY in text columns, so
  the column is modelled on its frequent part instead of failing the job.
Treated as public (not covered): the schema (names, kinds, dtypes, nullability, any bounds and
categories the caller states) and the row count. No statistic is ever computed from raw values
outside these mechanisms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_privacy.encoding import (
    CategoricalTransform,
    ColumnTransform,
    ContinuousTransform,
    TableEncoder,
)
from synthstudio_privacy.mechanisms import (
    MechanismFailed,
    category_threshold,
    datetime_grid,
    dp_bounds,
    dp_category_set,
    dp_histogram,
    histogram_bins,
)
from synthstudio_privacy.planning import DPTrainingPlan, Mechanism
from synthstudio_privacy.schema import ColumnKind, ColumnSpec, to_category_value

# What a rare or unreleased category of a text column becomes (MOSTLY AI's value protection
# does the same with its _RARE_ token).
OTHER_CATEGORY = "_other_"


def fit_encoder(
    frame: pd.DataFrame, plan: DPTrainingPlan, rng: np.random.Generator
) -> TableEncoder:
    """The encoder for `frame`, from the plan's public schema and its DP preprocessing releases.

    Raises FailedPrecondition when a DP release is too noisy to use (too few rows for its
    epsilon share), naming the column and what to supply instead.
    """
    transforms: list[ColumnTransform] = []
    for spec in plan.schema.columns:
        series = frame[spec.name]
        dtype = spec.dtype or str(series.dtype)
        if spec.is_continuous:
            transforms.append(_continuous_transform(spec, series, dtype, plan, rng))
        else:
            transforms.append(_categorical_transform(spec, series, dtype, plan, rng))
    return TableEncoder(tuple(transforms))


def _continuous_transform(
    spec: ColumnSpec,
    series: pd.Series,
    dtype: str,
    plan: DPTrainingPlan,
    rng: np.random.Generator,
) -> ContinuousTransform:
    # The bounds are a placeholder until known; only numeric_values() is used before then.
    draft = ContinuousTransform(
        column=spec.name,
        kind=spec.kind,
        lower=0.0,
        upper=1.0,
        integer=spec.integer,
        nullable=spec.nullable,
        edges=(0.0, 1.0),
        masses=(1.0,),
        dtype=dtype,
    )
    values = draft.numeric_values(series)
    values = values[np.isfinite(values)]
    lower, upper = _bounds(spec, values, plan, rng)
    margin = 0.5 if spec.integer else 0.0
    edges = np.array([lower - margin, upper + margin])
    masses = np.array([1.0])
    histogram_share = plan.mechanism(spec.name, Mechanism.HISTOGRAM)
    if histogram_share is not None:
        bins = histogram_bins(
            lower,
            upper,
            integer=spec.integer,
            budget_rows=plan.n_rows * histogram_share.epsilon,
        )
        histogram = dp_histogram(np.clip(values, lower, upper), bins, histogram_share.epsilon, rng)
        edges, masses = histogram.edges, histogram.masses
    return ContinuousTransform(
        column=spec.name,
        kind=spec.kind,
        lower=lower,
        upper=upper,
        integer=spec.integer,
        nullable=spec.nullable,
        edges=tuple(float(e) for e in edges),
        masses=tuple(float(m) for m in masses),
        dtype=dtype,
    )


def _bounds(
    spec: ColumnSpec, values: np.ndarray, plan: DPTrainingPlan, rng: np.random.Generator
) -> tuple[float, float]:
    if spec.has_public_bounds:
        return float(spec.lower), float(spec.upper)
    share = plan.mechanism(spec.name, Mechanism.BOUNDS)
    try:
        grid = datetime_grid() if spec.kind == ColumnKind.DATETIME else None
        return dp_bounds(values, share.epsilon, rng, integer=spec.integer, edges=grid)
    except MechanismFailed as failure:
        raise _unusable_release(spec, "bounds", share.epsilon, failure) from failure


def _categorical_transform(
    spec: ColumnSpec,
    series: pd.Series,
    dtype: str,
    plan: DPTrainingPlan,
    rng: np.random.Generator,
) -> CategoricalTransform:
    categories = spec.public_categories
    fallback = 0
    if categories is not None:
        _refuse_contradicted_categories(spec, series)
    else:
        share = plan.mechanism(spec.name, Mechanism.CATEGORIES)
        counts = series.value_counts(dropna=True).to_dict()
        text = _holds_text(dtype)
        try:
            categories = dp_category_set(counts, share.epsilon, share.delta, rng).values
        except MechanismFailed as failure:
            if not text:
                raise _unusable_release(spec, "categories", share.epsilon, failure) from failure
            categories = ()
        if text:
            categories = (*categories, OTHER_CATEGORY)
            fallback = len(categories) - 1
    return CategoricalTransform(
        column=spec.name,
        kind=spec.kind,
        categories=tuple(categories),
        fallback=fallback,
        nullable=spec.nullable,
        dtype=dtype,
    )


def _holds_text(dtype: str) -> bool:
    """Whether a column of this dtype can hold OTHER_CATEGORY (text, not numbers)."""
    kind = pd.api.types.pandas_dtype(dtype)
    return pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind)


def _refuse_contradicted_categories(spec: ColumnSpec, series: pd.Series) -> None:
    """Public categories are a promise about the data; a value outside them breaks it. The job
    then fails naming the column only (never the values, which are private), and the spend
    stays: the data was read to find out."""
    allowed = set(spec.public_categories)
    present = series.dropna().unique()
    if any(to_category_value(value) not in allowed for value in present):
        raise FailedPrecondition(
            f"Column {spec.name!r} holds values outside the public categories stated for it; "
            "state its complete category set, or leave the categories out to have them "
            "estimated under differential privacy.",
            reason="PUBLIC_CATEGORIES_CONTRADICTED",
            metadata={"column": spec.name},
        )


def preprocessing_warnings(plan: DPTrainingPlan, encoder: TableEncoder) -> list[str]:
    """What a user should know about the encoder: columns modelled on their frequent
    categories only. Post-processing: it reads only the plan and the released encoder."""
    notes = []
    for transform in encoder.transforms:
        if not isinstance(transform, CategoricalTransform):
            continue
        if OTHER_CATEGORY not in transform.categories:
            continue
        share = plan.mechanism(transform.column, Mechanism.CATEGORIES)
        rows = category_threshold(share.epsilon, share.delta)
        kept = len(transform.categories) - 1
        notes.append(
            f"column {transform.column!r}: {kept} categories held by more than about "
            f"{rows:.0f} rows were released under DP; rarer values are sampled as "
            f"{OTHER_CATEGORY!r}. State the column's categories as public metadata to keep "
            "them all."
        )
    return notes


def _unusable_release(
    spec: ColumnSpec, what: str, epsilon: float, failure: MechanismFailed
) -> FailedPrecondition:
    field = "lower/upper" if what == "bounds" else "categories"
    return FailedPrecondition(
        f"Could not estimate the {what} of column {spec.name!r} under differential privacy "
        f"with its epsilon share of {epsilon:.4g}: {failure}. State the column's {field} in "
        "the schema as public metadata, or raise epsilon or preprocessing_epsilon_fraction.",
        reason="DP_PREPROCESSING_TOO_NOISY",
        metadata={"column": spec.name, "statistic": what, "epsilon": epsilon},
    )
