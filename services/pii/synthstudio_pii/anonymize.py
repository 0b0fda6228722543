"""Anonymization of tables and text with Presidio's operators and keyed pseudonyms.

Operators: keep, drop (tables), redact, replace, mask, hash, encrypt, decrypt (tables),
pseudonymize, scrub (tables: replace the PII found inside free text with typed placeholders).

Keys stay on the server (`Keyring`): hashes are salted, since an unsalted hash of an e-mail or
an SSN is reversed by hashing candidate values; encryption is AES (Presidio's cipher) so that an
authorized caller can decrypt; pseudonyms are fake values (Faker) seeded by an HMAC of the
original, so one value gets one pseudonym in every column and table, and another key gives
other pseudonyms. Tables are processed per distinct value and never modified in place.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd
from faker import Faker
from presidio_anonymizer import AnonymizerEngine, DeanonymizeEngine
from presidio_anonymizer.entities import InvalidParamError, OperatorConfig, OperatorResult
from presidio_anonymizer.operators import Decrypt, Encrypt, Hash, Mask, Redact, Replace

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_pii.analyzer import PiiAnalyzer
from synthstudio_pii.recognizers import ResolvedRecognizers, check_entity
from synthstudio_pii.text import (
    DEFAULT_MAX_TEXT_CHARS,
    DEFAULT_SCORE_THRESHOLD,
    detect,
)


class Operator(StrEnum):
    """What happens to a value (a table cell or a span of text)."""

    KEEP = "keep"
    DROP = "drop"  # tables only: the column is removed
    REDACT = "redact"  # the value becomes ""
    REPLACE = "replace"  # `new_value`, default `<ENTITY_TYPE>`
    MASK = "mask"  # `masking_char`, `chars_to_mask`, `from_end`
    HASH = "hash"  # salted with the server key; `hash_type`: sha256 (default) or sha512
    ENCRYPT = "encrypt"  # AES with the server key, reversible by `decrypt`
    DECRYPT = "decrypt"  # tables only: undo `encrypt`, for authorized re-identification
    PSEUDONYMIZE = "pseudonymize"  # consistent fake value of the same entity type
    SCRUB = "scrub"  # tables only: replace PII found inside free text with <ENTITY_TYPE>


_TABLE_ONLY = frozenset({Operator.DROP, Operator.DECRYPT, Operator.SCRUB})
_PARAMS: Mapping[Operator, frozenset[str]] = {
    Operator.REPLACE: frozenset({"new_value"}),
    Operator.MASK: frozenset({"masking_char", "chars_to_mask", "from_end"}),
    Operator.HASH: frozenset({"hash_type"}),
}
_HASH_TYPES = ("sha256", "sha512")


@dataclass(frozen=True)
class Keyring:
    """Server-side secrets: hash salt, pseudonym HMAC key and AES key (256-bit)."""

    # repr=False: a keyring must never end up in a log line or a test report.
    hash_salt: bytes = field(repr=False)
    pseudonym_key: bytes = field(repr=False)
    encryption_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.hash_salt) < 16 or len(self.pseudonym_key) < 16:
            raise ValueError("hash_salt and pseudonym_key need at least 16 bytes each")
        if len(self.encryption_key) not in (16, 24, 32):
            raise ValueError("encryption_key must be 16, 24 or 32 bytes (AES-128/192/256)")

    @classmethod
    def from_secret(cls, secret: bytes) -> Keyring:
        """Derive independent keys from one server secret (at least 16 bytes)."""
        if len(secret) < 16:
            raise ValueError("the PII secret needs at least 16 bytes")

        def derive(label: bytes) -> bytes:
            return hmac.new(secret, b"synthstudio-pii/" + label, hashlib.sha256).digest()

        return cls(derive(b"hash-salt"), derive(b"pseudonym"), derive(b"encryption"))


@dataclass(frozen=True)
class ColumnPolicy:
    """What to do with one column. `entity_type` (from classification) picks the pseudonym
    format and the replacement placeholder; `params` are the operator's options."""

    operator: str
    params: Mapping[str, object] = field(default_factory=dict)
    entity_type: str | None = None


@dataclass(frozen=True)
class TextOperator:
    """What to do with the spans of one entity type in text."""

    operator: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AnonymizedSpan:
    """Where a replaced span sits in the anonymized text, what it was and how it was changed."""

    start: int
    end: int
    entity_type: str
    operator: str


@dataclass(frozen=True)
class AnonymizedText:
    """Anonymized text and its replaced spans (positions in the new text)."""

    text: str
    spans: tuple[AnonymizedSpan, ...]


class Pseudonymizer:
    """Consistent fake values: Faker seeded by HMAC-SHA256(key, value). Not thread-safe (one
    Faker instance); create one per request."""

    def __init__(self, key: bytes, locale: str = "en_US") -> None:
        self._key = key
        self._faker = Faker(locale)

    def pseudonym(self, value: str, entity_type: str | None) -> str:
        """The fake value standing for `value`; the same for the same key, value and type."""
        normalized = value.strip()
        if entity_type == "EMAIL_ADDRESS":
            normalized = normalized.casefold()
        digest = hmac.new(self._key, normalized.encode(), hashlib.sha256).digest()
        self._faker.seed_instance(int.from_bytes(digest[:8], "big"))
        generator = _FAKE_VALUES.get(entity_type or "")
        if generator is None:
            return f"{entity_type or 'PSEUDONYM'}_{digest.hex()[:16]}"
        return generator(self._faker, digest)


_FAKE_VALUES: Mapping[str, Callable[[Faker, bytes], str]] = {
    "PERSON": lambda fake, _: fake.name(),
    # The digest suffix keeps distinct addresses distinct (user names collide often).
    "EMAIL_ADDRESS": lambda fake, digest: (
        f"{fake.user_name()}.{digest.hex()[:6]}@{fake.safe_domain_name()}"
    ),
    "PHONE_NUMBER": lambda fake, _: fake.phone_number(),
    "US_SSN": lambda fake, _: fake.ssn(),
    "CREDIT_CARD": lambda fake, _: fake.credit_card_number(),
    "IBAN_CODE": lambda fake, _: fake.iban(),
    "US_BANK_NUMBER": lambda fake, _: fake.bban(),
    "US_PASSPORT": lambda fake, _: fake.passport_number(),
    "US_DRIVER_LICENSE": lambda fake, _: fake.bothify("?#######").upper(),
    "STREET_ADDRESS": lambda fake, _: (
        f"{fake.street_address()}, {fake.city()}, {fake.state_abbr()} {fake.zipcode()}"
    ),
    "LOCATION": lambda fake, _: fake.city(),
    "DATE_TIME": lambda fake, _: fake.date(),
    "DATE_OF_BIRTH": lambda fake, _: fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
    "IP_ADDRESS": lambda fake, _: fake.ipv4(),
    "URL": lambda fake, _: fake.url(),
    "NRP": lambda fake, _: fake.country(),
    "MEDICAL_RECORD_NUMBER": lambda fake, _: fake.numerify("MRN########"),
}


def _parse_operator(name: str, field_path: str, *, table: bool) -> Operator:
    try:
        operator = Operator(name)
    except ValueError:
        allowed = [op.value for op in Operator if table or op not in _TABLE_ONLY]
        raise InvalidInput(
            f"Unknown operator {name!r}: choose one of {', '.join(allowed)}.",
            field=field_path,
            metadata={"operator": name, "allowed": ",".join(allowed)},
        ) from None
    if not table and operator in _TABLE_ONLY:
        raise InvalidInput(
            f"Operator {name!r} applies to table columns only, not to spans of text.",
            field=field_path,
            metadata={"operator": name},
        )
    return operator


def _check_params(operator: Operator, params: Mapping[str, object], field_path: str) -> None:
    allowed = _PARAMS.get(operator, frozenset())
    for key in params:
        if key not in allowed:
            raise InvalidInput(
                f"Operator {operator.value!r} takes no parameter {key!r}"
                + (f"; it takes {', '.join(sorted(allowed))}." if allowed else "."),
                field=f"{field_path}.{key}",
                metadata={"operator": operator.value, "parameter": key},
            )
    if operator is Operator.MASK:
        _check_mask_params(params, field_path)
    if operator is Operator.HASH and params.get("hash_type", "sha256") not in _HASH_TYPES:
        raise InvalidInput(
            f"hash_type {params['hash_type']!r} is not supported: use sha256 or sha512.",
            field=f"{field_path}.hash_type",
            metadata={"hash_type": params["hash_type"]},
        )
    if operator is Operator.REPLACE and not isinstance(params.get("new_value", ""), str):
        raise InvalidInput(
            "new_value must be a string.",
            field=f"{field_path}.new_value",
            metadata={"new_value": params["new_value"]},
        )


def _check_mask_params(params: Mapping[str, object], field_path: str) -> None:
    masking_char = params.get("masking_char", "*")
    if not isinstance(masking_char, str) or len(masking_char) != 1:
        raise InvalidInput(
            f"masking_char must be exactly one character, got {masking_char!r}.",
            field=f"{field_path}.masking_char",
            metadata={"masking_char": masking_char},
        )
    chars = params.get("chars_to_mask")
    if chars is not None and (isinstance(chars, bool) or not isinstance(chars, int) or chars < 0):
        raise InvalidInput(
            f"chars_to_mask must be a non-negative integer, got {chars!r}.",
            field=f"{field_path}.chars_to_mask",
            metadata={"chars_to_mask": chars},
        )
    if not isinstance(params.get("from_end", False), bool):
        raise InvalidInput(
            "from_end must be true or false.",
            field=f"{field_path}.from_end",
            metadata={"from_end": params["from_end"]},
        )


def _value_transform(
    operator: Operator,
    params: Mapping[str, object],
    entity_type: str | None,
    keyring: Keyring,
    pseudonymizer: Pseudonymizer,
) -> Callable[[str], str]:
    """A function applying one validated operator to one value (cell or span)."""
    if operator is Operator.KEEP:
        return lambda value: value
    if operator is Operator.REDACT:
        return lambda value: Redact().operate(value, {})
    if operator is Operator.REPLACE:
        new_value = str(params.get("new_value") or "")
        replace_params = {"new_value": new_value, "entity_type": entity_type or "REDACTED"}
        return lambda value: Replace().operate(value, replace_params)
    if operator is Operator.MASK:
        return _mask_transform(params)
    if operator is Operator.HASH:
        hash_params = {"hash_type": params.get("hash_type", "sha256"), "salt": keyring.hash_salt}
        return lambda value: Hash().operate(value, hash_params)
    if operator is Operator.ENCRYPT:
        return lambda value: Encrypt().operate(value, {"key": keyring.encryption_key})
    if operator is Operator.DECRYPT:
        return lambda value: _decrypt(value, keyring)
    if operator is Operator.PSEUDONYMIZE:
        return lambda value: pseudonymizer.pseudonym(value, entity_type)
    raise AssertionError(f"operator {operator} has no per-value transform")


def _mask_transform(params: Mapping[str, object]) -> Callable[[str], str]:
    masking_char = params.get("masking_char", "*")
    from_end = params.get("from_end", False)
    fixed = params.get("chars_to_mask")

    def mask(value: str) -> str:
        # By default keep the last 4 characters, and never show more than half a short value.
        count = fixed if fixed is not None else max(len(value) - 4, (len(value) + 1) // 2)
        mask_params = {"masking_char": masking_char, "chars_to_mask": count, "from_end": from_end}
        return Mask().operate(value, mask_params)

    return mask


def _decrypt(value: str, keyring: Keyring) -> str:
    try:
        return Decrypt().operate(value, {"key": keyring.encryption_key})
    except (ValueError, InvalidParamError) as error:
        raise InvalidInput(
            "A value could not be decrypted: it was not produced by this service's encrypt "
            "operator, or the service key has changed since.",
            metadata={"error": str(error)},
        ) from error


def anonymize_tables(
    tables: Mapping[str, pd.DataFrame],
    policies: Mapping[str, Mapping[str, ColumnPolicy]],
    keyring: Keyring,
    *,
    analyzer: PiiAnalyzer,
    recognizers: ResolvedRecognizers | None = None,
    progress: Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """New tables with each column transformed by its policy (columns without one are kept).

    One pseudonymizer serves all tables, so a value gets the same pseudonym everywhere.
    Raises InvalidInput for a policy naming an unknown table, column, operator or parameter.
    """
    progress = progress or NullProgress()
    # Check every policy before transforming anything: a long job should fail at once.
    resolved = recognizers or ResolvedRecognizers(entities=analyzer.supported_entities())
    validate_policies(
        {name: [str(column) for column in frame.columns] for name, frame in tables.items()},
        policies,
        resolved,
    )
    pseudonymizer = Pseudonymizer(keyring.pseudonym_key)
    results = {}
    for index, (name, frame) in enumerate(tables.items()):
        progress.update(index / max(len(tables), 1), f"anonymizing table {name}", table=name)
        results[name] = anonymize_table(
            frame,
            policies.get(name, {}),
            keyring,
            table=name,
            analyzer=analyzer,
            recognizers=resolved,
            pseudonymizer=pseudonymizer,
        )
    progress.update(1.0, f"anonymized {len(tables)} tables")
    return results


def validate_policies(
    columns: Mapping[str, Sequence[str]],
    policies: Mapping[str, Mapping[str, ColumnPolicy]],
    resolved: ResolvedRecognizers,
) -> None:
    """Raise InvalidInput for a policy naming an unknown table, column, operator, parameter or
    entity type; `columns` maps each table of the dataset to its column names."""
    for table in policies:
        if table not in columns:
            raise InvalidInput(
                f"The policies name table {table!r}, which the dataset does not have: "
                f"its tables are {', '.join(columns)}.",
                field=f"policies[{table}]",
                metadata={"table": table},
            )
    for table, table_policies in policies.items():
        _validated_operators(
            pd.DataFrame(columns=list(columns[table])), table_policies, table, resolved
        )


def anonymize_table(
    frame: pd.DataFrame,
    policies: Mapping[str, ColumnPolicy],
    keyring: Keyring,
    *,
    analyzer: PiiAnalyzer,
    table: str = "table",
    recognizers: ResolvedRecognizers | None = None,
    pseudonymizer: Pseudonymizer | None = None,
) -> pd.DataFrame:
    """A new DataFrame with each column transformed by its policy; `frame` is not modified.

    Nulls stay null; transformed columns hold strings.
    """
    pseudonymizer = pseudonymizer or Pseudonymizer(keyring.pseudonym_key)
    resolved = recognizers or ResolvedRecognizers(entities=analyzer.supported_entities())
    parsed = _validated_operators(frame, policies, table, resolved)
    result = frame.copy()
    result.columns = [str(column) for column in frame.columns]
    for column, operator in parsed.items():
        policy = policies[column]
        if operator is Operator.DROP:
            result = result.drop(columns=column)
        elif operator is Operator.SCRUB:
            result[column] = _scrub_column(result[column], analyzer, resolved)
        elif operator is not Operator.KEEP:
            transform = _value_transform(
                operator, policy.params, policy.entity_type, keyring, pseudonymizer
            )
            result[column] = _map_distinct(result[column], transform)
    return result


def _validated_operators(
    frame: pd.DataFrame,
    policies: Mapping[str, ColumnPolicy],
    table: str,
    resolved: ResolvedRecognizers,
) -> dict[str, Operator]:
    """Each policy's operator, once its column, operator, parameters and type are checked."""
    columns = {str(column) for column in frame.columns}
    parsed = {}
    for column, policy in policies.items():
        path = f"policies[{table}][{column}]"
        if column not in columns:
            raise InvalidInput(
                f"Table {table!r} has no column {column!r}: check the policy's column names.",
                field=path,
                metadata={"table": table, "column": column},
            )
        operator = _parse_operator(policy.operator, f"{path}.operator", table=True)
        _check_params(operator, policy.params, f"{path}.params")
        if policy.entity_type is not None:
            check_entity(policy.entity_type, resolved, f"{path}.entity_type")
        parsed[column] = operator
    return parsed


def _as_text(series: pd.Series) -> pd.Series:
    """Non-null cells as strings; integral floats (integers with gaps) without '.0'."""
    values = series.dropna()
    if pd.api.types.is_float_dtype(values) and bool((values % 1 == 0).all()):
        return values.astype("int64").astype(str)
    return values.astype(str)


def _map_distinct(series: pd.Series, transform: Callable[[str], str]) -> pd.Series:
    """Apply `transform` once per distinct value; nulls stay null."""
    text = _as_text(series)
    codes, uniques = pd.factorize(text)
    mapped = np.array([transform(value) for value in uniques], dtype=object)
    return _with_nulls_of(series, text.index, mapped[codes])


def _scrub_column(
    series: pd.Series, analyzer: PiiAnalyzer, recognizers: ResolvedRecognizers
) -> pd.Series:
    text = _as_text(series)
    codes, uniques = pd.factorize(text)
    findings = analyzer.analyze_batch(list(uniques), ad_hoc_recognizers=recognizers.ad_hoc)
    engine = AnonymizerEngine()
    scrubbed = []
    for value, results in zip(uniques, findings, strict=True):
        kept = [r for r in results if r.score >= DEFAULT_SCORE_THRESHOLD]
        scrubbed.append(engine.anonymize(value, kept, _placeholders(kept)).text if kept else value)
    return _with_nulls_of(series, text.index, np.array(scrubbed, dtype=object)[codes])


def _with_nulls_of(series: pd.Series, index: pd.Index, values: np.ndarray) -> pd.Series:
    """`values` at `index`, and the original nulls (None, NaN, NaT) everywhere else."""
    output = series.astype(object)
    output.loc[index] = values
    return output


def _placeholders(results: Sequence) -> dict[str, OperatorConfig]:
    return {r.entity_type: OperatorConfig("replace", {}) for r in results}


def anonymize_text(
    analyzer: PiiAnalyzer,
    text: str,
    keyring: Keyring,
    operators: Mapping[str, TextOperator],
    *,
    recognizers: ResolvedRecognizers | None = None,
    entities: Sequence[str] = (),
    score_threshold: float = DEFAULT_SCORE_THRESHOLD,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> AnonymizedText:
    """Detect PII in `text` and transform each span by the operator of its entity type.

    `operators` maps entity types (or "DEFAULT", for all others) to operators; the default
    default is `replace` with `<ENTITY_TYPE>`. Overlapping findings are merged by Presidio.
    """
    resolved = recognizers or ResolvedRecognizers(entities=analyzer.supported_entities())
    parsed = {}
    for key, spec in operators.items():
        if key != "DEFAULT":
            check_entity(key, resolved, f"operators[{key}]")
        operator = _parse_operator(spec.operator, f"operators[{key}].operator", table=False)
        _check_params(operator, spec.params, f"operators[{key}].params")
        parsed[key] = operator
    findings = detect(
        analyzer,
        text,
        recognizers=resolved,
        entities=entities,
        score_threshold=score_threshold,
        max_chars=max_chars,
    )
    pseudonymizer = Pseudonymizer(keyring.pseudonym_key)
    configs = {}
    for entity_type in {finding.entity_type for finding in findings}:
        key = entity_type if entity_type in operators else "DEFAULT"
        operator = parsed.get(key, Operator.REPLACE)
        params = operators[key].params if key in operators else {}
        transform = _value_transform(operator, params, entity_type, keyring, pseudonymizer)
        configs[entity_type] = OperatorConfig("custom", {"lambda": transform})
    result = AnonymizerEngine().anonymize(text, findings, configs)
    operator_names = {
        entity_type: (parsed.get(entity_type) or parsed.get("DEFAULT") or Operator.REPLACE).value
        for entity_type in configs
    }
    spans = tuple(
        AnonymizedSpan(item.start, item.end, item.entity_type, operator_names[item.entity_type])
        for item in sorted(result.items, key=lambda item: item.start)
    )
    return AnonymizedText(result.text, spans)


def decrypt_text(anonymized: AnonymizedText, keyring: Keyring) -> str:
    """Restore the spans that `anonymize_text` encrypted (authorized re-identification)."""
    encrypted = [
        OperatorResult(span.start, span.end, span.entity_type, "", Operator.ENCRYPT.value)
        for span in anonymized.spans
        if span.operator == Operator.ENCRYPT.value
    ]
    if not encrypted:
        return anonymized.text
    try:
        return (
            DeanonymizeEngine()
            .deanonymize(
                anonymized.text,
                encrypted,
                {"DEFAULT": OperatorConfig("decrypt", {"key": keyring.encryption_key})},
            )
            .text
        )
    except (ValueError, InvalidParamError) as error:
        raise InvalidInput(
            "The text could not be decrypted: its spans do not match the text, or the service "
            "key has changed since it was encrypted.",
            field="spans",
            metadata={"error": str(error)},
        ) from error
