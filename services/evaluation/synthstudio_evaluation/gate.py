"""A release gate: a report's figures judged by a project's release policy, check by check.

Each check is PASSED, FAILED, NOT_MEASURED (the report has no figure for it) or NOT_REQUIRED
(the policy does not ask for it). The gate passes when no check blocks: nothing failed, and
nothing went unmeasured that the policy does not list as optional.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from synthstudio_evaluation.release_policy import ReleasePolicy

DP_SYNTHESIZER_PREFIX = "dps_"


class CheckStatus(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    NOT_MEASURED = "NOT_MEASURED"
    NOT_REQUIRED = "NOT_REQUIRED"


@dataclass(frozen=True)
class GateContext:
    """What a gate needs beyond the report: the columns the PII scan flagged in the synthetic
    output, and the epsilon of a differentially private synthesizer (None: not DP)."""

    synthetic_pii_columns: list[str] = field(default_factory=list)
    epsilon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"synthetic_pii_columns": self.synthetic_pii_columns, "epsilon": self.epsilon}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> GateContext:
        return cls(list(values.get("synthetic_pii_columns", [])), values.get("epsilon"))


@dataclass(frozen=True)
class GateCheck:
    name: str
    status: CheckStatus
    value: float | None
    threshold: float
    comparison: str
    explanation: str
    blocking: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "status": self.status.value}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> GateCheck:
        return cls(**{**values, "status": CheckStatus(values["status"])})


@dataclass(frozen=True)
class Gate:
    passed: bool
    checks: list[GateCheck]
    policy: ReleasePolicy

    def blocking(self) -> list[GateCheck]:
        return [check for check in self.checks if check.blocking]

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "checks": [check.to_dict() for check in self.checks],
            "policy": self.policy.to_dict(),
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Gate:
        return cls(
            passed=values["passed"],
            checks=[GateCheck.from_dict(check) for check in values["checks"]],
            policy=ReleasePolicy.from_dict(values["policy"]),
        )


def missing_text(check: GateCheck) -> str:
    """How a refusal names a blocking check."""
    return f"gate check {check.name} {check.status.value.lower().replace('_', ' ')}"


def judge_report(document: Mapping[str, Any], context: GateContext, policy: ReleasePolicy) -> Gate:
    """The gate's verdict on a report (its `EvaluationReport.to_dict()` form)."""
    fidelity = document.get("fidelity") or {}
    utility = document.get("utility") or {}
    privacy = document.get("privacy") or {}
    checks = [
        _fidelity(fidelity, policy),
        _measured(
            "utility_ratio",
            _number(utility.get("ratio")),
            policy.min_utility_ratio,
            ">=",
            "A model trained on the synthetic rows scores {value:.3f} of one trained on real "
            "rows (TSTR/TRTR) on the holdout",
            "No utility figure: name a target column when evaluating",
        ),
        _measured(
            "dcr_share_upper",
            _number(privacy.get("dcr_share_ci_high")) if privacy else None,
            policy.max_dcr_share_upper,
            "<=",
            "At most {value:.3f} of the synthetic rows (upper bound of the interval) are closer "
            "to a training row than to a holdout row (0.5 is ideal)",
            "No DCR share: the privacy part did not run",
        ),
        _measured(
            "identical_match_share",
            _number(privacy.get("exact_copy_rate")) if privacy else None,
            policy.max_identical_match_share,
            "<=",
            "{value:.3%} of the synthetic rows are identical to a training row",
            "No identical-match share: the privacy part did not run",
        ),
        _anonymeter(privacy, policy),
        _membership(privacy, policy),
        _differential_privacy(context, policy),
        _pii(context, policy),
    ]
    checks = [_with_blocking(check, policy) for check in checks]
    return Gate(not any(check.blocking for check in checks), checks, policy)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _compare(value: float, threshold: float, comparison: str) -> bool:
    return value >= threshold if comparison == ">=" else value <= threshold


def _measured(
    name: str,
    value: float | None,
    threshold: float,
    comparison: str,
    said: str,
    unmeasured: str,
) -> GateCheck:
    if value is None:
        return GateCheck(
            name, CheckStatus.NOT_MEASURED, None, threshold, comparison, f"{unmeasured}.", False
        )
    passed = _compare(value, threshold, comparison)
    status = CheckStatus.PASSED if passed else CheckStatus.FAILED
    sentence = f"{said.format(value=value)}; the policy asks {comparison} {threshold:g}."
    return GateCheck(name, status, value, threshold, comparison, sentence, False)


def _fidelity(fidelity: Mapping[str, Any], policy: ReleasePolicy) -> GateCheck:
    ceiling = fidelity.get("holdout_ceiling") or {}
    real = _number(ceiling.get("quality_score"))
    synthetic = _number(ceiling.get("synthetic_quality_score"))
    if synthetic is None:
        synthetic = _number(fidelity.get("quality_score"))
    ratio = None if real is None or synthetic is None or real <= 0 else synthetic / real
    return _measured(
        "fidelity_ratio",
        ratio,
        policy.min_fidelity_ratio,
        ">=",
        "The synthetic data's quality is {value:.3f} times the holdout's own (the real-vs-real "
        "ceiling)",
        "No fidelity beside the holdout ceiling: the fidelity part did not run",
    )


def _anonymeter(privacy: Mapping[str, Any], policy: ReleasePolicy) -> GateCheck:
    attacks = [attack for attack in privacy.get("attacks", []) if _number(attack.get("ci_high"))]
    if not attacks:
        return _measured(
            "anonymeter_upper",
            None,
            policy.max_anonymeter_upper,
            "<=",
            "",
            "No anonymeter risk: the privacy part did not run or no attack could be built",
        )
    worst = max(attacks, key=lambda attack: attack["ci_high"])
    target = f" on {worst['target']}" if worst.get("target") else ""
    return _measured(
        "anonymeter_upper",
        float(worst["ci_high"]),
        policy.max_anonymeter_upper,
        "<=",
        f"The highest anonymeter risk bound is {{value:.3f}} ({worst['attack']}{target})",
        "",
    )


def _membership(privacy: Mapping[str, Any], policy: ReleasePolicy) -> GateCheck:
    attacks = [a for a in privacy.get("membership_attacks", []) if _number(a.get("auc"))]
    if attacks:
        worst = max(attacks, key=lambda attack: attack["auc"])
        value, name = float(worst["auc"]), worst["name"]
    else:
        value, name = _number(privacy.get("membership_inference_auc")), "distance"
    return _measured(
        "membership_auc",
        value,
        policy.max_membership_auc,
        "<=",
        f"The strongest membership-inference attack ({name}) tells training rows from "
        "holdout rows with AUC {value:.3f} (0.5: guessing)",
        "No membership-inference figure: the privacy part did not run",
    )


def _differential_privacy(context: GateContext, policy: ReleasePolicy) -> GateCheck:
    if not policy.require_differential_privacy:
        return GateCheck(
            "differential_privacy",
            CheckStatus.NOT_REQUIRED,
            context.epsilon,
            policy.max_epsilon,
            "<=",
            "The policy does not require a differentially private synthesizer.",
            False,
        )
    return _measured(
        "differential_privacy",
        context.epsilon,
        policy.max_epsilon,
        "<=",
        "The synthesizer is differentially private with epsilon {value:g} spent in the ledger",
        "The report names no differentially private synthesizer (evaluate with the synthesizer "
        "id of a DP synthesizer)",
    )


def _pii(context: GateContext, policy: ReleasePolicy) -> GateCheck:
    if not policy.pii_free_columns:
        return GateCheck(
            "pii_free_columns",
            CheckStatus.NOT_REQUIRED,
            None,
            0.0,
            "<=",
            "The policy names no column that must be free of personal data.",
            False,
        )
    wanted = set(policy.pii_free_columns)
    found = [
        column
        for column in context.synthetic_pii_columns
        if "*" in wanted or column in wanted or column.rpartition(".")[2] in wanted
    ]
    if found:
        sentence = f"The PII scan of the synthetic output flagged {', '.join(found)}."
    else:
        sentence = "The PII scan of the synthetic output flagged none of the protected columns."
    return GateCheck(
        "pii_free_columns",
        CheckStatus.FAILED if found else CheckStatus.PASSED,
        float(len(found)),
        0.0,
        "<=",
        sentence,
        False,
    )


def _with_blocking(check: GateCheck, policy: ReleasePolicy) -> GateCheck:
    blocking = check.status is CheckStatus.FAILED or (
        check.status is CheckStatus.NOT_MEASURED and check.name not in policy.optional_checks
    )
    return GateCheck(**{**check.__dict__, "blocking": blocking})
