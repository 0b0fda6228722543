"""Column classification of tables: which columns hold which kind of PII, with evidence.

Presidio is built for prose; on single cells its raw findings are noisy (NRP on "+1-537" of a
phone number, URL on an e-mail's domain, PHONE_NUMBER on an amount, DATE_TIME on card numbers,
PERSON on a product code). A verdict therefore rests on a sample of distinct cells and counts a
cell for an entity type only when a finding
  * covers (nearly) the whole cell: a URL inside an e-mail address does not make a URL column;
  * has a plausible shape: NER names and places contain no digits, NER dates look like dates;
  * on bare digits, was checksum-validated (score 1.0) or is what the column name announces;
Those findings are one signal among several: the column's name, the shape of its cells, name
dictionaries and date ranges join them in one score (`synthstudio_pii.evidence`), so that a
`first_name` column of lower-case single names is found even where NER misses most cells, and
birth dates (DATE_OF_BIRTH), towns and postal codes (LOCATION), medical record and account
numbers get verdicts of their own. Decimal-number columns (amounts, measures) are not analyzed.
Long, varied prose is reported as free text with the entity types found in it, and a full scan
of it is offered (`scan_column`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import pandas as pd
from presidio_analyzer import RecognizerResult

from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_pii.analyzer import NER_RECOGNIZER_NAME, PiiAnalyzer
from synthstudio_pii.evidence import (
    BIRTH_RANGE_WEIGHT,
    DATE_OF_BIRTH,
    DICTIONARY_WEIGHT,
    HINT_WEIGHT,
    MIN_NAME_DISTINCT_VALUES,
    MIN_RECOGNIZER_SHARE,
    MIN_SHAPE_SHARE,
    RECOGNIZER_WEIGHT,
    VERDICT_THRESHOLD,
    NameHint,
    Signal,
    fits_birth_dates,
    full_date_shaped,
    known_name,
    name_shaped,
    name_tokens,
    postal_shaped,
    read_name_hint,
    record_number_shaped,
    score_entity,
    shaped_entity,
    share,
    words_of_letters,
)
from synthstudio_pii.recognizers import ResolvedRecognizers
from synthstudio_pii.text import DEFAULT_SCORE_THRESHOLD

# Cells longer than this are cut for classification: the head of a cell tells its kind.
MAX_CLASSIFIED_CHARS = 2_000
# spaCy refuses texts over 1,000,000 characters; a full scan reads this much of each cell.
MAX_SCANNED_CHARS = 100_000
# A dataset scan reads every cell of a free-text column with up to this many distinct values
# (seconds to a minute); a larger one keeps `full_scan_recommended`, for a job of its own.
MAX_INLINE_SCAN_VALUES = 5_000
_NER_WORD_ENTITIES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
_NAMED_ONLY_ENTITIES = frozenset({"US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER"})
_DECIMAL_NUMBER = re.compile(r"^[-+]?[$€£¥]?\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_PLAIN_NUMBER = re.compile(r"^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$")
_LEADING_ZERO = re.compile(r"^[-+]?0\d")
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "y", "n", "t", "f"})
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
_POSTAL_HINT_WORDS = frozenset(
    {"zip", "zipcode", "postcode", "postal", "postalcode", "plz", "postleitzahl", "codepostal"}
)


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
    it is the type found in most sampled cells; `evidence` lists every type recognizers saw,
    most frequent first, and `full_scan_recommended` says a sample cannot rule out rare PII.
    `scored_entity` is the type the `signals` were scored for (the verdict's, or the best
    candidate that fell short) and `score` their result (`synthstudio_pii.evidence`);
    `confidence` is that score when there is a verdict, else 0. `examples` are cells with
    most characters masked; `note` says why a column could not be judged fully.
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
    scored_entity: str | None = None
    score: float = 0.0
    signals: tuple[Signal, ...] = ()
    note: str = ""

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
    """Result of a full scan of one text column: rows holding each entity type.

    `cells_truncated` counts cells longer than `MAX_SCANNED_CHARS`, of which only the head
    was scanned."""

    column: str
    rows_scanned: int
    distinct_values: int
    rows_with_pii: int
    entity_rows: Mapping[str, int]
    examples: tuple[str, ...]
    cells_truncated: int = 0


@dataclass
class _ColumnSample:
    column: str
    kind: ColumnKind
    counts: Counter[str]  # distinct sampled value -> times sampled
    free_text_candidate: bool = False
    dates: pd.Series | None = None  # a date column's sampled cells, parsed
    notes: list[str] = field(default_factory=list)

    @property
    def sampled_cells(self) -> int:
        return sum(self.counts.values())

    def share(self, test: Callable[[str], bool]) -> float:
        return share(self.counts, self.counts, test)


def name_hint(column: str) -> str | None:
    """The entity type a column name announces (`email`, `customer_phone`, `DOB`, `vorname`,
    `plz`...); `synthstudio_pii.evidence.read_name_hint` also says what it rules out."""
    return read_name_hint(column).entity


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
        _verdict(sample, findings.get(position, {}), options)
        for position, sample in enumerate(samples)
    )
    return TableClassification(table=table, rows=len(frame), columns=verdicts)


def _sample_column(series: pd.Series, column: str, options: ClassificationOptions) -> _ColumnSample:
    """A seeded sample of the column's cells, read the same way whether the column is typed
    (a stored table) or text (cells sampled at upload): numbers, booleans and dates written as
    text are read as such."""
    non_null = series.dropna()
    if non_null.empty:
        note = "the column has no rows" if series.empty else "every cell is null"
        return _ColumnSample(column, ColumnKind.EMPTY, Counter(), notes=[note])
    sample = non_null.sample(n=min(options.sample_rows, len(non_null)), random_state=options.seed)
    notes: list[str] = []
    if not (
        pd.api.types.is_bool_dtype(sample)
        or pd.api.types.is_numeric_dtype(sample)
        or pd.api.types.is_datetime64_any_dtype(sample)
    ):
        texts = [str(value).strip() for value in sample]
        long_cells = sum(1 for text in texts if len(text) > MAX_CLASSIFIED_CHARS)
        if long_cells:
            notes.append(
                f"{long_cells} sampled cells are longer than {MAX_CLASSIFIED_CHARS:,} "
                "characters: only their head was classified"
            )
        texts = [text[:MAX_CLASSIFIED_CHARS] for text in texts if text]
        if not texts:
            return _ColumnSample(column, ColumnKind.EMPTY, Counter(), notes=["every cell is blank"])
        sample = _typed(texts)
    if pd.api.types.is_bool_dtype(sample):
        return _ColumnSample(column, ColumnKind.NUMERIC, Counter(sample.astype(str)), notes=notes)
    if pd.api.types.is_datetime64_any_dtype(sample):
        dates = sample.dt.tz_localize(None) if sample.dt.tz is not None else sample
        values = Counter(dates.dt.strftime("%Y-%m-%d"))
        return _ColumnSample(column, ColumnKind.STRUCTURED, values, dates=dates, notes=notes)
    if pd.api.types.is_numeric_dtype(sample):
        if not (sample % 1 == 0).all():
            return _ColumnSample(
                column, ColumnKind.NUMERIC, Counter(sample.astype(str)), notes=notes
            )
        # Integers (and integral floats, as pandas stores integers with gaps) may be
        # phone, card, account numbers or postal codes.
        values = [str(int(value)) for value in sample]
        return _ColumnSample(column, ColumnKind.STRUCTURED, Counter(values), notes=notes)
    values = list(sample)
    if _is_decimal_column(values):
        return _ColumnSample(column, ColumnKind.NUMERIC, Counter(values), notes=notes)
    counts = Counter(values)
    return _ColumnSample(
        column,
        ColumnKind.STRUCTURED,
        counts,
        free_text_candidate=_looks_like_prose(counts, options),
        notes=notes,
    )


def _typed(texts: Sequence[str]) -> pd.Series:
    """Cells written as text, as the type they all share: booleans, numbers (unless a leading
    zero makes them codes), dates to the day; else text."""
    if all(text.casefold() in _BOOLEAN_WORDS for text in texts):
        return pd.Series([text.casefold() in {"true", "yes", "y", "t"} for text in texts])
    if all(_PLAIN_NUMBER.match(text) and not _LEADING_ZERO.match(text) for text in texts):
        return pd.Series(pd.to_numeric(pd.Series(texts)))
    if all(full_date_shaped(text) and len(text) <= 40 for text in texts):
        dates = pd.to_datetime(pd.Series(texts), errors="coerce", format="mixed")
        if dates.notna().all():
            return dates
    return pd.Series(texts, dtype=object)


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
        if sample.kind is not ColumnKind.STRUCTURED or sample.dates is not None:
            continue
        context = tuple(sorted(name_tokens(sample.column)))
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


# -- verdicts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    entity: str
    score: float
    signals: tuple[Signal, ...]


def _verdict(
    sample: _ColumnSample,
    findings: Mapping[str, list[RecognizerResult]],
    options: ClassificationOptions,
) -> ColumnVerdict:
    hint = read_name_hint(sample.column)
    if sample.kind in (ColumnKind.EMPTY, ColumnKind.NUMERIC):
        return _no_pii(sample, hint.entity)
    if sample.dates is not None:
        cell_matches = {value: {"DATE_TIME": (1.0, [(0, len(value))])} for value in sample.counts}
    else:
        cell_matches = {
            value: _cell_matches(value, results, hint.entity, options)
            for value, results in findings.items()
        }
    evidence = _evidence(sample.counts, cell_matches)
    candidates = [
        _score(entity, sample, hint, evidence) for entity in _candidates(sample, hint, evidence)
    ]
    chosen = _choose(candidates, hint)
    if chosen is not None and chosen.score >= VERDICT_THRESHOLD:
        return _structured_verdict(sample, chosen, hint, cell_matches, evidence, options)
    if sample.free_text_candidate:
        return _free_text_verdict(sample, findings, hint.entity, options)
    return _no_pii(sample, hint.entity, evidence, chosen)


def _candidates(
    sample: _ColumnSample, hint: NameHint, evidence: Sequence[EntityEvidence]
) -> list[str]:
    """Entity types worth scoring: what recognizers saw, what the name announces, and a birth
    date wherever the cells are dates."""
    candidates = [item.entity_type for item in evidence]
    if hint.entity and hint.entity not in candidates:
        candidates.append(hint.entity)
    if sample.dates is not None and DATE_OF_BIRTH not in candidates:
        candidates.append(DATE_OF_BIRTH)
    return candidates


def _choose(candidates: Sequence[_Scored], hint: NameHint) -> _Scored | None:
    """The best-scoring candidate (the announced type wins ties); a birth date that passes
    refines a plain date."""
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (c.score, c.entity == hint.entity))
    birth = next((c for c in candidates if c.entity == DATE_OF_BIRTH), None)
    if best.entity == "DATE_TIME" and birth is not None and birth.score >= VERDICT_THRESHOLD:
        return birth
    return best


def _score(
    entity: str, sample: _ColumnSample, hint: NameHint, evidence: Sequence[EntityEvidence]
) -> _Scored:
    """The signals for one candidate entity type and their score."""
    signals = [_hint_signal(entity, sample.column, hint)]
    found = next((item for item in evidence if item.entity_type == entity), None)
    if entity != DATE_OF_BIRTH:
        support = found.matched_cells / sample.sampled_cells if found else 0.0
        detail = (
            f"recognizers matched {found.matched_cells} of {sample.sampled_cells} sampled "
            f"cells (mean score {found.mean_score:.2f})"
            if found
            else "no recognizer matched a sampled cell"
        )
        signals.append(
            Signal(
                "recognizer_share",
                round(support, 4),
                RECOGNIZER_WEIGHT,
                detail,
                None if shaped_entity(entity) else MIN_RECOGNIZER_SHARE,
            )
        )
    signals.extend(_shape_signals(entity, sample))
    return _Scored(entity, score_entity(signals), tuple(signals))


def _hint_signal(entity: str, column: str, hint: NameHint) -> Signal:
    value = hint.value_for(entity)
    if value > 0:
        strength = "strong" if value >= 1 else "weak"
        detail = f"the name {column!r} announces {entity} ({strength})"
    elif value < 0:
        detail = f"the name {column!r} speaks against {entity}"
    else:
        detail = f"the name {column!r} says nothing about {entity}"
    return Signal("name_hint", value, HINT_WEIGHT, detail)


def _shape_signals(entity: str, sample: _ColumnSample) -> list[Signal]:
    """Value-shape evidence (gates and dictionaries) for the types judged by their cells."""
    distinct = Signal(
        "distinct_values",
        len(sample.counts),
        0.0,
        f"{len(sample.counts)} distinct values in {sample.sampled_cells} sampled cells",
        min(MIN_NAME_DISTINCT_VALUES, sample.sampled_cells // 2),
    )
    if entity == "PERSON":
        return [
            _shape(sample, name_shaped, "one to eight words of letters, no digits"),
            distinct,
            Signal(
                "name_dictionary",
                round(sample.share(known_name), 4),
                DICTIONARY_WEIGHT,
                "share of cells made of given names and surnames (Faker, all locales)",
            ),
        ]
    if entity == "LOCATION":
        if name_tokens(sample.column) & _POSTAL_HINT_WORDS:
            return [_shape(sample, postal_shaped, "postal codes (US, UK, CA, NL, 3-5 digits)")]
        return [_shape(sample, words_of_letters, "place names: words of letters, no digits")]
    if entity == DATE_OF_BIRTH:
        is_date = sample.dates is not None
        birth_range = sample.dates is not None and fits_birth_dates(sample.dates)
        return [
            Signal(
                "value_shape",
                1.0 if is_date else 0.0,
                0.0,
                "dates to the day" if is_date else "not a column of dates",
                MIN_SHAPE_SHARE,
            ),
            Signal(
                "birth_date_range",
                1.0 if birth_range else 0.0,
                BIRTH_RANGE_WEIGHT,
                "ages 0-110, median 18-90, spread over years and weekdays"
                if birth_range
                else "the range does not look like birth dates of living people",
            ),
        ]
    if entity in ("MEDICAL_RECORD_NUMBER", "US_BANK_NUMBER"):
        return [
            _shape(sample, record_number_shaped, "5-20 digits with an optional short prefix"),
            distinct,
        ]
    return []


def _shape(sample: _ColumnSample, test: Callable[[str], bool], described: str) -> Signal:
    value = round(sample.share(test), 4)
    return Signal(
        "value_shape", value, 0.0, f"share of cells shaped as {described}", MIN_SHAPE_SHARE
    )


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
    if result.entity_type == hint:
        return True
    # Bare digits fit many patterns (phone, bank account, licence...); unless a checksum
    # validated the match, believe it only where the column name says so. So with the weak
    # patterns of licences, passports and bank numbers, which match season codes ("S01")
    # and prefixed postal codes ("z95838") alike.
    if result.entity_type in _NAMED_ONLY_ENTITIES and result.score < 0.5:
        return False
    return not (cell.isdigit() and result.score < 1.0)


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


def _structured_verdict(
    sample: _ColumnSample,
    chosen: _Scored,
    hint: NameHint,
    cell_matches: Mapping[str, Mapping[str, tuple[float, list[tuple[int, int]]]]],
    evidence: tuple[EntityEvidence, ...],
    options: ClassificationOptions,
) -> ColumnVerdict:
    recognized = chosen.entity if chosen.entity != DATE_OF_BIRTH else "DATE_TIME"
    matched = [
        (value, matches[recognized][1])
        for value, matches in cell_matches.items()
        if recognized in matches
    ]
    matched_cells = sum(sample.counts[value] for value, _ in matched)
    if not matched:  # judged by name and shape: sampled cells are shown masked whole
        matched = [(value, [(0, len(value))]) for value in sample.counts]
    return ColumnVerdict(
        column=sample.column,
        kind=ColumnKind.STRUCTURED,
        entity_type=chosen.entity,
        confidence=chosen.score,
        sampled_cells=sample.sampled_cells,
        matched_cells=matched_cells,
        examples=tuple(mask_spans(v, spans) for v, spans in matched[: options.max_examples]),
        name_hint=hint.entity,
        evidence=evidence,
        full_scan_recommended=False,
        scored_entity=chosen.entity,
        score=chosen.score,
        signals=chosen.signals,
        note="; ".join(sample.notes),
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
        note="; ".join(sample.notes),
    )


def _no_pii(
    sample: _ColumnSample,
    hint: str | None,
    evidence: tuple[EntityEvidence, ...] = (),
    best: _Scored | None = None,
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
        scored_entity=best.entity if best else None,
        score=best.score if best else 0.0,
        signals=best.signals if best else (),
        note="; ".join(sample.notes),
    )


def with_full_scan(verdict: ColumnVerdict, scan: FreeTextScan) -> ColumnVerdict:
    """A free-text verdict completed by a scan of every cell: the entity types found in any
    row (most rows first), rows with PII, examples, and no full scan left to recommend."""
    sampled_scores = {item.entity_type: item.mean_score for item in verdict.evidence}
    evidence = tuple(
        EntityEvidence(entity, rows, sampled_scores.get(entity, 0.0))
        for entity, rows in scan.entity_rows.items()
    )
    note = f"every cell scanned ({scan.rows_scanned:,} rows)"
    if scan.cells_truncated:
        note += f"; {scan.cells_truncated} cells over {MAX_SCANNED_CHARS:,} characters cut"
    return replace(
        verdict,
        entity_type=evidence[0].entity_type if evidence else None,
        confidence=verdict.confidence if evidence else 0.0,
        sampled_cells=scan.rows_scanned,
        matched_cells=scan.rows_with_pii,
        examples=scan.examples[: len(verdict.examples) or 3],
        evidence=evidence,
        full_scan_recommended=False,
        note="; ".join(part for part in (verdict.note, note) if part),
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
    batch and may cancel the scan (it raises JobCancelled). Of a cell longer than
    `MAX_SCANNED_CHARS` only the head is scanned, and `cells_truncated` counts such cells.
    """
    progress = progress or NullProgress()
    counts = series.dropna().astype(str).value_counts(sort=False)
    values = [value for value in counts.index if value.strip()]
    entity_rows: Counter[str] = Counter()
    rows_with_pii = 0
    examples: list[str] = []
    context = tuple(sorted(name_tokens(column)))
    truncated = sum(int(counts[value]) for value in values if len(value) > MAX_SCANNED_CHARS)
    for offset in range(0, len(values), batch_size):
        batch = [value[:MAX_SCANNED_CHARS] for value in values[offset : offset + batch_size]]
        results = analyzer.analyze_batch(
            batch,
            ad_hoc_recognizers=recognizers.ad_hoc if recognizers else (),
            contexts=[context] * len(batch),
        )
        originals = values[offset : offset + batch_size]
        for original, value, value_results in zip(originals, batch, results, strict=True):
            kept = [r for r in value_results if r.score >= min_score]
            if not kept:
                continue
            rows = int(counts[original])
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
        cells_truncated=truncated,
    )
