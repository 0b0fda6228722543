"""`PiiCore`: the one object the gRPC servicer delegates to (built once at start-up)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import Progress
from synthstudio_pii.analyzer import AnalyzerStatus, PiiAnalyzer
from synthstudio_pii.anonymize import (
    AnonymizedText,
    ColumnPolicy,
    Keyring,
    TextOperator,
    anonymize_tables,
    anonymize_text,
    decrypt_text,
    validate_policies,
)
from synthstudio_pii.columns import (
    ClassificationOptions,
    FreeTextScan,
    TableClassification,
    classify_tables,
    scan_column,
)
from synthstudio_pii.recognizers import (
    CustomRecognizer,
    RecognizerLibrary,
    RecognizerPage,
    RecognizerRepository,
    RecognizerSelection,
    RecognizerTemplate,
    ResolvedRecognizers,
    StoredRecognizer,
)
from synthstudio_pii.text import (
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_SCORE_THRESHOLD,
    EntitySpan,
    RedactedText,
    analyze_text,
    redact_text,
)

SELECTION_FIELD = "selection"
UPDATABLE_FIELDS = frozenset({"entity_type", "patterns", "deny_list", "context", "description"})


class PiiCore:
    """Scanning, text analysis, redaction, anonymization and the recognizer store, behind one
    API of dataclasses and DataFrames. Every method raises the `synthstudio_libs.errors`
    exceptions (InvalidInput, NotFound, AlreadyExists, FailedPrecondition)."""

    def __init__(
        self,
        analyzer: PiiAnalyzer,
        keyring: Keyring,
        repository: RecognizerRepository,
        *,
        max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    ) -> None:
        self._analyzer = analyzer
        self._keyring = keyring
        self._repository = repository
        self._library = RecognizerLibrary(analyzer.supported_entities(), repository)
        self._max_text_chars = max_text_chars

    @property
    def status(self) -> AnalyzerStatus:
        """For health details: whether NER is available, and why not."""
        return self._analyzer.status

    def templates(self) -> Mapping[str, RecognizerTemplate]:
        """Recognizer templates a request may enable (healthcare, finance)."""
        return self._library.templates

    def supported_entities(self) -> frozenset[str]:
        """Built-in entity types plus those the templates add."""
        return self._library.all_known_entities()

    @property
    def max_text_chars(self) -> int:
        """Longest text the text methods accept."""
        return self._max_text_chars

    def _resolve(self, selection: RecognizerSelection | None) -> ResolvedRecognizers:
        # The request field carrying a selection is `selection` in every RPC.
        return self._library.resolve(selection, SELECTION_FIELD)

    def check_selection(self, selection: RecognizerSelection | None) -> None:
        """Validate a selection now (InvalidInput, NotFound), before a job relies on it."""
        self._resolve(selection)

    def check_policies(
        self,
        columns: Mapping[str, Sequence[str]],
        policies: Mapping[str, Mapping[str, ColumnPolicy]],
        *,
        selection: RecognizerSelection | None = None,
    ) -> None:
        """Validate policies against table -> column names before any data is read."""
        validate_policies(columns, policies, self._resolve(selection))

    def classify(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        selection: RecognizerSelection | None = None,
        options: ClassificationOptions | None = None,
        progress: Progress | None = None,
    ) -> dict[str, TableClassification]:
        """Column verdicts for every table of a dataset, from samples (seconds, any size)."""
        return classify_tables(
            self._analyzer,
            tables,
            recognizers=self._resolve(selection),
            options=options,
            progress=progress,
        )

    def scan_column(
        self,
        series: pd.Series,
        *,
        column: str,
        selection: RecognizerSelection | None = None,
        progress: Progress | None = None,
    ) -> FreeTextScan:
        """Full scan of one (free-text) column: run it as a job, it reads every distinct cell."""
        return scan_column(
            self._analyzer,
            series,
            column=column,
            recognizers=self._resolve(selection),
            progress=progress,
        )

    def analyze_text(
        self,
        text: str,
        *,
        selection: RecognizerSelection | None = None,
        entities: Sequence[str] = (),
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    ) -> list[EntitySpan]:
        """Entity spans with scores (InvalidInput: text too long, unknown entity type...)."""
        return analyze_text(
            self._analyzer,
            text,
            recognizers=self._resolve(selection),
            entities=entities,
            score_threshold=score_threshold,
            max_chars=self._max_text_chars,
        )

    def redact_text(
        self,
        text: str,
        *,
        selection: RecognizerSelection | None = None,
        entities: Sequence[str] = (),
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    ) -> RedactedText:
        """Text with `<ENTITY_TYPE>` placeholders: call before any text leaves for an LLM."""
        return redact_text(
            self._analyzer,
            text,
            recognizers=self._resolve(selection),
            entities=entities,
            score_threshold=score_threshold,
            max_chars=self._max_text_chars,
        )

    def anonymize_text(
        self,
        text: str,
        operators: Mapping[str, TextOperator],
        *,
        selection: RecognizerSelection | None = None,
        entities: Sequence[str] = (),
        score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    ) -> AnonymizedText:
        """Text with each PII span transformed by the operator of its entity type."""
        return anonymize_text(
            self._analyzer,
            text,
            self._keyring,
            operators,
            recognizers=self._resolve(selection),
            entities=entities,
            score_threshold=score_threshold,
            max_chars=self._max_text_chars,
        )

    def decrypt_text(self, anonymized: AnonymizedText) -> str:
        """Undo the `encrypt` spans of an anonymized text (check authorization first)."""
        return decrypt_text(anonymized, self._keyring)

    def anonymize(
        self,
        tables: Mapping[str, pd.DataFrame],
        policies: Mapping[str, Mapping[str, ColumnPolicy]],
        *,
        selection: RecognizerSelection | None = None,
        progress: Progress | None = None,
    ) -> dict[str, pd.DataFrame]:
        """New tables transformed by per-column policies; the input tables are not modified."""
        return anonymize_tables(
            tables,
            policies,
            self._keyring,
            analyzer=self._analyzer,
            recognizers=self._resolve(selection),
            progress=progress,
        )

    def save_recognizer(self, recognizer: CustomRecognizer) -> StoredRecognizer:
        """Save a custom recognizer under its name (AlreadyExists, InvalidInput)."""
        return self._repository.create(recognizer)

    def update_recognizer(
        self, recognizer: CustomRecognizer, fields: Sequence[str] = ()
    ) -> StoredRecognizer:
        """Change a saved recognizer: the named `fields` of `recognizer` (entity_type,
        patterns, deny_list, context, description), or its whole definition when none are
        named (NotFound, InvalidInput)."""
        if fields:
            unknown = sorted(set(fields) - UPDATABLE_FIELDS)
            if unknown:
                raise InvalidInput(
                    f"update_mask names {', '.join(unknown)}, which cannot be changed: name "
                    f"only {', '.join(sorted(UPDATABLE_FIELDS))}.",
                    field="update_mask",
                    metadata={"fields": ",".join(unknown)},
                )
            current = self._repository.get(recognizer.name).recognizer
            recognizer = replace(
                current, **{name: getattr(recognizer, name) for name in set(fields)}
            )
        return self._repository.update(recognizer)

    def get_recognizer(self, name: str) -> StoredRecognizer:
        """A saved recognizer by name (NotFound)."""
        return self._repository.get(name)

    def list_recognizers(self, page_size: int = 0, page_token: str = "") -> RecognizerPage:
        """Saved recognizers ordered by name, a page at a time."""
        return self._repository.list(page_size, page_token)

    def delete_recognizer(self, name: str) -> None:
        """Delete a saved recognizer (NotFound)."""
        self._repository.delete(name)
