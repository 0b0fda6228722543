"""Column classification of tables: which columns hold which kind of PII, with evidence.

Presidio is built for prose; on single cells its raw findings are noisy (NRP on "+1-537" of a
phone number, URL on an e-mail's domain, PHONE_NUMBER on an amount, DATE_TIME on card numbers,
PERSON on a product code). A verdict therefore rests on a sample of distinct cells and counts a
cell for an entity type only when a finding
  * covers (nearly) the whole cell: a URL inside an e-mail address does not make a URL column;
  * has a plausible shape: NER names and places contain no digits, NER dates look like dates;
  * on bare digits, was checksum-validated (score 1.0) or is what the column name announces;
and the type must match a majority of sampled cells (fewer when the column name agrees).
Decimal-number columns (amounts, measures) are not analyzed. Long, varied prose is reported as
free text with the entity types found in it, and a full scan of it is offered (`scan_column`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd
from presidio_analyzer import RecognizerResult

from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_pii.analyzer import NER_RECOGNIZER_NAME, PiiAnalyzer
from synthstudio_pii.recognizers import ResolvedRecognizers
from synthstudio_pii.text import DEFAULT_SCORE_THRESHOLD

# Cells longer than this are cut for classification: the head of a cell tells its kind.
_MAX_CLASSIFIED_CHARS = 2_000
_NER_WORD_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
_NER_ONLY_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP"})
_DECIMAL_NUMBER = re.compile(r"^[-+]?[$€£¥]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_DATE_SHAPE = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
    r"|\d{1,2}:\d{2}"
    r"|^(?:1[89]|20)\d{2}$"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b"
    r"|\b(?:today|yesterday|tomorrow|tonight|week|month|year|morning|evening)s?\b",
    re.IGNORECASE,
)
# Names, places and nationalities are words of letters: no digits, '@', '/' or '_'.
_WORDS_ONLY = re.compile(r"^[^\W\d_]+(?:[\s.,'’-]+[^\W\d_]+)*\.?$")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class ColumnKind(StrEnum):
    """What a column holds, as far as PII scanning is concerned."""

    EMPTY = "empty"  # no non-null cell
    NUMERIC = "numeric"  # numbers with fractions, booleans: measures, not identifiers
    STRUCTURED = "structured"  # short values: codes, identifiers, names, dates
    FREE_TEXT = "free_text"  # long, varied prose: PII can hide anywhere in it


@dataclass(frozen=True)
class ClassificationOptions:
    """Knobs of column classification; the defaults suit tables of any size."""

    sample_rows: int = 200  # non-null cells sampled per column (seeded, reproducible)
    seed: int = 0
    min_support: float = 0.6  # share of sampled cells that must match the entity type
    min_support_with_hint: float = 0.3  # ... when the column name names that type
    min_score: float = 0.3  # Presidio score below which a finding is ignored
    min_coverage: float = 0.8  # share of a cell's characters a finding must cover
    max_examples: int = 3
    free_text_min_words: float = 6.0  # median words per cell of a free-text column


@dataclass(frozen=True)
class EntityEvidence:
    """How many sampled cells an entity type matched, and its mean Presidio score there."""

    entity_type: str
    matched_cells: int
    mean_score: float


@dataclass(frozen=True)
class ColumnVerdict:
    """The classification of one column.

    `entity_type` is the PII type the column holds (None: no PII found). For a free-text column
    it is the type found in most sampled cells; `evidence` lists every type seen, most frequent
    first, and `full_scan_recommended` says a sample cannot rule out rare PII in it.
    `confidence` (0-1) is support x mean score, raised halfway to 1 when the column name agrees.
    `examples` are matched cells with most characters masked.
    """

    column: str
    kind: ColumnKind
    entity_type: str | None
    confidence: float
    sampled_cells: int
    matched_cells: int
    examples: tuple[str, ...]
    name_hint: str | None
    evidence: tuple[EntityEvidence, ...]
    full_scan_recommended: bool

    @property
    def is_pii(self) -> bool:
        """True when the column holds PII of some type."""
        return self.entity_type is not None


@dataclass(frozen=True)
class TableClassification:
    """Verdicts for every column of one table, in column order."""

    table: str
    rows: int
    columns: tuple[ColumnVerdict, ...]

    def verdict(self, column: str) -> ColumnVerdict:
        """The verdict of a column by name (KeyError if the table has no such column)."""
        for verdict in self.columns:
            if verdict.column == column:
                return verdict
        raise KeyError(column)

    @property
    def pii_columns(self) -> dict[str, str]:
        """Column name -> entity type, for the columns that hold PII."""
        return {v.column: v.entity_type for v in self.columns if v.entity_type is not None}


@dataclass(frozen=True)
class FreeTextScan:
    """Result of a full scan of one text column: rows holding each entity type."""

    column: str
    rows_scanned: int
    distinct_values: int
    rows_with_pii: int
    entity_rows: Mapping[str, int]
    examples: tuple[str, ...]


@dataclass
class _ColumnSample:
    column: str
    kind: ColumnKind
    counts: Counter[str]  # distinct sampled value -> times sampled
    free_text_candidate: bool = False
    fixed_entity: str | None = None  # typed columns whose dtype says it all (datetimes)

    @property
    def sampled_cells(self) -> int:
        return sum(self.counts.values())


def name_hint(column: str) -> str | None:
    """The entity type a column name announces (`email`, `customer_phone`, `DOB`, `ssn`...)."""
    tokens = _name_tokens(column)
    joined = "".join(tokens)
    for entity, words in _HINT_WORDS:
        if tokens & words or joined in words:
            return entity
    if {"social", "security"} <= tokens:
        return "US_SSN"
    if {"medical", "record"} <= tokens:
        return "MEDICAL_RECORD_NUMBER"
    if "name" in tokens and (len(tokens) == 1 or tokens & _PERSON_NAME_QUALIFIERS):
        return "PERSON"
    return None


_HINT_WORDS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (entity, frozenset(words.split()))
    for entity, words in (
        ("EMAIL_ADDRESS", "email mail emailaddress"),
        ("PHONE_NUMBER", "phone telephone tel mobile cell fax msisdn phonenumber"),
        ("US_SSN", "ssn socialsecurity socialsecuritynumber"),
        ("IBAN_CODE", "iban"),
        ("SWIFT_CODE", "swift bic"),
        ("ABA_ROUTING_NUMBER", "routing aba"),
        ("CREDIT_CARD", "card cc pan creditcard ccnumber cardnumber"),
        ("US_NPI", "npi"),
        ("MEDICAL_RECORD_NUMBER", "mrn"),
        ("DEA_NUMBER", "dea"),
        ("ICD10_CODE", "icd icd10 diagnosis dx"),
        ("MEDICAL_LICENSE", "medicallicense"),
        ("US_PASSPORT", "passport"),
        ("US_DRIVER_LICENSE", "license licence dl driverlicense"),
        ("IP_ADDRESS", "ip ipaddress ipv4 ipv6"),
        ("URL", "url website homepage"),
        ("US_BANK_NUMBER", "account acct bankaccount"),
        ("STREET_ADDRESS", "address street addr address1 address2 streetaddress"),
        ("LOCATION", "city town country county"),
        ("DATE_TIME", "dob birth birthdate birthday dateofbirth date"),
        ("NRP", "nationality ethnicity religion"),
        ("CRYPTO", "wallet btc bitcoin"),
    )
)
_PERSON_NAME_QUALIFIERS = frozenset(
    {"first", "last", "full", "given", "family", "middle", "maiden", "legal", "customer"}
    | {"patient", "client", "contact", "employee", "person", "owner", "holder", "member"}
)


def _name_tokens(column: str) -> frozenset[str]:
    spaced = _CAMEL_BOUNDARY.sub(" ", column)
    return frozenset(token for token in re.split(r"[^a-z0-9]+", spaced.lower()) if token)


def classify_tables(
    analyzer: PiiAnalyzer,
    tables: Mapping[str, pd.DataFrame],
    *,
    recognizers: ResolvedRecognizers | None = None,
    options: ClassificationOptions | None = None,
    progress: Progress | None = None,
) -> dict[str, TableClassification]:
    """Classify every column of every table of a (multi-table) dataset."""
    progress = progress or NullProgress()
    results = {}
    for index, (name, frame) in enumerate(tables.items()):
        progress.update(index / max(len(tables), 1), f"classifying table {name}", table=name)
        results[name] = classify_table(
            analyzer, frame, table=name, recognizers=recognizers, options=options
        )
    progress.update(1.0, f"classified {len(tables)} tables")
    return results


def classify_table(
    analyzer: PiiAnalyzer,
    frame: pd.DataFrame,
    *,
    table: str = "table",
    recognizers: ResolvedRecognizers | None = None,
    options: ClassificationOptions | None = None,
) -> TableClassification:
    """Classify each column of `frame` from a seeded sample of its cells and its name.

    The distinct sampled values of all columns go through spaCy in one batch; the cost depends
    on the number of columns, not of rows.
    """
    options = options or ClassificationOptions()
    samples = [
        _sample_column(frame.iloc[:, position], str(column), options)
        for position, column in enumerate(frame.columns)
    ]
    findings = _analyze_samples(analyzer, samples, recognizers)
    verdicts = tuple(
        _verdict(sample, findings.get(position, {}), options, analyzer.status.nlp_available)
        for position, sample in enumerate(samples)
    )
    return TableClassification(table=table, rows=len(frame), columns=verdicts)


def _sample_column(series: pd.Series, column: str, options: ClassificationOptions) -> _ColumnSample:
    non_null = series.dropna()
    if non_null.empty:
        return _ColumnSample(column, ColumnKind.EMPTY, Counter())
    sample = non_null.sample(n=min(options.sample_rows, len(non_null)), random_state=options.seed)
    if pd.api.types.is_bool_dtype(series):
        return _ColumnSample(column, ColumnKind.NUMERIC, Counter(sample.astype(str)))
    if pd.api.types.is_datetime64_any_dtype(series):
        return _ColumnSample(
            column, ColumnKind.STRUCTURED, Counter(sample.astype(str)), fixed_entity="DATE_TIME"
        )
    if pd.api.types.is_numeric_dtype(series):
        if not (sample % 1 == 0).all():
            return _ColumnSample(column, ColumnKind.NUMERIC, Counter(sample.astype(str)))
        # Integers (and integral floats, as pandas stores integers with gaps) may be
        # phone, card or account numbers.
        values = [str(int(value)) for value in sample]
    else:
        values = [str(value).strip()[:_MAX_CLASSIFIED_CHARS] for value in sample]
        values = [value for value in values if value]
        if not values:
            return _ColumnSample(column, ColumnKind.EMPTY, Counter())
        if _is_decimal_column(values):
            return _ColumnSample(column, ColumnKind.NUMERIC, Counter(values))
    counts = Counter(values)
    return _ColumnSample(
        column,
        ColumnKind.STRUCTURED,
        counts,
        free_text_candidate=_looks_like_prose(counts, options),
    )


def _is_decimal_column(values: Sequence[str]) -> bool:
    """Amounts and measures: numbers, most with a fraction, currency sign or separators."""
    numeric = [value for value in values if _DECIMAL_NUMBER.match(value)]
    decorated = [value for value in numeric if not value.isdigit()]
    return len(numeric) >= 0.95 * len(values) and len(decorated) >= 0.5 * len(values)


def _looks_like_prose(counts: Counter[str], options: ClassificationOptions) -> bool:
    """Long, varied cells made mostly of lower-case words (addresses are capitalised)."""
    values = list(counts.elements())
    words_per_cell = sorted(len(value.split()) for value in values)
    if words_per_cell[len(words_per_cell) // 2] < options.free_text_min_words:
        return False
    if len(counts) < 0.5 * len(values):
        return False
    words = [word for value in counts for word in value.split() if word[:1].isalpha()]
    lower = sum(1 for word in words if word[0].islower())
    return bool(words) and lower >= 0.3 * len(words)


def _analyze_samples(
    analyzer: PiiAnalyzer,
    samples: Sequence[_ColumnSample],
    recognizers: ResolvedRecognizers | None,
) -> dict[int, dict[str, list[RecognizerResult]]]:
    """Presidio findings per column position and distinct value, all in one spaCy batch."""
    owners: list[tuple[int, str]] = []
    contexts: list[tuple[str, ...]] = []
    for position, sample in enumerate(samples):
        if sample.kind is not ColumnKind.STRUCTURED or sample.fixed_entity:
            continue
        context = tuple(sorted(_name_tokens(sample.column)))
        for value in sample.counts:
            owners.append((position, value))
            contexts.append(context)
    results = analyzer.analyze_batch(
        [value for _, value in owners],
        ad_hoc_recognizers=recognizers.ad_hoc if recognizers else (),
        contexts=contexts,
    )
    findings: dict[int, dict[str, list[RecognizerResult]]] = defaultdict(dict)
    for (position, value), value_results in zip(owners, results, strict=True):
        findings[position][value] = value_results
    return findings


def _verdict(
    sample: _ColumnSample,
    findings: Mapping[str, list[RecognizerResult]],
    options: ClassificationOptions,
    nlp_available: bool,
) -> ColumnVerdict:
    hint = name_hint(sample.column)
    if sample.kind in (ColumnKind.EMPTY, ColumnKind.NUMERIC):
        return _no_pii(sample, hint)
    if sample.fixed_entity:
        return _typed_verdict(sample, hint, options)
    cell_matches = {
        value: _cell_matches(value, results, hint, options) for value, results in findings.items()
    }
    evidence = _evidence(sample.counts, cell_matches)
    chosen = _choose(evidence, sample.sampled_cells, hint, options)
    if chosen is not None:
        return _structured_verdict(sample, chosen, hint, cell_matches, evidence, options)
    if sample.free_text_candidate:
        return _free_text_verdict(sample, findings, hint, options)
    if not nlp_available and hint in _NER_ONLY_ENTITIES:
        return _hint_only_verdict(sample, hint, evidence)
    return _no_pii(sample, hint, evidence)


def _cell_matches(
    value: str,
    results: Sequence[RecognizerResult],
    hint: str | None,
    options: ClassificationOptions,
) -> dict[str, tuple[float, list[tuple[int, int]]]]:
    """Entity types that cover the cell: entity -> (best score, spans)."""
    spans: dict[str, list[RecognizerResult]] = defaultdict(list)
    for result in results:
        if result.score >= options.min_score and _plausible(result, value, hint):
            spans[result.entity_type].append(result)
    total = _visible_chars(value, [(0, len(value))])
    matches = {}
    for entity, entity_results in spans.items():
        ranges = [(r.start, r.end) for r in entity_results]
        if _visible_chars(value, ranges) >= options.min_coverage * total:
            matches[entity] = (max(r.score for r in entity_results), ranges)
    return matches


def _plausible(result: RecognizerResult, cell: str, hint: str | None) -> bool:
    """Reject finding shapes that single cells produce by accident."""
    text = cell[result.start : result.end]
    recognizer = (result.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY)
    if recognizer == NER_RECOGNIZER_NAME:
        if result.entity_type in _NER_WORD_ENTITIES:
            return bool(_WORDS_ONLY.match(text))
        if result.entity_type == "DATE_TIME":
            return bool(_DATE_SHAPE.search(text))
    # Bare digits fit many patterns (phone, bank account, licence...); unless a checksum
    # validated the match, believe it only where the column name says so.
    return not (cell.isdigit() and result.score < 1.0 and result.entity_type != hint)


def _visible_chars(value: str, ranges: Sequence[tuple[int, int]]) -> int:
    covered = [False] * len(value)
    for start, end in ranges:
        covered[start:end] = [True] * (end - start)
    return sum(1 for ch, hit in zip(value, covered, strict=True) if hit and not ch.isspace())


def _evidence(
    counts: Counter[str], cell_matches: Mapping[str, Mapping[str, tuple[float, list]]]
) -> tuple[EntityEvidence, ...]:
    matched: Counter[str] = Counter()
    score_sums: Counter[str] = Counter()
    for value, matches in cell_matches.items():
        for entity, (score, _) in matches.items():
            matched[entity] += counts[value]
            score_sums[entity] += score * counts[value]
    evidence = [EntityEvidence(e, n, round(score_sums[e] / n, 4)) for e, n in matched.items()]
    return tuple(sorted(evidence, key=lambda item: (-item.matched_cells, -item.mean_score)))


def _choose(
    evidence: Sequence[EntityEvidence],
    sampled: int,
    hint: str | None,
    options: ClassificationOptions,
) -> EntityEvidence | None:
    def threshold(entity: str) -> float:
        return options.min_support_with_hint if entity == hint else options.min_support

    eligible = [e for e in evidence if e.matched_cells >= threshold(e.entity_type) * sampled]
    for item in eligible:
        if item.entity_type == hint:
            return item
    return eligible[0] if eligible else None


def _confidence(support: float, mean_score: float, hint_agrees: bool) -> float:
    confidence = support * mean_score
    if hint_agrees:
        confidence += (1.0 - confidence) / 2
    return round(min(confidence, 1.0), 4)


def _structured_verdict(
    sample: _ColumnSample,
    chosen: EntityEvidence,
    hint: str | None,
    cell_matches: Mapping[str, Mapping[str, tuple[float, list[tuple[int, int]]]]],
    evidence: tuple[EntityEvidence, ...],
    options: ClassificationOptions,
) -> ColumnVerdict:
    examples = [
        mask_spans(value, matches[chosen.entity_type][1])
        for value, matches in cell_matches.items()
        if chosen.entity_type in matches
    ]
    return ColumnVerdict(
        column=sample.column,
        kind=ColumnKind.STRUCTURED,
        entity_type=chosen.entity_type,
        confidence=_confidence(
            chosen.matched_cells / sample.sampled_cells,
            chosen.mean_score,
            hint == chosen.entity_type,
        ),
        sampled_cells=sample.sampled_cells,
        matched_cells=chosen.matched_cells,
        examples=tuple(examples[: options.max_examples]),
        name_hint=hint,
        evidence=evidence,
        full_scan_recommended=False,
    )


def _free_text_verdict(
    sample: _ColumnSample,
    findings: Mapping[str, list[RecognizerResult]],
    hint: str | None,
    options: ClassificationOptions,
) -> ColumnVerdict:
    matched: Counter[str] = Counter()
    score_sums: Counter[str] = Counter()
    cells_with_pii = 0
    examples = []
    for value, results in findings.items():
        kept = [r for r in results if r.score >= options.min_score and _plausible(r, value, hint)]
        if not kept:
            continue
        cells_with_pii += sample.counts[value]
        for entity in {r.entity_type for r in kept}:
            matched[entity] += sample.counts[value]
            best = max(r.score for r in kept if r.entity_type == entity)
            score_sums[entity] += best * sample.counts[value]
        examples.append(_excerpt(value, [(r.start, r.end) for r in kept]))
    evidence = tuple(
        EntityEvidence(entity, count, round(score_sums[entity] / count, 4))
        for entity, count in matched.most_common()
    )
    dominant = evidence[0] if evidence else None
    return ColumnVerdict(
        column=sample.column,
        kind=ColumnKind.FREE_TEXT,
        entity_type=dominant.entity_type if dominant else None,
        confidence=round(dominant.mean_score, 4) if dominant else 0.0,
        sampled_cells=sample.sampled_cells,
        matched_cells=cells_with_pii,
        examples=tuple(examples[: options.max_examples]),
        name_hint=hint,
        evidence=evidence,
        full_scan_recommended=True,
    )


def _typed_verdict(
    sample: _ColumnSample, hint: str | None, options: ClassificationOptions
) -> ColumnVerdict:
    """Datetime columns: the dtype is the evidence, every sampled cell matches."""
    entity = sample.fixed_entity
    return ColumnVerdict(
        column=sample.column,
        kind=ColumnKind.STRUCTURED,
        entity_type=entity,
        confidence=_confidence(1.0, 1.0, hint == entity),
        sampled_cells=sample.sampled_cells,
        matched_cells=sample.sampled_cells,
        examples=tuple(
            mask_spans(v, [(0, len(v))]) for v in list(sample.counts)[: options.max_examples]
        ),
        name_hint=hint,
        evidence=(EntityEvidence(entity, sample.sampled_cells, 1.0),),
        full_scan_recommended=False,
    )


def _hint_only_verdict(
    sample: _ColumnSample, hint: str, evidence: tuple[EntityEvidence, ...]
) -> ColumnVerdict:
    """Without NER, names and places cannot be confirmed: flag what the column name says, with
    low confidence, rather than pass the column as clean."""
    return ColumnVerdict(
        column=sample.column,
        kind=ColumnKind.STRUCTURED,
        entity_type=hint,
        confidence=0.3,
        sampled_cells=sample.sampled_cells,
        matched_cells=0,
        examples=(),
        name_hint=hint,
        evidence=evidence,
        full_scan_recommended=False,
    )


def _no_pii(
    sample: _ColumnSample, hint: str | None, evidence: tuple[EntityEvidence, ...] = ()
) -> ColumnVerdict:
    return ColumnVerdict(
        column=sample.column,
        kind=sample.kind,
        entity_type=None,
        confidence=0.0,
        sampled_cells=sample.sampled_cells,
        matched_cells=0,
        examples=(),
        name_hint=hint,
        evidence=evidence,
        full_scan_recommended=False,
    )


def mask_spans(value: str, ranges: Sequence[tuple[int, int]]) -> str:
    """Mask letters and digits inside `ranges`, keeping each span's first character and up to
    its last 4 (a quarter of its length), and all punctuation: enough to show the format."""
    chars = list(value)
    for start, end in ranges:
        positions = [i for i in range(start, end) if chars[i].isalnum()]
        keep_tail = min(4, len(positions) // 4)
        hidden = positions[1 : len(positions) - keep_tail]
        for position in hidden:
            chars[position] = "*"
    return "".join(chars)


def _excerpt(value: str, ranges: Sequence[tuple[int, int]], width: int = 160) -> str:
    """The masked cell, cut to `width` characters around its first finding."""
    masked = mask_spans(value, ranges)
    if len(masked) <= width:
        return masked
    first = min(start for start, _ in ranges)
    start = max(0, min(first - width // 4, len(masked) - width))
    return ("…" if start else "") + masked[start : start + width] + "…"


def scan_column(
    analyzer: PiiAnalyzer,
    series: pd.Series,
    *,
    column: str,
    recognizers: ResolvedRecognizers | None = None,
    min_score: float = DEFAULT_SCORE_THRESHOLD,
    batch_size: int = 256,
    max_examples: int = 5,
    progress: Progress | None = None,
) -> FreeTextScan:
    """Scan every cell of a (free-text) column: the long-running counterpart of a sample.

    Distinct values are analyzed once each, in spaCy batches; `progress` is told after each
    batch and may cancel the scan (it raises JobCancelled).
    """
    progress = progress or NullProgress()
    counts = series.dropna().astype(str).value_counts(sort=False)
    values = [value for value in counts.index if value.strip()]
    entity_rows: Counter[str] = Counter()
    rows_with_pii = 0
    examples: list[str] = []
    context = tuple(sorted(_name_tokens(column)))
    for offset in range(0, len(values), batch_size):
        batch = values[offset : offset + batch_size]
        results = analyzer.analyze_batch(
            batch,
            ad_hoc_recognizers=recognizers.ad_hoc if recognizers else (),
            contexts=[context] * len(batch),
        )
        for value, value_results in zip(batch, results, strict=True):
            kept = [r for r in value_results if r.score >= min_score]
            if not kept:
                continue
            rows = int(counts[value])
            rows_with_pii += rows
            for entity in {r.entity_type for r in kept}:
                entity_rows[entity] += rows
            if len(examples) < max_examples:
                examples.append(_excerpt(value, [(r.start, r.end) for r in kept]))
        done = min(offset + batch_size, len(values))
        progress.update(
            done / len(values),
            f"scanned {done} of {len(values)} distinct values of {column}",
            rows_with_pii=rows_with_pii,
        )
    progress.update(1.0, f"scanned {column}", rows_with_pii=rows_with_pii)
    return FreeTextScan(
        column=column,
        rows_scanned=int(counts.sum()),
        distinct_values=len(values),
        rows_with_pii=rows_with_pii,
        entity_rows=dict(entity_rows.most_common()),
        examples=tuple(examples),
    )
