"""Privacy: an exact copy of the training rows fails every check; a fitted synthesizer passes."""

from __future__ import annotations


def test_exact_copy_is_flagged(copied_report):
    privacy = copied_report.privacy

    assert privacy.exact_copy_rate == 1.0
    assert privacy.holdout_exact_copy_rate == 0.0
    assert privacy.dcr_share > 0.95
    assert privacy.dcr_synthetic_to_train.median == 0.0
    assert privacy.nndr_synthetic_median == 0.0
    assert privacy.membership_inference_auc > 0.95
    assert privacy.passed is False
    failed = {check.name for check in privacy.checks if not check.passed}
    assert {"dcr_share", "exact_copies", "membership_inference"} <= failed
    risks = {attack.attack: attack for attack in privacy.attacks}
    assert set(risks) == {"singling_out", "linkability", "inference"}
    assert all(attack.risk > 0.7 for attack in risks.values())
    assert all(a.ci_low <= a.risk <= a.ci_high for a in risks.values())
    assert privacy.score < 0.2


def test_fitted_synthesizer_does_not_leak_rows(good_report, copied_report):
    privacy = good_report.privacy

    assert privacy.exact_copy_rate == 0.0
    assert 0.4 < privacy.dcr_share < 0.6
    assert privacy.membership_inference_auc < 0.6
    assert privacy.dcr_synthetic_to_train.median > 0.0
    # On 900 training rows an anonymeter bound stays wide; every other check passes outright.
    distance_checks = [c for c in privacy.checks if not c.name.startswith("anonymeter_")]
    assert all(check.passed for check in distance_checks)
    copied = {attack.attack: attack for attack in copied_report.privacy.attacks}
    assert all(a.ci_high < copied[a.attack].ci_low for a in privacy.attacks)
    assert privacy.score > copied_report.privacy.score + 0.6
    assert len(privacy.dcr_holdout_to_train.quantiles) == 21
    assert privacy.compared_rows == 600
    inference = next(a for a in privacy.attacks if a.attack == "inference")
    assert "price" in inference.description
