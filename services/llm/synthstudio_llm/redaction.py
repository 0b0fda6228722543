"""Redaction of prompt text before it leaves the process.

The production redactor calls the PII service's RedactText RPC (Presidio with NER, so names are
found without being listed). `RegexRedactor` is the dependency-free one: it finds pattern-shaped
identifiers (e-mail addresses, phone numbers, card and social-security numbers, IBANs, IP
addresses) and any literal terms it is given, such as names the PII scan reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Protocol


class Redactor(Protocol):
    """Replaces personal data in `text` with placeholders; raises `Unavailable` when it cannot,
    so that nothing unredacted is ever sent."""

    def redact(self, text: str) -> str: ...


def _luhn_valid(candidate: str) -> bool:
    digits = [int(char) for char in candidate if char.isdigit()]
    checksum = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 else digit
        checksum += doubled - 9 if doubled > 9 else doubled
    return checksum % 10 == 0


def _phone_like(candidate: str) -> bool:
    # Nine or more digits: an ISO date (eight) or a small figure is not a phone number.
    return 9 <= sum(char.isdigit() for char in candidate) <= 15


_PATTERNS: tuple[tuple[str, re.Pattern[str], Callable[[str], bool] | None], ...] = (
    ("EMAIL_ADDRESS", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), None),
    ("IBAN_CODE", re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b"), None),
    ("CREDIT_CARD", re.compile(r"\b\d(?:[ -]?\d){12,18}\b"), _luhn_valid),
    ("US_SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), None),
    ("IP_ADDRESS", re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), None),
    (
        "PHONE_NUMBER",
        re.compile(
            r"(?<![\w.])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?"
            r"\d{1,4}(?:[ .-]\d{2,4}){1,5}(?![\w.])"
        ),
        _phone_like,
    ),
)


class RegexRedactor:
    """Replaces pattern-shaped identifiers and the given literal terms with `<ENTITY_TYPE>`.

    `terms` are matched case-insensitively on word boundaries and replaced with `<PERSON>`
    unless another label is given through `terms_label`.
    """

    def __init__(self, terms: Iterable[str] = (), *, terms_label: str = "PERSON") -> None:
        cleaned = sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
        self._terms_label = terms_label
        self._terms = (
            re.compile(r"\b(?:" + "|".join(re.escape(term) for term in cleaned) + r")\b", re.I)
            if cleaned
            else None
        )

    def redact(self, text: str) -> str:
        """`text` with every identifier replaced by its placeholder."""
        if self._terms is not None:
            text = self._terms.sub(f"<{self._terms_label}>", text)
        for label, pattern, accept in _PATTERNS:
            text = pattern.sub(_replacer(label, accept), text)
        return text


def _replacer(label: str, accept: Callable[[str], bool] | None) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        return f"<{label}>" if accept is None or accept(found) else found

    return replace
