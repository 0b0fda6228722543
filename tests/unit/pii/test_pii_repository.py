"""Saved custom recognizers on SQLite and on the real PostgreSQL, and their reuse by name."""

from __future__ import annotations

import pytest

from synthstudio_libs.errors import AlreadyExists, InvalidInput, NotFound
from synthstudio_libs.storage.database import create_engine
from synthstudio_pii.core import PiiCore
from synthstudio_pii.recognizers import CustomRecognizer, RecognizerSelection, RegexPattern
from synthstudio_pii.repository import SqlRecognizerRepository, custom_recognizers_table, metadata

EMPLOYEE_ID = CustomRecognizer(
    name="employee-id",
    entity_type="EMPLOYEE_ID",
    patterns=(RegexPattern("emp", r"\bEMP-\d{6}\b", 0.9),),
    context=("employee", "staff"),
    description="Staff numbers of the HR system",
)


@pytest.fixture
def repository(database_url):
    """A repository on a fresh SQLite file or the session's PostgreSQL database."""
    engine = create_engine(database_url)
    metadata.create_all(engine)
    yield SqlRecognizerRepository(engine)
    with engine.begin() as connection:
        connection.execute(custom_recognizers_table.delete())
    engine.dispose()


def test_create_get_update_delete(repository):
    stored = repository.create(EMPLOYEE_ID)
    assert stored.recognizer == EMPLOYEE_ID
    fetched = repository.get("employee-id")
    assert fetched.recognizer == EMPLOYEE_ID
    assert fetched.created_at.tzinfo is not None
    changed = CustomRecognizer(
        name="employee-id", entity_type="EMPLOYEE_ID", deny_list=("EMP-000001",)
    )
    updated = repository.update(changed)
    assert updated.recognizer == changed
    assert updated.updated_at >= updated.created_at
    repository.delete("employee-id")
    with pytest.raises(NotFound) as raised:
        repository.get("employee-id")
    assert raised.value.metadata == {"name": "employee-id"}


def test_names_are_unique_and_missing_names_are_not_found(repository):
    repository.create(EMPLOYEE_ID)
    with pytest.raises(AlreadyExists) as raised:
        repository.create(EMPLOYEE_ID)
    assert "employee-id" in raised.value.message
    with pytest.raises(NotFound):
        repository.delete("no-such-recognizer")
    with pytest.raises(NotFound):
        repository.update(CustomRecognizer("no-such-recognizer", "X_ID", deny_list=("x",)))


def test_invalid_definitions_are_not_saved(repository):
    bad = CustomRecognizer("bad", "EMPLOYEE_ID", patterns=(RegexPattern("p", "(unclosed"),))
    with pytest.raises(InvalidInput) as raised:
        repository.create(bad)
    assert raised.value.violations[0].field == "recognizer.patterns[0].regex"
    assert repository.list().items == ()


def test_list_pages_through_names_in_order(repository):
    for name in ("delta", "alpha", "charlie", "bravo", "echo"):
        repository.create(CustomRecognizer(name, "CODE_NAME", deny_list=(name,)))
    first = repository.list(page_size=2)
    assert [r.recognizer.name for r in first.items] == ["alpha", "bravo"]
    second = repository.list(page_size=2, page_token=first.next_page_token)
    assert [r.recognizer.name for r in second.items] == ["charlie", "delta"]
    last = repository.list(page_size=2, page_token=second.next_page_token)
    assert [r.recognizer.name for r in last.items] == ["echo"]
    assert last.next_page_token == ""
    with pytest.raises(InvalidInput):
        repository.list(page_size=-1)
    with pytest.raises(InvalidInput):
        repository.list(page_token="charlie")


def test_saved_recognizers_are_reused_by_name(repository, analyzer, keyring):
    core = PiiCore(analyzer, keyring, repository)
    core.save_recognizer(EMPLOYEE_ID)
    text = "Employee EMP-004512 asked for leave."
    redacted = core.redact_text(text, selection=RecognizerSelection(saved=("employee-id",)))
    assert redacted.text == "Employee <EMPLOYEE_ID> asked for leave."
    assert core.redact_text(text).text == text
    with pytest.raises(NotFound):
        core.redact_text(text, selection=RecognizerSelection(saved=("unknown",)))
