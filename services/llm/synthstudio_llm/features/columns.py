"""Features over one table's columns: semantic classification (6), a data dictionary (8) and
proposed constraints, i.e. business rules (10)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec, humanize, obj, percent, string_list
from synthstudio_llm.profiles import (
    ColumnKind,
    ColumnProfile,
    DatasetProfile,
    PiiFinding,
    TableProfile,
)
from synthstudio_llm.prompting import Prompt, build_prompt, render_dataset, render_table
from synthstudio_llm.semantics import (
    DIRECT_IDENTIFIERS,
    QUASI_IDENTIFIERS,
    SemanticGuess,
    SemanticType,
    classify_column,
    name_tokens,
    personal_data_columns,
)

# Presidio entity types the PII service reports, and the semantic type each one means.
ENTITY_SEMANTICS = {
    "PERSON": SemanticType.PERSON_NAME,
    "EMAIL_ADDRESS": SemanticType.EMAIL,
    "PHONE_NUMBER": SemanticType.PHONE,
    "US_SSN": SemanticType.NATIONAL_ID,
    "UK_NHS": SemanticType.NATIONAL_ID,
    "US_PASSPORT": SemanticType.NATIONAL_ID,
    "CREDIT_CARD": SemanticType.CREDIT_CARD,
    "IBAN_CODE": SemanticType.BANK_ACCOUNT,
    "US_BANK_NUMBER": SemanticType.BANK_ACCOUNT,
    "IP_ADDRESS": SemanticType.IP_ADDRESS,
    "LOCATION": SemanticType.ADDRESS,
    "URL": SemanticType.URL,
}


def classify_with_findings(
    table: TableProfile, findings: tuple[PiiFinding, ...]
) -> list[SemanticGuess]:
    """Rule-based guesses for every column, overridden where the PII scan saw an entity."""
    by_column = {finding.column: finding for finding in sorted(findings, key=lambda f: f.fraction)}
    guesses = []
    for column in table.columns:
        guess = classify_column(column, table)
        finding = by_column.get(column.name)
        semantic = ENTITY_SEMANTICS.get(finding.entity_type) if finding else None
        if finding is not None and semantic is not None and finding.fraction >= 0.5:
            guess = replace(
                guess,
                semantic_type=semantic,
                is_pii=semantic in DIRECT_IDENTIFIERS,
                quasi_identifier=semantic in QUASI_IDENTIFIERS,
                confidence=round(max(guess.confidence, finding.score * finding.fraction), 3),
                reason=(
                    f"the PII scan found {finding.entity_type} in "
                    f"{percent(finding.fraction)} of sampled values"
                ),
            )
        guesses.append(guess)
    return guesses


def _require_columns(table: TableProfile) -> None:
    if not table.columns:
        raise InvalidInput(
            f"Table '{table.name}' has no column profiles; profile the dataset first.",
            field="table.columns",
            metadata={"table": table.name},
        )


@dataclass(frozen=True)
class ClassifyColumnsRequest:
    """Classify the columns of one profiled table."""

    dataset_id: str
    table: TableProfile
    pii_findings: tuple[PiiFinding, ...] = ()


class ClassifyColumns(FeatureSpec[ClassifyColumnsRequest]):
    """Semantic type, PII and quasi-identifier status of every column."""

    feature = Feature.CLASSIFY_COLUMNS
    request_type = ClassifyColumnsRequest
    title = "Semantic column classification"
    output_schema = obj(
        {
            "table": {"type": "string"},
            "columns": {
                "type": "array",
                "items": obj(
                    {
                        "column": {"type": "string"},
                        "semantic_type": {
                            "type": "string",
                            "enum": [t.value for t in SemanticType],
                        },
                        "is_pii": {"type": "boolean"},
                        "quasi_identifier": {"type": "boolean"},
                        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                        "reason": {"type": "string"},
                    }
                ),
            },
        }
    )

    def validate(self, request: ClassifyColumnsRequest) -> None:
        _require_columns(request.table)

    def input_ids(self, request: ClassifyColumnsRequest) -> tuple[str, ...]:
        return (request.dataset_id,)

    def build_prompt(self, request: ClassifyColumnsRequest) -> Prompt:
        return build_prompt(
            "Classify every column semantically from its name and profile.",
            [
                "is_pii marks direct identifiers (names, contacts, national ids, accounts).",
                "quasi_identifier marks columns that identify people in combination "
                "(age, gender, postal code, city, coordinates).",
                "Give one short reason per column citing the evidence.",
            ],
            {
                "table": render_table(request.table, request.pii_findings),
                "pii_findings": [vars(finding) for finding in request.pii_findings],
            },
            self.output_schema,
        )

    def offline_answer(self, request: ClassifyColumnsRequest) -> dict[str, Any]:
        guesses = classify_with_findings(request.table, request.pii_findings)
        return {
            "table": request.table.name,
            "columns": [
                {
                    "column": guess.column,
                    "semantic_type": guess.semantic_type.value,
                    "is_pii": guess.is_pii,
                    "quasi_identifier": guess.quasi_identifier,
                    "confidence": guess.confidence,
                    "reason": guess.reason[:1].upper() + guess.reason[1:] + ".",
                }
                for guess in guesses
            ],
        }


@dataclass(frozen=True)
class DataDictionaryRequest:
    """Write a data dictionary for a profiled dataset."""

    profile: DatasetProfile
    pii_findings: tuple[PiiFinding, ...] = ()


class DataDictionary(FeatureSpec[DataDictionaryRequest]):
    """Per table and column: meaning, type, allowed values or range, nullability, PII."""

    feature = Feature.DATA_DICTIONARY
    request_type = DataDictionaryRequest
    title = "Data dictionary"
    output_schema = obj(
        {
            "dataset_id": {"type": "string"},
            "tables": {
                "type": "array",
                "minItems": 1,
                "items": obj(
                    {
                        "table": {"type": "string"},
                        "description": {"type": "string"},
                        "row_count": {"type": "integer", "minimum": 0},
                        "primary_key": {"type": ["string", "null"]},
                        "columns": {
                            "type": "array",
                            "items": obj(
                                {
                                    "column": {"type": "string"},
                                    "type": {"type": "string"},
                                    "semantic_type": {"type": "string"},
                                    "description": {"type": "string"},
                                    "values": {"type": "string"},
                                    "nullable": {"type": "boolean"},
                                    "pii": {"type": "boolean"},
                                }
                            ),
                        },
                    }
                ),
            },
        }
    )

    def validate(self, request: DataDictionaryRequest) -> None:
        if not request.profile.tables:
            raise InvalidInput(
                f"Dataset '{request.profile.dataset_id}' has no table profiles; profile it first.",
                field="profile.tables",
                metadata={"dataset_id": request.profile.dataset_id},
            )
        for table in request.profile.tables:
            _require_columns(table)

    def input_ids(self, request: DataDictionaryRequest) -> tuple[str, ...]:
        return (request.profile.dataset_id,)

    def build_prompt(self, request: DataDictionaryRequest) -> Prompt:
        return build_prompt(
            "Write a data dictionary: for each table a one-sentence purpose, for each column its "
            "meaning, storage type, semantic type, allowed values or range, nullability and PII.",
            [
                "Describe values only from the profile's ranges and frequent values.",
                "For personal-data columns, say what kind of data it is, never example values.",
            ],
            render_dataset(request.profile, request.pii_findings),
            self.output_schema,
        )

    def offline_answer(self, request: DataDictionaryRequest) -> dict[str, Any]:
        return {
            "dataset_id": request.profile.dataset_id,
            "tables": [
                _dictionary_table(request.profile, table, request.pii_findings)
                for table in request.profile.tables
            ],
        }


def _dictionary_table(
    profile: DatasetProfile, table: TableProfile, findings: tuple[PiiFinding, ...]
) -> dict[str, Any]:
    hidden = personal_data_columns(table, findings)
    guesses = {guess.column: guess for guess in classify_with_findings(table, findings)}
    parents = [
        link.parent_table for link in profile.relationships if link.child_table == table.name
    ]
    purpose = f"Table '{table.name}' with {table.row_count:,} rows and {len(table.columns)} columns"
    if parents:
        purpose += f"; each row belongs to a row of {', '.join(sorted(set(parents)))}"
    if table.sequence_key:
        purpose += f"; rows form sequences per {table.sequence_key}"
    return {
        "table": table.name,
        "description": purpose + ".",
        "row_count": table.row_count,
        "primary_key": table.primary_key,
        "columns": [
            _dictionary_column(table, column, guesses[column.name], column.name in hidden)
            for column in table.columns
        ],
    }


def _dictionary_column(
    table: TableProfile, column: ColumnProfile, guess: SemanticGuess, hidden: bool
) -> dict[str, Any]:
    meaning = humanize(column.name).capitalize()
    if column.name == table.primary_key:
        meaning += " - primary key, unique per row"
    elif guess.is_pii:
        meaning += f" - personal data ({guess.semantic_type.value.replace('_', ' ')})"
    return {
        "column": column.name,
        "type": column.kind.value,
        "semantic_type": guess.semantic_type.value,
        "description": meaning + ".",
        "values": _describe_values(column, hidden),
        "nullable": column.missing_fraction > 0,
        "pii": guess.is_pii,
    }


def _describe_values(column: ColumnProfile, hidden: bool) -> str:
    missing = f"; {percent(column.missing_fraction)} missing" if column.missing_fraction else ""
    if hidden:
        return f"{column.distinct_count:,} distinct values (withheld: personal data){missing}"
    if column.minimum is not None and column.maximum is not None:
        mean = f", mean {column.mean:.4g}" if column.mean is not None else ""
        return f"from {column.minimum:g} to {column.maximum:g}{mean}{missing}"
    if column.earliest and column.latest:
        return f"from {column.earliest} to {column.latest}{missing}"
    if column.top_values:
        shown = ", ".join(f"{item.value} ({percent(item.frequency)})" for item in column.top_values)
        more = column.distinct_count - len(column.top_values)
        suffix = f" and {more:,} more" if more > 0 else ""
        return f"most frequent: {shown}{suffix}{missing}"
    return f"{column.distinct_count:,} distinct values{missing}"


CONSTRAINT_KINDS = [
    "unique",
    "not_null",
    "bounds",
    "inequality",
    "allowed_values",
    "fixed_combinations",
]

# Word pairs that name the low and high end of one quantity: start_date / end_date.
_ORDERED_PAIRS = (
    ("start", "end"),
    ("begin", "end"),
    ("from", "to"),
    ("min", "max"),
    ("low", "high"),
    ("created", "updated"),
    ("open", "close"),
    ("checkin", "checkout"),
    ("birth", "death"),
    ("admission", "discharge"),
    ("dep", "arr"),
    ("departure", "arrival"),
    ("sched", "actual"),
)
# Category pairs where the first determines the second (a city lies in one country).
_HIERARCHIES = (("city", "country"), ("state", "country"), ("model", "make"), ("model", "brand"))


@dataclass(frozen=True)
class ProposeConstraintsRequest:
    """Propose business rules for one profiled table."""

    dataset_id: str
    table: TableProfile
    pii_findings: tuple[PiiFinding, ...] = ()


class ProposeConstraints(FeatureSpec[ProposeConstraintsRequest]):
    """Constraints a synthesizer should respect, each with the evidence behind it."""

    feature = Feature.PROPOSE_CONSTRAINTS
    request_type = ProposeConstraintsRequest
    title = "Proposed constraints"
    output_schema = obj(
        {
            "table": {"type": "string"},
            "constraints": {
                "type": "array",
                "items": obj(
                    {
                        "kind": {"type": "string", "enum": CONSTRAINT_KINDS},
                        "columns": string_list(min_items=1),
                        "sdv_constraint": {"type": ["string", "null"]},
                        "parameters": {"type": "object"},
                        "rationale": {"type": "string", "minLength": 1},
                    }
                ),
            },
        }
    )

    def validate(self, request: ProposeConstraintsRequest) -> None:
        _require_columns(request.table)

    def input_ids(self, request: ProposeConstraintsRequest) -> tuple[str, ...]:
        return (request.dataset_id,)

    def build_prompt(self, request: ProposeConstraintsRequest) -> Prompt:
        return build_prompt(
            "Propose business rules the synthetic data must respect, from the profile.",
            [
                f"kind is one of {CONSTRAINT_KINDS}.",
                "sdv_constraint names the SDV 2 class that enforces it (Inequality, "
                "FixedCombinations, Range, FixedIncrements) or null when none does.",
                "Every rule's rationale cites the profile figures that support it.",
            ],
            render_table(request.table, request.pii_findings),
            self.output_schema,
        )

    def offline_answer(self, request: ProposeConstraintsRequest) -> dict[str, Any]:
        table = request.table
        hidden = personal_data_columns(table, request.pii_findings)
        constraints = [
            *_unique_rules(table),
            *_not_null_rules(table),
            *_bounds_rules(table),
            *_inequality_rules(table),
            *_allowed_values_rules(table, hidden),
            *_hierarchy_rules(table),
        ]
        return {"table": table.name, "constraints": constraints}


def _rule(
    kind: str, columns: list[str], rationale: str, sdv: str | None = None, **parameters: Any
) -> dict[str, Any]:
    return {
        "kind": kind,
        "columns": columns,
        "sdv_constraint": sdv,
        "parameters": parameters,
        "rationale": rationale,
    }


def _unique_rules(table: TableProfile) -> list[dict[str, Any]]:
    rules = []
    for column in table.columns:
        if column.name == table.primary_key or (
            column.kind == ColumnKind.ID and column.distinct_count == table.row_count
        ):
            rules.append(
                _rule(
                    "unique",
                    [column.name],
                    f"{column.distinct_count:,} distinct values in {table.row_count:,} rows: "
                    "a key. Declare it as the primary key in the metadata.",
                )
            )
    return rules


def _not_null_rules(table: TableProfile) -> list[dict[str, Any]]:
    complete = [column.name for column in table.columns if column.missing_fraction == 0]
    if not complete:
        return []
    return [
        _rule(
            "not_null",
            complete,
            f"None of these {len(complete)} columns has a missing value in "
            f"{table.row_count:,} rows.",
        )
    ]


def _bounds_rules(table: TableProfile) -> list[dict[str, Any]]:
    rules = []
    for column in table.columns:
        if column.kind != ColumnKind.NUMERICAL or column.minimum is None or column.maximum is None:
            continue
        sign = " and never negative" if column.minimum >= 0 else ""
        rules.append(
            _rule(
                "bounds",
                [column.name],
                f"Observed from {column.minimum:g} to {column.maximum:g}{sign}; keep "
                "enforce_min_max_values=True so samples stay in range.",
                minimum=column.minimum,
                maximum=column.maximum,
            )
        )
    return rules


def _inequality_rules(table: TableProfile) -> list[dict[str, Any]]:
    rules = []
    ordered = [c for c in table.columns if c.kind in {ColumnKind.NUMERICAL, ColumnKind.DATETIME}]
    for low in ordered:
        for high in ordered:
            if low.name != high.name and _names_ordered_pair(low.name, high.name):
                rules.append(
                    _rule(
                        "inequality",
                        [low.name, high.name],
                        f"'{low.name}' names the start and '{high.name}' the end of one span"
                        f"{_span_evidence(low, high)}; every row should have {low.name} <= "
                        f"{high.name}.",
                        sdv="Inequality",
                        low_column_name=low.name,
                        high_column_name=high.name,
                    )
                )
    return rules


def _names_ordered_pair(low: str, high: str) -> bool:
    low_tokens, high_tokens = name_tokens(low), name_tokens(high)
    if len(low_tokens) != len(high_tokens):
        return False
    differing = [(a, b) for a, b in zip(low_tokens, high_tokens, strict=True) if a != b]
    return len(differing) == 1 and differing[0] in _ORDERED_PAIRS


def _span_evidence(low: ColumnProfile, high: ColumnProfile) -> str:
    if low.minimum is not None and high.minimum is not None:
        return f" (minimums {low.minimum:g} and {high.minimum:g})"
    if low.earliest and high.earliest:
        return f" (earliest {low.earliest} and {high.earliest})"
    return ""


def _allowed_values_rules(table: TableProfile, hidden: set[str]) -> list[dict[str, Any]]:
    rules = []
    for column in table.columns:
        covered = sum(item.frequency for item in column.top_values)
        if (
            column.kind in {ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN}
            and column.name not in hidden
            and column.top_values
            and len(column.top_values) >= column.distinct_count
            and covered >= 0.99
        ):
            values = [item.value for item in column.top_values]
            rules.append(
                _rule(
                    "allowed_values",
                    [column.name],
                    f"Only {len(values)} values occur ({', '.join(values)}); the synthesizer "
                    "learns categories from the data, so this documents and checks them.",
                    values=values,
                )
            )
    return rules


def _hierarchy_rules(table: TableProfile) -> list[dict[str, Any]]:
    categorical = {
        (name_tokens(column.name) or [column.name])[-1]: column.name
        for column in table.columns
        if column.kind == ColumnKind.CATEGORICAL
    }
    rules = []
    for child, parent in _HIERARCHIES:
        if child in categorical and parent in categorical:
            columns = [categorical[child], categorical[parent]]
            rules.append(
                _rule(
                    "fixed_combinations",
                    columns,
                    f"Each {child} lies in one {parent}; only combinations seen in the real "
                    "data should be sampled.",
                    sdv="FixedCombinations",
                    column_names=columns,
                )
            )
    return rules
