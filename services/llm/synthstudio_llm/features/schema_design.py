"""Feature 1: a table schema (columns, types, constraints, example values) from a description."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec, obj, require_text, string_list
from synthstudio_llm.prompting import Prompt, build_prompt

COLUMN_TYPES = ["id", "numerical", "categorical", "boolean", "datetime", "text"]


@dataclass(frozen=True)
class SchemaFromDescriptionRequest:
    """A plain-language description of a table ("a customer table with id, e-mail, ...")."""

    description: str
    table_name: str | None = None
    max_columns: int = 30


@dataclass(frozen=True)
class _ColumnDraft:
    name: str
    type: str
    description: str
    nullable: bool
    constraints: tuple[str, ...]
    examples: tuple[str, ...]

    def as_output(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "nullable": self.nullable,
            "constraints": list(self.constraints),
            "example_values": list(self.examples),
        }


class SchemaFromDescription(FeatureSpec[SchemaFromDescriptionRequest]):
    """Designs a table from its description."""

    feature = Feature.SCHEMA_FROM_DESCRIPTION
    request_type = SchemaFromDescriptionRequest
    title = "Table schema from a description"
    output_schema = obj(
        {
            "table_name": {"type": "string", "minLength": 1},
            "primary_key": {"type": "string", "minLength": 1},
            "columns": {
                "type": "array",
                "minItems": 1,
                "items": obj(
                    {
                        "name": {"type": "string", "minLength": 1},
                        "type": {"type": "string", "enum": COLUMN_TYPES},
                        "description": {"type": "string"},
                        "nullable": {"type": "boolean"},
                        "constraints": string_list(),
                        "example_values": string_list(),
                    }
                ),
            },
            "notes": string_list(),
        }
    )

    def validate(self, request: SchemaFromDescriptionRequest) -> None:
        require_text(request.description, "description", "The table description")
        if not 1 <= request.max_columns <= 200:
            raise InvalidInput(
                f"max_columns is {request.max_columns}; ask for between 1 and 200 columns.",
                field="max_columns",
                metadata={"max_columns": request.max_columns},
            )

    def input_ids(self, request: SchemaFromDescriptionRequest) -> tuple[str, ...]:
        return ()

    def build_prompt(self, request: SchemaFromDescriptionRequest) -> Prompt:
        return build_prompt(
            "Design one table from the description: snake_case column names, a type for each, "
            "constraints as short sentences, two or three realistic but fictitious examples.",
            [
                "Pick the primary key among the columns; add '<table>_id' if none fits.",
                f"Use at most {request.max_columns} columns.",
                "Example values must be fictitious (example.com e-mails, no real people).",
            ],
            {"description": request.description, "table_name": request.table_name},
            self.output_schema,
        )

    def offline_answer(self, request: SchemaFromDescriptionRequest) -> dict[str, Any]:
        table = request.table_name or _table_name(request.description)
        phrases = _field_phrases(request.description)
        drafts = _dedupe([_draft_column(phrase) for phrase in phrases])[: request.max_columns]
        notes = ["Drafted offline by rules from the description's wording; review every type."]
        key = next((draft.name for draft in drafts if draft.type == "id"), None)
        if key is None:
            key = f"{table}_id"
            drafts.insert(0, _id_column(key, table))
            notes.append(f"No identifier was described, so '{key}' was added as primary key.")
        if not phrases:
            notes.append("No list of fields was found; describe them as 'with a, b and c'.")
        return {
            "table_name": table,
            "primary_key": key,
            "columns": [draft.as_output() for draft in drafts],
            "notes": notes,
        }


_LIST_START = re.compile(
    r"\b(?:with|containing|including|having|columns?|fields?|attributes?)\b[:\s]+", re.I
)
_TABLE_NAME = re.compile(r"\b(?:an?|the)\s+([a-z][a-z_ ]{1,40}?)\s+(?:table|dataset|list)\b", re.I)
_LEADING_WORDS = re.compile(
    r"^(?:and|or|a|an|the|their|its|his|her|each|every|one|whether)\s+", re.I
)
_NAME_STOPWORDS = frozenset({"a", "an", "the", "they", "them", "their", "to", "of", "for", "by"})
_RANGE = re.compile(r"\bbetween\s+(-?\d+(?:\.\d+)?)\s+(?:and|to)\s+(-?\d+(?:\.\d+)?)", re.I)
_UNIT = re.compile(r"\s+in\s+([a-z$€£%]+)\s*$", re.I)
_OPTIONAL = re.compile(r"\b(?:optional|if any|may be empty|nullable)\b", re.I)


def _table_name(description: str) -> str:
    match = _TABLE_NAME.search(description) or re.match(
        r"\s*([A-Za-z][\w ]{0,40}?)\s*:", description
    )
    return _snake(match.group(1)) if match else "table"


def _field_phrases(description: str) -> list[str]:
    match = _LIST_START.search(description)
    if match is None:
        return []
    listing = re.split(r"(?<=[a-z)])\.(?:\s|$)", description[match.end() :])[0]
    # "between 18 and 99" is one field's range, not two fields.
    listing = _RANGE.sub(r"between \1 to \2", listing)
    phrases = []
    for part in _split_top_level(listing):
        for piece in re.split(r"\s+and\s+(?![^()]*\))", part):
            cleaned = _LEADING_WORDS.sub("", piece.strip(" .;"))
            if cleaned:
                phrases.append(cleaned)
    return phrases


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _snake(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("e-mail", "email"))
    kept = [word for word in words if word not in _NAME_STOPWORDS]
    return "_".join(kept[:4]) or "column"


def _dedupe(drafts: list[_ColumnDraft]) -> list[_ColumnDraft]:
    seen: set[str] = set()
    unique = []
    for draft in drafts:
        if draft.name not in seen:
            seen.add(draft.name)
            unique.append(draft)
    return unique


def _id_column(name: str, table: str) -> _ColumnDraft:
    prefix = (table[:3] or "row").upper()
    return _ColumnDraft(
        name=name,
        type="id",
        description=f"Identifier of the {table} row.",
        nullable=False,
        constraints=("unique", "not null"),
        examples=(f"{prefix}-000001", f"{prefix}-000002"),
    )


def _draft_column(phrase: str) -> _ColumnDraft:
    choices = re.search(r"\(([^)]*)\)", phrase)
    bare = re.sub(r"\([^)]*\)", "", phrase).strip()
    unit_match = _UNIT.search(bare)
    unit = unit_match.group(1) if unit_match else None
    range_match = _RANGE.search(bare)
    name_part = bare[: unit_match.start()] if unit_match else bare
    name_part = _RANGE.sub("", name_part)
    name = _snake(name_part)
    words = set(name.split("_"))
    options = _options(choices.group(1)) if choices else []
    column = _typed_column(name, words, options, unit, " ".join(name_part.split()))
    constraints = list(column.constraints)
    if range_match:
        low, high = range_match.groups()
        constraints = [c for c in constraints if not c.startswith("between")]
        constraints.append(f"between {low} and {high}")
    nullable = bool(_OPTIONAL.search(phrase))
    if not nullable and "not null" not in constraints:
        constraints.append("not null")
    return _ColumnDraft(
        name=name,
        type=column.type,
        description=column.description,
        nullable=nullable,
        constraints=tuple(constraints),
        examples=column.examples,
    )


def _options(text: str) -> list[str]:
    return [item.strip() for item in re.split(r",|\bor\b|\band\b|/", text) if item.strip()]


_MONEY = {"price", "amount", "salary", "income", "wage", "cost", "revenue", "spend", "balance"}
_MONEY |= {"fee", "payment", "sales", "total"}
_FLAGS = {"is", "has", "active", "flag", "opted", "subscribed", "verified", "consent", "churned"}
_CATEGORIES = {"status", "type", "category", "tier", "plan", "segment", "level", "channel"}
_CATEGORIES |= {"gender", "sex", "country", "currency", "department", "role", "kind", "method"}
_MEASURES = {"score", "rating", "weight", "height", "length", "duration", "distance", "bmi"}
_MEASURES |= {"pressure", "temperature", "size", "area", "volume", "speed", "minutes"}
_DATES = {"date", "at", "time", "timestamp", "day", "birth", "dob", "birthday", "since", "on"}


def _typed_column(
    name: str, words: set[str], options: list[str], unit: str | None, label: str
) -> _ColumnDraft:
    unit_note = f" in {unit}" if unit else ""
    if words & {"id", "identifier", "uuid"} or name.endswith("_id"):
        return _id_column(name, name.removesuffix("_id") or "row")
    if words & {"email", "mail"}:
        return _col(
            name,
            "text",
            "E-mail address.",
            ("valid e-mail address", "unique"),
            ("jane.doe@example.com", "k.tanaka@example.org"),
        )
    if words & {"phone", "mobile", "telephone"}:
        return _col(
            name,
            "text",
            "Phone number in E.164 format.",
            ("E.164 format (+ and up to 15 digits)",),
            ("+15550100", "+445550199"),
        )
    if words & _DATES:
        past = words & {"birth", "dob", "birthday", "signup", "created", "registered", "joined"}
        constraints = ("ISO 8601 date", "not in the future") if past else ("ISO 8601 date",)
        return _col(
            name,
            "datetime",
            f"{label.capitalize()} (date).",
            constraints,
            ("2023-04-17", "2024-11-02"),
        )
    if "age" in words:
        return _col(
            name,
            "numerical",
            "Age in whole years.",
            ("integer", "between 0 and 120"),
            ("34", "58"),
        )
    if words & _MONEY:
        return _col(
            name,
            "numerical",
            f"Monetary amount{unit_note}.",
            ("non-negative", "two decimal places"),
            ("42.50", "129.99"),
        )
    if words & {"rate", "ratio", "share", "percent", "percentage", "pct"}:
        bounds = (
            "between 0 and 100" if words & {"percent", "percentage", "pct"} else "between 0 and 1"
        )
        return _col(
            name,
            "numerical",
            f"Proportion ({label}).",
            (bounds,),
            ("0.25", "0.8"),
        )
    if words & {"count", "number", "quantity", "qty", "visits", "orders", "items"}:
        return _col(
            name,
            "numerical",
            f"Count ({label}).",
            ("integer", "non-negative"),
            ("3", "12"),
        )
    if words & _FLAGS:
        return _col(name, "boolean", f"Whether {label}.", (), ("true", "false"))
    if options or words & _CATEGORIES:
        return _categorical(name, words, options, label)
    if "name" in words:
        return _col(
            name,
            "text",
            f"{label.capitalize()} (personal data: pseudonymise or synthesize).",
            ("non-empty",),
            ("Jane Doe", "Kenji Tanaka"),
        )
    if words & _MEASURES:
        return _ColumnDraft(
            name,
            "numerical",
            f"{label.capitalize()}{unit_note}.",
            ("non-negative",),
            ("3.5", "7.0"),
        )
    return _col(name, "text", f"{label.capitalize()}.", (), ())


def _col(
    name: str, kind: str, description: str, constraints: tuple[str, ...], examples: tuple[str, ...]
) -> _ColumnDraft:
    return _ColumnDraft(name, kind, description, False, constraints, examples)


def _categorical(name: str, words: set[str], options: list[str], label: str) -> _ColumnDraft:
    if options:
        allowed = options
    elif "country" in words:
        allowed = ["FR", "DE", "US", "JP"]
    elif words & {"gender", "sex"}:
        allowed = ["female", "male", "non-binary", "undisclosed"]
    elif "currency" in words:
        allowed = ["EUR", "USD", "GBP"]
    else:
        allowed = []
    constraints = (f"one of: {', '.join(allowed)}",) if allowed else ("small set of categories",)
    if "country" in words and not options:
        constraints = ("ISO 3166-1 alpha-2 code",)
    return _col(
        name,
        "categorical",
        f"{label.capitalize()} category.",
        constraints,
        tuple(allowed[:3]),
    )
