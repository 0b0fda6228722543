"""Privacy accounting: calibrating DP-SGD noise and recomputing a model's guarantee.

A DP synthesizer's guarantee is the sequential composition of its preprocessing mechanisms
(pure epsilon-DP histograms and (epsilon, delta)-DP category selection) and of DP-SGD training,
whose (epsilon, delta) comes from Opacus' RDP or PRV accountant for the Poisson-subsampled
Gaussian mechanism. `PrivacyGuarantee` stores every number needed to recompute it.
"""

from __future__ import annotations

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
CALIBRATION_SIGMA_TOLERANCE = 1e-3
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

    `epsilon`/`delta` are the totals (preprocessing + training, basic composition).
    Training is `steps` Poisson-subsampled Gaussian steps with `sample_rate`,
    `noise_multiplier` and per-sample clipping at `max_grad_norm`, accounted with
    `accountant` at `training_delta`.
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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["accountant"] = self.accountant.value
        data["preprocessing"] = [asdict(spend) for spend in self.preprocessing]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> PrivacyGuarantee:
        fields = dict(data)
        fields["accountant"] = AccountantKind(fields["accountant"])
        fields["preprocessing"] = tuple(MechanismSpend(**s) for s in fields["preprocessing"])
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

    sigma_low, sigma_high = 0.0, MIN_NOISE_MULTIPLIER
    while epsilon_at(sigma_high) > epsilon:
        sigma_low, sigma_high = sigma_high, 2 * sigma_high
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
