"""The release gate: each check against the policy, and what blocks a release."""

from __future__ import annotations

import pytest

from synthstudio_evaluation.gate import CheckStatus, Gate, GateContext, judge_report
from synthstudio_evaluation.release_policy import ReleasePolicy, check_policy
from synthstudio_libs.errors import InvalidInput


def _document(**privacy_overrides) -> dict:
    privacy = {
        "dcr_share_ci_high": 0.55,
        "exact_copy_rate": 0.0,
        "attacks": [
            {"attack": "singling_out", "ci_high": 0.04, "target": ""},
            {"attack": "inference", "ci_high": 0.07, "target": "income"},
        ],
        "membership_attacks": [
            {"name": "distance", "auc": 0.51},
            {"name": "density_ratio", "auc": 0.53},
        ],
        "membership_inference_auc": 0.51,
    } | privacy_overrides
    return {
        "fidelity": {
            "quality_score": 0.80,
            "holdout_ceiling": {"quality_score": 0.88, "synthetic_quality_score": 0.82},
        },
        "utility": {"ratio": 0.93},
        "privacy": privacy,
    }


def _statuses(gate: Gate) -> dict[str, CheckStatus]:
    return {check.name: check.status for check in gate.checks}


def test_a_good_report_passes_every_default_check():
    gate = judge_report(_document(), GateContext(), ReleasePolicy())

    assert gate.passed
    statuses = _statuses(gate)
    assert statuses["fidelity_ratio"] is CheckStatus.PASSED
    assert statuses["differential_privacy"] is CheckStatus.NOT_REQUIRED
    fidelity = next(check for check in gate.checks if check.name == "fidelity_ratio")
    assert fidelity.value == pytest.approx(0.82 / 0.88)
    assert "ceiling" in fidelity.explanation


def test_every_explanation_states_its_figure():
    gate = judge_report(_document(), GateContext(), ReleasePolicy())

    for check in gate.checks:
        assert "{" not in check.explanation, check.explanation
    membership = next(check for check in gate.checks if check.name == "membership_auc")
    assert "AUC 0.530" in membership.explanation


def test_a_copy_of_the_training_rows_fails_the_memorisation_checks():
    copied = _document(
        dcr_share_ci_high=1.0,
        exact_copy_rate=1.0,
        membership_attacks=[{"name": "distance", "auc": 0.97}],
    )
    gate = judge_report(copied, GateContext(), ReleasePolicy())

    assert not gate.passed
    blocking = {check.name for check in gate.blocking()}
    assert {"dcr_share_upper", "identical_match_share", "membership_auc"} <= blocking
    auc = next(check for check in gate.checks if check.name == "membership_auc")
    assert auc.value == 0.97 and "distance" in auc.explanation


def test_a_check_not_measured_blocks_unless_the_policy_makes_it_optional():
    document = _document() | {"utility": None}
    strict = judge_report(document, GateContext(), ReleasePolicy())
    lenient = judge_report(
        document, GateContext(), ReleasePolicy(optional_checks=["utility_ratio"])
    )

    assert [check.name for check in strict.blocking()] == ["utility_ratio"]
    assert "target column" in strict.blocking()[0].explanation
    assert lenient.passed
    assert _statuses(lenient)["utility_ratio"] is CheckStatus.NOT_MEASURED


def test_differential_privacy_when_required_reads_the_guarantees_epsilon():
    policy = ReleasePolicy(require_differential_privacy=True, max_epsilon=3.0)

    assert not judge_report(_document(), GateContext(), policy).passed
    assert judge_report(_document(), GateContext(epsilon=2.5), policy).passed
    too_much = judge_report(_document(), GateContext(epsilon=8.0), policy)
    assert _statuses(too_much)["differential_privacy"] is CheckStatus.FAILED


def test_pii_free_columns_fail_on_a_finding_in_the_synthetic_output():
    policy = ReleasePolicy(pii_free_columns=["email"])
    flagged = GateContext(synthetic_pii_columns=["customers.email"])

    gate = judge_report(_document(), flagged, policy)

    assert _statuses(gate)["pii_free_columns"] is CheckStatus.FAILED
    assert "customers.email" in gate.blocking()[0].explanation
    assert judge_report(_document(), GateContext(["name"]), policy).passed


def test_the_gate_round_trips_through_its_json_form():
    gate = judge_report(_document(), GateContext(), ReleasePolicy(project="p1"))

    assert Gate.from_dict(gate.to_dict()) == gate


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"max_membership_auc": -0.1}, "policy.max_membership_auc"),
        ({"max_identical_match_share": 1.5}, "policy.max_identical_match_share"),
        ({"max_epsilon": 0.0}, "policy.max_epsilon"),
        ({"optional_checks": ["speed"]}, "policy.optional_checks"),
        ({"pii_free_columns": [" "]}, "policy.pii_free_columns"),
        ({"max_dcr_share_upper": float("nan")}, "policy.max_dcr_share_upper"),
    ],
)
def test_a_policy_out_of_range_is_refused_naming_the_field(change, field):
    with pytest.raises(InvalidInput) as refused:
        check_policy(ReleasePolicy(**change))

    assert refused.value.violations[0].field == field
