"""Column evidence besides Presidio's cell findings, and the one scoring that weighs it all.

Presidio looks at one cell at a time; a column tells more. Its name announces what it holds
(`first_name`, `vorname`, `hometown`, `plz`, `dob`) or rules a type out (`product_name`,
`country`, `age`); its cells have a shape (one to a few words of letters, a postal code, a
full date); its values may be given names or surnames (Faker's person providers ship those
lists for 100+ locales); and a date column's range may fit the birth dates of living adults.
`score_entity` combines these signals for one candidate entity type:

    score = sum(value * weight)       over the signals, clipped to [0, 1]
          = 0                         when any signal is below its minimum (a gate)

    signal            value                                      weight   minimum
    name_hint         1 strong, 0.5 weak, -1 contrary            0.5      -
    recognizer_share  share of cells a recognizer covers         0.85     0.3 (pattern types)
    name_dictionary   share of cells made of known names         0.4      - (PERSON)
    birth_date_range  1 when the dates fit living people's births 0.5     - (DATE_OF_BIRTH)
    value_shape       share of cells of the type's shape         0        0.8
    distinct_values   distinct values among the sampled cells    0        10 (PERSON, ids)

A column gets the verdict of its best-scoring candidate when that score reaches
`VERDICT_THRESHOLD` (0.5). So a strong name hint on name-shaped cells is enough on its own
(0.5), NER alone needs 59% of the cells, and a column whose name says `country` or `age`
needs far more than its cells can give. The weights and threshold were calibrated on the
labelled benchmark in tests/data/pii_benchmark (see bench/pii_columns.py).
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

VERDICT_THRESHOLD = 0.5
HINT_WEIGHT = 0.5
RECOGNIZER_WEIGHT = 0.85
DICTIONARY_WEIGHT = 0.4
BIRTH_RANGE_WEIGHT = 0.5
MIN_SHAPE_SHARE = 0.8
MIN_RECOGNIZER_SHARE = 0.3
MIN_NAME_DISTINCT_VALUES = 10
STRONG, WEAK, CONTRARY = 1.0, 0.5, -1.0

DATE_OF_BIRTH = "DATE_OF_BIRTH"
# Types whose cells a recognizer must cover: their shape is the pattern itself.
_SHAPED_ENTITIES = frozenset(
    {"PERSON", "LOCATION", DATE_OF_BIRTH, "MEDICAL_RECORD_NUMBER", "US_BANK_NUMBER"}
)


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: its strength, its weight in the score and, for a gate, the
    value below which the entity type is ruled out."""

    name: str
    value: float
    weight: float
    detail: str
    minimum: float | None = None

    @property
    def passes(self) -> bool:
        return self.minimum is None or self.value >= self.minimum


def score_entity(signals: Sequence[Signal]) -> float:
    """The one scoring function: the weighted sum of the signals, 0 if a gate fails."""
    if not all(signal.passes for signal in signals):
        return 0.0
    total = sum(signal.value * signal.weight for signal in signals)
    return round(min(max(total, 0.0), 1.0), 4)


# -- column names -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameHint:
    """What a column name says: the entity it announces (and how strongly), and the entity
    types it speaks against (`product_name` is not a person, `country` is not a place that
    identifies anyone, `age` is a measure)."""

    entity: str | None
    strength: float
    contrary: frozenset[str]

    def value_for(self, entity: str) -> float:
        """The name_hint signal's value for a candidate entity type."""
        if entity in self.contrary:
            return CONTRARY
        return self.strength if entity == self.entity else 0.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Given-name and surname column names in English, German, French, Spanish, Italian, Dutch,
# Portuguese and Polish, as single tokens (accents folded, `vorname`, `prenom`).
_PERSON_NAME_WORDS = _words(
    "fname lname firstname lastname surname surnames forename forenames givenname "
    "familyname fullname middlename maidenname nachname vorname familienname prenom nom "
    "apellido apellidos nombre cognome nome achternaam voornaam sobrenome imie nazwisko"
)
_PERSON_NAME_PARTS = _words("first last given family middle full maiden legal sur fore christian")
# Nouns for people: `patient_name`, `baker_last` and `winner_name` hold their names.
_PERSON_ROLES = _words(
    "patient customer client contact employee person owner holder member user student "
    "teacher player athlete contestant author president candidate applicant passenger driver "
    "baker winner recipient sender physician doctor nurse subscriber guest resident tenant "
    "borrower buyer seller spouse groom bride victim runner"
)
# `name` qualified by one of these is the name of a thing, not a person.
_THING_WORDS = _words(
    "product company business firm brand clinic hospital school college university inst "
    "institution organisation organization org team club animal pet species breed street "
    "road city town country state county place site station airport file table column "
    "field model drug item category project event dataset package course store shop "
    "vendor merchant bank account scientific common host server domain app device"
)
_CITY_WORDS = _words(
    "city cities town hometown village municipality borough district county suburb "
    "locality birthplace stadt ort wohnort geburtsort gemeinde ville commune lieu ciudad "
    "municipio localidad citta comune plaats woonplaats gemeente"
)
_POSTAL_WORDS = _words("zip zipcode postcode postal postalcode plz postleitzahl codepostal")
# Areas too large to single anyone out (HIPAA's safe harbour keeps states).
_COARSE_PLACE_WORDS = _words(
    "country countries nation nationality state states province region continent land pays "
    "pais statecode stateabb"
)
_BIRTH_DATE_WORDS = _words(
    "dob birthdate birthday dateofbirth born geburtsdatum gebdat geburtstag naissance "
    "datenaissance nacimiento nascita geboortedatum bday"
)
_DATE_WORDS = _words("date dt day datum fecha")
# Measures: a column named like this holds numbers about people, never their identifiers.
_MEASURE_WORDS = _words(
    "age ages count counts cnt num qty quantity total sum amount amt days hours minutes mins "
    "seconds secs duration rate ratio pct percent percentage share score avg mean median min "
    "max std size length len weight height price cost fee balance income salary spend calls "
    "visits tat years months weeks weightgm weightoz"
)
_MEASURE_SENSITIVE = frozenset(
    {"PERSON", "CREDIT_CARD", "PHONE_NUMBER", "LOCATION", DATE_OF_BIRTH, "US_BANK_NUMBER"}
)
_PATTERN_HINTS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (entity, _words(words))
    for entity, words in (
        ("EMAIL_ADDRESS", "email mail emailaddress courriel"),
        ("PHONE_NUMBER", "phone telephone tel mobile cell fax msisdn phonenumber telefon handy"),
        ("US_SSN", "ssn socialsecurity socialsecuritynumber"),
        ("IBAN_CODE", "iban"),
        ("SWIFT_CODE", "swift bic"),
        ("ABA_ROUTING_NUMBER", "routing aba"),
        ("CREDIT_CARD", "card cc pan creditcard ccnumber cardnumber"),
        ("US_NPI", "npi"),
        ("MEDICAL_RECORD_NUMBER", "mrn medicalrecord medicalrecordnumber"),
        ("DEA_NUMBER", "dea"),
        ("ICD10_CODE", "icd icd10 diagnosis dx"),
        ("MEDICAL_LICENSE", "medicallicense"),
        ("US_PASSPORT", "passport"),
        ("US_DRIVER_LICENSE", "license licence dl driverlicense"),
        ("IP_ADDRESS", "ip ipaddress ipv4 ipv6"),
        ("URL", "url website homepage"),
        ("US_BANK_NUMBER", "account acct accountnumber bankaccount kontonummer konto"),
        ("STREET_ADDRESS", "address street addr address1 address2 streetaddress adresse"),
        ("NRP", "ethnicity religion"),
        ("CRYPTO", "wallet btc bitcoin"),
    )
)
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_tokens(column: str) -> frozenset[str]:
    """Lower-case word tokens of a column name, accents folded (`Prénom` -> `prenom`)."""
    return frozenset(_ordered_tokens(column))


def _ordered_tokens(column: str) -> list[str]:
    spaced = _CAMEL_BOUNDARY.sub(" ", _without_accents(column))
    return [token for token in re.split(r"[^a-z0-9]+", spaced.lower()) if token]


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case-folded text without accents, for comparing names across spellings."""
    return _without_accents(text).casefold()


def read_name_hint(column: str) -> NameHint:
    """What `column`'s name announces and rules out."""
    tokens = name_tokens(column)
    joined = "".join(sorted(tokens)) if len(tokens) > 1 else next(iter(tokens), "")
    entity, strength = _announced(tokens, joined, "".join(_ordered_tokens(column)))
    contrary: set[str] = set()
    if tokens & _MEASURE_WORDS:
        contrary |= _MEASURE_SENSITIVE
        if entity in _MEASURE_SENSITIVE:
            entity, strength = None, 0.0
    if "name" in tokens and tokens & _THING_WORDS and not tokens & _PERSON_ROLES:
        contrary.add("PERSON")
    if tokens & _COARSE_PLACE_WORDS:
        contrary.add("LOCATION")
    return NameHint(entity, strength, frozenset(contrary - {entity}))


def _announced(tokens: frozenset[str], joined: str, concatenated: str) -> tuple[str | None, float]:
    person = _person_strength(tokens, concatenated)
    if person == STRONG:
        return "PERSON", person
    if tokens & _BIRTH_DATE_WORDS or concatenated in _BIRTH_DATE_WORDS:
        return DATE_OF_BIRTH, STRONG
    if "birth" in tokens:
        if tokens & _words("place pl plc city town"):
            return "LOCATION", STRONG
        return DATE_OF_BIRTH, STRONG if tokens & _DATE_WORDS else WEAK
    if tokens & _CITY_WORDS or tokens & _POSTAL_WORDS or concatenated in _POSTAL_WORDS:
        return "LOCATION", STRONG
    if {"social", "security"} <= tokens:
        return "US_SSN", STRONG
    if {"medical", "record"} <= tokens or {"chart", "number"} <= tokens:
        return "MEDICAL_RECORD_NUMBER", STRONG
    for entity, words in _PATTERN_HINTS:
        if tokens & words or concatenated in words or joined in words:
            return entity, STRONG
    if tokens & _DATE_WORDS:
        return "DATE_TIME", STRONG
    return ("PERSON", person) if person else (None, 0.0)


def _person_strength(tokens: frozenset[str], concatenated: str) -> float:
    if tokens & _PERSON_NAME_WORDS or concatenated in _PERSON_NAME_WORDS:
        return STRONG
    has_name = "name" in tokens or "names" in tokens
    if has_name and tokens & (_PERSON_NAME_PARTS | _PERSON_ROLES):
        return STRONG
    if tokens & _words("first last full") and tokens & _PERSON_ROLES:
        return STRONG
    if has_name and len(tokens) == 1:
        return WEAK
    if tokens & _PERSON_ROLES and not tokens & _words("id no nr number code key"):
        return WEAK
    return 0.0


# -- value shapes ---------------------------------------------------------------------------

# One to eight words of letters (with the punctuation of names: O'Neil, Smith-Jones, "Edd",
# "Allen, Miss Elisabeth (Bessie)"; exports also join words with '_': ELK_GROVE); no digits,
# '@', '/' or ':'.
_WORDS_OF_LETTERS = re.compile(r"^[^\W\d_]+(?:[\s.,'’\"()_-]+[^\W\d_]+){0,7}[\s.'’\")]*$")
_POSTAL_CODE = re.compile(
    r"^(?:[a-z]{0,2}[- ]?\d{3,5}(?:[- ]?\d{3,4})?"  # US ZIP(+4), DE/FR/IT/ES, z95838
    r"|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}"  # UK
    r"|[a-z]\d[a-z] ?\d[a-z]\d"  # Canada
    r"|\d{4} ?[a-z]{2})$",  # Netherlands
    re.IGNORECASE,
)
_RECORD_NUMBER = re.compile(r"^[A-Za-z]{0,4}[-/ #:]?\d(?:[\d -]{3,18})\d[A-Za-z]?$")
_FULL_DATE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}",
    re.IGNORECASE,
)
_TITLES = _words("mr mrs ms miss dr prof sir jr sr ii iii iv de van von der la le del da di")


def words_of_letters(value: str) -> bool:
    """Name- or place-shaped: words of letters with a name's punctuation, no digits."""
    return bool(_WORDS_OF_LETTERS.match(value)) and len(value) <= 80


def name_shaped(value: str) -> bool:
    """A person's name: words of letters, at least one of two letters or more; not an
    identifier joined with '_' (user names)."""
    words = re.findall(r"[^\W\d_]+", value)
    return words_of_letters(value) and "_" not in value and any(len(w) >= 2 for w in words)


def postal_shaped(value: str) -> bool:
    return bool(_POSTAL_CODE.match(value.strip()))


def record_number_shaped(value: str) -> bool:
    """Medical record and account numbers: 5-20 digits with an optional short prefix."""
    return bool(_RECORD_NUMBER.match(value.strip()))


def full_date_shaped(value: str) -> bool:
    """A date to the day (2021-03-04, 04/03/1961, 4 March 1961), not a year or a month."""
    return bool(_FULL_DATE.search(value))


def share(values: Iterable[str], counts: dict[str, int], test) -> float:
    """Share of sampled cells (weighted by how often each distinct value was sampled) that
    pass `test`."""
    total = matched = 0
    for value in values:
        total += counts[value]
        matched += counts[value] if test(value) else 0
    return matched / total if total else 0.0


# -- name dictionaries ----------------------------------------------------------------------


@functools.cache
def name_dictionary() -> frozenset[str]:
    """Given names and surnames of every Faker locale (accents folded, lower case).

    Faker's person providers are curated per locale (census and registry lists), ship with a
    package already installed, and cover 100+ locales: non-English names count as names.
    """
    from faker.config import AVAILABLE_LOCALES

    names: set[str] = set()
    for locale in AVAILABLE_LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # a locale without a person provider of its own
            continue
        for attribute in (
            "first_names",
            "first_names_male",
            "first_names_female",
            "first_names_nonbinary",
            "last_names",
            "last_names_male",
            "last_names_female",
        ):
            listed = getattr(provider, attribute, None)
            if isinstance(listed, tuple | list | dict):
                names.update(fold(str(name)) for name in listed)
    return frozenset(name for name in names if len(name) >= 2)


def known_name(value: str) -> bool:
    """Every word of the cell (titles and particles aside) is a known given name or surname;
    one unknown word is allowed in names of three words or more."""
    words = [w for w in re.findall(r"[^\W\d_]+", fold(value)) if len(w) >= 2 and w not in _TITLES]
    if not words:
        return False
    dictionary = name_dictionary()
    unknown = sum(1 for word in words if word not in dictionary)
    return unknown == 0 or (len(words) >= 3 and unknown == 1)


# -- date ranges ----------------------------------------------------------------------------


def fits_birth_dates(dates: pd.Series, today: pd.Timestamp | None = None) -> bool:
    """Dates that look like the birth dates of living people: ages between 0 and 110 with a
    median between 18 and 90, spread over years and over every day of the week and month.

    Event series fail some test: trading days skip weekends, monthly series sit on one day
    of the month, visit dates are too recent, historical dates too old.
    """
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if len(dates) < 10:
        return False
    today = today or pd.Timestamp.now()
    ages = (today - dates).dt.days / 365.25
    low, median, high = ages.quantile([0.05, 0.5, 0.95])
    spread = ages.quantile(0.75) - ages.quantile(0.25)
    weekend = float((dates.dt.dayofweek >= 5).mean())
    days_of_month = dates.dt.day.nunique()
    return bool(
        low >= 0
        and high <= 110
        and 18 <= median <= 90
        and spread >= 5
        and (len(dates) < 30 or 0.12 <= weekend <= 0.45)
        and days_of_month >= min(10, len(dates) // 2)
    )


def shaped_entity(entity: str) -> bool:
    """Whether the entity type is judged by the shape of its cells (a gate) rather than by
    a recognizer's coverage alone."""
    return entity in _SHAPED_ENTITIES
