"""What anonymeter only logs reaches the report: on coarse data it cannot build the singling-out
queries asked for, and says so in a log line a reader of the report would never see."""

from __future__ import annotations

from synthstudio_evaluation.anonymeter_risks import AttackPlan, anonymeter_risks
from synthstudio_libs.errors import Warnings

COARSE = ["cut", "color", "clarity"]


def test_a_singling_out_shortfall_is_a_report_warning(diamonds):
    rows = diamonds[COARSE].astype(str)
    notes = Warnings()
    plan = AttackPlan(200, 1, 300, {"clarity": False}, seed=0, confidence_level=0.95)

    risks = anonymeter_risks(
        rows.head(800), rows.head(800), rows.tail(300), COARSE, plan, warnings=notes
    )

    assert {risk.attack for risk in risks} == {"singling_out", "linkability", "inference"}
    shortfall = [note for note in notes.items if "could generate only" in note]
    assert shortfall and shortfall[0].startswith("anonymeter: ")
