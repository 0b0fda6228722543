"""Feature 4: suggest a synthesizer and its hyperparameters from a dataset profile."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec, obj, string_list
from synthstudio_llm.profiles import (
    LONG_RIGHT_TAIL,
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    TableProfile,
    right_tail_ratio,
)
from synthstudio_llm.prompting import Prompt, build_prompt, render_dataset

SYNTHESIZERS = ["gaussian_copula", "ctgan", "tvae", "copula_gan", "hma", "par"]
# The free HMA refuses more tables than this, and any grandchild table.
HMA_MAX_TABLES = 5


class Goal(StrEnum):
    """What the user cares about most."""

    BALANCED = "balanced"
    FIDELITY = "fidelity"
    SPEED = "speed"
    PRIVACY = "privacy"


@dataclass(frozen=True)
class SuggestSynthesizerRequest:
    """Suggest a synthesizer for a profiled dataset."""

    profile: DatasetProfile
    goal: Goal = Goal.BALANCED
    differential_privacy: bool = False
    epsilon_budget: float | None = None
    time_budget_minutes: float | None = None


class SuggestSynthesizer(FeatureSpec[SuggestSynthesizerRequest]):
    """A synthesizer, hyperparameters in SDV 2 terms, reasons, alternatives and warnings."""

    feature = Feature.SUGGEST_SYNTHESIZER
    request_type = SuggestSynthesizerRequest
    title = "Synthesizer suggestion"
    output_schema = obj(
        {
            "synthesizer": {"type": "string", "enum": SYNTHESIZERS},
            "hyperparameters": {"type": "object"},
            "differential_privacy": {
                "type": ["object", "null"],
                "properties": {
                    "epsilon": {"type": "number", "minimum": 0},
                    "delta": {"type": "number", "minimum": 0},
                },
            },
            "reasons": string_list(min_items=1),
            "alternatives": {
                "type": "array",
                "items": obj(
                    {
                        "synthesizer": {"type": "string", "enum": SYNTHESIZERS},
                        "when": {"type": "string", "minLength": 1},
                    }
                ),
            },
            "warnings": string_list(),
        }
    )

    def validate(self, request: SuggestSynthesizerRequest) -> None:
        if not request.profile.tables:
            raise InvalidInput(
                f"Dataset '{request.profile.dataset_id}' has no table profiles; profile it first.",
                field="profile.tables",
                metadata={"dataset_id": request.profile.dataset_id},
            )
        if request.epsilon_budget is not None and request.epsilon_budget <= 0:
            raise InvalidInput(
                f"epsilon_budget is {request.epsilon_budget}; it must be positive.",
                field="epsilon_budget",
                metadata={"epsilon_budget": request.epsilon_budget},
            )

    def input_ids(self, request: SuggestSynthesizerRequest) -> tuple[str, ...]:
        return (request.profile.dataset_id,)

    def build_prompt(self, request: SuggestSynthesizerRequest) -> Prompt:
        return build_prompt(
            f"Suggest one synthesizer and its hyperparameters for this dataset; the user's goal "
            f"is {request.goal.value}.",
            [
                f"synthesizer is one of {SYNTHESIZERS} (SDV 2.0 names; hma for linked tables, "
                "par for sequences).",
                "hyperparameters use SDV 2.0 argument names (epochs, batch_size as a multiple "
                "of pac=10, numerical_distributions, enforce_min_max_values).",
                f"The free HMA refuses more than {HMA_MAX_TABLES} tables or any grandchild table.",
                "differential_privacy is null unless it is required; give epsilon and delta.",
            ],
            {
                "profile": render_dataset(request.profile),
                "differential_privacy_required": request.differential_privacy,
                "epsilon_budget": request.epsilon_budget,
                "time_budget_minutes": request.time_budget_minutes,
            },
            self.output_schema,
        )

    def offline_answer(self, request: SuggestSynthesizerRequest) -> dict[str, Any]:
        profile = request.profile
        if len(profile.tables) > 1:
            return _multi_table(profile)
        table = profile.tables[0]
        if table.sequence_key:
            return _sequential(table)
        return _single_table(table, request)


def _answer(
    synthesizer: str,
    hyperparameters: dict[str, Any],
    reasons: list[str],
    alternatives: list[tuple[str, str]],
    warnings: list[str],
    dp: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "synthesizer": synthesizer,
        "hyperparameters": hyperparameters,
        "differential_privacy": dp,
        "reasons": reasons,
        "alternatives": [{"synthesizer": name, "when": when} for name, when in alternatives],
        "warnings": warnings,
    }


def _multi_table(profile: DatasetProfile) -> dict[str, Any]:
    warnings = []
    if len(profile.tables) > HMA_MAX_TABLES:
        warnings.append(
            f"{len(profile.tables)} tables: the free HMA accepts at most {HMA_MAX_TABLES}; "
            "synthesize a subset of linked tables at a time."
        )
    depth = _hierarchy_depth(profile)
    if depth > 2:
        warnings.append(
            f"The tables nest {depth} levels deep: the free HMA refuses grandchild tables; "
            "denormalise the deepest level into its parent first."
        )
    rows = ", ".join(f"{table.name} ({table.row_count:,} rows)" for table in profile.tables)
    return _answer(
        "hma",
        {"default_distribution": "beta", "enforce_min_max_values": True},
        [
            f"{len(profile.tables)} tables linked by {len(profile.relationships)} foreign "
            f"key(s): {rows}.",
            "HMA models every table with a Gaussian copula and the parent-child links between "
            "them, so generated keys stay consistent.",
        ],
        [("gaussian_copula", "to synthesize each table independently, losing the links")],
        warnings,
    )


def _hierarchy_depth(profile: DatasetProfile) -> int:
    parents = {link.child_table: link.parent_table for link in profile.relationships}

    def depth(table: str, seen: frozenset[str] = frozenset()) -> int:
        parent = parents.get(table)
        return 1 if parent is None or parent in seen else 1 + depth(parent, seen | {table})

    return max((depth(table.name) for table in profile.tables), default=1)


def _sequential(table: TableProfile) -> dict[str, Any]:
    context = [
        column.name
        for column in table.columns
        if column.kind == ColumnKind.CATEGORICAL and column.distinct_count <= 20
    ]
    return _answer(
        "par",
        {"epochs": 128, "context_columns": context, "enforce_min_max_values": True},
        [
            f"Rows form sequences keyed by '{table.sequence_key}'"
            + (f" and ordered by '{table.sequence_index}'" if table.sequence_index else "")
            + "; PAR learns how each sequence evolves.",
            "Low-cardinality categorical columns are proposed as context columns: verify that "
            "they are constant within a sequence.",
        ],
        [("gaussian_copula", "if the order of rows within a sequence does not matter")],
        ["PAR trains slowly on long sequences: start with a sample of sequences."],
    )


@dataclass(frozen=True)
class _Shape:
    rows: int
    numerical: list[ColumnProfile]
    categorical: list[ColumnProfile]
    widest_category: int

    @property
    def numerical_share(self) -> float:
        total = len(self.numerical) + len(self.categorical)
        return len(self.numerical) / total if total else 0.0


def _shape(table: TableProfile) -> _Shape:
    numerical = [c for c in table.columns if c.kind == ColumnKind.NUMERICAL]
    categorical = [
        c for c in table.columns if c.kind in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN}
    ]
    widest = max((c.distinct_count for c in categorical), default=0)
    return _Shape(table.row_count, numerical, categorical, widest)


def _single_table(table: TableProfile, request: SuggestSynthesizerRequest) -> dict[str, Any]:
    shape = _shape(table)
    if request.differential_privacy or request.goal == Goal.PRIVACY:
        return _private(shape, request)
    quick = request.time_budget_minutes is not None and request.time_budget_minutes < 5
    if request.goal == Goal.SPEED or quick or shape.rows < 1000:
        return _copula(table, shape, quick)
    if shape.widest_category >= 50 or (request.goal == Goal.FIDELITY and shape.categorical):
        return _deep("ctgan", shape, "categorical columns dominate the fidelity problem")
    if shape.numerical_share >= 0.7:
        return _deep("tvae", shape, f"{percent_of(shape.numerical_share)} of columns are numerical")
    if request.goal == Goal.FIDELITY:
        return _deep("ctgan", shape, "the goal is fidelity")
    return _copula(table, shape, quick=False)


def percent_of(share: float) -> str:
    """0.75 -> "75%"."""
    return f"{share * 100:.0f}%"


def _epochs(rows: int) -> int:
    # Fewer rows need more passes to see enough gradient steps; large tables need fewer.
    if rows <= 10_000:
        return 500
    return 300 if rows <= 100_000 else 150


def _deep(name: str, shape: _Shape, why: str) -> dict[str, Any]:
    epochs = _epochs(shape.rows)
    reasons = [
        f"{shape.rows:,} rows are enough for a neural model to beat a copula on fidelity.",
        f"{name.upper()} fits here because {why}.",
        f"{epochs} epochs with batch_size 500 suits {shape.rows:,} rows.",
    ]
    if shape.widest_category >= 50:
        reasons.append(
            f"A categorical column has {shape.widest_category:,} categories; CTGAN's "
            "conditional sampling keeps rare ones."
        )
    other = "tvae" if name == "ctgan" else "ctgan"
    return _answer(
        name,
        {"epochs": epochs, "batch_size": 500, "enforce_min_max_values": True},
        reasons,
        [
            ("gaussian_copula", "for a fast baseline to compare the quality report against"),
            (other, f"if {name.upper()}'s column shapes score stays low"),
        ],
        [] if shape.rows >= 5000 else ["Under 5,000 rows, compare against a Gaussian copula."],
    )


def _copula(table: TableProfile, shape: _Shape, quick: bool) -> dict[str, Any]:
    distributions = {
        column.name: distribution
        for column in shape.numerical
        if (distribution := _marginal(column)) is not None
    }
    reasons = [
        f"{shape.rows:,} rows: a Gaussian copula trains in seconds and is robust with little data."
        if shape.rows < 1000
        else f"{shape.rows:,} rows of mixed columns: a Gaussian copula is a fast, strong "
        "baseline; move to CTGAN if the quality report shows weak columns."
    ]
    if quick:
        reasons.append("The time budget is under five minutes, too short for a deep model.")
    if distributions:
        names = ", ".join(f"{name} -> {dist}" for name, dist in distributions.items())
        reasons.append(f"Marginals chosen from the profile's ranges and moments: {names}.")
    return _answer(
        "gaussian_copula",
        {
            "default_distribution": "beta",
            "numerical_distributions": distributions,
            "enforce_min_max_values": True,
        },
        reasons,
        [("ctgan", "with more rows or if categorical pair trends score low")],
        [] if table.row_count >= 100 else ["Under 100 rows, any synthesizer will overfit."],
    )


def _marginal(column: ColumnProfile) -> str | None:
    low, high = column.minimum, column.maximum
    if low is None or high is None or column.mean is None:
        return None
    tail = right_tail_ratio(column)
    if tail is not None and tail > LONG_RIGHT_TAIL:
        return "gamma"
    if low >= 0 and high <= 1:
        return "beta"
    if column.distinct_count and column.distinct_count <= 12:
        return "uniform"
    return None


def _private(shape: _Shape, request: SuggestSynthesizerRequest) -> dict[str, Any]:
    epsilon = min(request.epsilon_budget or 1.0, 3.0)
    delta = 10.0 ** -math.ceil(math.log10(max(shape.rows, 10)) + 1)
    epochs = min(_epochs(shape.rows), 300)
    warnings = []
    if shape.rows < 5000:
        warnings.append(
            f"{shape.rows:,} rows: with DP noise, fidelity will be low at epsilon {epsilon:g}."
        )
    if request.epsilon_budget is not None and request.epsilon_budget > 3.0:
        warnings.append("Only part of the epsilon budget is proposed: keep some for retraining.")
    return _answer(
        "ctgan",
        {"epochs": epochs, "batch_size": 500, "enforce_min_max_values": True},
        [
            "Differential privacy is required: CTGAN trained with DP-SGD bounds every record's "
            "influence on the model.",
            f"epsilon {epsilon:g} is a common balance of privacy and utility; delta {delta:g} is "
            f"below 1/{shape.rows:,} rows.",
        ],
        [("tvae", "with DP if CTGAN's quality is too low at this epsilon")],
        warnings,
        dp={"epsilon": epsilon, "delta": delta},
    )
