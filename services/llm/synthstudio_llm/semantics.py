"""Rule-based semantic typing of columns from their names and profiles.

Used by the offline provider (classification, data dictionary, constraints) and, before any
prompt is built, to decide which columns' values must be withheld as personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from synthstudio_llm.profiles import ColumnKind, ColumnProfile, PiiFinding, TableProfile


class SemanticType(StrEnum):
    """What a column means, beyond its storage kind."""

    PERSON_NAME = "person_name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    POSTAL_CODE = "postal_code"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"
    NATIONAL_ID = "national_id"
    CREDIT_CARD = "credit_card"
    BANK_ACCOUNT = "bank_account"
    IP_ADDRESS = "ip_address"
    URL = "url"
    DATE_OF_BIRTH = "date_of_birth"
    GENDER = "gender"
    AGE = "age"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    IDENTIFIER = "identifier"
    CURRENCY_AMOUNT = "currency_amount"
    RATIO = "ratio"
    COUNT = "count"
    MEASUREMENT = "measurement"
    DATE = "date"
    BOOLEAN_FLAG = "boolean_flag"
    CATEGORY = "category"
    FREE_TEXT = "free_text"


DIRECT_IDENTIFIERS = frozenset(
    {
        SemanticType.PERSON_NAME,
        SemanticType.FIRST_NAME,
        SemanticType.LAST_NAME,
        SemanticType.EMAIL,
        SemanticType.PHONE,
        SemanticType.ADDRESS,
        SemanticType.NATIONAL_ID,
        SemanticType.CREDIT_CARD,
        SemanticType.BANK_ACCOUNT,
        SemanticType.IP_ADDRESS,
        SemanticType.DATE_OF_BIRTH,
    }
)
QUASI_IDENTIFIERS = frozenset(
    {
        SemanticType.POSTAL_CODE,
        SemanticType.CITY,
        SemanticType.GENDER,
        SemanticType.AGE,
        SemanticType.LATITUDE,
        SemanticType.LONGITUDE,
    }
)


@dataclass(frozen=True)
class SemanticGuess:
    """The semantic type of one column, whether it identifies people, and why."""

    column: str
    semantic_type: SemanticType
    is_pii: bool
    quasi_identifier: bool
    confidence: float
    reason: str


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EMAIL_VALUE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_NON_PERSON_NAMES = _words(
    "product company file city country street brand item table column model plan store team "
    "org organisation organization department category state airport airline carrier "
    "dataset metric feature host domain"
)
_PERSON_CONTEXT = _words(
    "full customer patient user person client employee contact member holder owner"
)

# (semantic type, confidence, tokens any of which names the type), checked in order.
_TOKEN_RULES: tuple[tuple[SemanticType, float, frozenset[str]], ...] = (
    (SemanticType.EMAIL, 0.95, frozenset({"email", "mail", "emailaddress"})),
    (SemanticType.PHONE, 0.9, frozenset({"phone", "tel", "telephone", "mobile", "fax"})),
    (SemanticType.NATIONAL_ID, 0.9, frozenset({"ssn", "nino", "passport", "nin", "taxid"})),
    (SemanticType.BANK_ACCOUNT, 0.85, frozenset({"iban", "bic", "swift"})),
    (SemanticType.IP_ADDRESS, 0.9, frozenset({"ip", "ipv4", "ipv6"})),
    (SemanticType.DATE_OF_BIRTH, 0.9, frozenset({"dob", "birthdate", "birthday", "birth"})),
    (SemanticType.FIRST_NAME, 0.9, frozenset({"firstname", "forename", "givenname"})),
    (SemanticType.LAST_NAME, 0.9, frozenset({"lastname", "surname", "familyname"})),
    (SemanticType.POSTAL_CODE, 0.9, frozenset({"zip", "zipcode", "postcode", "postal"})),
    (SemanticType.ADDRESS, 0.85, frozenset({"address", "street", "addr"})),
    (SemanticType.CITY, 0.85, frozenset({"city", "town"})),
    (SemanticType.COUNTRY, 0.85, frozenset({"country", "nationality"})),
    (SemanticType.REGION, 0.8, frozenset({"state", "region", "province", "county"})),
    (SemanticType.GENDER, 0.9, frozenset({"gender", "sex"})),
    (SemanticType.AGE, 0.9, frozenset({"age"})),
    (SemanticType.LATITUDE, 0.9, frozenset({"lat", "latitude"})),
    (SemanticType.LONGITUDE, 0.9, frozenset({"lon", "lng", "longitude"})),
    (SemanticType.URL, 0.85, frozenset({"url", "website", "homepage", "link"})),
    (
        SemanticType.CURRENCY_AMOUNT,
        0.8,
        _words(
            "price amount salary income wage wages cost revenue spend balance fee payment "
            "earnings charge charges sales"
        ),
    ),
    (SemanticType.RATIO, 0.75, _words("rate ratio pct percent percentage share")),
    (SemanticType.COUNT, 0.7, _words("count qty quantity total num number")),
)


def name_tokens(name: str) -> list[str]:
    """Lower-case words of a column name: `customerEmail_2` -> ["customer", "email", "2"]."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [token for token in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if token]


def classify_column(column: ColumnProfile, table: TableProfile | None = None) -> SemanticGuess:
    """The most likely semantic type of `column`, from its values' shape, name and profile."""
    semantic_type, confidence, reason = _classify(column, table)
    return SemanticGuess(
        column=column.name,
        semantic_type=semantic_type,
        is_pii=semantic_type in DIRECT_IDENTIFIERS,
        quasi_identifier=semantic_type in QUASI_IDENTIFIERS,
        confidence=confidence,
        reason=reason,
    )


def classify_table(table: TableProfile) -> list[SemanticGuess]:
    """`classify_column` for every column of `table`, in column order."""
    return [classify_column(column, table) for column in table.columns]


def personal_data_columns(
    table: TableProfile, findings: tuple[PiiFinding, ...] | list[PiiFinding] = ()
) -> set[str]:
    """Columns whose values must never reach a prompt: those the PII scan flagged, those whose
    name or values say they identify a person, and free text (it may mention anyone)."""
    flagged = {finding.column for finding in findings}
    for guess in classify_table(table):
        if guess.is_pii or guess.semantic_type == SemanticType.FREE_TEXT:
            flagged.add(guess.column)
    return flagged & {column.name for column in table.columns}


def _classify(column: ColumnProfile, table: TableProfile | None) -> tuple[SemanticType, float, str]:
    if any(_EMAIL_VALUE.match(item.value) for item in column.top_values):
        return SemanticType.EMAIL, 0.99, "its frequent values are e-mail addresses"
    tokens = name_tokens(column.name)
    joined = {"".join(tokens[index : index + 2]) for index in range(len(tokens))}
    words = set(tokens) | joined
    if column.kind == ColumnKind.BOOLEAN or (tokens and tokens[0] in {"is", "has"}):
        return SemanticType.BOOLEAN_FLAG, 0.9, "it holds yes/no values"
    for semantic_type, confidence, keywords in _TOKEN_RULES:
        hit = words & keywords
        if hit and _kind_fits(semantic_type, column.kind):
            return semantic_type, confidence, f"its name contains '{sorted(hit)[0]}'"
    if "name" in tokens and not (set(tokens) & _NON_PERSON_NAMES):
        sure = bool(set(tokens) & _PERSON_CONTEXT) or tokens == ["name"]
        return SemanticType.PERSON_NAME, 0.85 if sure else 0.6, "its name says it holds a name"
    return _classify_by_profile(column, table, tokens)


def _kind_fits(semantic_type: SemanticType, kind: ColumnKind) -> bool:
    numeric_only = {
        SemanticType.AGE,
        SemanticType.LATITUDE,
        SemanticType.LONGITUDE,
        SemanticType.CURRENCY_AMOUNT,
        SemanticType.RATIO,
        SemanticType.COUNT,
    }
    if semantic_type in numeric_only:
        return kind == ColumnKind.NUMERICAL
    if semantic_type == SemanticType.DATE_OF_BIRTH:
        return kind in {ColumnKind.DATETIME, ColumnKind.TEXT, ColumnKind.CATEGORICAL}
    return True


def _classify_by_profile(
    column: ColumnProfile, table: TableProfile | None, tokens: list[str]
) -> tuple[SemanticType, float, str]:
    is_key = table is not None and column.name in {table.primary_key, table.sequence_key}
    if column.kind == ColumnKind.ID or is_key or (tokens and tokens[-1] in {"id", "uuid", "key"}):
        return SemanticType.IDENTIFIER, 0.85, "it is a key or its name ends in an id suffix"
    if column.kind == ColumnKind.DATETIME or set(tokens) & {"date", "time", "timestamp", "day"}:
        return SemanticType.DATE, 0.8, "it holds dates or times"
    if column.kind == ColumnKind.NUMERICAL:
        return SemanticType.MEASUREMENT, 0.5, "it is numerical with no more specific name"
    unique_share = column.distinct_count / table.row_count if table and table.row_count else 0.0
    if column.kind == ColumnKind.TEXT or unique_share > 0.9:
        return SemanticType.FREE_TEXT, 0.6, "it holds mostly distinct text values"
    return SemanticType.CATEGORY, 0.6, f"it has {column.distinct_count} distinct values"
