"""Feature 11: translate or summarize an approved artifact into another language.

Offline there is no translation model, so the offline answer is a deterministic extractive
summary in the artifact's own language (English), labelled `translated: false` with the target
language recorded and a note saying so; a remote provider performs the translation itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.features.base import Feature, FeatureSpec, obj, string_list
from synthstudio_llm.prompting import Prompt, build_prompt

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "sv": "Swedish",
    "zh": "Chinese",
}
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_SUMMARY_KEYS = ("executive_summary", "summary", "answer", "description")
_NAME_KEYS = ("heading", "column", "metric", "table", "name", "synthesizer", "kind")
_TEXT_KEYS = ("body", "why", "detail", "rationale", "reason", "interpretation", "note", "when")


class TranslationMode(StrEnum):
    """Translate the whole artifact, or summarize it in the target language."""

    TRANSLATE = "translate"
    SUMMARIZE = "summarize"


@dataclass(frozen=True)
class TranslateArtifactRequest:
    """The output of an approved artifact and the language (BCP 47 tag) to render it in."""

    artifact_id: str
    source_feature: str
    content: dict[str, Any]
    target_language: str
    mode: TranslationMode = TranslationMode.SUMMARIZE
    max_points: int = 8


def language_name(tag: str) -> str:
    """ "pt-BR" -> "Portuguese (pt-BR)"; unknown languages keep their tag."""
    name = LANGUAGE_NAMES.get(tag.split("-")[0].lower())
    return f"{name} ({tag})" if name else tag


class TranslateArtifact(FeatureSpec[TranslateArtifactRequest]):
    """A translation or summary of an approved artifact."""

    feature = Feature.TRANSLATE_ARTIFACT
    request_type = TranslateArtifactRequest
    title = "Artifact translation or summary"
    output_schema = obj(
        {
            "target_language": {"type": "string", "minLength": 2},
            "mode": {"type": "string", "enum": [mode.value for mode in TranslationMode]},
            "translated": {"type": "boolean"},
            "title": {"type": "string", "minLength": 1},
            "summary": {"type": "string", "minLength": 1},
            "key_points": string_list(),
            "note": {"type": "string"},
        }
    )

    def validate(self, request: TranslateArtifactRequest) -> None:
        if not _LANGUAGE_TAG.match(request.target_language):
            raise InvalidInput(
                f"target_language '{request.target_language}' is not a BCP 47 language tag; "
                "use a code such as 'fr', 'de' or 'pt-BR'.",
                field="target_language",
                metadata={"target_language": request.target_language},
            )
        if not request.content:
            raise InvalidInput(
                f"Artifact '{request.artifact_id}' has no content to translate.",
                field="artifact_id",
                metadata={"artifact_id": request.artifact_id},
            )

    def input_ids(self, request: TranslateArtifactRequest) -> tuple[str, ...]:
        return (request.artifact_id,)

    def build_prompt(self, request: TranslateArtifactRequest) -> Prompt:
        language = language_name(request.target_language)
        task = (
            f"Translate this approved artifact into {language}, faithfully and completely."
            if request.mode == TranslationMode.TRANSLATE
            else f"Summarize this approved artifact in {language}."
        )
        return build_prompt(
            task,
            [
                "Keep column names, metric names, figures and legal citations unchanged.",
                f"key_points holds at most {request.max_points} items.",
                "translated is true when the text is in the target language.",
            ],
            {"feature": request.source_feature, "artifact": request.content},
            self.output_schema,
        )

    def offline_answer(self, request: TranslateArtifactRequest) -> dict[str, Any]:
        points = _key_points(request.content)[: request.max_points]
        summary = _summary_text(request.content) or (points[0] if points else "")
        english = request.target_language.split("-")[0].lower() == "en"
        note = (
            "The artifact is already in English."
            if english
            else (
                f"Offline mode cannot translate: this is an English extractive summary. Target "
                f"language {language_name(request.target_language)} is recorded; run this "
                "feature with a remote provider configured for a translation."
            )
        )
        return {
            "target_language": request.target_language,
            "mode": request.mode.value,
            "translated": english,
            "title": str(request.content.get("title") or request.source_feature.replace("_", " ")),
            "summary": summary or "The artifact holds no text to summarize.",
            "key_points": points,
            "note": note,
        }


def _sentences(text: str) -> list[str]:
    # A sentence ends at . ! or ? followed by a capital: "0.71" and "e.g. x" do not split.
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(text.split()))


def _first_sentence(text: str) -> str:
    return _sentences(text)[0]


def _summary_text(content: dict[str, Any]) -> str:
    for key in _SUMMARY_KEYS:
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(_sentences(value)[:3])
    return ""


def _key_points(content: dict[str, Any]) -> list[str]:
    points = []
    for value in content.values():
        if isinstance(value, list):
            points += [point for item in value if (point := _point(item))]
    return points


def _point(item: Any) -> str:
    if isinstance(item, str):
        return _first_sentence(item)
    if not isinstance(item, dict):
        return ""
    name = next((str(item[key]) for key in _NAME_KEYS if isinstance(item.get(key), str)), "")
    text = next((item[key] for key in _TEXT_KEYS if isinstance(item.get(key), str)), "")
    if not text:
        return name
    sentence = _first_sentence(text)
    return f"{name}: {sentence}" if name else sentence
