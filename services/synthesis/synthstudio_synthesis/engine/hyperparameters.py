"""Typed hyperparameters for each synthesizer kind, validated when they are built.

Every class checks its fields in `__post_init__`, so a value that is out of range or of the
wrong type raises `InvalidInput` naming the field (`hyperparameters.epochs`) whether it came from
a request mapping (`parse_hyperparameters`) or was built directly. Checks that need the data
(a column named in `numerical_distributions` must exist) happen at training time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from faker.config import AVAILABLE_LOCALES

from synthstudio_libs.errors import InvalidInput
from synthstudio_synthesis.engine.kinds import SynthesizerKind, parse_kind

DISTRIBUTIONS = ("beta", "gamma", "gaussian_kde", "norm", "truncnorm", "uniform")
# HMA refuses the non-parametric KDE: its parameters cannot be flattened into parent rows.
HMA_DISTRIBUTIONS = tuple(name for name in DISTRIBUTIONS if name != "gaussian_kde")
FIELD_PREFIX = "hyperparameters"

Check = Callable[[str, Any], Any]


def _fail(path: str, expected: str, value: object) -> InvalidInput:
    return InvalidInput(
        f"{path} must be {expected}, got {value!r}",
        field=path,
        metadata={"field": path, "value": value, "expected": expected},
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def integer(low: int, high: int, *, optional: bool = False) -> dict[str, Check]:
    """An int in [low, high]; an integral float (5.0 from JSON) is accepted as that int."""

    def check(path: str, value: Any) -> int | None:
        if value is None and optional:
            return None
        if _is_number(value) and float(value).is_integer():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise _fail(path, f"an integer between {low} and {high}", value)
        return value

    return {"check": check}


def real(
    low: float, high: float, *, low_open: bool = False, optional: bool = False
) -> dict[str, Check]:
    """A finite number in [low, high], or (low, high] when `low_open`."""
    bracket = "(" if low_open else "["

    def check(path: str, value: Any) -> float | None:
        if value is None and optional:
            return None
        above_low = value > low if low_open else value >= low
        if not _is_number(value) or not math.isfinite(value) or not above_low or value > high:
            raise _fail(path, f"a number in {bracket}{low}, {high}]", value)
        return float(value)

    return {"check": check}


def boolean() -> dict[str, Check]:
    def check(path: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _fail(path, "true or false", value)
        return value

    return {"check": check}


def choice(options: Sequence[str], *, optional: bool = False) -> dict[str, Check]:
    def check(path: str, value: Any) -> str | None:
        if value is None and optional:
            return None
        if value not in options:
            raise _fail(path, f"one of {', '.join(options)}", value)
        return value

    return {"check": check}


def layer_sizes() -> dict[str, Check]:
    """Hidden layer widths: 1 to 8 layers of 1 to 4096 units."""

    def check(path: str, value: Any) -> tuple[int, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value:
            raise _fail(path, "a list of 1 to 8 layer sizes", value)
        if len(value) > 8:
            raise _fail(path, "a list of 1 to 8 layer sizes", value)
        size = integer(1, 4096)["check"]
        return tuple(size(f"{path}[{index}]", item) for index, item in enumerate(value))

    return {"check": check}


def locales() -> dict[str, Check]:
    def check(path: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence) or not value:
            raise _fail(path, "a non-empty list of Faker locales such as en_US", value)
        for index, item in enumerate(value):
            if item not in AVAILABLE_LOCALES:
                raise _fail(f"{path}[{index}]", "a Faker locale such as en_US or fr_FR", item)
        return tuple(value)

    return {"check": check}


def column_names() -> dict[str, Check]:
    def check(path: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence):
            raise _fail(path, "a list of column names", value)
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise _fail(f"{path}[{index}]", "a column name", item)
        if len(set(value)) != len(value):
            raise _fail(path, "a list of distinct column names", value)
        return tuple(value)

    return {"check": check}


def distribution_map(options: Sequence[str]) -> dict[str, Check]:
    """Column name -> distribution name."""

    def check(path: str, value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping):
            raise _fail(path, "a mapping of column name to distribution", value)
        name = choice(options)["check"]
        return {str(column): name(f"{path}.{column}", dist) for column, dist in value.items()}

    return {"check": check}


@dataclass(frozen=True)
class Hyperparameters:
    """Base of the per-kind classes: validates and normalises every field on creation."""

    def __post_init__(self) -> None:
        for spec in fields(self):
            path = f"{FIELD_PREFIX}.{spec.name}"
            normalised = spec.metadata["check"](path, getattr(self, spec.name))
            object.__setattr__(self, spec.name, normalised)
        self._check_together()

    def _check_together(self) -> None:
        """Rules between fields; subclasses override."""

    def to_dict(self) -> dict[str, Any]:
        """Plain values, for a job record or a proto."""
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}


@dataclass(frozen=True)
class _Rounding(Hyperparameters):
    enforce_min_max_values: bool = field(default=True, metadata=boolean())
    enforce_rounding: bool = field(default=True, metadata=boolean())


@dataclass(frozen=True)
class _Localised(_Rounding):
    locales: tuple[str, ...] = field(default=("en_US",), metadata=locales())


@dataclass(frozen=True)
class GaussianCopulaHyperparameters(_Localised):
    """Gaussian copula: per-column marginal distributions joined by a Gaussian copula."""

    default_distribution: str = field(default="beta", metadata=choice(DISTRIBUTIONS))
    numerical_distributions: dict[str, str] = field(
        default_factory=dict, metadata=distribution_map(DISTRIBUTIONS)
    )


@dataclass(frozen=True)
class CTGANHyperparameters(_Localised):
    """Conditional GAN (ctgan); `batch_size` must be even and a multiple of `pac`."""

    epochs: int = field(default=300, metadata=integer(1, 100_000))
    batch_size: int = field(default=500, metadata=integer(2, 1_000_000))
    embedding_dim: int = field(default=128, metadata=integer(1, 4096))
    generator_dim: tuple[int, ...] = field(default=(256, 256), metadata=layer_sizes())
    discriminator_dim: tuple[int, ...] = field(default=(256, 256), metadata=layer_sizes())
    generator_lr: float = field(default=2e-4, metadata=real(0.0, 1.0, low_open=True))
    generator_decay: float = field(default=1e-6, metadata=real(0.0, 1.0))
    discriminator_lr: float = field(default=2e-4, metadata=real(0.0, 1.0, low_open=True))
    discriminator_decay: float = field(default=1e-6, metadata=real(0.0, 1.0))
    discriminator_steps: int = field(default=1, metadata=integer(1, 100))
    log_frequency: bool = field(default=True, metadata=boolean())
    pac: int = field(default=10, metadata=integer(1, 100))
    enable_gpu: bool = field(default=False, metadata=boolean())

    def _check_together(self) -> None:
        # ctgan asserts both: the discriminator sees the batch in packs of `pac` pairs.
        if self.batch_size % 2 or self.batch_size % self.pac:
            raise _fail(
                f"{FIELD_PREFIX}.batch_size",
                f"an even multiple of pac ({self.pac})",
                self.batch_size,
            )


@dataclass(frozen=True)
class TVAEHyperparameters(_Rounding):
    """Tabular variational autoencoder (ctgan's TVAE)."""

    epochs: int = field(default=300, metadata=integer(1, 100_000))
    batch_size: int = field(default=500, metadata=integer(1, 1_000_000))
    embedding_dim: int = field(default=128, metadata=integer(1, 4096))
    compress_dims: tuple[int, ...] = field(default=(128, 128), metadata=layer_sizes())
    decompress_dims: tuple[int, ...] = field(default=(128, 128), metadata=layer_sizes())
    l2scale: float = field(default=1e-5, metadata=real(0.0, 1.0))
    loss_factor: float = field(default=2.0, metadata=real(0.0, 1000.0, low_open=True))
    enable_gpu: bool = field(default=False, metadata=boolean())


@dataclass(frozen=True)
class CopulaGANHyperparameters(CTGANHyperparameters):
    """CTGAN trained on columns first normalised through their fitted marginals."""

    default_distribution: str = field(default="beta", metadata=choice(DISTRIBUTIONS))
    numerical_distributions: dict[str, str] = field(
        default_factory=dict, metadata=distribution_map(DISTRIBUTIONS)
    )


@dataclass(frozen=True)
class HMAHyperparameters(_Localised):
    """Hierarchical modelling of linked tables; one Gaussian copula per table.

    `default_distribution` None keeps SDV's choice (beta for root tables, norm for children).
    """

    default_distribution: str | None = field(
        default=None, metadata=choice(HMA_DISTRIBUTIONS, optional=True)
    )


@dataclass(frozen=True)
class PARHyperparameters(_Localised):
    """Probabilistic autoregressive model for sequences (one sequence per entity)."""

    epochs: int = field(default=128, metadata=integer(1, 100_000))
    sample_size: int = field(default=1, metadata=integer(1, 1000))
    segment_size: int | None = field(default=None, metadata=integer(1, 1_000_000, optional=True))
    context_columns: tuple[str, ...] = field(default=(), metadata=column_names())
    enable_gpu: bool = field(default=False, metadata=boolean())


@dataclass(frozen=True)
class TabularArgnHyperparameters(Hyperparameters):
    """TabularARGN (mostlyai-engine): an autoregressive network over every column order.

    Training stops at whichever comes first: `max_training_time` (minutes), `max_epochs`, or
    early stopping on the validation loss. None lets the engine size the budget to the table
    (one minute per 20,000 cells, from 1 to 10: a small table need not wait ten minutes on a
    two-core host, a large one gets the most).
    """

    max_training_time: float | None = field(
        default=None, metadata=real(0.0, 7 * 24 * 60, low_open=True, optional=True)
    )
    max_epochs: int = field(default=100, metadata=integer(1, 10_000))
    model_size: str = field(default="medium", metadata=choice(("small", "medium", "large")))
    # Rare categories and extreme values are protected (collapsed and clipped) before training.
    value_protection: bool = field(default=True, metadata=boolean())


HYPERPARAMETER_TYPES: dict[SynthesizerKind, type[Hyperparameters]] = {
    SynthesizerKind.GAUSSIAN_COPULA: GaussianCopulaHyperparameters,
    SynthesizerKind.CTGAN: CTGANHyperparameters,
    SynthesizerKind.TVAE: TVAEHyperparameters,
    SynthesizerKind.COPULAGAN: CopulaGANHyperparameters,
    SynthesizerKind.HMA: HMAHyperparameters,
    SynthesizerKind.PAR: PARHyperparameters,
    SynthesizerKind.TABULAR_ARGN: TabularArgnHyperparameters,
}


def parse_hyperparameters(
    kind: SynthesizerKind | str, values: Mapping[str, Any] | None = None
) -> Hyperparameters:
    """The typed hyperparameters of `kind` from a plain mapping; absent names take defaults."""
    kind = parse_kind(kind)
    cls = HYPERPARAMETER_TYPES[kind]
    known = [spec.name for spec in fields(cls)]
    for name in values or {}:
        if name not in known:
            path = f"{FIELD_PREFIX}.{name}"
            raise InvalidInput(
                f"{path} is not a hyperparameter of {kind.value}: use {', '.join(known)}",
                field=path,
                metadata={"field": path, "kind": kind.value, "known": ", ".join(known)},
            )
    return cls(**dict(values or {}))


def check_hyperparameters_kind(kind: SynthesizerKind, hyperparameters: Hyperparameters) -> None:
    """InvalidInput when `hyperparameters` belong to another kind than `kind`."""
    expected = HYPERPARAMETER_TYPES[kind]
    if type(hyperparameters) is not expected:
        raise InvalidInput(
            f"hyperparameters are {type(hyperparameters).__name__}, but a {kind.value} "
            f"synthesizer takes {expected.__name__}",
            field=FIELD_PREFIX,
            metadata={"kind": kind.value, "expected": expected.__name__},
        )
