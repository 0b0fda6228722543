"""Privacy features: a compliance report draft for GDPR, HIPAA or CCPA (3) and an explanation
of privacy-risk metrics with mitigations (5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import (
    Feature,
    FeatureSpec,
    obj,
    percent,
    rating,
    require_range,
    string_list,
)
from synthstudio_llm.profiles import (
    AnonymizationAction,
    ColumnTreatment,
    DpBudget,
    DpLedgerEntry,
    PiiFinding,
    PrivacyRiskScore,
)
from synthstudio_llm.prompting import Prompt, build_prompt, render

RATINGS = ["low", "medium", "high"]


@dataclass(frozen=True)
class MetricGuide:
    """What a privacy-risk metric measures and what lowers it."""

    meaning: str
    mitigations: tuple[str, ...]


METRIC_GUIDES = {
    "singling_out": MetricGuide(
        "Singling out (Anonymeter): how often an attacker holding only the synthetic data can "
        "write a predicate that matches exactly one real person.",
        (
            "Coarsen rare combinations of quasi-identifiers (bucket ages, truncate postal codes).",
            "Train with differential privacy (a smaller epsilon bounds every record's influence).",
            "Drop or generalise columns that are unique per person before training.",
        ),
    ),
    "linkability": MetricGuide(
        "Linkability (Anonymeter): how often an attacker can link two partial views of the same "
        "real record through the synthetic data.",
        (
            "Reduce the number of quasi-identifiers kept, or generalise them.",
            "Use differential privacy so that no single record shapes the synthetic rows.",
        ),
    ),
    "inference": MetricGuide(
        "Attribute inference (Anonymeter): how well an attacker who knows some columns of a "
        "real person can guess a secret column from the synthetic data.",
        (
            "Weaken the link between quasi-identifiers and the secret column (generalise them).",
            "Train with differential privacy, or fewer epochs, to reduce memorisation.",
        ),
    ),
    "dcr_overfitting": MetricGuide(
        "Distance to closest record, overfitting test: the excess of synthetic rows that lie "
        "closer to a training row than to a holdout row (0 means no memorisation).",
        (
            "Train fewer epochs or add differential privacy to reduce memorisation.",
            "Remove near-duplicate and outlier rows before training.",
        ),
    ),
    "dcr_baseline": MetricGuide(
        "Distance to closest record against a random baseline: how much closer synthetic rows "
        "lie to real ones than random data would.",
        (
            "Train with differential privacy or a lower-capacity model.",
            "Check for copied rows and remove exact duplicates from the output.",
        ),
    ),
    "exact_match": MetricGuide(
        "Share of synthetic rows that are exact copies of a real row.",
        (
            "Filter exact copies out of the synthetic output before release.",
            "Train fewer epochs or with differential privacy.",
        ),
    ),
}


def metric_guide(metric: str) -> MetricGuide:
    """The guide of `metric`, or a generic one for a metric this service does not know."""
    return METRIC_GUIDES.get(
        metric.lower(),
        MetricGuide(
            f"'{metric}': a re-identification risk estimate in [0, 1], higher is riskier.",
            ("Generalise quasi-identifiers and consider differential privacy.",),
        ),
    )


def _require_risks(risks: tuple[PrivacyRiskScore, ...]) -> None:
    for index, risk in enumerate(risks):
        require_range(risk.risk, f"risks[{index}].risk", 0.0, 1.0)


@dataclass(frozen=True)
class ExplainPrivacyRiskRequest:
    """Explain measured privacy risks; `dp_epsilon` is the spend of a DP synthesizer, if any."""

    dataset_id: str
    risks: tuple[PrivacyRiskScore, ...]
    dp_epsilon: float | None = None
    quasi_identifiers: tuple[str, ...] = ()


class ExplainPrivacyRisk(FeatureSpec[ExplainPrivacyRiskRequest]):
    """Each metric in plain words, its rating and what would lower it."""

    feature = Feature.EXPLAIN_PRIVACY_RISK
    request_type = ExplainPrivacyRiskRequest
    title = "Privacy risk explained"
    output_schema = obj(
        {
            "overall_rating": {"type": "string", "enum": RATINGS},
            "summary": {"type": "string", "minLength": 1},
            "metrics": {
                "type": "array",
                "minItems": 1,
                "items": obj(
                    {
                        "metric": {"type": "string"},
                        "risk": {"type": "number", "minimum": 0, "maximum": 1},
                        "rating": {"type": "string", "enum": RATINGS},
                        "meaning": {"type": "string", "minLength": 1},
                        "interpretation": {"type": "string", "minLength": 1},
                        "mitigations": string_list(min_items=1),
                    }
                ),
            },
        }
    )

    def validate(self, request: ExplainPrivacyRiskRequest) -> None:
        if not request.risks:
            raise InvalidInput(
                "No privacy-risk scores were given; run the privacy evaluation first.",
                field="risks",
            )
        _require_risks(request.risks)

    def input_ids(self, request: ExplainPrivacyRiskRequest) -> tuple[str, ...]:
        return (request.dataset_id,)

    def build_prompt(self, request: ExplainPrivacyRiskRequest) -> Prompt:
        return build_prompt(
            "Explain each privacy-risk metric to a data owner: what it measures, what this "
            "value means, and concrete mitigations.",
            [
                "Ratings: low below 0.05, medium below 0.2, high otherwise.",
                "Mitigations refer to the platform's tools: anonymization actions, "
                "differential privacy (epsilon), generalising quasi-identifiers.",
            ],
            {
                "risks": render(request.risks),
                "dp_epsilon": request.dp_epsilon,
                "quasi_identifiers": list(request.quasi_identifiers),
            },
            self.output_schema,
        )

    def offline_answer(self, request: ExplainPrivacyRiskRequest) -> dict[str, Any]:
        metrics = [_explain_metric(risk, request) for risk in request.risks]
        worst = max(request.risks, key=lambda risk: risk.risk)
        overall = rating(worst.risk)
        summary = (
            f"Overall privacy risk is {overall}: the highest is {worst.metric} at {worst.risk:.3f}."
        )
        if request.dp_epsilon is not None:
            summary += " The synthesizer was trained with differential privacy (epsilon "
            summary += f"{request.dp_epsilon:g}), which bounds every record's influence."
        return {"overall_rating": overall, "summary": summary, "metrics": metrics}


def _explain_metric(risk: PrivacyRiskScore, request: ExplainPrivacyRiskRequest) -> dict[str, Any]:
    guide = metric_guide(risk.metric)
    band = rating(risk.risk)
    interpretation = f"Risk {risk.risk:.3f} is {band}"
    if risk.confidence_low is not None and risk.confidence_high is not None:
        interpretation += f" (95% interval {risk.confidence_low:.3f}-{risk.confidence_high:.3f})"
    if risk.target_column:
        interpretation += f" for the secret column '{risk.target_column}'"
    interpretation += "." if band != "low" else "; no action is needed for this metric."
    mitigations = list(guide.mitigations)
    if request.quasi_identifiers and band != "low":
        names = ", ".join(request.quasi_identifiers)
        mitigations.insert(0, f"Generalise the quasi-identifiers {names} first.")
    if request.dp_epsilon is not None and request.dp_epsilon > 1 and band != "low":
        mitigations.append(f"Lower epsilon below {request.dp_epsilon:g} when retraining.")
    return {
        "metric": risk.metric,
        "risk": risk.risk,
        "rating": band,
        "meaning": guide.meaning,
        "interpretation": interpretation,
        "mitigations": mitigations,
    }


class Regulation(StrEnum):
    """The regulations a compliance report can be drafted for."""

    GDPR = "GDPR"
    HIPAA = "HIPAA"
    CCPA = "CCPA"


@dataclass(frozen=True)
class ComplianceReportRequest:
    """Everything a compliance report rests on, as findings and figures."""

    regulation: Regulation
    dataset_id: str
    dataset_name: str
    pii_findings: tuple[PiiFinding, ...] = ()
    treatments: tuple[ColumnTreatment, ...] = ()
    dp_ledger: tuple[DpLedgerEntry, ...] = ()
    dp_budget: DpBudget | None = None
    privacy_risks: tuple[PrivacyRiskScore, ...] = ()
    synthesizer: str | None = None
    organisation: str = "The data controller"


_FRAMEWORK = {
    Regulation.GDPR: (
        "Under GDPR Recital 26, information that no longer relates to an identifiable person "
        "is anonymous and outside the Regulation; synthetic data qualifies only when "
        "re-identification is not reasonably likely with the means reasonably likely to be "
        "used. Producing it is itself processing of personal data and needs a lawful basis "
        "(Art. 6). The pipeline applies data minimisation (Art. 5(1)(c)) and data protection by "
        "design (Art. 25); where the source processing is high risk, a DPIA (Art. 35) should "
        "cover the generation."
    ),
    Regulation.HIPAA: (
        "HIPAA permits use and disclosure of health information de-identified under 45 CFR "
        "164.514: either Safe Harbor (164.514(b)(2), removal of the 18 listed identifiers and "
        "no actual knowledge that the rest identifies anyone) or Expert Determination "
        "(164.514(b)(1), a qualified expert documents that the risk is very small). Synthetic "
        "data derived from PHI should be released under Expert Determination, with the "
        "measured risks below as supporting evidence."
    ),
    Regulation.CCPA: (
        "Under the CCPA (Cal. Civ. Code 1798.140), information is deidentified when it cannot "
        "reasonably be linked to a particular consumer and the business (1) takes reasonable "
        "measures to ensure this, (2) publicly commits to keep it deidentified and not to "
        "re-identify it, and (3) contractually obliges recipients to do the same. The measured "
        "risks below document the first condition; the other two are organisational."
    ),
}

# Presidio entity types that are among HIPAA Safe Harbor's 18 identifiers.
_SAFE_HARBOR = frozenset(
    {
        "PERSON",
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "US_SSN",
        "LOCATION",
        "DATE_TIME",
        "IP_ADDRESS",
        "URL",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_BANK_NUMBER",
        "US_DRIVER_LICENSE",
        "US_PASSPORT",
        "MEDICAL_LICENSE",
        "UK_NHS",
    }
)
_PROTECTIVE = {
    AnonymizationAction.DROP: "dropped before synthesis",
    AnonymizationAction.MASK: "masked before synthesis",
    AnonymizationAction.PSEUDONYMISE: "replaced with consistent fake values",
    AnonymizationAction.SYNTHESIZE: "modelled by the synthesizer, so no real value is copied",
}


class ComplianceReport(FeatureSpec[ComplianceReportRequest]):
    """A draft compliance report; exported as PDF once a reviewer approves it."""

    feature = Feature.COMPLIANCE_REPORT
    request_type = ComplianceReportRequest
    title = "Compliance report"
    output_schema = obj(
        {
            "title": {"type": "string", "minLength": 1},
            "regulation": {"type": "string", "enum": [r.value for r in Regulation]},
            "executive_summary": {"type": "string", "minLength": 1},
            "sections": {
                "type": "array",
                "minItems": 1,
                "items": obj({"heading": {"type": "string"}, "body": {"type": "string"}}),
            },
            "pii_inventory": {
                "type": "array",
                "items": obj(
                    {
                        "column": {"type": "string"},
                        "entity_type": {"type": "string"},
                        "treatment": {"type": "string"},
                        "status": {"type": "string", "enum": ["addressed", "needs_attention"]},
                        "note": {"type": "string"},
                    }
                ),
            },
            "residual_risks": {
                "type": "array",
                "items": obj(
                    {
                        "metric": {"type": "string"},
                        "risk": {"type": "number", "minimum": 0, "maximum": 1},
                        "rating": {"type": "string", "enum": RATINGS},
                        "note": {"type": "string"},
                    }
                ),
            },
            "differential_privacy": obj(
                {
                    "applied": {"type": "boolean"},
                    "epsilon_spent": {"type": "number", "minimum": 0},
                    "delta": {"type": "number", "minimum": 0},
                    "note": {"type": "string"},
                }
            ),
            "open_issues": string_list(),
            "disclaimer": {"type": "string", "minLength": 1},
        }
    )

    def validate(self, request: ComplianceReportRequest) -> None:
        _require_risks(request.privacy_risks)
        if not request.pii_findings and not request.privacy_risks:
            raise InvalidInput(
                "A compliance report needs the PII scan's findings or measured privacy risks; "
                "scan the dataset and evaluate the synthetic data first.",
                field="pii_findings",
                metadata={"dataset_id": request.dataset_id},
            )

    def input_ids(self, request: ComplianceReportRequest) -> tuple[str, ...]:
        ids = [request.dataset_id]
        ids += sorted({entry.synthesizer_id for entry in request.dp_ledger})
        return tuple(ids)

    def build_prompt(self, request: ComplianceReportRequest) -> Prompt:
        return build_prompt(
            f"Draft a {request.regulation.value} compliance report for releasing synthetic data "
            f"generated from '{request.dataset_name}'.",
            [
                "Cite the regulation's articles or sections precisely; do not invent any.",
                "List every PII finding with its treatment; a column kept as is, or only "
                "hashed, needs attention.",
                "Ratings: low below 0.05, medium below 0.2, high otherwise.",
                "End with a disclaimer that this is a draft needing legal review.",
            ],
            {
                "organisation": request.organisation,
                "dataset": request.dataset_name,
                "synthesizer": request.synthesizer,
                "pii_findings": render(request.pii_findings),
                "treatments": render(request.treatments),
                "dp_ledger": render(request.dp_ledger),
                "dp_budget": render(request.dp_budget) if request.dp_budget else None,
                "privacy_risks": render(request.privacy_risks),
            },
            self.output_schema,
        )

    def offline_answer(self, request: ComplianceReportRequest) -> dict[str, Any]:
        inventory = _pii_inventory(request)
        risks = [_residual_risk(risk) for risk in request.privacy_risks]
        dp = _dp_summary(request)
        issues = _open_issues(request, inventory, risks, dp)
        summary = _compliance_summary(request, inventory, risks, dp, issues)
        return {
            "title": f"{request.regulation.value} compliance report: {request.dataset_name}",
            "regulation": request.regulation.value,
            "executive_summary": summary,
            "sections": _sections(request, inventory, risks, dp, issues),
            "pii_inventory": inventory,
            "residual_risks": risks,
            "differential_privacy": dp,
            "open_issues": issues,
            "disclaimer": (
                "Draft generated by Synth Studio's assistant from the platform's findings and "
                "measurements. It is not legal advice: the data protection officer or privacy "
                "counsel must review it before it is relied on."
            ),
        }


def _pii_inventory(request: ComplianceReportRequest) -> list[dict[str, Any]]:
    treatments = {item.column: item.action for item in request.treatments}
    inventory = []
    for finding in sorted(request.pii_findings, key=lambda item: item.column):
        action = treatments.get(finding.column)
        status, note = _treatment_status(action, finding, request.regulation)
        inventory.append(
            {
                "column": finding.column,
                "entity_type": finding.entity_type,
                "treatment": action.value if action else "none recorded",
                "status": status,
                "note": note,
            }
        )
    return inventory


def _treatment_status(
    action: AnonymizationAction | None, finding: PiiFinding, regulation: Regulation
) -> tuple[str, str]:
    seen = f"{finding.entity_type} in {percent(finding.fraction)} of sampled values"
    if action in _PROTECTIVE:
        return "addressed", f"{seen}; {_PROTECTIVE[action]}."
    if action == AnonymizationAction.HASH:
        law = {
            Regulation.GDPR: "hashed values are pseudonymous and remain personal data (Recital 26)",
            Regulation.HIPAA: "a code derived from the identifier is not allowed under Safe "
            "Harbor (164.514(c))",
            Regulation.CCPA: "hashes of low-entropy values can be reversed, so the data may "
            "still be linkable",
        }[regulation]
        return "needs_attention", f"{seen}; {law}. Prefer pseudonymise or drop."
    if action == AnonymizationAction.KEEP:
        extra = (
            " It is one of Safe Harbor's 18 identifiers."
            if regulation == Regulation.HIPAA and finding.entity_type in _SAFE_HARBOR
            else ""
        )
        return "needs_attention", f"{seen}; kept as is in the training data.{extra}"
    return "needs_attention", f"{seen}; no anonymization choice was recorded for this column."


def _residual_risk(risk: PrivacyRiskScore) -> dict[str, Any]:
    band = rating(risk.risk)
    target = f" on '{risk.target_column}'" if risk.target_column else ""
    notes = {
        "low": "within the usual threshold for release",
        "medium": "acceptable only with contractual controls on recipients",
        "high": "too high for release: mitigate and re-evaluate",
    }
    return {
        "metric": risk.metric,
        "risk": risk.risk,
        "rating": band,
        "note": f"{risk.metric}{target} at {risk.risk:.3f}: {notes[band]}.",
    }


def _dp_summary(request: ComplianceReportRequest) -> dict[str, Any]:
    budget = request.dp_budget
    if not request.dp_ledger and budget is not None and budget.spent_epsilon > 0:
        # The budget shows spending whose per-run entries were not given.
        return {
            "applied": True,
            "epsilon_spent": budget.spent_epsilon,
            "delta": budget.delta,
            "note": f"Differentially private training spent epsilon {budget.spent_epsilon:g} "
            f"of a budget of {budget.total_epsilon:g} (delta {budget.delta:g}).",
        }
    if not request.dp_ledger:
        return {
            "applied": False,
            "epsilon_spent": 0.0,
            "delta": 0.0,
            "note": "No differential privacy: protection rests on the anonymization choices "
            "and the measured risks.",
        }
    spent = round(sum(entry.epsilon for entry in request.dp_ledger), 6)
    delta = max(entry.delta for entry in request.dp_ledger)
    mechanisms = ", ".join(sorted({entry.mechanism for entry in request.dp_ledger}))
    note = f"{len(request.dp_ledger)} training run(s) with {mechanisms}; epsilon {spent:g} spent"
    if request.dp_budget is not None:
        note += f" of a budget of {request.dp_budget.total_epsilon:g}"
    return {"applied": True, "epsilon_spent": spent, "delta": delta, "note": note + "."}


def _open_issues(
    request: ComplianceReportRequest,
    inventory: list[dict[str, Any]],
    risks: list[dict[str, Any]],
    dp: dict[str, Any],
) -> list[str]:
    issues = [
        f"Column '{item['column']}' ({item['entity_type']}): {item['note']}"
        for item in inventory
        if item["status"] == "needs_attention"
    ]
    issues += [f"High residual risk: {item['note']}" for item in risks if item["rating"] == "high"]
    if dp["applied"] and dp["epsilon_spent"] > 10:
        issues.append(f"Epsilon {dp['epsilon_spent']:g} is large; its guarantee is weak.")
    if not request.privacy_risks:
        issues.append("No privacy-risk evaluation was run on the synthetic data.")
    if request.regulation == Regulation.CCPA:
        issues.append(
            "Confirm the public commitment not to re-identify and the recipients' contracts "
            "(Cal. Civ. Code 1798.140)."
        )
    return issues


def _compliance_summary(
    request: ComplianceReportRequest,
    inventory: list[dict[str, Any]],
    risks: list[dict[str, Any]],
    dp: dict[str, Any],
    issues: list[str],
) -> str:
    addressed = sum(item["status"] == "addressed" for item in inventory)
    text = (
        f"{request.organisation} generated synthetic data from '{request.dataset_name}'"
        f"{f' with {request.synthesizer}' if request.synthesizer else ''}. The PII scan found "
        f"personal data in {len(inventory)} column(s); {addressed} are addressed."
    )
    if risks:
        worst = max(risks, key=lambda item: item["risk"])
        text += f" The highest residual risk is {worst['metric']} at {worst['risk']:.3f} "
        text += f"({worst['rating']})."
    text += f" {dp['note']}"
    verdict = (
        " No open issue remains: ready for the reviewer's sign-off."
        if not issues
        else f" {len(issues)} open issue(s) must be resolved before release."
    )
    return text + verdict


def _sections(
    request: ComplianceReportRequest,
    inventory: list[dict[str, Any]],
    risks: list[dict[str, Any]],
    dp: dict[str, Any],
    issues: list[str],
) -> list[dict[str, str]]:
    pii_lines = [f"{item['column']}: {item['note']}" for item in inventory] or [
        "The PII scan reported no personal data."
    ]
    risk_lines = [item["note"] for item in risks] or ["No privacy-risk evaluation was run."]
    return [
        {
            "heading": "Scope",
            "body": f"Synthetic data generated from '{request.dataset_name}' (dataset "
            f"{request.dataset_id}) for release under {request.regulation.value}.",
        },
        {"heading": "Legal framework", "body": _FRAMEWORK[request.regulation]},
        {"heading": "Personal data and its treatment", "body": "\n".join(pii_lines)},
        {"heading": "Differential privacy", "body": dp["note"]},
        {"heading": "Residual re-identification risk", "body": "\n".join(risk_lines)},
        {
            "heading": "Open issues",
            "body": "\n".join(issues) if issues else "None.",
        },
    ]
