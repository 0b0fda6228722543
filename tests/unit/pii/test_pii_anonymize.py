"""Anonymization of tables and text: operators, salted hashes, keyed pseudonyms, bad input."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from synthstudio_libs.errors import InvalidInput
from synthstudio_pii.anonymize import (
    ColumnPolicy,
    Keyring,
    Pseudonymizer,
    TextOperator,
    anonymize_table,
    anonymize_tables,
    anonymize_text,
    decrypt_text,
)

EMAIL = re.compile(r"^[\w.+-]+@[\w-]+\.[a-z]+$")


@pytest.fixture
def dataset(labelled) -> dict[str, pd.DataFrame]:
    """Two linked tables sharing customers' names and e-mails, as multi-table data does."""
    customers = labelled.frame[["customer_name", "email", "ssn", "phone", "notes"]].head(60)
    orders = pd.DataFrame(
        {
            "buyer_email": list(customers["email"].iloc[::-1]) + [None],
            "buyer": list(customers["customer_name"].iloc[::-1]) + [None],
            "amount": list(range(61)),
        }
    )
    return {"customers": customers.reset_index(drop=True), "orders": orders}


def _pseudonymize_both(dataset, keyring, analyzer):
    policies = {
        "customers": {
            "email": ColumnPolicy("pseudonymize", entity_type="EMAIL_ADDRESS"),
            "customer_name": ColumnPolicy("pseudonymize", entity_type="PERSON"),
        },
        "orders": {
            "buyer_email": ColumnPolicy("pseudonymize", entity_type="EMAIL_ADDRESS"),
            "buyer": ColumnPolicy("pseudonymize", entity_type="PERSON"),
        },
    }
    return anonymize_tables(dataset, policies, keyring, analyzer=analyzer)


def test_pseudonyms_are_consistent_across_tables_and_columns(dataset, keyring, analyzer):
    result = _pseudonymize_both(dataset, keyring, analyzer)
    customers, orders = dataset["customers"], dataset["orders"]
    by_email = dict(zip(customers["email"], result["customers"]["email"], strict=True))
    pairs = zip(orders["buyer_email"], result["orders"]["buyer_email"], strict=True)
    for original, pseudonym in pairs:
        if original is None:
            assert pseudonym is None
            continue
        assert pseudonym == by_email[original]
    names = zip(customers["customer_name"], result["customers"]["customer_name"], strict=True)
    by_name = dict(names)
    assert all(
        by_name[o] == p
        for o, p in zip(orders["buyer"][:-1], result["orders"]["buyer"][:-1], strict=True)
    )
    pseudonyms = result["customers"]["email"]
    assert pseudonyms.nunique() == customers["email"].nunique()
    assert all(EMAIL.match(value) for value in pseudonyms)
    assert not set(pseudonyms) & set(customers["email"])
    assert not set(result["customers"]["customer_name"]) & set(customers["customer_name"])


def test_pseudonyms_are_stable_for_a_key_and_change_with_the_key(dataset, keyring, analyzer):
    first = _pseudonymize_both(dataset, keyring, analyzer)
    again = _pseudonymize_both(dataset, keyring, analyzer)
    other = _pseudonymize_both(
        dataset, Keyring.from_secret(b"another-secret-of-32-bytes-long!"), analyzer
    )
    pd.testing.assert_frame_equal(first["customers"], again["customers"])
    changed = first["customers"]["email"] != other["customers"]["email"]
    assert changed.all()


def test_pseudonym_formats_follow_the_entity_type(keyring):
    pseudonymizer = Pseudonymizer(keyring.pseudonym_key)
    assert re.match(r"^\d{3}-\d{2}-\d{4}$", pseudonymizer.pseudonym("653-45-6292", "US_SSN"))
    assert pseudonymizer.pseudonym("A@Example.com", "EMAIL_ADDRESS") == pseudonymizer.pseudonym(
        "a@example.com ", "EMAIL_ADDRESS"
    )
    token = pseudonymizer.pseudonym("X-1", "EMPLOYEE_ID")
    assert re.match(r"^EMPLOYEE_ID_[0-9a-f]{16}$", token)


def test_hashes_are_salted_with_the_server_key(dataset, keyring, analyzer):
    policy = {"ssn": ColumnPolicy("hash")}
    hashed = anonymize_table(dataset["customers"], policy, keyring, analyzer=analyzer)["ssn"]
    ssn = dataset["customers"]["ssn"]
    unsalted = ssn.map(lambda v: hashlib.sha256(v.encode()).hexdigest())
    assert (hashed != unsalted).all()
    expected = ssn.map(lambda v: hashlib.sha256(v.encode() + keyring.hash_salt).hexdigest())
    assert list(hashed) == list(expected)
    other_key = Keyring.from_secret(b"another-secret-of-32-bytes-long!")
    rehashed = anonymize_table(dataset["customers"], policy, other_key, analyzer=analyzer)["ssn"]
    assert (hashed != rehashed).all()
    sha512 = {"ssn": ColumnPolicy("hash", {"hash_type": "sha512"})}
    long = anonymize_table(dataset["customers"], sha512, keyring, analyzer=analyzer)["ssn"]
    assert long.str.len().eq(128).all()


def test_encrypt_then_decrypt_restores_the_column(dataset, keyring, analyzer):
    customers = dataset["customers"]
    encrypted = anonymize_table(
        customers, {"phone": ColumnPolicy("encrypt")}, keyring, analyzer=analyzer
    )
    assert not set(encrypted["phone"]) & set(customers["phone"])
    decrypted = anonymize_table(
        encrypted, {"phone": ColumnPolicy("decrypt")}, keyring, analyzer=analyzer
    )
    assert list(decrypted["phone"]) == list(customers["phone"])
    with pytest.raises(InvalidInput) as raised:
        anonymize_table(customers, {"phone": ColumnPolicy("decrypt")}, keyring, analyzer=analyzer)
    assert "could not be decrypted" in raised.value.message


def test_table_operators_return_a_new_frame_and_never_touch_the_input(dataset, keyring, analyzer):
    customers = dataset["customers"]
    before = customers.copy(deep=True)
    result = anonymize_table(
        customers,
        {
            "customer_name": ColumnPolicy("replace", entity_type="PERSON"),
            "email": ColumnPolicy("redact"),
            "ssn": ColumnPolicy("mask"),
            "phone": ColumnPolicy("drop"),
        },
        keyring,
        analyzer=analyzer,
    )
    pd.testing.assert_frame_equal(customers, before)
    assert result is not customers
    assert list(result.columns) == ["customer_name", "email", "ssn", "notes"]
    assert set(result["customer_name"]) == {"<PERSON>"}
    assert set(result["email"]) == {""}
    assert all(re.match(r"^\*{7}\d{4}$", value) for value in result["ssn"])
    assert [v[-4:] for v in result["ssn"]] == [v[-4:] for v in customers["ssn"]]
    assert list(result["notes"]) == list(customers["notes"])


def test_scrub_replaces_pii_inside_free_text(labelled, keyring, analyzer):
    notes = labelled.frame[["notes", "customer_name"]]
    result = anonymize_table(notes, {"notes": ColumnPolicy("scrub")}, keyring, analyzer=analyzer)
    calls = [
        (name, scrubbed)
        for original, name, scrubbed in zip(
            notes["notes"], notes["customer_name"], result["notes"], strict=True
        )
        if original.startswith("Called ")
    ]
    assert len(calls) > 50
    # spaCy's small model misses the odd name in a sentence: recall, not perfection.
    replaced = [s for _, s in calls if s.startswith("Called <PERSON> on <")]
    assert len(replaced) >= 0.9 * len(calls)
    assert sum(name in scrubbed for name, scrubbed in calls) <= 0.1 * len(calls)
    untouched = "Package left at the front desk, no further action needed from support."
    assert untouched in set(result["notes"])


def test_mask_parameters(dataset, keyring, analyzer):
    policy = {
        "ssn": ColumnPolicy("mask", {"masking_char": "#", "chars_to_mask": 3, "from_end": True})
    }
    masked = anonymize_table(dataset["customers"], policy, keyring, analyzer=analyzer)["ssn"]
    assert [v[:-3] for v in masked] == [v[:-3] for v in dataset["customers"]["ssn"]]
    assert masked.str.endswith("###").all()


@pytest.mark.parametrize(
    ("policies", "field", "words"),
    [
        (
            {"customers": {"ssn": ColumnPolicy("shred")}},
            "policies[customers][ssn].operator",
            "shred",
        ),
        (
            {"customers": {"ssn": ColumnPolicy("mask", {"masking_char": "**"})}},
            "policies[customers][ssn].params.masking_char",
            "one character",
        ),
        (
            {"customers": {"ssn": ColumnPolicy("mask", {"chars_to_mask": -1})}},
            "policies[customers][ssn].params.chars_to_mask",
            "non-negative",
        ),
        (
            {"customers": {"ssn": ColumnPolicy("hash", {"salt": "mine"})}},
            "policies[customers][ssn].params.salt",
            "no parameter 'salt'",
        ),
        (
            {"customers": {"ssn": ColumnPolicy("hash", {"hash_type": "md5"})}},
            "policies[customers][ssn].params.hash_type",
            "sha256",
        ),
        ({"customers": {"zip": ColumnPolicy("drop")}}, "policies[customers][zip]", "no column"),
        ({"invoices": {"id": ColumnPolicy("drop")}}, "policies[invoices]", "does not have"),
        (
            {"customers": {"ssn": ColumnPolicy("pseudonymize", entity_type="SHOE_SIZE")}},
            "policies[customers][ssn].entity_type",
            "Unknown entity type",
        ),
    ],
)
def test_bad_policies_are_invalid_input(dataset, keyring, analyzer, policies, field, words):
    with pytest.raises(InvalidInput) as raised:
        anonymize_tables(dataset, policies, keyring, analyzer=analyzer)
    assert raised.value.violations[0].field == field
    assert words in raised.value.message


def test_anonymize_text_applies_an_operator_per_entity_and_decrypts(analyzer, keyring):
    text = "Send the refund to maria.gonzalez@example.com, SSN 653-45-6292, Maria Gonzalez."
    result = anonymize_text(
        analyzer,
        text,
        keyring,
        {
            "EMAIL_ADDRESS": TextOperator("encrypt"),
            "US_SSN": TextOperator("mask", {"chars_to_mask": 7}),
            "DEFAULT": TextOperator("pseudonymize"),
        },
    )
    assert "maria.gonzalez@example.com" not in result.text
    assert "*******6292" in result.text
    assert "Maria Gonzalez" not in result.text
    operators = {span.entity_type: span.operator for span in result.spans}
    assert operators == {"EMAIL_ADDRESS": "encrypt", "US_SSN": "mask", "PERSON": "pseudonymize"}
    restored = decrypt_text(result, keyring)
    assert "maria.gonzalez@example.com" in restored
    assert "*******6292" in restored


def test_bad_text_operators_are_invalid_input(analyzer, keyring):
    with pytest.raises(InvalidInput) as raised:
        anonymize_text(analyzer, "x", keyring, {"EMAIL_ADDRESS": TextOperator("explode")})
    assert raised.value.violations[0].field == "operators[EMAIL_ADDRESS].operator"
    with pytest.raises(InvalidInput) as raised:
        anonymize_text(analyzer, "x", keyring, {"EMAIL_ADDRESS": TextOperator("drop")})
    assert "table columns only" in raised.value.message
    with pytest.raises(InvalidInput) as raised:
        anonymize_text(analyzer, "x", keyring, {"SHOE_SIZE": TextOperator("redact")})
    assert raised.value.violations[0].field == "operators[SHOE_SIZE]"


def test_keyring_refuses_short_secrets():
    with pytest.raises(ValueError, match="16 bytes"):
        Keyring.from_secret(b"short")
