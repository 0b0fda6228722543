"""Privacy accounting: calibrating DP-SGD noise and recomputing a model's guarantee.

A DP synthesizer's guarantee is the sequential composition of its preprocessing mechanisms
(pure epsilon-DP histograms and (epsilon, delta)-DP category selection) and of DP-SGD training,
whose (epsilon, delta) comes from Opacus' RDP or PRV accountant for the Poisson-subsampled
Gaussian mechanism. `PrivacyGuarantee` stores every number needed to recompute it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import asdict, dataclass
from enum import StrEnum

from synthstudio_libs.errors import InvalidInput

# The noise search visits large noise levels whose best RDP order is the largest one tried;
# the epsilon reported is still a valid upper bound, so the hint is noise in the logs.
warnings.filterwarnings(
    "ignore", message="Optimal order is the largest alpha", category=UserWarning
)

# Binary-search tolerance of the noise calibration: the trained model's epsilon lands in
# [target - tolerance, target], never above.
CALIBRATION_TOLERANCE = 0.01


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
    steps stays within (epsilon, delta). Raises InvalidInput when no noise level can."""
    from opacus.accountants.utils import get_noise_multiplier

    try:
        return float(
            get_noise_multiplier(
                target_epsilon=epsilon,
                target_delta=delta,
                sample_rate=sample_rate,
                steps=steps,
                accountant=accountant.value,
                epsilon_tolerance=CALIBRATION_TOLERANCE,
            )
        )
    except ValueError as error:
        raise InvalidInput(
            f"No amount of noise keeps {steps} DP-SGD steps at sample rate {sample_rate:.4g} "
            f"within epsilon={epsilon:.4g}, delta={delta:.3g} ({error}). Raise epsilon, or "
            "lower the epochs or the batch size.",
            field="epsilon",
            metadata={"epsilon": epsilon, "delta": delta, "steps": steps},
        ) from error


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
    if not (isinstance(epsilon, numbers.Real) and math.isfinite(epsilon) and epsilon > 0):
        raise InvalidInput(
            f"epsilon must be a positive finite number, got {epsilon}.",
            field="epsilon",
            metadata={"epsilon": epsilon},
        )
    limit = 1.0 / n_rows
    if not (isinstance(delta, numbers.Real) and math.isfinite(delta) and 0 < delta < limit):
        raise InvalidInput(
            f"delta must be greater than 0 and below 1/n = {limit:.3g} for {n_rows} rows, got "
            f"{delta}; a common choice is 1/(10 n) = {limit / 10:.3g} or smaller.",
            field="delta",
            metadata={"delta": delta, "n_rows": n_rows, "max_delta": limit},
        )
