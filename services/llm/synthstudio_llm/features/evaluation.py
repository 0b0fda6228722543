"""Features over evaluation results: explain a report (2) and find anomalies between real and
synthetic profiles (7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import (
    Feature,
    FeatureSpec,
    obj,
    percent,
    require_range,
    string_list,
)
from synthstudio_llm.profiles import (
    LONG_RIGHT_TAIL,
    ColumnKind,
    ColumnProfile,
    ColumnScore,
    ConstraintViolation,
    EvaluationSummary,
    PairScore,
    TableProfile,
    right_tail_ratio,
)
from synthstudio_llm.prompting import Prompt, build_prompt, render, render_table
from synthstudio_llm.semantics import personal_data_columns

QUALITY_BANDS = ["excellent", "good", "fair", "poor"]


def quality_band(score: float) -> str:
    """excellent (>= 0.9), good (>= 0.8), fair (>= 0.65) or poor."""
    if score >= 0.9:
        return "excellent"
    if score >= 0.8:
        return "good"
    return "fair" if score >= 0.65 else "poor"


@dataclass(frozen=True)
class ExplainEvaluationRequest:
    """Explain an evaluation report; the real table's profile sharpens the explanations."""

    report: EvaluationSummary
    profile: TableProfile | None = None
    weakest_count: int = 3


_ADVICE_ITEM = obj(
    {
        "metric": {"type": "string"},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "why": {"type": "string", "minLength": 1},
        "what_to_try": string_list(min_items=1),
    }
)


class ExplainEvaluation(FeatureSpec[ExplainEvaluationRequest]):
    """The weakest columns and column pairs of a report, why they are weak, what to try."""

    feature = Feature.EXPLAIN_EVALUATION
    request_type = ExplainEvaluationRequest
    title = "Evaluation report explained"
    output_schema = obj(
        {
            "summary": {"type": "string", "minLength": 1},
            "overall_score": {"type": "number", "minimum": 0, "maximum": 1},
            "quality": {"type": "string", "enum": QUALITY_BANDS},
            "weakest_columns": {
                "type": "array",
                "items": {
                    **_ADVICE_ITEM,
                    "properties": {**_ADVICE_ITEM["properties"], "column": {"type": "string"}},
                    "required": [*_ADVICE_ITEM["required"], "column"],
                },
            },
            "weakest_pairs": {
                "type": "array",
                "items": {
                    **_ADVICE_ITEM,
                    "properties": {**_ADVICE_ITEM["properties"], "columns": string_list(2)},
                    "required": [*_ADVICE_ITEM["required"], "columns"],
                },
            },
            "next_steps": string_list(min_items=1),
        }
    )

    def validate(self, request: ExplainEvaluationRequest) -> None:
        require_range(request.report.overall_score, "report.overall_score", 0.0, 1.0)
        if not 1 <= request.weakest_count <= 20:
            raise InvalidInput(
                f"weakest_count is {request.weakest_count}; ask for 1 to 20 columns.",
                field="weakest_count",
                metadata={"weakest_count": request.weakest_count},
            )

    def input_ids(self, request: ExplainEvaluationRequest) -> tuple[str, ...]:
        return (request.report.report_id,)

    def build_prompt(self, request: ExplainEvaluationRequest) -> Prompt:
        data: dict[str, Any] = {"report": render(request.report)}
        if request.profile is not None:
            data["real_profile"] = render_table(request.profile)
        return build_prompt(
            f"Explain this synthetic-data evaluation report: the {request.weakest_count} weakest "
            "columns and pairs, why each is weak given the profile, and what to try.",
            [
                "Scores are in [0, 1], higher means the synthetic data matches the real better.",
                "Suggestions name concrete synthesizer settings (SDV 2) or constraints.",
            ],
            data,
            self.output_schema,
        )

    def offline_answer(self, request: ExplainEvaluationRequest) -> dict[str, Any]:
        report, profile = request.report, request.profile
        columns = sorted(report.column_scores, key=lambda item: item.score)
        pairs = sorted(report.pair_scores, key=lambda item: item.score)
        weakest = columns[: request.weakest_count]
        band = quality_band(report.overall_score)
        return {
            "summary": _evaluation_summary(report, band, weakest),
            "overall_score": report.overall_score,
            "quality": band,
            "weakest_columns": [_explain_column(score, profile) for score in weakest],
            "weakest_pairs": [_explain_pair(pair) for pair in pairs[: request.weakest_count]],
            "next_steps": _next_steps(report, band),
        }


def _evaluation_summary(report: EvaluationSummary, band: str, weakest: list[ColumnScore]) -> str:
    text = f"Overall quality is {band} ({report.overall_score:.2f})."
    if report.properties:
        parts = ", ".join(f"{item.name} {item.score:.2f}" for item in report.properties)
        text += f" Property scores: {parts}."
    if weakest:
        names = ", ".join(f"{item.column} ({item.score:.2f})" for item in weakest)
        text += f" The weakest columns are {names}."
    return text


def _explain_column(score: ColumnScore, profile: TableProfile | None) -> dict[str, Any]:
    column = profile.column(score.column) if profile else None
    reasons, tries = _column_diagnosis(column)
    base = f"The synthetic distribution of '{score.column}' differs from the real one"
    why = f"{base} ({score.metric} {score.score:.2f})"
    why += f": {'; '.join(reasons)}." if reasons else "."
    return {
        "column": score.column,
        "metric": score.metric,
        "score": score.score,
        "why": why,
        "what_to_try": tries,
    }


def _column_diagnosis(column: ColumnProfile | None) -> tuple[list[str], list[str]]:
    if column is None:
        return [], ["Train longer (CTGAN/TVAE epochs) or compare against a Gaussian copula."]
    reasons: list[str] = []
    tries: list[str] = []
    if column.missing_fraction >= 0.05:
        reasons.append(f"{percent(column.missing_fraction)} of its values are missing")
        tries.append("Check that missing values are modelled, not dropped, in the metadata.")
    if column.kind == ColumnKind.NUMERICAL:
        _numerical_diagnosis(column, reasons, tries)
    elif column.kind in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN}:
        _categorical_diagnosis(column, reasons, tries)
    elif column.kind == ColumnKind.DATETIME:
        reasons.append(f"dates span {column.earliest} to {column.latest}")
        tries.append("Set the column's datetime_format in the metadata so it is parsed.")
    if not tries:
        tries.append("Train longer (more epochs) or try TVAE, which often fits marginals well.")
    return reasons, tries


def _numerical_diagnosis(column: ColumnProfile, reasons: list[str], tries: list[str]) -> None:
    mean, std, low, high = column.mean, column.std, column.minimum, column.maximum
    tail = right_tail_ratio(column)
    if tail is not None and tail > LONG_RIGHT_TAIL:
        reasons.append(
            f"a long right tail (the upper bound {high:g} lies {tail:.0f}x further "
            "above the mean than the lower bound below it)"
        )
        tries.append(
            f"Gaussian copula: numerical_distributions={{'{column.name}': 'gamma'}} "
            "or 'gaussian_kde' for a skewed column."
        )
    if 0 < column.distinct_count <= 12:
        reasons.append(f"only {column.distinct_count} distinct values, a discrete quantity")
        tries.append("Model it as categorical in the metadata, or keep enforce_rounding=True.")
    if mean and std is not None and std > 2 * abs(mean):
        reasons.append(f"a spread (std {std:g}) much larger than its mean ({mean:g})")
    if not reasons and None not in (low, high, mean, std):
        reasons.append(f"real values run from {low:g} to {high:g} (mean {mean:.4g}, std {std:.4g})")
    tries.append("CTGAN or TVAE: raise epochs (e.g. 300 -> 800) to fit the marginal better.")


def _categorical_diagnosis(column: ColumnProfile, reasons: list[str], tries: list[str]) -> None:
    if column.distinct_count > 50:
        reasons.append(f"high cardinality ({column.distinct_count:,} categories)")
        tries.append("Group rare categories into 'other' before training.")
    if column.top_values and column.top_values[0].frequency >= 0.8:
        reasons.append(f"one category holds {percent(column.top_values[0].frequency)} of rows")
        tries.append("CTGAN's conditional sampling handles imbalanced categories better.")
    rare = [item for item in column.top_values if item.frequency < 0.01]
    if rare:
        reasons.append(f"{len(rare)} of its frequent values are rare (< 1% of rows)")
    if not reasons:
        reasons.append(
            f"the synthesizer does not reproduce the real shares of its "
            f"{column.distinct_count} categories"
        )
    tries.append("Compare a Gaussian copula against CTGAN on this column's TVComplement.")


def _explain_pair(pair: PairScore) -> dict[str, Any]:
    correlation = "correlation" in pair.metric.lower()
    relation = "linear relationship" if correlation else "joint distribution"
    tries = (
        [
            "Gaussian copula preserves pairwise correlations; if it is already used, try "
            "CTGAN for non-linear dependence.",
            f"If {pair.column_a} and {pair.column_b} are ordered, add an Inequality constraint.",
        ]
        if correlation
        else [
            f"If {pair.column_a} determines {pair.column_b}, add a FixedCombinations constraint.",
            "Train CTGAN or TVAE longer so category co-occurrence is learnt.",
        ]
    )
    return {
        "columns": [pair.column_a, pair.column_b],
        "metric": pair.metric,
        "score": pair.score,
        "why": (
            f"The {relation} of '{pair.column_a}' and '{pair.column_b}' is not reproduced "
            f"({pair.metric} {pair.score:.2f})."
        ),
        "what_to_try": tries,
    }


def _next_steps(report: EvaluationSummary, band: str) -> list[str]:
    steps = []
    shapes = next((p.score for p in report.properties if "shape" in p.name.lower()), None)
    trends = next((p.score for p in report.properties if "pair" in p.name.lower()), None)
    if shapes is not None and trends is not None:
        focus = (
            "single-column distributions" if shapes < trends else "relationships between columns"
        )
        steps.append(f"Focus on {focus} first: that property scores lower.")
    if band in {"fair", "poor"}:
        steps.append("Retrain with a deep model (CTGAN/TVAE) and more epochs, then re-evaluate.")
    else:
        steps.append("Quality is adequate: run the privacy-risk evaluation before sharing.")
    risky = [risk for risk in report.privacy_risks if risk.risk >= 0.2]
    if risky:
        names = ", ".join(risk.metric for risk in risky)
        steps.append(f"Address the high privacy risks ({names}) before any release.")
    return steps


ANOMALY_KINDS = [
    "missing_column",
    "unexpected_column",
    "type_mismatch",
    "out_of_range",
    "collapsed_category",
    "missing_category",
    "unseen_category",
    "missing_rate_shift",
    "mean_shift",
    "broken_constraint",
]


@dataclass(frozen=True)
class DetectAnomaliesRequest:
    """Compare the profile of a synthetic table with the real one it imitates."""

    dataset_id: str
    synthetic_id: str
    real: TableProfile
    synthetic: TableProfile
    constraint_violations: tuple[ConstraintViolation, ...] = ()


class DetectAnomalies(FeatureSpec[DetectAnomaliesRequest]):
    """Out-of-range values, broken constraints, collapsed or missing categories, shifts."""

    feature = Feature.DETECT_ANOMALIES
    request_type = DetectAnomaliesRequest
    title = "Anomalies between real and synthetic data"
    output_schema = obj(
        {
            "summary": {"type": "string", "minLength": 1},
            "anomalies": {
                "type": "array",
                "items": obj(
                    {
                        "column": {"type": "string"},
                        "kind": {"type": "string", "enum": ANOMALY_KINDS},
                        "severity": {"type": "string", "enum": ["low", "medium", "high"]},
                        "detail": {"type": "string", "minLength": 1},
                        "suggestion": {"type": "string", "minLength": 1},
                    }
                ),
            },
        }
    )

    def input_ids(self, request: DetectAnomaliesRequest) -> tuple[str, ...]:
        return (request.dataset_id, request.synthetic_id)

    def build_prompt(self, request: DetectAnomaliesRequest) -> Prompt:
        return build_prompt(
            "Find and explain anomalies of the synthetic table against the real one: values "
            "out of the real range, broken constraints, collapsed or missing categories, "
            "shifted missing rates or means.",
            [f"kind is one of {ANOMALY_KINDS}.", "Each anomaly cites the figures compared."],
            {
                "real": render_table(request.real),
                "synthetic": render_table(request.synthetic),
                "constraint_violations": render(request.constraint_violations),
            },
            self.output_schema,
        )

    def offline_answer(self, request: DetectAnomaliesRequest) -> dict[str, Any]:
        hidden = personal_data_columns(request.real) | personal_data_columns(request.synthetic)
        anomalies = _structural_anomalies(request.real, request.synthetic)
        for real_column in request.real.columns:
            synthetic_column = request.synthetic.column(real_column.name)
            if synthetic_column is not None:
                anomalies += _column_anomalies(
                    real_column, synthetic_column, real_column.name in hidden
                )
        anomalies += [_violation_anomaly(item) for item in request.constraint_violations]
        high = sum(item["severity"] == "high" for item in anomalies)
        summary = (
            f"{len(anomalies)} anomalies found ({high} high severity) comparing "
            f"{request.synthetic.row_count:,} synthetic rows with {request.real.row_count:,} "
            "real rows."
            if anomalies
            else "No anomaly found: ranges, categories and missing rates match the real data."
        )
        return {"summary": summary, "anomalies": anomalies}


def _anomaly(column: str, kind: str, severity: str, detail: str, suggestion: str) -> dict:
    return {
        "column": column,
        "kind": kind,
        "severity": severity,
        "detail": detail,
        "suggestion": suggestion,
    }


def _structural_anomalies(real: TableProfile, synthetic: TableProfile) -> list[dict]:
    real_names = {column.name for column in real.columns}
    synthetic_names = {column.name for column in synthetic.columns}
    found = [
        _anomaly(
            name,
            "missing_column",
            "high",
            f"'{name}' exists in the real table but not in the synthetic one.",
            "Check the metadata: the column may have been dropped before training.",
        )
        for name in sorted(real_names - synthetic_names)
    ]
    found += [
        _anomaly(
            name,
            "unexpected_column",
            "medium",
            f"'{name}' exists in the synthetic table but not in the real one.",
            "Compare the synthesizer's metadata with the real table's columns.",
        )
        for name in sorted(synthetic_names - real_names)
    ]
    for column in real.columns:
        other = synthetic.column(column.name)
        if other is not None and other.kind != column.kind:
            found.append(
                _anomaly(
                    column.name,
                    "type_mismatch",
                    "high",
                    f"'{column.name}' is {column.kind.value} in the real data but "
                    f"{other.kind.value} in the synthetic data.",
                    "Fix the column's sdtype in the metadata and retrain.",
                )
            )
    return found


def _column_anomalies(real: ColumnProfile, synthetic: ColumnProfile, hidden: bool) -> list[dict]:
    if real.kind != synthetic.kind:
        return []
    found = _range_anomalies(real, synthetic)
    found += _category_anomalies(real, synthetic, hidden)
    shift = synthetic.missing_fraction - real.missing_fraction
    if abs(shift) >= 0.05:
        found.append(
            _anomaly(
                real.name,
                "missing_rate_shift",
                "high" if abs(shift) >= 0.2 else "medium",
                f"Missing values: {percent(real.missing_fraction)} real vs "
                f"{percent(synthetic.missing_fraction)} synthetic.",
                "Make sure missing values are modelled (not imputed) during preprocessing.",
            )
        )
    return found


def _range_anomalies(real: ColumnProfile, synthetic: ColumnProfile) -> list[dict]:
    found = []
    if None not in (real.minimum, real.maximum, synthetic.minimum, synthetic.maximum):
        found += _numeric_range_anomalies(real, synthetic)
    dated = (real.earliest, real.latest, synthetic.earliest, synthetic.latest)
    if all(dated) and (synthetic.earliest < real.earliest or synthetic.latest > real.latest):
        found.append(
            _anomaly(
                real.name,
                "out_of_range",
                "medium",
                f"Synthetic dates span {synthetic.earliest} to {synthetic.latest}; the real "
                f"ones {real.earliest} to {real.latest}.",
                "Set enforce_min_max_values=True and check the datetime_format.",
            )
        )
    return found


def _numeric_range_anomalies(real: ColumnProfile, synthetic: ColumnProfile) -> list[dict]:
    found = []
    span = (real.maximum - real.minimum) or 1.0
    outside = max(real.minimum - synthetic.minimum, synthetic.maximum - real.maximum)
    if outside > 1e-9 * span:
        found.append(
            _anomaly(
                real.name,
                "out_of_range",
                "high" if outside > 0.1 * span else "medium",
                f"Synthetic values span {synthetic.minimum:g} to {synthetic.maximum:g}; the "
                f"real ones {real.minimum:g} to {real.maximum:g}.",
                "Set enforce_min_max_values=True on the synthesizer.",
            )
        )
    if real.mean is not None and synthetic.mean is not None and real.std:
        moved = abs(synthetic.mean - real.mean) / real.std
        if moved >= 0.5:
            found.append(
                _anomaly(
                    real.name,
                    "mean_shift",
                    "high" if moved >= 1 else "medium",
                    f"Mean moved by {moved:.1f} standard deviations ({real.mean:g} real vs "
                    f"{synthetic.mean:g} synthetic).",
                    "Train longer or choose a better-fitting marginal distribution.",
                )
            )
    return found


def _category_anomalies(real: ColumnProfile, synthetic: ColumnProfile, hidden: bool) -> list[dict]:
    if real.kind not in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN}:
        return []
    found = []
    if real.distinct_count >= 3 and synthetic.distinct_count <= max(1, real.distinct_count // 3):
        found.append(
            _anomaly(
                real.name,
                "collapsed_category",
                "high",
                f"{real.distinct_count} categories in the real data but only "
                f"{synthetic.distinct_count} in the synthetic data (mode collapse).",
                "Train CTGAN longer or with a larger batch; check the column is categorical.",
            )
        )
    synthetic_share = {item.value: item.frequency for item in synthetic.top_values}
    real_share = {item.value: item.frequency for item in real.top_values}
    lost = [value for value, share in real_share.items() if share >= 0.02]
    lost = [value for value in lost if value not in synthetic_share]
    if lost and synthetic.top_values and len(synthetic.top_values) >= synthetic.distinct_count:
        named = f"{len(lost)} frequent categories" if hidden else ", ".join(lost)
        found.append(
            _anomaly(
                real.name,
                "missing_category",
                "medium",
                f"Frequent real categories never sampled: {named}.",
                "Raise epochs, or condition sampling on these categories.",
            )
        )
    if real.top_values and len(real.top_values) >= real.distinct_count:
        unseen = [value for value in synthetic_share if value not in real_share]
        if unseen:
            named = f"{len(unseen)} new values" if hidden else ", ".join(unseen)
            found.append(
                _anomaly(
                    real.name,
                    "unseen_category",
                    "high",
                    f"Synthetic categories absent from the real data: {named}.",
                    "Declare the column categorical so only real categories are sampled.",
                )
            )
    if real.top_values and synthetic.top_values and not found:
        real_top, synthetic_top = real.top_values[0], synthetic.top_values[0]
        if synthetic_top.frequency - real_share.get(synthetic_top.value, 0.0) >= 0.3:
            label = "one category" if hidden else f"'{synthetic_top.value}'"
            found.append(
                _anomaly(
                    real.name,
                    "collapsed_category",
                    "high",
                    f"{label} takes {percent(synthetic_top.frequency)} of synthetic rows against "
                    f"{percent(real_share.get(synthetic_top.value, 0.0))} of real rows (real mode "
                    f"holds {percent(real_top.frequency)}).",
                    "The generator over-produces the mode: train longer or try TVAE.",
                )
            )
    return found


def _violation_anomaly(violation: ConstraintViolation) -> dict:
    share = violation.violating_fraction
    return _anomaly(
        ", ".join(violation.columns),
        "broken_constraint",
        "high" if share >= 0.01 else "medium",
        f"{percent(share)} of synthetic rows break '{violation.constraint}'.",
        "Add the rule as an SDV constraint (e.g. Inequality) so it holds by construction.",
    )
