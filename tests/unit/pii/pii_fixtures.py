"""Labelled test data for the PII core tests (shared by the tests and their fixtures)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pandas as pd
from faker import Faker


def luhn_complete(body: str) -> str:
    """`body` followed by its Luhn check digit."""
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return body + str((10 - total % 10) % 10)


# Column -> entity type it holds (None: not PII). `notes` is free text mentioning people.
LABELS: dict[str, str | None] = {
    "customer_name": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "card_number": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "address": "STREET_ADDRESS",
    "dob": "DATE_OF_BIRTH",
    "notes": "PERSON",
    "amount": None,
    "amount_text": None,
    "product_code": None,
    "quantity": None,
    "status": None,
    "order_id": None,
}
FREE_TEXT_COLUMNS = {"notes"}


@dataclass(frozen=True)
class LabelledTable:
    frame: pd.DataFrame
    labels: dict[str, str | None]
    notes_with_pii: int  # rows whose note mentions a person, phone or address


def build_labelled_table(rows: int = 400, seed: int = 7) -> LabelledTable:
    """Customers and orders with known PII columns (Faker, seeded) and non-PII columns."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    records, notes_with_pii = [], 0
    for index in range(rows):
        card = luhn_complete(
            rng.choice(["4", "51", "53", "55"])
            + "".join(str(rng.randrange(10)) for _ in range(14 if index % 4 else 13))
        )
        if index % 3 == 0:
            card = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
        name, phone = fake.name(), fake.phone_number()
        note_kind = rng.randrange(5)
        notes_with_pii += note_kind < 3
        note = [
            f"Called {name} on {phone} about the late delivery; the customer was polite.",
            f"Customer asked us to send the invoice to {fake.street_address()}, please check.",
            f"Refund approved by {fake.name()} after reviewing the photos the customer sent.",
            "Package left at the front desk, no further action needed from support.",
            "Item arrived damaged, a replacement was shipped with the express courier.",
        ][note_kind]
        records.append(
            {
                "customer_name": name,
                "email": fake.email(),
                "phone": phone,
                # Valid-looking SSNs (area 100-665), never the famous published samples.
                "ssn": f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                "card_number": card,
                "iban": fake.iban(),
                "address": f"{fake.street_address()}, {fake.city()}, {fake.state_abbr()} "
                f"{fake.zipcode()}",
                "dob": fake.date_of_birth(minimum_age=18, maximum_age=90).isoformat(),
                "notes": note,
                "amount": round(rng.uniform(1, 99_999), 2),
                "amount_text": f"{rng.uniform(1, 99_999_999):.2f}",
                "product_code": fake.bothify("??-####-?").upper()
                if index % 2
                else fake.bothify("SKU####??"),
                "quantity": rng.randint(1, 20),
                "status": rng.choice(["shipped", "pending", "returned", "cancelled"]),
                "order_id": rng.randint(10**9, 10**10 - 1),
            }
        )
    return LabelledTable(pd.DataFrame(records), dict(LABELS), notes_with_pii)
