"""Turning a DP training request into a plan, before any data is read.

`plan_dp_training` needs only the request, the public schema and the row count, so it runs
before the ledger spend: it validates the request, splits the user's (epsilon, delta) between
the preprocessing mechanisms and DP-SGD, and calibrates the noise multiplier.

The row count n is treated as public, as is usual for DP-SGD (the sample rate and the delta
< 1/n check depend on it).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass, replace
from enum import StrEnum

from synthstudio_libs.errors import FieldViolation, InvalidInput
from synthstudio_privacy.accounting import (
    AccountantKind,
    AimBudget,
    EventKind,
    MechanismEvent,
    MechanismSpend,
    MstBudget,
    account_events,
    calibrate_noise_multiplier,
    validate_privacy_target,
)
from synthstudio_privacy.schema import ColumnKind, TableSchema


class SynthesizerKind(StrEnum):
    """The DP generators on offer; `dp` asks the platform to choose (`choose_kind`)."""

    DP_TVAE = "dp_tvae"
    DP_CTGAN = "dp_ctgan"
    DP_MST = "dp_mst"
    DP_AIM = "dp_aim"
    DP = "dp"


# DP-SGD generators (trained with Opacus); the others are marginal-based.
DP_SGD_KINDS = frozenset({SynthesizerKind.DP_TVAE, SynthesizerKind.DP_CTGAN})
# Up to this epsilon, `dp` picks a marginal-based mechanism: they beat DP-SGD generators at
# small epsilon on ordinary tables (McKenna et al. VLDB'22; bench/privacy_dp_kinds.py measures
# ours).
MARGINAL_EPSILON_LIMIT = 8.0
# AIM's rounds score every 2-way (and 3-way) marginal: `dp` picks it up to this many columns
# and MST above; dp_aim asked for by name takes up to AIM_MAX_COLUMNS (one einsum letter each).
AIM_CHOICE_COLUMNS = 24
AIM_MAX_COLUMNS = 48


class Mechanism(StrEnum):
    """Preprocessing releases that spend budget."""

    BOUNDS = "bounds"
    HISTOGRAM = "histogram"
    CATEGORIES = "categories"


# Bisection steps of the calibrations against dp-accounting's charge.
_MST_CALIBRATION_STEPS = 10
RELEASE_WEIGHTS = {Mechanism.BOUNDS: 1.0, Mechanism.HISTOGRAM: 1.0, Mechanism.CATEGORIES: 3.0}
DEFAULT_LEARNING_RATES = {SynthesizerKind.DP_TVAE: 2e-3, SynthesizerKind.DP_CTGAN: 2e-4}


@dataclass(frozen=True)
class DPTrainingConfig:
    """A DP training request.

    (`epsilon`, `delta`) is the TOTAL guarantee the model will satisfy: a share
    (`preprocessing_epsilon_fraction`, and `preprocessing_delta_fraction` of delta when a
    category set must be discovered) pays for the DP statistics the encoder needs; DP-SGD gets
    the rest. With a fraction of 0, the schema must give every bound and category set.
    `batch_size` is the expected Poisson batch size; `learning_rate` None picks the model's
    default.
    """

    kind: SynthesizerKind
    epsilon: float
    delta: float
    epochs: int = 10
    accountant: AccountantKind = AccountantKind.RDP
    batch_size: int = 500
    max_grad_norm: float = 1.0
    learning_rate: float | None = None
    hidden_dims: tuple[int, ...] = (128, 128)
    latent_dim: int = 64
    # None: the kind's default (`preprocessing_fraction`).
    preprocessing_epsilon_fraction: float | None = None
    preprocessing_delta_fraction: float = 0.1
    # AIM's time budget: its last round takes the rest of the budget once 80% of it is gone.
    max_seconds: float = 240.0

    def __post_init__(self) -> None:
        # Accept the enums' string values (from JSON or protobuf names); anything else is left
        # for plan_dp_training to reject with a field violation.
        for name, enum in (("kind", SynthesizerKind), ("accountant", AccountantKind)):
            value = getattr(self, name)
            if isinstance(value, str) and value in enum._value2member_map_:
                object.__setattr__(self, name, enum(value))

    @property
    def preprocessing_fraction(self) -> float:
        """The share of epsilon the preprocessing releases get. MST's quality hangs on the
        category sets and on the CDFs its bins are cut from: on the CPS 1988 survey at epsilon
        1 its mean SDMetrics quality went 0.87, 0.89, 0.89, 0.91, 0.92, 0.91 for shares 0.2
        to 0.7 (4 runs each), so it gives preprocessing 0.6."""
        if self.preprocessing_epsilon_fraction is not None:
            return self.preprocessing_epsilon_fraction
        return 0.25 if self.kind in DP_SGD_KINDS else 0.6

    @property
    def effective_learning_rate(self) -> float | None:
        """The learning rate DP-SGD uses (None for marginal-based kinds, which have none)."""
        return self.learning_rate or DEFAULT_LEARNING_RATES.get(self.kind)

    def to_dict(self) -> dict:
        """Plain values (for job parameters); `from_dict` reverses it."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["accountant"] = str(self.accountant)
        data["hidden_dims"] = list(self.hidden_dims)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> DPTrainingConfig:
        fields = dict(data)
        fields["hidden_dims"] = tuple(fields.get("hidden_dims", (128, 128)))
        return cls(**fields)


@dataclass(frozen=True)
class DPTrainingPlan:
    """Everything fixed before training: budget split, sampling, steps and noise.

    `epsilon`/`delta` are what the ledger must record as spent.
    """

    config: DPTrainingConfig
    schema: TableSchema
    n_rows: int
    preprocessing: tuple[MechanismSpend, ...]
    training_epsilon: float
    training_delta: float
    batch_size: int
    sample_rate: float
    steps_per_epoch: int
    noise_multiplier: float
    choice_reason: str = ""

    @property
    def uses_dp_sgd(self) -> bool:
        return self.config.kind in DP_SGD_KINDS

    @property
    def epsilon(self) -> float:
        return self.config.epsilon

    @property
    def delta(self) -> float:
        return self.config.delta

    @property
    def steps(self) -> int:
        return self.steps_per_epoch * self.config.epochs

    @property
    def preprocessing_epsilon(self) -> float:
        return math.fsum(spend.epsilon for spend in self.preprocessing)

    @property
    def preprocessing_delta(self) -> float:
        return math.fsum(spend.delta for spend in self.preprocessing)

    def to_dict(self) -> dict:
        """Plain values (the job's params carry the plan the ledger recorded); `from_dict`
        reverses it exactly, so the job trains what was spent without planning again."""
        return {
            "config": self.config.to_dict(),
            "schema": self.schema.to_dict(),
            "n_rows": self.n_rows,
            "preprocessing": [asdict(spend) for spend in self.preprocessing],
            "training_epsilon": self.training_epsilon,
            "training_delta": self.training_delta,
            "batch_size": self.batch_size,
            "sample_rate": self.sample_rate,
            "steps_per_epoch": self.steps_per_epoch,
            "noise_multiplier": self.noise_multiplier,
            "choice_reason": self.choice_reason,
        }

    @classmethod
    def from_dict(cls, data: dict) -> DPTrainingPlan:
        return cls(
            config=DPTrainingConfig.from_dict(data["config"]),
            schema=TableSchema.from_dict(data["schema"]),
            n_rows=int(data["n_rows"]),
            preprocessing=tuple(MechanismSpend(**spend) for spend in data["preprocessing"]),
            training_epsilon=float(data["training_epsilon"]),
            training_delta=float(data["training_delta"]),
            batch_size=int(data["batch_size"]),
            sample_rate=float(data["sample_rate"]),
            steps_per_epoch=int(data["steps_per_epoch"]),
            noise_multiplier=float(data["noise_multiplier"]),
            choice_reason=str(data.get("choice_reason", "")),
        )

    def events(self) -> tuple[MechanismEvent, ...]:
        """Every DP release the plan makes, for the ledger and its accountants."""
        events = [_preprocessing_event(spend) for spend in self.preprocessing]
        if self.uses_dp_sgd:
            events.append(
                MechanismEvent(
                    EventKind.SUBSAMPLED_GAUSSIAN,
                    f"{self.config.kind.value} DP-SGD steps",
                    count=self.steps,
                    scale=self.noise_multiplier,
                    sample_rate=self.sample_rate,
                )
            )
        else:
            events.extend(self.marginal_budget().events())
        return tuple(events)

    def marginal_budget(self) -> MstBudget | AimBudget:
        """The zCDP budget of a marginal-based kind (AIM's or MST's)."""
        budget = AimBudget if self.config.kind == SynthesizerKind.DP_AIM else MstBudget
        return budget.for_target(
            self.training_epsilon, self.training_delta, len(self.schema.columns)
        )

    def mechanism(self, column: str, mechanism: Mechanism) -> MechanismSpend | None:
        """The budget share of one preprocessing release, if the plan has it."""
        for spend in self.preprocessing:
            if spend.column == column and spend.mechanism == mechanism:
                return spend
        return None


def plan_dp_training(config: DPTrainingConfig, schema: TableSchema, n_rows: int) -> DPTrainingPlan:
    """Validate a request against the public schema and row count and fix its plan (for kind
    `dp`, first choose the mechanism).

    Raises InvalidInput (naming the field) for a bad target, hyperparameter or schema, or when
    no noise level reaches the target.
    """
    validate_privacy_target(config.epsilon, config.delta, n_rows)
    n_rows = int(n_rows)
    _validate_hyperparameters(config)
    schema.validate()
    reason = ""
    if config.kind == SynthesizerKind.DP:
        kind, reason = choose_kind(config.epsilon, n_rows, len(schema.columns))
        config = replace(config, kind=kind)
    _check_aim_width(config, schema)
    releases = _required_releases(schema, config)
    preprocessing = _split_preprocessing_budget(config, releases)
    training_epsilon = config.epsilon - math.fsum(s.epsilon for s in preprocessing)
    training_delta = config.delta - math.fsum(s.delta for s in preprocessing)
    if config.kind not in DP_SGD_KINDS:
        budget_of = AimBudget if config.kind == SynthesizerKind.DP_AIM else MstBudget
        training_epsilon = _calibrate_marginal_epsilon(
            config, preprocessing, training_epsilon, training_delta, len(schema.columns)
        )
        budget = budget_of.for_target(training_epsilon, training_delta, len(schema.columns))
        return DPTrainingPlan(
            config=config,
            schema=schema,
            n_rows=n_rows,
            preprocessing=preprocessing,
            training_epsilon=training_epsilon,
            training_delta=training_delta,
            batch_size=0,
            sample_rate=0.0,
            steps_per_epoch=0,
            noise_multiplier=budget.sigma,
            choice_reason=reason,
        )
    batch_size = min(config.batch_size, n_rows)
    # Opacus derives the sample rate from the number of batches of the plain loader and runs
    # int(1 / sample_rate) Poisson batches per epoch; mirror it exactly so the plan matches.
    batches = math.ceil(n_rows / batch_size)
    sample_rate = 1 / batches
    steps_per_epoch = int(1 / sample_rate)
    noise_multiplier = calibrate_noise_multiplier(
        epsilon=training_epsilon,
        delta=training_delta,
        sample_rate=sample_rate,
        steps=steps_per_epoch * config.epochs,
        accountant=config.accountant,
    )
    noise_multiplier = _noise_within_target(
        config, preprocessing, noise_multiplier, sample_rate, steps_per_epoch * config.epochs
    )
    return DPTrainingPlan(
        config=config,
        schema=schema,
        n_rows=n_rows,
        preprocessing=preprocessing,
        training_epsilon=training_epsilon,
        training_delta=training_delta,
        batch_size=batch_size,
        sample_rate=sample_rate,
        steps_per_epoch=steps_per_epoch,
        noise_multiplier=noise_multiplier,
        choice_reason=reason,
    )


def _calibrate_marginal_epsilon(
    config: DPTrainingConfig,
    preprocessing: tuple[MechanismSpend, ...],
    epsilon: float,
    delta: float,
    columns: int,
) -> float:
    """The largest epsilon to plan MST or AIM with (at most 3x the basic-composition share, to
    _MST_CALIBRATION_STEPS halvings) whose events, with the preprocessing releases, stay within
    the target by both of dp-accounting's accountants: the zCDP conversion and basic
    composition the share comes from are looser than either."""
    fixed = [_preprocessing_event(spend) for spend in preprocessing]
    budget_of = AimBudget if config.kind == SynthesizerKind.DP_AIM else MstBudget

    def charged(share: float) -> float:
        events = (*fixed, *budget_of.for_target(share, delta, columns).events())
        return account_events(events, config.delta).charged

    low, high = epsilon, 3 * epsilon
    if charged(high) <= config.epsilon:
        return high
    for _ in range(_MST_CALIBRATION_STEPS):
        middle = (low + high) / 2
        if charged(middle) <= config.epsilon:
            low = middle
        else:
            high = middle
    return low


def _noise_within_target(
    config: DPTrainingConfig,
    preprocessing: tuple[MechanismSpend, ...],
    noise_multiplier: float,
    sample_rate: float,
    steps: int,
) -> float:
    """The calibrated noise, raised (bisected, at most _MST_CALIBRATION_STEPS times) until the
    charge stays within the target: the charge is the larger of dp-accounting's PLD and RDP
    epsilons, and RDP can exceed what Opacus' PRV accountant calibrated to."""
    fixed = [_preprocessing_event(spend) for spend in preprocessing]

    def charged(sigma: float) -> float:
        event = MechanismEvent(
            EventKind.SUBSAMPLED_GAUSSIAN,
            "DP-SGD steps",
            count=steps,
            scale=sigma,
            sample_rate=sample_rate,
        )
        return account_events((*fixed, event), config.delta).charged

    if charged(noise_multiplier) <= config.epsilon:
        return noise_multiplier
    low, high = noise_multiplier, 2 * noise_multiplier
    for _ in range(_MST_CALIBRATION_STEPS):
        middle = (low + high) / 2
        if charged(middle) <= config.epsilon:
            high = middle
        else:
            low = middle
    return high


def _preprocessing_event(spend: MechanismSpend) -> MechanismEvent:
    purpose = f"{spend.mechanism} of {spend.column}"
    if spend.mechanism == Mechanism.CATEGORIES:
        return MechanismEvent(
            EventKind.PARTITION_SELECTION, purpose, epsilon=spend.epsilon, delta=spend.delta
        )
    return MechanismEvent(EventKind.LAPLACE, purpose, scale=1.0 / spend.epsilon)


def choose_kind(epsilon: float, n_rows: int, columns: int) -> tuple[SynthesizerKind, str]:
    """The mechanism kind `dp` stands for at this target, and why (recorded in the job)."""
    if epsilon <= MARGINAL_EPSILON_LIMIT and columns <= AIM_CHOICE_COLUMNS:
        return SynthesizerKind.DP_AIM, (
            f"epsilon {epsilon:g} <= {MARGINAL_EPSILON_LIMIT:g}: marginal-based AIM keeps "
            "more of an ordinary table's marginals and pairwise trends than DP-SGD at this "
            f"budget ({n_rows} rows), and with {columns} columns <= {AIM_CHOICE_COLUMNS} its "
            "adaptive choice of 2- and 3-way marginals fits its time budget"
        )
    if epsilon <= MARGINAL_EPSILON_LIMIT:
        return SynthesizerKind.DP_MST, (
            f"epsilon {epsilon:g} <= {MARGINAL_EPSILON_LIMIT:g}: marginal-based MST keeps "
            "more of an ordinary table's marginals and pairwise trends than DP-SGD at this "
            f"budget ({n_rows} rows); with {columns} columns > {AIM_CHOICE_COLUMNS}, AIM's "
            "rounds over every pair and triple of columns would not fit its time budget"
        )
    return SynthesizerKind.DP_TVAE, (
        f"epsilon {epsilon:g} > {MARGINAL_EPSILON_LIMIT:g}: DP-TVAE has enough budget for "
        "DP-SGD to model interactions beyond MST's tree of 2-way marginals"
    )


def _validate_hyperparameters(config: DPTrainingConfig) -> None:
    checks = [
        (
            "kind",
            isinstance(config.kind, SynthesizerKind),
            "must be dp_tvae, dp_ctgan, dp_mst, dp_aim or dp",
        ),
        (
            "accountant",
            isinstance(config.accountant, AccountantKind),
            "must be rdp or prv",
        ),
        ("epochs", _is_int_in(config.epochs, 1, 10_000), "must be a whole number in [1, 10000]"),
        (
            "batch_size",
            _is_int_in(config.batch_size, 2, 1_000_000),
            "must be a whole number of at least 2",
        ),
        ("max_grad_norm", _is_positive(config.max_grad_norm), "must be a positive number"),
        (
            "learning_rate",
            config.learning_rate is None or _is_positive(config.learning_rate),
            "must be a positive number",
        ),
        (
            "hidden_dims",
            bool(config.hidden_dims) and all(_is_int_in(d, 1, 4096) for d in config.hidden_dims),
            "must list one or more layer widths in [1, 4096]",
        ),
        ("latent_dim", _is_int_in(config.latent_dim, 1, 4096), "must be in [1, 4096]"),
        (
            "max_seconds",
            _is_positive(config.max_seconds) and config.max_seconds <= 86_400,
            "must be a positive number of seconds, at most 86400",
        ),
        (
            "preprocessing_epsilon_fraction",
            config.preprocessing_epsilon_fraction is None
            or _is_fraction(config.preprocessing_epsilon_fraction),
            "must be at least 0 and below 1",
        ),
        (
            "preprocessing_delta_fraction",
            _is_fraction(config.preprocessing_delta_fraction),
            "must be at least 0 and below 1",
        ),
    ]
    violations = [FieldViolation(name, text) for name, ok, text in checks if not ok]
    if violations:
        first = violations[0]
        raise InvalidInput(
            "Invalid DP training request: "
            + "; ".join(f"{v.field} {v.description}" for v in violations)
            + ".",
            violations=violations,
            metadata={"field": first.field},
        )


def _check_aim_width(config: DPTrainingConfig, schema: TableSchema) -> None:
    columns = len(schema.columns)
    if config.kind == SynthesizerKind.DP_AIM and columns > AIM_MAX_COLUMNS:
        raise InvalidInput(
            f"dp_aim models tables of up to {AIM_MAX_COLUMNS} columns, this one has {columns}: "
            "use dp_mst (or dp, which chooses) for wider tables.",
            field="kind",
            metadata={"columns": columns, "max_columns": AIM_MAX_COLUMNS},
        )


def _is_int_in(value: object, low: int, high: int) -> bool:
    integral = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    return integral and low <= value <= high


def _is_positive(value: object) -> bool:
    return isinstance(value, numbers.Real) and math.isfinite(value) and value > 0


def _is_fraction(value: object) -> bool:
    return isinstance(value, numbers.Real) and 0 <= value < 1


def _required_releases(
    schema: TableSchema, config: DPTrainingConfig
) -> list[tuple[str, Mechanism]]:
    """The DP releases the encoder needs: bounds for continuous columns without public ones, a
    histogram (for the quantile transform) per continuous column, and a category set for
    categorical columns without a public one. With no preprocessing budget, only public
    metadata is used and continuous columns are scaled linearly between their bounds."""
    use_histograms = config.preprocessing_fraction > 0
    releases: list[tuple[str, Mechanism]] = []
    missing: list[FieldViolation] = []
    for index, column in enumerate(schema.columns):
        if column.is_continuous:
            if not column.has_public_bounds:
                releases.append((column.name, Mechanism.BOUNDS))
                missing.append(FieldViolation(f"schema.columns[{index}].lower", "no bounds"))
            if use_histograms:
                releases.append((column.name, Mechanism.HISTOGRAM))
        elif column.kind == ColumnKind.CATEGORICAL and column.public_categories is None:
            releases.append((column.name, Mechanism.CATEGORIES))
            missing.append(FieldViolation(f"schema.columns[{index}].categories", "no categories"))
    if missing and not use_histograms:
        raise InvalidInput(
            "preprocessing_epsilon_fraction is 0, so every bound and category set must come "
            "from the schema, but " + ", ".join(v.field for v in missing) + " are missing. "
            "State them as public metadata or give preprocessing a share of epsilon.",
            violations=missing,
            metadata={"fields": ",".join(v.field for v in missing)},
        )
    return releases


def _split_preprocessing_budget(
    config: DPTrainingConfig, releases: list[tuple[str, Mechanism]]
) -> tuple[MechanismSpend, ...]:
    if not releases:
        return ()
    # Category sets weigh triple: partition selection releases only categories held by about
    # log(1/delta)/epsilon rows, so a category set needs more epsilon than a histogram does.
    weights = [RELEASE_WEIGHTS[mechanism] for _, mechanism in releases]
    epsilon_unit = config.epsilon * config.preprocessing_fraction / sum(weights)
    category_releases = sum(1 for _, mechanism in releases if mechanism == Mechanism.CATEGORIES)
    if category_releases and config.preprocessing_delta_fraction == 0:
        raise InvalidInput(
            "Discovering category sets under DP needs a share of delta, but "
            "preprocessing_delta_fraction is 0: give it a share or state the categories.",
            field="preprocessing_delta_fraction",
            metadata={"preprocessing_delta_fraction": 0},
        )
    delta_each = (
        config.delta * config.preprocessing_delta_fraction / category_releases
        if category_releases
        else 0.0
    )
    return tuple(
        MechanismSpend(
            column=column,
            mechanism=mechanism.value,
            epsilon=epsilon_unit * weight,
            delta=delta_each if mechanism == Mechanism.CATEGORIES else 0.0,
        )
        for (column, mechanism), weight in zip(releases, weights, strict=True)
    )
