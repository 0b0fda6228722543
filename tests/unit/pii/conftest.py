"""Fixtures of the PII core tests: one real analyzer (spaCy NER) and a labelled table."""

from __future__ import annotations

import pytest
from pii_fixtures import LabelledTable, build_labelled_table

from synthstudio_pii.analyzer import PiiAnalyzer, build_analyzer
from synthstudio_pii.anonymize import Keyring


@pytest.fixture(scope="session")
def analyzer() -> PiiAnalyzer:
    """Built once: loading spaCy and Presidio's recognizers takes seconds."""
    return build_analyzer()


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.from_secret(b"unit-test-secret-of-32-bytes-ok!")


@pytest.fixture(scope="session")
def labelled() -> LabelledTable:
    return build_labelled_table()
