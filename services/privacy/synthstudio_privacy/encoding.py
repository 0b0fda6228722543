"""Reversible encoding of a table into the float matrix the generators learn.

A continuous column (numerical or datetime) becomes one value: its position on a piecewise
linear CDF between its bounds, mapped to a standard normal score (a quantile transform). A
categorical or boolean column becomes a one-hot block. A nullable column gets one more slot
(categorical) or a two-slot present/missing block (continuous).

Encoders are built only from public metadata and DP statistics (`preprocessing.fit_encoder`);
encoding rows is then a per-row function, which DP-SGD's guarantee covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from synthstudio_privacy.schema import CategoryValue, ColumnKind, to_category_value

# Normal scores are capped at about +/-3.7 so that the CDF's ends stay finite.
_CDF_EPSILON = 1e-4
_EPOCH = pd.Timestamp("1970-01-01")


class BlockKind(StrEnum):
    """How a slice of the encoded matrix is modelled: a real value or a one-hot choice."""

    CONTINUOUS = "continuous"
    CATEGORICAL = "categorical"


@dataclass(frozen=True)
class Block:
    """A slice [start, start + width) of the encoded matrix."""

    kind: BlockKind
    start: int
    width: int

    @property
    def stop(self) -> int:
        return self.start + self.width


@dataclass(frozen=True)
class ContinuousTransform:
    """Quantile transform of a numerical or datetime column over [lower, upper].

    `edges`/`masses` describe the (DP) histogram whose piecewise-linear CDF is used; a single
    bin is a plain linear scaling. Integer columns are dequantised with uniform jitter of +/-0.5
    and rounded back; datetimes are handled as seconds since the Unix epoch.
    """

    column: str
    kind: ColumnKind
    lower: float
    upper: float
    integer: bool
    nullable: bool
    edges: tuple[float, ...]
    masses: tuple[float, ...]
    dtype: str

    @property
    def width(self) -> int:
        return 3 if self.nullable else 1

    @property
    def blocks(self) -> list[tuple[BlockKind, int]]:
        value = [(BlockKind.CONTINUOUS, 1)]
        return [*value, (BlockKind.CATEGORICAL, 2)] if self.nullable else value

    @property
    def impute_value(self) -> float:
        return (self.lower + self.upper) / 2

    def numeric_values(self, series: pd.Series) -> np.ndarray:
        """The column as floats (datetimes in epoch seconds), NaN where missing."""
        if self.kind == ColumnKind.DATETIME:
            stamps = pd.to_datetime(series)
            if getattr(stamps.dt, "tz", None) is not None:
                stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
            return ((stamps - _EPOCH) / pd.Timedelta(seconds=1)).to_numpy(dtype=float)
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)

    def encode(self, series: pd.Series, rng: np.random.Generator) -> np.ndarray:
        values = self.numeric_values(series)
        missing = ~np.isfinite(values)
        values = np.where(missing, self.impute_value, values)
        values = np.clip(values, self.lower, self.upper)
        if self.integer:
            values = values + rng.uniform(-0.5, 0.5, size=values.shape)
        scores = ndtri(np.clip(self.cdf(values), _CDF_EPSILON, 1 - _CDF_EPSILON))
        if not self.nullable:
            return scores[:, None]
        scores = np.where(missing, 0.0, scores)
        return np.column_stack([scores, ~missing, missing]).astype(float)

    def decode(self, block: np.ndarray, missing: np.ndarray | None) -> pd.Series:
        return self.from_values(self.inverse_cdf(ndtr(block[:, 0])), missing)

    def from_values(self, values: np.ndarray, missing: np.ndarray | None) -> pd.Series:
        """Numeric values (epoch seconds for datetimes) as the column: rounded if integer,
        clipped to the bounds, missing where `missing`, in the column's dtype."""
        if self.integer:
            values = np.rint(values)
        values = np.clip(values, self.lower, self.upper)
        series = pd.Series(values)
        if missing is not None:
            series[missing] = np.nan
        return self._restore_dtype(series, has_missing=missing is not None and missing.any())

    @property
    def bounds(self) -> tuple[float, float]:
        return self.lower, self.upper

    def cdf(self, values: np.ndarray) -> np.ndarray:
        """The position of each value on the column's (DP) piecewise-linear CDF."""
        cumulative = np.concatenate([[0.0], np.cumsum(self.masses)])
        return np.interp(values, np.asarray(self.edges), cumulative)

    def inverse_cdf(self, probabilities: np.ndarray) -> np.ndarray:
        cumulative = np.concatenate([[0.0], np.cumsum(self.masses)])
        return np.interp(probabilities, cumulative, np.asarray(self.edges))

    def _restore_dtype(self, series: pd.Series, *, has_missing: bool) -> pd.Series:
        if self.kind == ColumnKind.DATETIME:
            stamps = pd.to_datetime(series, unit="s")
            dtype = pd.api.types.pandas_dtype(self.dtype)
            tz = getattr(dtype, "tz", None)
            if tz is not None:
                return stamps.dt.tz_localize("UTC").dt.tz_convert(tz)
            return stamps.astype(dtype)
        if self.integer and has_missing:
            return series.astype("Int64")
        return series.astype(self.dtype)

    def to_dict(self) -> dict:
        return {
            "type": "continuous",
            "column": self.column,
            "kind": self.kind.value,
            "lower": self.lower,
            "upper": self.upper,
            "integer": self.integer,
            "nullable": self.nullable,
            "edges": list(self.edges),
            "masses": list(self.masses),
            "dtype": self.dtype,
        }


@dataclass(frozen=True)
class CategoricalTransform:
    """One-hot encoding over a fixed category set (public or DP-released).

    Values outside the set, and missing values when the column is not nullable, are encoded as
    `categories[fallback]` (the most frequent DP category, or the first public one).
    """

    column: str
    kind: ColumnKind
    categories: tuple[CategoryValue, ...]
    fallback: int
    nullable: bool
    dtype: str

    @property
    def width(self) -> int:
        return len(self.categories) + (1 if self.nullable else 0)

    @property
    def blocks(self) -> list[tuple[BlockKind, int]]:
        return [(BlockKind.CATEGORICAL, self.width)]

    def encode(self, series: pd.Series, rng: np.random.Generator) -> np.ndarray:
        return np.eye(self.width)[self.codes(series)]

    def codes(self, series: pd.Series) -> np.ndarray:
        """Each value's position in the categories (the fallback's when outside them; the
        slot after the categories when missing and the column is nullable)."""
        index = {category: position for position, category in enumerate(self.categories)}
        missing = series.isna().to_numpy()
        codes = np.fromiter(
            (index.get(to_category_value(v), self.fallback) for v in series.to_numpy()),
            dtype=np.int64,
            count=len(series),
        )
        if self.nullable:
            codes = np.where(missing, len(self.categories), codes)
        return codes

    def decode(self, codes: np.ndarray) -> pd.Series:
        choices = np.array([*self.categories, None], dtype=object)
        series = pd.Series(choices[codes], dtype=object)
        has_missing = bool(series.isna().any())
        if self.kind == ColumnKind.BOOLEAN:
            return series.astype("boolean" if has_missing else bool)
        dtype = pd.api.types.pandas_dtype(self.dtype)
        if has_missing and pd.api.types.is_integer_dtype(dtype):
            return series.astype("Int64")
        return series.astype(dtype)

    def to_dict(self) -> dict:
        return {
            "type": "categorical",
            "column": self.column,
            "kind": self.kind.value,
            "categories": list(self.categories),
            "fallback": self.fallback,
            "nullable": self.nullable,
            "dtype": self.dtype,
        }


ColumnTransform = ContinuousTransform | CategoricalTransform


@dataclass(frozen=True)
class TableEncoder:
    """Encodes a frame into a float32 matrix and decodes model output back into a frame."""

    transforms: tuple[ColumnTransform, ...]

    @property
    def columns(self) -> list[str]:
        return [transform.column for transform in self.transforms]

    @property
    def width(self) -> int:
        return sum(transform.width for transform in self.transforms)

    @property
    def blocks(self) -> tuple[Block, ...]:
        found: list[Block] = []
        start = 0
        for transform in self.transforms:
            for kind, width in transform.blocks:
                found.append(Block(kind, start, width))
                start += width
        return tuple(found)

    def encode(self, frame: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        parts = [transform.encode(frame[transform.column], rng) for transform in self.transforms]
        return np.concatenate(parts, axis=1).astype(np.float32)

    def decode(self, continuous: np.ndarray, codes: list[np.ndarray]) -> pd.DataFrame:
        """Rebuild a frame from per-block outputs: `continuous` holds one column per continuous
        block (in order) and `codes` the chosen index of each categorical block."""
        columns: dict[str, pd.Series] = {}
        continuous_index = 0
        code_index = 0
        for transform in self.transforms:
            if isinstance(transform, ContinuousTransform):
                block = continuous[:, continuous_index : continuous_index + 1]
                continuous_index += 1
                missing = None
                if transform.nullable:
                    missing = codes[code_index] == 1
                    code_index += 1
                columns[transform.column] = transform.decode(block, missing)
            else:
                columns[transform.column] = transform.decode(codes[code_index])
                code_index += 1
        return pd.DataFrame(columns)

    def to_dict(self) -> dict:
        return {"transforms": [transform.to_dict() for transform in self.transforms]}

    @classmethod
    def from_dict(cls, data: dict) -> TableEncoder:
        return cls(tuple(_transform_from_dict(item) for item in data["transforms"]))


def _transform_from_dict(data: dict) -> ColumnTransform:
    if data["type"] == "continuous":
        return ContinuousTransform(
            column=data["column"],
            kind=ColumnKind(data["kind"]),
            lower=float(data["lower"]),
            upper=float(data["upper"]),
            integer=bool(data["integer"]),
            nullable=bool(data["nullable"]),
            edges=tuple(float(e) for e in data["edges"]),
            masses=tuple(float(m) for m in data["masses"]),
            dtype=data["dtype"],
        )
    return CategoricalTransform(
        column=data["column"],
        kind=ColumnKind(data["kind"]),
        categories=tuple(data["categories"]),
        fallback=int(data["fallback"]),
        nullable=bool(data["nullable"]),
        dtype=data["dtype"],
    )
