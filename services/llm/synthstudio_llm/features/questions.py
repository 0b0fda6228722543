"""Feature 9: answer a question about a dataset from its profile and reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec, obj, percent, rating, require_text
from synthstudio_llm.profiles import (
    ColumnProfile,
    DatasetProfile,
    EvaluationSummary,
    PiiFinding,
    TableProfile,
)
from synthstudio_llm.prompting import Prompt, build_prompt, render, render_dataset
from synthstudio_llm.semantics import name_tokens, personal_data_columns


@dataclass(frozen=True)
class AnswerQuestionRequest:
    """A question in plain words about a dataset, its evaluation report and privacy risks."""

    question: str
    profile: DatasetProfile
    evaluation: EvaluationSummary | None = None
    pii_findings: tuple[PiiFinding, ...] = ()


class AnswerQuestion(FeatureSpec[AnswerQuestionRequest]):
    """An answer grounded in the profile and reports, citing its evidence."""

    feature = Feature.ANSWER_QUESTION
    request_type = AnswerQuestionRequest
    title = "Answer about a dataset"
    output_schema = obj(
        {
            "answer": {"type": "string", "minLength": 1},
            "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
            "evidence": {
                "type": "array",
                "items": obj({"source": {"type": "string"}, "detail": {"type": "string"}}),
            },
        }
    )

    def validate(self, request: AnswerQuestionRequest) -> None:
        require_text(request.question, "question", "The question")
        if len(request.question) > 2000:
            raise InvalidInput(
                f"The question has {len(request.question)} characters; keep it under 2000.",
                field="question",
                metadata={"length": len(request.question)},
            )

    def input_ids(self, request: AnswerQuestionRequest) -> tuple[str, ...]:
        ids = [request.profile.dataset_id]
        if request.evaluation is not None:
            ids.append(request.evaluation.report_id)
        return tuple(ids)

    def build_prompt(self, request: AnswerQuestionRequest) -> Prompt:
        data: dict[str, Any] = {
            "question": request.question,
            "profile": render_dataset(request.profile, request.pii_findings),
        }
        if request.evaluation is not None:
            data["evaluation"] = render(request.evaluation)
        return build_prompt(
            "Answer the user's question about this dataset from the profile and reports only.",
            [
                "If the inputs cannot answer it, say so and name what would (confidence low).",
                "Each evidence item names its source (profile, evaluation) and the figure used.",
            ],
            data,
            self.output_schema,
        )

    def offline_answer(self, request: AnswerQuestionRequest) -> dict[str, Any]:
        question = request.question.lower()
        words = set(re.findall(r"[a-z0-9]+", question))
        column = _mentioned_column(request.profile, question)
        for intent in _INTENTS:
            answered = intent(request, words, column)
            if answered is not None:
                return answered
        tables = ", ".join(table.name for table in request.profile.tables)
        return _reply(
            "Offline mode answers questions about row and column counts, missing values, a "
            "column's range or frequent values, quality scores and privacy risks; this "
            f"question matched none of them. The dataset holds the tables {tables}.",
            "low",
            [],
        )


def _reply(answer: str, confidence: str, evidence: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "answer": answer,
        "confidence": confidence,
        "evidence": [{"source": source, "detail": detail} for source, detail in evidence],
    }


def _mentioned_column(
    profile: DatasetProfile, question: str
) -> tuple[TableProfile, ColumnProfile] | None:
    spaced = " ".join(re.findall(r"[a-z0-9]+", question))
    best: tuple[int, TableProfile, ColumnProfile] | None = None
    for table in profile.tables:
        for column in table.columns:
            phrase = " ".join(name_tokens(column.name))
            exact = column.name.lower() in question
            if (exact or f" {phrase} " in f" {spaced} ") and (
                best is None or len(phrase) > best[0]
            ):
                best = (len(phrase), table, column)
    return (best[1], best[2]) if best else None


def _rows_intent(request: AnswerQuestionRequest, words: set[str], column) -> dict | None:
    if not ({"rows", "records", "many", "size", "big"} & words) or column is not None:
        return None
    if "columns" in words:
        counts = [(table.name, len(table.columns)) for table in request.profile.tables]
        text = "; ".join(f"{name} has {count} columns" for name, count in counts)
        return _reply(text + ".", "high", [("profile", text)])
    counts = [(table.name, table.row_count) for table in request.profile.tables]
    total = sum(count for _, count in counts)
    detail = "; ".join(f"{name}: {count:,} rows" for name, count in counts)
    return _reply(f"The dataset has {total:,} rows ({detail}).", "high", [("profile", detail)])


def _missing_intent(request: AnswerQuestionRequest, words: set[str], column) -> dict | None:
    if not {"missing", "null", "nulls", "empty", "blank", "nan"} & words:
        return None
    if column is not None:
        table, profile = column
        share = percent(profile.missing_fraction)
        detail = f"{table.name}.{profile.name} missing fraction {profile.missing_fraction:.4f}"
        return _reply(
            f"{share} of '{profile.name}' values are missing.", "high", [("profile", detail)]
        )
    found = [
        (table.name, item.name, item.missing_fraction)
        for table in request.profile.tables
        for item in table.columns
        if item.missing_fraction > 0
    ]
    if not found:
        return _reply("No column has missing values.", "high", [("profile", "all complete")])
    found.sort(key=lambda item: -item[2])
    listed = ", ".join(f"{table}.{name} ({percent(share)})" for table, name, share in found)
    return _reply(f"Columns with missing values: {listed}.", "high", [("profile", listed)])


def _column_intent(request: AnswerQuestionRequest, words: set[str], column) -> dict | None:
    if column is None:
        return None
    table, profile = column
    hidden = profile.name in personal_data_columns(table, request.pii_findings)
    source = f"profile of {table.name}.{profile.name}"
    if profile.minimum is not None and profile.maximum is not None:
        detail = f"min {profile.minimum:g}, max {profile.maximum:g}"
        if profile.mean is not None:
            detail += f", mean {profile.mean:.4g}"
        if profile.std is not None:
            detail += f", std {profile.std:.4g}"
        return _reply(f"'{profile.name}' ranges {detail}.", "high", [(source, detail)])
    if profile.earliest and profile.latest:
        detail = f"from {profile.earliest} to {profile.latest}"
        return _reply(f"'{profile.name}' spans {detail}.", "high", [(source, detail)])
    if hidden:
        detail = f"{profile.distinct_count:,} distinct values; values withheld as personal data"
        return _reply(
            f"'{profile.name}' holds personal data, so its values are not shown; it has {detail}.",
            "medium",
            [(source, detail)],
        )
    if profile.top_values:
        listed = ", ".join(f"{v.value} ({percent(v.frequency)})" for v in profile.top_values[:5])
        return _reply(
            f"The most frequent values of '{profile.name}' are {listed}; it has "
            f"{profile.distinct_count:,} distinct values.",
            "high",
            [(source, listed)],
        )
    detail = f"{profile.distinct_count:,} distinct values"
    return _reply(f"'{profile.name}' has {detail}.", "medium", [(source, detail)])


def _quality_intent(request: AnswerQuestionRequest, words: set[str], column) -> dict | None:
    quality_words = {"quality", "score", "fidelity", "good", "weakest", "worst", "evaluation"}
    if not quality_words & words:
        return None
    report = request.evaluation
    if report is None:
        return _reply(
            "No evaluation report was given; evaluate the synthetic data first.", "low", []
        )
    weakest = sorted(report.column_scores, key=lambda item: item.score)[:3]
    listed = ", ".join(f"{item.column} ({item.score:.2f})" for item in weakest)
    answer = f"The overall quality score is {report.overall_score:.2f}."
    if listed:
        answer += f" The weakest columns are {listed}."
    return _reply(answer, "high", [(f"evaluation {report.report_id}", answer)])


def _privacy_intent(request: AnswerQuestionRequest, words: set[str], column) -> dict | None:
    if not {"privacy", "risk", "risks", "reidentification", "leak", "safe"} & words:
        return None
    risks = request.evaluation.privacy_risks if request.evaluation else ()
    if not risks:
        return _reply("No privacy-risk scores were given; run the privacy evaluation.", "low", [])
    listed = ", ".join(f"{risk.metric} {risk.risk:.3f} ({rating(risk.risk)})" for risk in risks)
    worst = max(risks, key=lambda risk: risk.risk)
    return _reply(
        f"Privacy risks: {listed}. The highest is {worst.metric}, rated {rating(worst.risk)}.",
        "high",
        [(f"evaluation {request.evaluation.report_id}", listed)],
    )


_INTENTS = (_missing_intent, _quality_intent, _privacy_intent, _rows_intent, _column_intent)
