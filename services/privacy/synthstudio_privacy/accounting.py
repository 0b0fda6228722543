"""Privacy accounting: calibrating DP-SGD noise and recomputing a model's guarantee.

A DP synthesizer's guarantee is the sequential composition of its preprocessing mechanisms
(pure epsilon-DP histograms and (epsilon, delta)-DP category selection) and of DP-SGD training,
whose (epsilon, delta) comes from Opacus' RDP or PRV accountant for the Poisson-subsampled
Gaussian mechanism. `PrivacyGuarantee` stores every number needed to recompute it.
"""

from __future__ import annotations

import math
import numbers
import time
import warnings
from dataclasses import asdict, dataclass
from enum import StrEnum

from synthstudio_libs.errors import InvalidInput

# The noise search visits large noise levels whose best RDP order is the largest one tried;
# the epsilon reported is still a valid upper bound, so the hint is noise in the logs.
warnings.filterwarnings(
    "ignore", message="Optimal order is the largest alpha", category=UserWarning
)

# The noise calibration bisects the noise multiplier to this relative precision (the trained
# model's epsilon is never above the target), within an iteration and a time limit.
CALIBRATION_SIGMA_TOLERANCE = 5e-3
CALIBRATION_ITERATIONS = 40
CALIBRATION_SECONDS = 20.0
# Noise multipliers searched: below 0.05 no accountant gives a meaningful epsilon, above 10^4
# the model learns nothing.
MIN_NOISE_MULTIPLIER = 0.05
MAX_NOISE_MULTIPLIER = 1e4
# The accepted privacy targets. Beyond epsilon 50 a "guarantee" bounds nothing (e^50 ~ 5e21);
# below delta 1e-20 no accountant resolves the difference.
MAX_EPSILON = 50.0
MIN_DELTA = 1e-20
# Privacy-loss discretisation of the PLD accountant: coarser than its default (1e-4) to keep a
# few thousand DP-SGD steps within a second or two; the bound stays pessimistic.
_PLD_DISCRETISATION = 1e-3


class AccountantKind(StrEnum):
    """Opacus accountant used for DP-SGD: Renyi DP or the numerical PRV accountant."""

    RDP = "rdp"
    PRV = "prv"


@dataclass(frozen=True)
class MechanismSpend:
    """One preprocessing release: which column, which mechanism, and its (epsilon, delta)."""

    column: str
    mechanism: str
    epsilon: float
    delta: float = 0.0


@dataclass(frozen=True)
class PrivacyGuarantee:
    """What a trained DP model guarantees and everything needed to recompute it.

    `epsilon`/`delta` are the totals: `events` (every release) accounted by dp-accounting's
    PLD and RDP accountants (`pld_epsilon`, `rdp_epsilon`), the larger taken. DP-SGD training
    is `steps` Poisson-subsampled Gaussian steps with `sample_rate`, `noise_multiplier` and
    per-sample clipping at `max_grad_norm`, calibrated with Opacus' `accountant` at
    `training_delta`; MST's `noise_multiplier` is its Gaussian sigma and it has no steps.
    """

    epsilon: float
    delta: float
    accountant: AccountantKind
    noise_multiplier: float
    sample_rate: float
    steps: int
    max_grad_norm: float
    training_epsilon: float
    training_delta: float
    preprocessing_epsilon: float
    preprocessing_delta: float
    preprocessing: tuple[MechanismSpend, ...] = ()
    events: tuple[MechanismEvent, ...] = ()
    pld_epsilon: float = 0.0
    rdp_epsilon: float = 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["accountant"] = self.accountant.value
        data["preprocessing"] = [asdict(spend) for spend in self.preprocessing]
        data["events"] = [event.to_dict() for event in self.events]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PrivacyGuarantee:
        fields = dict(data)
        fields["accountant"] = AccountantKind(fields["accountant"])
        fields["preprocessing"] = tuple(MechanismSpend(**s) for s in fields["preprocessing"])
        fields["events"] = tuple(MechanismEvent.from_dict(e) for e in fields.get("events", ()))
        return cls(**fields)


def dp_sgd_epsilon(
    *,
    accountant: AccountantKind,
    noise_multiplier: float,
    sample_rate: float,
    steps: int,
    delta: float,
) -> float:
    """Epsilon of `steps` Poisson-subsampled Gaussian steps, from Opacus' accountant."""
    if steps == 0:
        return 0.0
    # Imported here: Opacus (and torch) take seconds to import, and the ledger, which the
    # migration tool and the service's start-up load, needs only `validate_privacy_target`.
    from opacus.accountants import create_accountant

    opacus_accountant = create_accountant(mechanism=accountant.value)
    opacus_accountant.history = [(noise_multiplier, sample_rate, steps)]
    return float(opacus_accountant.get_epsilon(delta=delta))


def recompute_epsilon(guarantee: PrivacyGuarantee) -> float:
    """Recompute a model's total epsilon from its stored parameters with Opacus' accountant."""
    return guarantee.preprocessing_epsilon + dp_sgd_epsilon(
        accountant=guarantee.accountant,
        noise_multiplier=guarantee.noise_multiplier,
        sample_rate=guarantee.sample_rate,
        steps=guarantee.steps,
        delta=guarantee.training_delta,
    )


def calibrate_noise_multiplier(
    *,
    epsilon: float,
    delta: float,
    sample_rate: float,
    steps: int,
    accountant: AccountantKind,
) -> float:
    """The smallest noise multiplier (to the calibration tolerance) whose DP-SGD run of `steps`
    steps stays within (epsilon, delta). Raises InvalidInput when no noise level can, or when
    the search runs past its iteration or time limit.

    Opacus' own search (`get_noise_multiplier`) halves its interval until it is within the
    tolerance of the target, which never happens for a target no noise level comes near: it
    spun forever on epsilon=1e308. This bisection is bounded in iterations and in time.
    """
    deadline = time.monotonic() + CALIBRATION_SECONDS

    def epsilon_at(sigma: float) -> float:
        if time.monotonic() > deadline:
            raise _calibration_failed(epsilon, delta, sample_rate, steps, "it took too long")
        return dp_sgd_epsilon(
            accountant=accountant,
            noise_multiplier=sigma,
            sample_rate=sample_rate,
            steps=steps,
            delta=delta,
        )

    sigma_low, sigma_high = _bracket(epsilon_at, epsilon)
    if sigma_high > MAX_NOISE_MULTIPLIER:
        raise _calibration_failed(
            epsilon, delta, sample_rate, steps, "the budget is too small for any noise"
        )
    for _ in range(CALIBRATION_ITERATIONS):
        if sigma_high - sigma_low <= CALIBRATION_SIGMA_TOLERANCE * sigma_high:
            break
        middle = (sigma_low + sigma_high) / 2
        if epsilon_at(middle) <= epsilon:
            sigma_high = middle
        else:
            sigma_low = middle
    return sigma_high


def _bracket(epsilon_at, epsilon: float) -> tuple[float, float]:
    """Noise multipliers (low, high) with epsilon_at(high) <= epsilon < epsilon_at(low), found
    by doubling or halving from 1 (low is 0 when even the least noise searched is enough);
    high passes MAX_NOISE_MULTIPLIER when no noise is enough."""
    if epsilon_at(1.0) <= epsilon:
        high = 1.0
        while high / 2 >= MIN_NOISE_MULTIPLIER:
            if epsilon_at(high / 2) > epsilon:
                return high / 2, high
            high /= 2
        return 0.0, high
    low = 1.0
    while low <= MAX_NOISE_MULTIPLIER:
        if epsilon_at(2 * low) <= epsilon:
            return low, 2 * low
        low *= 2
    return low, 2 * low


def _calibration_failed(
    epsilon: float, delta: float, sample_rate: float, steps: int, why: str
) -> InvalidInput:
    return InvalidInput(
        f"No amount of noise keeps {steps} DP-SGD steps at sample rate {sample_rate:.4g} "
        f"within epsilon={epsilon:.4g}, delta={delta:.3g} ({why}). Raise epsilon, or lower "
        "the epochs or the batch size.",
        field="epsilon",
        metadata={"epsilon": epsilon, "delta": delta, "steps": steps},
    )


def validate_privacy_target(epsilon: float, delta: float, n_rows: int) -> None:
    """Raise InvalidInput naming the field when (epsilon, delta) cannot protect `n_rows` rows.

    Delta must be positive and below 1/n: a delta of 1/n would allow releasing one whole row.
    """
    if isinstance(n_rows, bool) or not isinstance(n_rows, numbers.Integral) or n_rows < 1:
        raise InvalidInput(
            f"The dataset must have at least one row to train on; it has {n_rows}.",
            field="n_rows",
            metadata={"n_rows": n_rows},
        )
    if not (
        isinstance(epsilon, numbers.Real)
        and not isinstance(epsilon, bool)
        and 0 < epsilon <= MAX_EPSILON
    ):
        raise InvalidInput(
            f"epsilon must be greater than 0 and at most {MAX_EPSILON:g}, got {epsilon}; "
            "0.5 to 4 is usual.",
            field="epsilon",
            metadata={"epsilon": epsilon, "min_epsilon": 0, "max_epsilon": MAX_EPSILON},
        )
    limit = 1.0 / n_rows
    if not (
        isinstance(delta, numbers.Real)
        and not isinstance(delta, bool)
        and MIN_DELTA <= delta < limit
    ):
        raise InvalidInput(
            f"delta must be from {MIN_DELTA:g} to below 1/n = {limit:.3g} for {n_rows} rows, "
            f"got {delta}; a common choice is 1/(10 n) = {limit / 10:.3g} or smaller.",
            field="delta",
            metadata={
                "delta": delta,
                "n_rows": n_rows,
                "min_delta": MIN_DELTA,
                "max_delta": limit,
            },
        )


def zcdp_rho(epsilon: float, delta: float) -> float:
    """The largest rho whose rho-zCDP implies (epsilon, delta)-DP by the conversion
    epsilon = rho + 2 sqrt(rho log(1/delta)) (Bun and Steinke, 2016)."""
    log_term = math.log(1.0 / delta)
    root = -math.sqrt(log_term) + math.sqrt(log_term + epsilon)
    return root * root


@dataclass(frozen=True)
class MstBudget:
    """How MST spends its zCDP budget rho: three Gaussian releases of L2 sensitivity 1 with the
    same noise multiplier `sigma` (rho/3 each): the 1-way marginals, the scores of every pair
    of columns, and the tree's 2-way marginals. Within a release of k marginals (or scores),
    each carries noise sigma x sqrt(k)."""

    rho: float
    sigma: float
    columns: int

    @classmethod
    def for_target(cls, epsilon: float, delta: float, columns: int) -> MstBudget:
        rho = zcdp_rho(epsilon, delta)
        return cls(rho=rho, sigma=math.sqrt(3.0 / (2.0 * rho)), columns=columns)

    @property
    def edges(self) -> int:
        return max(self.columns - 1, 0)

    @property
    def pairs(self) -> int:
        return self.columns * (self.columns - 1) // 2

    @property
    def one_way_sigma(self) -> float:
        return self.sigma * math.sqrt(self.columns)

    @property
    def score_sigma(self) -> float:
        return self.sigma * math.sqrt(max(self.pairs, 1))

    @property
    def two_way_sigma(self) -> float:
        return self.sigma * math.sqrt(max(self.edges, 1))

    def events(self) -> tuple[MechanismEvent, ...]:
        releases = [("1-way marginals", self.columns), ("pair scores", self.edges)]
        releases.append(("tree 2-way marginals", self.edges))
        return tuple(
            MechanismEvent(EventKind.GAUSSIAN, f"MST {purpose}", scale=self.sigma)
            for purpose, needed in releases
            if needed
        )


@dataclass(frozen=True)
class AimBudget:
    """How AIM spends its zCDP budget rho, in budget units (McKenna et al., VLDB 2022, with
    their 0.9/0.1 split and T = 16 x columns): the 1-way marginals are `columns` Gaussian
    measurements at noise multiplier `sigma`; the rounds get `units` units, each a Gaussian
    measurement at `sigma` (0.9 of the unit's rho) and an exponential-mechanism selection at
    `epsilon` (0.1 of it, epsilon^2 / 8 zCDP). A round that anneals measures at sigma / 2^k and
    selects at epsilon x 2^k, spending 4^k units: the same RDP curve as 4^k unit rounds."""

    rho: float
    sigma: float
    epsilon: float
    columns: int
    units: int

    @classmethod
    def for_target(cls, epsilon: float, delta: float, columns: int) -> AimBudget:
        rho = zcdp_rho(epsilon, delta)
        units = 15 * columns
        unit_rho = rho / (0.9 * columns + units)
        return cls(
            rho=rho,
            sigma=math.sqrt(1.0 / (2.0 * 0.9 * unit_rho)),
            epsilon=math.sqrt(8.0 * 0.1 * unit_rho),
            columns=columns,
            units=units,
        )

    @property
    def unit_rho(self) -> float:
        return 1.0 / (2.0 * self.sigma**2) + self.epsilon**2 / 8.0

    @property
    def rounds_rho(self) -> float:
        return self.units * self.unit_rho

    @property
    def typical_sigma(self) -> float:
        """The noise of a measurement if the rounds' budget went to about one 2-way marginal
        per column (what AIM tends to end with): the bin count is chosen from it."""
        return math.sqrt(self.columns / (2.0 * 0.9 * self.rounds_rho))

    def events(self) -> tuple[MechanismEvent, ...]:
        return (
            MechanismEvent(
                EventKind.GAUSSIAN, "AIM 1-way marginals", count=self.columns, scale=self.sigma
            ),
            MechanismEvent(
                EventKind.GAUSSIAN,
                "AIM marginal measurements (budget units)",
                count=self.units,
                scale=self.sigma,
            ),
            MechanismEvent(
                EventKind.EXPONENTIAL,
                "AIM marginal selections (budget units)",
                count=self.units,
                epsilon=self.epsilon,
            ),
        )


class EventKind(StrEnum):
    """The mechanisms a spend is made of (each with sensitivity 1 under add/remove-one-row)."""

    LAPLACE = "laplace"
    GAUSSIAN = "gaussian"
    # The exponential mechanism at `epsilon` (bounded range: epsilon^2 / 8 zCDP).
    EXPONENTIAL = "exponential"
    SUBSAMPLED_GAUSSIAN = "subsampled_gaussian"
    PARTITION_SELECTION = "partition_selection"


@dataclass(frozen=True)
class MechanismEvent:
    """One DP release, or `count` identical ones.

    `scale` is the noise scale over the sensitivity (Laplace's b, or the Gaussian noise
    multiplier sigma); `sample_rate` is DP-SGD's Poisson rate; a partition selection is given
    by its own (`epsilon`, `delta`). `purpose` says what was released.
    """

    kind: EventKind
    purpose: str
    count: int = 1
    scale: float = 0.0
    sample_rate: float = 0.0
    epsilon: float = 0.0
    delta: float = 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> MechanismEvent:
        fields = dict(data)
        fields["kind"] = EventKind(fields["kind"])
        return cls(**fields)


@dataclass(frozen=True)
class EventEpsilons:
    """Epsilon of a list of events at a total delta, from Google's dp-accounting: its PLD and
    its RDP accountant. `charged` is the larger."""

    pld: float
    rdp: float

    @property
    def charged(self) -> float:
        return max(self.pld, self.rdp)


def account_events(events: tuple[MechanismEvent, ...], delta: float) -> EventEpsilons:
    """Recompute the epsilon of `events` at total `delta` with dp-accounting's PLD and RDP
    accountants. Laplace, Gaussian and Poisson-subsampled Gaussian events compose inside each
    accountant; partition selections, which neither accountant models, add their (epsilon,
    delta) by basic composition (their delta is taken out of `delta` first). An exponential
    mechanism at epsilon enters RDP as the Gaussian of the same zCDP (noise 2 / epsilon: the
    bounded-range bound epsilon^2 / 8, Cesar and Rogers 2021) and PLD as a pure epsilon-DP
    release (its dominating pair); AIM's adaptive rounds are covered by the RDP (zCDP) figure,
    and the charge is never below it."""
    from dp_accounting import dp_event
    from dp_accounting.pld import common, privacy_loss_distribution
    from dp_accounting.rdp import rdp_privacy_accountant

    aside = [e for e in events if e.kind == EventKind.PARTITION_SELECTION]
    aside_epsilon = math.fsum(e.epsilon * e.count for e in aside)
    remaining_delta = delta - math.fsum(e.delta * e.count for e in aside)
    composed = [e for e in events if e.kind != EventKind.PARTITION_SELECTION]
    if not composed:
        return EventEpsilons(pld=aside_epsilon, rdp=aside_epsilon)
    rdp = rdp_privacy_accountant.RdpAccountant()
    pld = None
    for event in composed:
        if event.kind == EventKind.LAPLACE:
            rdp_event = dp_event.LaplaceDpEvent(event.scale)
            distribution = privacy_loss_distribution.from_laplace_mechanism(
                event.scale, value_discretization_interval=_PLD_DISCRETISATION
            )
        elif event.kind == EventKind.EXPONENTIAL:
            rdp_event = dp_event.GaussianDpEvent(2.0 / event.epsilon)
            distribution = privacy_loss_distribution.from_privacy_parameters(
                common.DifferentialPrivacyParameters(event.epsilon, 0.0),
                value_discretization_interval=_PLD_DISCRETISATION,
            )
        elif event.kind == EventKind.GAUSSIAN:
            rdp_event = dp_event.GaussianDpEvent(event.scale)
            distribution = privacy_loss_distribution.from_gaussian_mechanism(
                event.scale, value_discretization_interval=_PLD_DISCRETISATION
            )
        else:
            rdp_event = dp_event.PoissonSampledDpEvent(
                event.sample_rate, dp_event.GaussianDpEvent(event.scale)
            )
            distribution = privacy_loss_distribution.from_gaussian_mechanism(
                event.scale,
                sampling_prob=event.sample_rate,
                use_connect_dots=True,
                value_discretization_interval=_PLD_DISCRETISATION,
            )
        rdp.compose(rdp_event, event.count)
        if event.count > 1:
            distribution = distribution.self_compose(event.count)
        pld = distribution if pld is None else pld.compose(distribution)
    return EventEpsilons(
        pld=aside_epsilon + float(pld.get_epsilon_for_delta(remaining_delta)),
        rdp=aside_epsilon + float(rdp.get_epsilon(remaining_delta)),
    )
