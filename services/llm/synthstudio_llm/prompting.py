"""Prompts and the renderers that turn structured inputs into prompt text.

Every renderer takes aggregates only; a table's frequent values are withheld for columns that
hold personal data (see `semantics.personal_data_columns`), so even a profile cannot carry
names or addresses into a prompt. Redaction then runs on the whole text as a second line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from synthstudio_llm.profiles import DatasetProfile, PiiFinding, TableProfile
from synthstudio_llm.semantics import personal_data_columns

WITHHELD = "<withheld: personal data>"

_SYSTEM_PREAMBLE = (
    "You are the data assistant of Synth Studio, a synthetic-data platform. You only ever see "
    "schemas, profiles, aggregates, metrics and findings, never rows. Placeholders such as "
    "<EMAIL_ADDRESS> or <PERSON> stand for redacted personal data: never guess what they hide. "
    "Answer with one JSON object and nothing else; it must conform to this JSON Schema:\n"
)


@dataclass(frozen=True)
class Prompt:
    """A system instruction and a user message, as sent to a chat model."""

    system: str
    user: str

    def as_text(self) -> str:
        """Both parts as one string: what is stored with the answer and what the cache hashes."""
        return f"[system]\n{self.system}\n\n[user]\n{self.user}"

    def digest(self) -> str:
        """SHA-256 of `as_text()`, hex."""
        return hashlib.sha256(self.as_text().encode("utf-8")).hexdigest()


def build_prompt(task: str, guidance: list[str], data: dict[str, Any], schema: dict) -> Prompt:
    """A prompt asking for `task` over `data`, with `guidance` as rules and `schema` as the
    required output shape."""
    rules = "\n".join(f"- {line}" for line in guidance)
    system = f"{_SYSTEM_PREAMBLE}{to_json(schema)}\n\nRules:\n{rules}"
    user = f"Task: {task}\n\nInput (aggregates only):\n{to_json(data)}"
    return Prompt(system=system, user=user)


#: Decimals kept of a number in a prompt (significant digits below 1, so a delta of 1e-05
#: survives): enough for any explanation, and a long run of digits (0.333333) is what the PII
#: service's recognizers mistake for a phone number.
PROMPT_DECIMALS = 4


def to_json(value: Any) -> str:
    """Compact, key-sorted JSON with numbers rounded (`PROMPT_DECIMALS`), so the same input
    always yields the same prompt text."""
    return json.dumps(_rounded(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        if value != value or abs(value) == float("inf"):
            return value
        if abs(value) < 1:
            return float(f"{value:.{PROMPT_DECIMALS}g}")
        return round(value, PROMPT_DECIMALS)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(item) for item in value]
    return value


def render_table(table: TableProfile, findings: tuple[PiiFinding, ...] = ()) -> dict[str, Any]:
    """`table` as a JSON-able dict with the frequent values of personal-data columns withheld."""
    hidden = personal_data_columns(table, findings)
    rendered = _drop_empty(asdict(table))
    for column in rendered["columns"]:
        if column["name"] in hidden and "top_values" in column:
            column["top_values"] = WITHHELD
    return rendered


def render_dataset(
    profile: DatasetProfile, findings: tuple[PiiFinding, ...] = ()
) -> dict[str, Any]:
    """`profile` as a JSON-able dict, every table rendered by `render_table`."""
    return {
        "dataset_id": profile.dataset_id,
        "tables": [render_table(table, findings) for table in profile.tables],
        "relationships": [asdict(link) for link in profile.relationships],
    }


def render(value: Any) -> Any:
    """A dataclass (or tuple of them) as JSON-able data, without empty fields."""
    if isinstance(value, tuple | list):
        return [render(item) for item in value]
    return _drop_empty(asdict(value))


def _drop_empty(value: Any) -> Any:
    # None and empty collections carry no information and only cost tokens.
    if isinstance(value, dict):
        return {
            key: _drop_empty(item) for key, item in value.items() if item not in (None, (), [], {})
        }
    if isinstance(value, list | tuple):
        return [_drop_empty(item) for item in value]
    return value
