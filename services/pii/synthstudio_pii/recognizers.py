"""Recognizer library: extra built-ins, healthcare and finance templates, custom recognizers.

Presidio's predefined recognizers are the base (see `analyzer.build_analyzer`). On top of them a
request may enable templates (named bundles of recognizers), add custom regex recognizers and
deny-lists, and reuse custom recognizers saved by name in a `RecognizerRepository`. Everything a
request adds runs as Presidio ad-hoc recognizers, so the shared engine is never modified.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import phonenumbers
import re2
import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import AbaRoutingRecognizer, UsNpiRecognizer

from synthstudio_libs.errors import FailedPrecondition, InvalidInput, RateLimited

# Presidio compiles patterns with these flags unless a recognizer says otherwise.
_PRESIDIO_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
# Formats whose letters are upper case by definition: case-insensitive matching would turn
# ordinary words into codes ("hospital" is not a SWIFT code).
_CASE_SENSITIVE_FLAGS = regex.DOTALL | regex.MULTILINE

_ENTITY_TYPE = regex.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
_RECOGNIZER_NAME = regex.compile(r"^[a-z][a-z0-9_-]{0,62}$")
MAX_REGEX_CHARS = 1_000
MAX_DENY_LIST_ITEMS = 10_000
#: Regex patterns one request may bring (inline and saved together).
MAX_CUSTOM_PATTERNS = 20
#: Time all custom patterns of a request together may spend on one text. Patterns RE2 can
#: compile run in linear time and never come near it; the others (back-references,
#: look-arounds) run on the `regex` module, stopped when the time is up.
CUSTOM_REGEX_SECONDS = 0.5
#: Text requests with custom patterns running at once: the rest of the service's threads stay
#: free for the upload scan and for requests with built-in recognizers only.
MAX_CONCURRENT_CUSTOM_REQUESTS = 2

# USPS Publication 28 street suffixes (full names and standard abbreviations).
_STREET_SUFFIX_WORDS = (
    "Alley Aly Annex Anx Arcade Arc Avenue Ave Av Bayou Byu Beach Bch Bend Bnd Bluff Blf Bluffs "
    "Bottom Btm Boulevard Blvd Branch Br Bridge Brg Brook Brk Brooks Burg Burgs Bypass Byp Camp "
    "Cp Canyon Cyn Cape Cpe Causeway Cswy Center Ctr Centers Circle Cir Circles Cliff Clf Cliffs "
    "Clfs Club Clb Common Cmn Commons Corner Cor Corners Cors Course Crse Court Ct Courts Cts "
    "Cove Cv Coves Creek Crk Crescent Cres Crest Crst Crossing Xing Crossroad Curve Dale Dl Dam "
    "Dm Divide Dv Drive Dr Drives Estate Est Estates Expressway Expy Extension Ext Extensions "
    "Fall Falls Fls Ferry Fry Field Fld Fields Flds Flat Flt Flats Ford Frd Fords Forest Frst "
    "Forge Frg Forges Fork Frk Forks Fort Ft Freeway Fwy Garden Gdn Gardens Gateway Gtwy Glen "
    "Gln Glens Green Grn Greens Grove Grv Groves Harbor Hbr Harbors Haven Hvn Heights Hts "
    "Highway Hwy Hill Hl Hills Hls Hollow Holw Inlet Island Islands Isle Junction Jct "
    "Junctions Key Keys Knoll Knl Knolls Lake Lk Lakes Land Landing Lndg Lane Ln Light Lgt "
    "Lights Loaf Lock Lck Locks Lodge Ldg Loop Mall Manor Mnr Manors Meadow Mdw Meadows Mews "
    "Mill Ml Mills Mission Msn Motorway Mount Mt Mountain Mtn Mountains Neck Nck Orchard Orch "
    "Oval Overpass Park Parks Parkway Pkwy Parkways Pass Passage Path Pike Pine Pines Place Pl "
    "Plain Pln Plains Plaza Plz Point Pt Points Port Prt Ports Prairie Radial Radl Ramp "
    "Ranch Rnch Rapid Rpd Rapids Rest Rst Ridge Rdg Ridges River Riv Road Rd Roads Route Rte "
    "Row Rue Run Shoal Shl Shoals Shore Shr Shores Skyway Spring Spg Springs Spur Spurs Square "
    "Sq Squares Station Sta Stravenue Stra Stream Strm Street St Streets Summit Smt Terrace Ter "
    "Throughway Trace Trce Track Trak Trafficway Trail Trl Tunnel Tunl Turnpike Tpke Underpass "
    "Union Unions Valley Vly Valleys Via Viaduct View Vw Views Village Vlg Villages Ville "
    "Vista Vis Walk Walks Wall Way Ways Well Wells"
)


class StreetAddressRecognizer(PatternRecognizer):
    """Street addresses: number, capitalised street name and a USPS suffix, with optional unit
    and `, City, ST 12345` tail. Presidio has no street-address recognizer; NER sees only the
    city part of an address."""

    ENTITY = "STREET_ADDRESS"
    _SUFFIX = "|".join(sorted(set(_STREET_SUFFIX_WORDS.split()), key=len, reverse=True))
    _WORD = r"(?:[A-Z][A-Za-z'-]*\.?|\d+(?:st|nd|rd|th))"
    _STREET = rf"\b\d{{1,6}}\s+(?:{_WORD}\s+){{1,4}}?(?:{_SUFFIX})\b\.?"
    _UNIT_WORD = r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|#)"
    _UNIT = rf"(?:,?\s+{_UNIT_WORD}\.?\s*#?\s*[A-Za-z0-9-]+)?"
    _CITY_STATE_ZIP = (
        r"(?:,?\s+[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,3},?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
    )
    PATTERNS = (Pattern("street address", _STREET + _UNIT + _CITY_STATE_ZIP, 0.6),)
    CONTEXT = ("address", "street", "addr", "lives", "residence", "mailing", "ship")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="StreetAddressRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            global_regex_flags=_CASE_SENSITIVE_FLAGS,
        )


class NanpPhoneFormatRecognizer(PatternRecognizer):
    """North American phone numbers by format alone: 212-555-0143, (415) 555-2671 x12,
    +1-233-496-6865, 001-550-242-6908.

    Presidio's phone recognizer keeps only numbers valid in the numbering plan, so numbers with
    unassigned area codes or a `001` prefix (common in test and legacy data) passed through
    redaction; this one catches their shape. Separators are required: bare digit runs are
    left to other recognizers.
    """

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        Pattern(
            "NANP phone format",
            r"(?<![\w+-])(?:(?:\+?1|001)[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}"
            r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![\w-])",
            0.4,
        ),
    )
    CONTEXT = ("phone", "call", "called", "tel", "telephone", "mobile", "cell", "fax", "contact")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="NanpPhoneFormatRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
        )


def dea_checksum_valid(number: str) -> bool:
    """DEA registration number check digit: (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    digits = number[-7:]
    if len(number) != 9 or not digits.isdigit():
        return False
    values = [int(digit) for digit in digits]
    total = values[0] + values[2] + values[4] + 2 * (values[1] + values[3] + values[5])
    return total % 10 == values[6]


class DeaNumberRecognizer(PatternRecognizer):
    """US DEA registration numbers (registrant type letter, name letter, 7 digits, checksum)."""

    ENTITY = "DEA_NUMBER"
    PATTERNS = (Pattern("DEA number", r"\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b", 0.3),)
    CONTEXT = ("dea", "registration", "prescriber", "controlled")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="DeaNumberRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            global_regex_flags=_CASE_SENSITIVE_FLAGS,
        )

    def validate_result(self, pattern_text: str) -> bool:
        """A DEA number is real only when its check digit matches."""
        return dea_checksum_valid(pattern_text)


class SwiftBicRecognizer(PatternRecognizer):
    """SWIFT/BIC codes: 4-letter bank, ISO country, 2-character location, optional branch.

    There is no check digit, so a valid country code is the only test; the score stays modest
    and rises with context words ("swift", "bic").
    """

    ENTITY = "SWIFT_CODE"
    PATTERNS = (
        Pattern("SWIFT/BIC (11)", r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}[A-Z0-9]{3}\b", 0.4),
        Pattern("SWIFT/BIC (8)", r"\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}\b", 0.3),
    )
    CONTEXT = ("swift", "bic", "bank", "wire", "transfer")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="SwiftBicRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            global_regex_flags=_CASE_SENSITIVE_FLAGS,
        )

    def invalidate_result(self, pattern_text: str) -> bool:
        """Reject codes whose country part is not an ISO 3166 country."""
        return pattern_text[4:6] not in phonenumbers.SUPPORTED_REGIONS


class Icd10CodeRecognizer(PatternRecognizer):
    """ICD-10(-CM) diagnosis codes such as E11.9 or S72.001A."""

    ENTITY = "ICD10_CODE"
    PATTERNS = (
        Pattern("ICD-10 with subcategory", r"\b[A-TV-Z][0-9][0-9AB]\.[0-9A-TV-Z]{1,4}\b", 0.5),
        Pattern("ICD-10 category", r"\b[A-TV-Z][0-9][0-9AB]\b", 0.1),
    )
    CONTEXT = ("icd", "icd10", "icd-10", "diagnosis", "dx", "diagnosed")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="Icd10CodeRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
            global_regex_flags=_CASE_SENSITIVE_FLAGS,
        )


class MedicalRecordNumberRecognizer(PatternRecognizer):
    """Medical record numbers: `MRN 00123456` style, or bare 6-10 digits next to context words.

    MRN formats are hospital-specific; add a custom recognizer for a site's exact format.
    """

    ENTITY = "MEDICAL_RECORD_NUMBER"
    PATTERNS = (
        Pattern("MRN with prefix", r"\bMRN[\s:#-]*[A-Z]{0,3}\d{6,10}\b", 0.85),
        Pattern("MRN digits (weak)", r"\b\d{6,10}\b", 0.05),
    )
    CONTEXT = ("mrn", "medical record", "record number", "chart", "patient id")

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name="MedicalRecordNumberRecognizer",
            patterns=list(self.PATTERNS),
            context=list(self.CONTEXT),
        )


@dataclass(frozen=True)
class RecognizerTemplate:
    """A named bundle of recognizers for a domain, and every entity type it is meant to cover
    (including the built-in ones it relies on, such as IBAN_CODE for finance)."""

    name: str
    description: str
    entities: tuple[str, ...]
    recognizers: tuple[EntityRecognizer, ...]


def _build_templates() -> dict[str, RecognizerTemplate]:
    return {
        "healthcare": RecognizerTemplate(
            name="healthcare",
            description="Medical record numbers, NPI (Luhn check digit), ICD-10 codes, DEA "
            "numbers (checksum), plus the built-in medical licence recognizer.",
            entities=(
                MedicalRecordNumberRecognizer.ENTITY,
                "US_NPI",
                Icd10CodeRecognizer.ENTITY,
                DeaNumberRecognizer.ENTITY,
                "MEDICAL_LICENSE",
            ),
            recognizers=(
                MedicalRecordNumberRecognizer(),
                UsNpiRecognizer(),
                Icd10CodeRecognizer(),
                DeaNumberRecognizer(),
            ),
        ),
        "finance": RecognizerTemplate(
            name="finance",
            description="SWIFT/BIC codes and ABA routing numbers (checksum), plus the built-in "
            "IBAN (mod-97), card number (Luhn) and US bank account recognizers.",
            entities=(
                SwiftBicRecognizer.ENTITY,
                "ABA_ROUTING_NUMBER",
                "IBAN_CODE",
                "CREDIT_CARD",
                "US_BANK_NUMBER",
            ),
            recognizers=(SwiftBicRecognizer(), AbaRoutingRecognizer()),
        ),
    }


@dataclass(frozen=True)
class RegexPattern:
    """One regular expression of a custom recognizer, with the score a match gets (0-1]."""

    name: str
    regex: str
    score: float = 0.5


@dataclass(frozen=True)
class CustomRecognizer:
    """A user-defined recognizer: regex patterns and/or a deny-list for one entity type.

    `name` is lower-case (`[a-z][a-z0-9_-]*`), `entity_type` UPPER_SNAKE_CASE; it may be a new
    type (EMPLOYEE_ID) or a built-in one. Deny-list entries match whole words, ignoring case.
    `context` words near a match raise its score.
    """

    name: str
    entity_type: str
    patterns: tuple[RegexPattern, ...] = ()
    deny_list: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class RecognizerSelection:
    """What a request adds to the built-in recognizers: template names, custom recognizers
    defined inline, and names of custom recognizers saved in the repository."""

    templates: tuple[str, ...] = ()
    custom: tuple[CustomRecognizer, ...] = ()
    saved: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolvedRecognizers:
    """A selection made concrete: the ad-hoc recognizers to run and every detectable entity.

    `custom_slots` limits how many text requests with custom patterns run at once (None:
    the selection has none); hold `slot()` while analyzing."""

    ad_hoc: tuple[EntityRecognizer, ...] = ()
    entities: frozenset[str] = field(default_factory=frozenset)
    custom_slots: threading.BoundedSemaphore | None = None

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Run a text request; RateLimited when too many with custom patterns run already."""
        if self.custom_slots is None:
            yield
            return
        if not self.custom_slots.acquire(blocking=False):
            raise RateLimited(
                f"{MAX_CONCURRENT_CUSTOM_REQUESTS} requests with custom regex patterns are "
                "running already: retry in a second, or use saved recognizers in a dataset "
                "scan job.",
                retry_after_seconds=1.0,
                reason="CUSTOM_PATTERNS_BUSY",
            )
        try:
            yield
        finally:
            self.custom_slots.release()


class _RegexBudget:
    """The time a request's custom patterns may spend on one text, shared by all of them.
    A new text starts a new budget (a column scan analyzes many)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._text_id: int | None = None
        self._deadline = 0.0

    def remaining(self, text: str) -> float:
        if id(text) != self._text_id:
            self._text_id, self._deadline = id(text), time.monotonic() + self._seconds
        return self._deadline - time.monotonic()


class _BudgetedRegex:
    """A compiled custom pattern as Presidio uses it (`finditer(text, timeout=...)`), on RE2
    when the pattern allows and on `regex` with the request's remaining time otherwise.
    Running out of time is the caller's error, naming the pattern: Presidio would only log a
    timeout and go on to the next pattern with the time spent."""

    def __init__(self, source: str, budget: _RegexBudget, field_path: str) -> None:
        self._source = source
        self._budget = budget
        self._field = field_path
        options = re2.Options()
        options.log_errors = False
        try:
            self._re2: Any = re2.compile(f"(?ims){source}", options)
        except re2.error:  # back-references, look-arounds...: not RE2 syntax
            self._re2 = None
            self._regex = regex.compile(source, flags=_PRESIDIO_FLAGS)

    @property
    def linear(self) -> bool:
        """Whether RE2 runs it (linear time, no backtracking)."""
        return self._re2 is not None

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]:
        remaining = self._budget.remaining(text)
        if remaining <= 0:
            self._too_slow()
        if self._re2 is not None:
            return self._re2.finditer(text)
        return self._bounded(self._regex.finditer(text, timeout=remaining))

    def _bounded(self, matches: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from matches
        except TimeoutError:
            self._too_slow()

    def _too_slow(self) -> None:
        raise InvalidInput(
            f"Custom patterns took over {CUSTOM_REGEX_SECONDS:g} s on this text; regex "
            f"{self._source!r} backtracks too much. Rewrite it without back-references or "
            "look-arounds so that RE2 runs it in linear time, or narrow it.",
            field=self._field,
            reason="REGEX_TOO_SLOW",
            metadata={"regex": self._source, "seconds": CUSTOM_REGEX_SECONDS},
        )


class _CustomPatternRecognizer(PatternRecognizer):
    """A user's recognizer: its patterns (and deny-list) run as `_BudgetedRegex`."""

    def __init__(self, recognizer: CustomRecognizer, budget: _RegexBudget, field_path: str) -> None:
        super().__init__(
            supported_entity=recognizer.entity_type,
            name=f"custom:{recognizer.name}",
            patterns=[
                Pattern(pattern.name or f"pattern {index}", pattern.regex, pattern.score)
                for index, pattern in enumerate(recognizer.patterns)
            ]
            or None,
            deny_list=list(recognizer.deny_list) or None,
            context=list(recognizer.context) or None,
        )
        for index, pattern in enumerate(self.patterns):
            where = (
                f"{field_path}.patterns[{index}].regex"
                if index < len(recognizer.patterns)
                else f"{field_path}.deny_list"
            )
            # Presidio annotates both attributes as None, though it stores its compiled
            # regex and flags there; it calls only `finditer(text, timeout=...)`.
            pattern.compiled_regex = _BudgetedRegex(pattern.regex, budget, where)  # pyright: ignore[reportAttributeAccessIssue]
            pattern.compiled_with_flags = self.global_regex_flags  # pyright: ignore[reportAttributeAccessIssue]

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Presidio's analysis, always with the flags the patterns were compiled for."""
        return super().analyze(text, entities, nlp_artifacts)


def validate_custom_recognizer(recognizer: CustomRecognizer, field_path: str) -> None:
    """Raise InvalidInput naming the offending field when the definition cannot work."""
    if not _RECOGNIZER_NAME.match(recognizer.name):
        raise InvalidInput(
            f"Recognizer name {recognizer.name!r} is invalid: use 1-63 lower-case letters, "
            "digits, '_' or '-', starting with a letter.",
            field=f"{field_path}.name",
            metadata={"name": recognizer.name},
        )
    validate_entity_type_name(recognizer.entity_type, f"{field_path}.entity_type")
    if not recognizer.patterns and not recognizer.deny_list:
        raise InvalidInput(
            f"Recognizer {recognizer.name!r} has neither patterns nor a deny-list: give at least "
            "one regex pattern or one deny-list entry.",
            field=f"{field_path}.patterns",
            metadata={"name": recognizer.name},
        )
    for index, pattern in enumerate(recognizer.patterns):
        _validate_pattern(pattern, f"{field_path}.patterns[{index}]")
    _validate_deny_list(recognizer.deny_list, f"{field_path}.deny_list")


def validate_entity_type_name(entity_type: str, field_path: str) -> None:
    """Entity types are UPPER_SNAKE_CASE identifiers such as EMPLOYEE_ID."""
    if not _ENTITY_TYPE.match(entity_type):
        raise InvalidInput(
            f"Entity type {entity_type!r} is invalid: use UPPER_SNAKE_CASE, 2-64 characters "
            "(letters, digits, '_'), starting with a letter, e.g. EMPLOYEE_ID.",
            field=field_path,
            metadata={"entity_type": entity_type},
        )


def _validate_pattern(pattern: RegexPattern, field_path: str) -> None:
    if not 0.0 < pattern.score <= 1.0:
        raise InvalidInput(
            f"Pattern score {pattern.score} is out of range: use a value in (0, 1].",
            field=f"{field_path}.score",
            metadata={"score": pattern.score},
        )
    if not pattern.regex or len(pattern.regex) > MAX_REGEX_CHARS:
        raise InvalidInput(
            f"Regex must have 1 to {MAX_REGEX_CHARS} characters, got {len(pattern.regex)}.",
            field=f"{field_path}.regex",
            metadata={"length": len(pattern.regex), "max_length": MAX_REGEX_CHARS},
        )
    try:
        compiled = regex.compile(pattern.regex, flags=_PRESIDIO_FLAGS)
    except regex.error as error:
        raise InvalidInput(
            f"Regex {pattern.regex!r} does not compile: {error}. Fix the expression "
            "(Python `regex` module syntax).",
            field=f"{field_path}.regex",
            metadata={"regex": pattern.regex, "error": str(error)},
        ) from error
    if compiled.fullmatch(""):
        raise InvalidInput(
            f"Regex {pattern.regex!r} matches the empty string, so it would flag every "
            "position: require at least one character (use + instead of *).",
            field=f"{field_path}.regex",
            metadata={"regex": pattern.regex},
        )


def _validate_deny_list(deny_list: Sequence[str], field_path: str) -> None:
    if len(deny_list) > MAX_DENY_LIST_ITEMS:
        raise InvalidInput(
            f"Deny-list has {len(deny_list)} entries; at most {MAX_DENY_LIST_ITEMS} are allowed.",
            field=field_path,
            metadata={"entries": len(deny_list), "max_entries": MAX_DENY_LIST_ITEMS},
        )
    for index, entry in enumerate(deny_list):
        if not entry.strip():
            raise InvalidInput(
                "Deny-list entries must not be empty or blank.",
                field=f"{field_path}[{index}]",
                metadata={"index": index},
            )


def to_presidio(
    recognizer: CustomRecognizer,
    *,
    budget: _RegexBudget | None = None,
    field_path: str = "recognizer",
) -> PatternRecognizer:
    """The Presidio recognizer for a validated custom definition; its patterns share
    `budget` (a fresh `CUSTOM_REGEX_SECONDS` one when none is given)."""
    return _CustomPatternRecognizer(
        recognizer, budget or _RegexBudget(CUSTOM_REGEX_SECONDS), field_path
    )


def recognizer_to_dict(recognizer: CustomRecognizer) -> dict[str, Any]:
    """A custom recognizer as plain JSON values (how it is stored and carried in job params)."""
    return {
        "name": recognizer.name,
        "entity_type": recognizer.entity_type,
        "patterns": [
            {"name": p.name, "regex": p.regex, "score": p.score} for p in recognizer.patterns
        ],
        "deny_list": list(recognizer.deny_list),
        "context": list(recognizer.context),
        "description": recognizer.description,
    }


def recognizer_from_dict(values: Mapping[str, Any]) -> CustomRecognizer:
    """The custom recognizer `recognizer_to_dict` wrote."""
    return CustomRecognizer(
        name=values["name"],
        entity_type=values["entity_type"],
        patterns=tuple(RegexPattern(**pattern) for pattern in values["patterns"]),
        deny_list=tuple(values["deny_list"]),
        context=tuple(values["context"]),
        description=values["description"],
    )


@dataclass(frozen=True)
class StoredRecognizer:
    """A saved custom recognizer with its timestamps (UTC)."""

    recognizer: CustomRecognizer
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RecognizerPage:
    """One page of saved recognizers ordered by name; `next_page_token` is "" on the last."""

    items: tuple[StoredRecognizer, ...]
    next_page_token: str


class RecognizerRepository(Protocol):
    """Where custom recognizers are saved and found again by name."""

    def create(self, recognizer: CustomRecognizer) -> StoredRecognizer:
        """Save a new recognizer; AlreadyExists if the name is taken, InvalidInput if invalid."""
        ...

    def update(self, recognizer: CustomRecognizer) -> StoredRecognizer:
        """Replace the definition saved under `recognizer.name`; NotFound if there is none."""
        ...

    def get(self, name: str) -> StoredRecognizer:
        """The recognizer saved under `name`; NotFound if there is none."""
        ...

    def list(self, page_size: int = 0, page_token: str = "") -> RecognizerPage:
        """Saved recognizers ordered by name, `page_size` at a time (0: the default)."""
        ...

    def delete(self, name: str) -> None:
        """Delete the recognizer saved under `name`; NotFound if there is none."""
        ...


class RecognizerLibrary:
    """Turns a request's `RecognizerSelection` into ad-hoc recognizers and checks entity names.

    `base_entities` are what the shared analyzer detects on its own; `repository` stores custom
    recognizers saved by name (optional: without it, `saved` selections are refused).
    """

    def __init__(
        self,
        base_entities: Iterable[str],
        repository: RecognizerRepository | None = None,
    ) -> None:
        self._base_entities = frozenset(base_entities)
        self._repository = repository
        self._templates = _build_templates()
        self._custom_slots = threading.BoundedSemaphore(MAX_CONCURRENT_CUSTOM_REQUESTS)

    @property
    def templates(self) -> Mapping[str, RecognizerTemplate]:
        """The templates a selection may name, by name."""
        return self._templates

    @property
    def base_entities(self) -> frozenset[str]:
        """Entity types detected without any template or custom recognizer."""
        return self._base_entities

    def all_known_entities(self) -> frozenset[str]:
        """Built-in entity types plus those every template adds."""
        template_entities = {e for t in self._templates.values() for e in t.entities}
        return self._base_entities | template_entities

    def resolve(
        self, selection: RecognizerSelection | None, field_path: str = "recognizers"
    ) -> ResolvedRecognizers:
        """Validate a selection and build its recognizers (InvalidInput / NotFound if wrong)."""
        if selection is None:
            return ResolvedRecognizers(entities=self._base_entities)
        ad_hoc: list[EntityRecognizer] = []
        entities = set(self._base_entities)
        for index, name in enumerate(selection.templates):
            template = self._template(name, f"{field_path}.templates[{index}]")
            ad_hoc.extend(template.recognizers)
            entities.update(template.entities)
        customs = list(selection.custom)
        for index, recognizer in enumerate(customs):
            validate_custom_recognizer(recognizer, f"{field_path}.custom[{index}]")
        paths = [f"{field_path}.custom[{index}]" for index in range(len(customs))]
        saved = self._load_saved(selection.saved, f"{field_path}.saved")
        customs.extend(saved)
        paths.extend(f"{field_path}.saved[{index}]" for index in range(len(saved)))
        _reject_duplicate_names(customs, f"{field_path}.custom")
        _reject_too_many_patterns(customs, field_path)
        budget = _RegexBudget(CUSTOM_REGEX_SECONDS)
        for recognizer, path in zip(customs, paths, strict=True):
            ad_hoc.append(to_presidio(recognizer, budget=budget, field_path=path))
            entities.add(recognizer.entity_type)
        return ResolvedRecognizers(
            ad_hoc=tuple(ad_hoc),
            entities=frozenset(entities),
            custom_slots=self._custom_slots if customs else None,
        )

    def _template(self, name: str, field_path: str) -> RecognizerTemplate:
        template = self._templates.get(name)
        if template is None:
            known = ", ".join(sorted(self._templates))
            raise InvalidInput(
                f"Unknown recognizer template {name!r}: choose one of {known}.",
                field=field_path,
                metadata={"template": name, "known_templates": known},
            )
        return template

    def _load_saved(self, names: Sequence[str], field_path: str) -> list[CustomRecognizer]:
        if names and self._repository is None:
            raise FailedPrecondition(
                "This PII service has no recognizer store configured, so saved recognizers "
                "cannot be used; define them inline in the request instead.",
                metadata={"saved": ",".join(names)},
            )
        return [self._repository.get(name).recognizer for name in names] if names else []


def check_entities(
    requested: Sequence[str], resolved: ResolvedRecognizers, field_path: str = "entities"
) -> tuple[str, ...]:
    """Return `requested` if every entity type is detectable, else raise InvalidInput."""
    for index, entity in enumerate(requested):
        check_entity(entity, resolved, f"{field_path}[{index}]")
    return tuple(requested)


def check_entity(entity: str, resolved: ResolvedRecognizers, field_path: str) -> None:
    """Raise InvalidInput naming `field_path` unless `entity` is detectable."""
    if entity not in resolved.entities:
        raise InvalidInput(
            f"Unknown entity type {entity!r}: it is not detected by the built-in recognizers, "
            "the enabled templates or the custom recognizers of this request. List supported "
            "entity types, enable the template that has it, or add a custom recognizer for it.",
            field=field_path,
            metadata={"entity_type": entity},
        )


def _reject_too_many_patterns(recognizers: Sequence[CustomRecognizer], field_path: str) -> None:
    count = sum(len(r.patterns) + (1 if r.deny_list else 0) for r in recognizers)
    if count > MAX_CUSTOM_PATTERNS:
        raise InvalidInput(
            f"The request brings {count} custom patterns (a deny-list counts as one); at most "
            f"{MAX_CUSTOM_PATTERNS} are allowed: merge patterns with `|` or drop some.",
            field=f"{field_path}.custom",
            reason="TOO_MANY_PATTERNS",
            metadata={"patterns": count, "max_patterns": MAX_CUSTOM_PATTERNS},
        )


def _reject_duplicate_names(recognizers: Sequence[CustomRecognizer], field_path: str) -> None:
    seen: set[str] = set()
    for index, recognizer in enumerate(recognizers):
        if recognizer.name in seen:
            raise InvalidInput(
                f"Custom recognizer name {recognizer.name!r} is used twice in this request "
                "(inline or saved): give each recognizer a distinct name.",
                field=f"{field_path}[{index}].name",
                metadata={"name": recognizer.name},
            )
        seen.add(recognizer.name)
