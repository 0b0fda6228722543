"""The budget ledger on a SQLite file and on the real PostgreSQL: budgets, spends, refusals,
validation, and 50 concurrent spends that must never overspend."""

from __future__ import annotations

import secrets
import threading

import pytest
import sqlalchemy as sa
from alembic import command

from synthstudio_libs.errors import (
    AlreadyExists,
    BudgetExhausted,
    FailedPrecondition,
    InvalidInput,
)
from synthstudio_libs.storage.database import _alembic_config, migrate
from synthstudio_libs.storage.database import create_engine as create_platform_engine
from synthstudio_privacy.ledger import (
    LEDGER_TABLES,
    MIGRATIONS,
    BudgetLedger,
    define_ledger_tables,
)

ROWS = 10_000


def _ledger(engine: sa.Engine, **defaults) -> BudgetLedger:
    # A unique table prefix per test keeps runs isolated on a shared database.
    tables = define_ledger_tables(sa.MetaData(), prefix=f"t{secrets.token_hex(4)}_")
    ledger = BudgetLedger(
        engine,
        default_epsilon=defaults.get("epsilon", 3.0),
        default_delta=defaults.get("delta", 1e-5),
        tables=tables,
    )
    ledger.create_tables()
    return ledger


def _drop(ledger: BudgetLedger) -> None:
    ledger.tables.budgets.metadata.drop_all(ledger.engine)


@pytest.fixture(params=["sqlite", "sqlite-platform-engine", "postgres"])
def engine(request, tmp_path):
    """A plain SQLite file engine, the platform's SQLite engine (BEGIN IMMEDIATE for locked
    transactions, WAL), and the real PostgreSQL (a fresh database from the root conftest)."""
    if request.param == "sqlite":
        # NullPool: every thread of the race test opens its own connection.
        engine = sa.create_engine(
            f"sqlite:///{tmp_path / 'ledger.db'}",
            poolclass=sa.pool.NullPool,
            connect_args={"timeout": 30},
        )
    elif request.param == "sqlite-platform-engine":
        engine = create_platform_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    else:
        engine = sa.create_engine(
            request.getfixturevalue("postgres_url"), poolclass=sa.pool.NullPool
        )
    yield engine
    engine.dispose()


@pytest.fixture
def ledger(engine):
    ledger = _ledger(engine)
    yield ledger
    _drop(ledger)


def _spend(ledger: BudgetLedger, epsilon: float, job: str, dataset: str = "census", **kwargs):
    return ledger.spend(
        dataset,
        epsilon,
        kwargs.pop("delta", 1e-7),
        job_id=job,
        principal="alice",
        n_rows=kwargs.pop("n_rows", ROWS),
        synthesizer_id=kwargs.pop("synthesizer_id", "syn-1"),
    )


def test_unknown_dataset_has_the_default_budget_unspent(ledger):
    budget = ledger.get_budget("census")

    assert (budget.total_epsilon, budget.total_delta) == (3.0, 1e-5)
    assert (budget.spent_epsilon, budget.remaining_epsilon) == (0.0, 3.0)
    assert budget.is_default


def test_spends_accumulate_and_are_listed_oldest_first(ledger):
    first = _spend(ledger, 1.25, "job-1")
    _spend(ledger, 0.5, "job-2", synthesizer_id=None)

    budget = ledger.get_budget("census")
    spends, token = ledger.list_spends("census")

    assert budget.spent_epsilon == pytest.approx(1.75)
    assert budget.remaining_epsilon == pytest.approx(1.25)
    assert budget.spent_delta == pytest.approx(2e-7)
    assert [s.job_id for s in spends] == ["job-1", "job-2"]
    assert spends[0] == first
    assert spends[0].principal == "alice" and spends[1].synthesizer_id is None
    assert spends[0].created_at.tzinfo is not None
    assert token == ""
    assert ledger.get_budget("other").spent_epsilon == 0.0


def test_spend_beyond_the_budget_is_refused_saying_what_is_left(ledger):
    _spend(ledger, 2.5, "job-1")

    with pytest.raises(BudgetExhausted) as refused:
        _spend(ledger, 1.0, "job-2")

    assert "epsilon 0.5 of 3 and" in refused.value.message
    assert refused.value.metadata["remaining_epsilon"] == "0.5"
    assert refused.value.metadata["requested_epsilon"] == "1.0"
    assert [s.job_id for s in ledger.list_spends("census")[0]] == ["job-1"]
    # Exactly what is left is still allowed.
    _spend(ledger, 0.5, "job-3")
    assert ledger.get_budget("census").remaining_epsilon == 0.0


def test_delta_is_budgeted_too(ledger):
    ledger.set_budget("census", 10.0, 2e-5, principal="admin")
    _spend(ledger, 1.0, "job-1", delta=1.5e-5)

    with pytest.raises(BudgetExhausted) as refused:
        _spend(ledger, 1.0, "job-2", delta=1e-5)

    assert "delta runs out" in refused.value.message


def test_administrator_sets_a_budget_but_not_below_what_is_spent(ledger):
    _spend(ledger, 2.0, "job-1")

    budget = ledger.set_budget("census", 5.0, 1e-4, principal="admin")

    assert (budget.total_epsilon, budget.remaining_epsilon) == (5.0, 3.0)
    assert not budget.is_default
    with pytest.raises(FailedPrecondition) as refused:
        ledger.set_budget("census", 1.5, 1e-4, principal="admin")
    assert refused.value.metadata["spent_epsilon"] == "2.0"
    assert ledger.get_budget("census").total_epsilon == 5.0


def test_a_job_spends_once(ledger):
    _spend(ledger, 1.0, "job-1")

    with pytest.raises(AlreadyExists):
        _spend(ledger, 1.0, "job-1")

    assert ledger.get_budget("census").spent_epsilon == 1.0


def test_a_spend_whose_job_read_the_data_is_never_refunded(ledger):
    """The job marks its spend before reading a row; from then on a refund changes nothing."""
    _spend(ledger, 1.0, "job-1")
    assert ledger.mark_data_read("job-1")

    spend = ledger.refund("job-1", "training crashed")

    assert spend.refund is None and spend.data_read_at is not None
    assert ledger.get_budget("census").spent_epsilon == 1.0


def test_a_spend_whose_job_never_read_the_data_is_refunded_once_as_an_entry(ledger):
    _spend(ledger, 1.0, "job-1")
    _spend(ledger, 0.5, "job-2")

    refunded = ledger.refund("job-1", "cancelled while queued")
    again = ledger.refund("job-1", "second try")

    assert refunded.refund.reason == "cancelled while queued" == again.refund.reason
    assert ledger.get_budget("census").spent_epsilon == 0.5
    spends, _ = ledger.list_spends("census")
    assert [(s.job_id, s.epsilon, s.refund is not None) for s in spends] == [
        ("job-1", 1.0, True),
        ("job-2", 0.5, False),
    ]
    assert [s.job_id for s in ledger.unread_spends("census")] == ["job-2"]
    # A refunded job may never start reading afterwards.
    assert not ledger.mark_data_read("job-1")
    assert ledger.refund("job-unknown", "nothing") is None


def test_a_spend_records_its_events_and_both_accountants(ledger):
    events = ({"kind": "gaussian", "purpose": "MST 1-way marginals", "scale": 3.0},)
    ledger.spend(
        "census",
        0.9,
        1e-7,
        job_id="job-1",
        principal="alice",
        n_rows=ROWS,
        events=events,
        pld_epsilon=0.85,
        rdp_epsilon=0.9,
    )

    (spend,), _ = ledger.list_spends("census")

    assert spend.events == events
    assert (spend.pld_epsilon, spend.rdp_epsilon, spend.epsilon) == (0.85, 0.9, 0.9)


@pytest.mark.parametrize(
    ("epsilon", "delta", "field"),
    [
        (0.0, 1e-7, "epsilon"),
        (-1.0, 1e-7, "epsilon"),
        (float("nan"), 1e-7, "epsilon"),
        (float("inf"), 1e-7, "epsilon"),
        (1e308, 1e-7, "epsilon"),
        (50.5, 1e-7, "epsilon"),
        (1.0, float("nan"), "delta"),
        (1.0, 1e-300, "delta"),
        (1.0, 0.0, "delta"),
        (1.0, -1e-7, "delta"),
        (1.0, 1.0 / ROWS, "delta"),
        (1.0, 0.5, "delta"),
    ],
)
def test_invalid_spends_name_the_field(ledger, epsilon, delta, field):
    with pytest.raises(InvalidInput) as rejected:
        _spend(ledger, epsilon, "job-1", delta=delta)

    assert rejected.value.violations[0].field == field
    assert ledger.get_budget("census").spent_epsilon == 0.0


def test_invalid_budget_and_ids_are_rejected(ledger):
    with pytest.raises(InvalidInput) as rejected:
        ledger.set_budget("census", 0.0, 1e-5, principal="admin")
    assert rejected.value.violations[0].field == "total_epsilon"
    with pytest.raises(InvalidInput) as rejected:
        ledger.set_budget("census", 1.0, 1.0, principal="admin")
    assert rejected.value.violations[0].field == "total_delta"
    for huge in (float("inf"), 1e308, float("nan")):
        with pytest.raises(InvalidInput) as rejected:
            ledger.set_budget("census", huge, 1e-5, principal="admin")
        assert rejected.value.violations[0].field == "total_epsilon"
    with pytest.raises(InvalidInput) as rejected:
        ledger.spend("", 1.0, 1e-7, job_id="j", principal="a", n_rows=ROWS)
    assert rejected.value.violations[0].field == "dataset_id"
    with pytest.raises(InvalidInput) as rejected:
        ledger.list_spends("census", page_token="not-a-token")
    assert rejected.value.violations[0].field == "page_token"


def test_list_spends_pages(ledger):
    for index in range(5):
        _spend(ledger, 0.1, f"job-{index}")

    first, token = ledger.list_spends("census", page_size=2)
    second, token2 = ledger.list_spends("census", page_size=2, page_token=token)
    third, token3 = ledger.list_spends("census", page_size=2, page_token=token2)

    assert [s.job_id for s in first + second + third] == [f"job-{i}" for i in range(5)]
    assert token3 == ""


def test_fifty_concurrent_spends_of_one_against_three_leave_exactly_three(ledger):
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(50)

    def request(index: int) -> None:
        start.wait()
        try:
            _spend(ledger, 1.0, f"job-{index}")
            outcome = "spent"
        except BudgetExhausted:
            outcome = "refused"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    spends, _ = ledger.list_spends("census")
    assert sorted(outcomes).count("spent") == 3
    assert outcomes.count("refused") == 47
    assert len(spends) == 3
    assert ledger.get_budget("census").spent_epsilon == 3.0


def test_the_migration_creates_the_tables_the_ledger_defines(tmp_path):
    engine = create_platform_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    migrate(engine, [MIGRATIONS])
    inspector = sa.inspect(engine)

    for table in (LEDGER_TABLES.budgets, LEDGER_TABLES.spends):
        migrated = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name: c.nullable for c in table.columns}
    ledger = BudgetLedger(engine, default_epsilon=2.0, default_delta=1e-5)
    _spend(ledger, 1.5, "job-1")
    assert ledger.get_budget("census").remaining_epsilon == pytest.approx(0.5)
    engine.dispose()


def test_spends_from_before_the_refund_revision_count_as_read_and_are_never_refunded(tmp_path):
    engine = create_platform_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection, MIGRATIONS), "privacy_0002")
        connection.execute(
            sa.text("INSERT INTO privacy_budgets VALUES ('census', 3.0, 1e-5, NULL, :now);"),
            {"now": "2026-11-30 10:00:00"},
        )
        connection.execute(
            sa.text(
                "INSERT INTO privacy_spends VALUES ('s1', 'census', 1.0, 1e-7, 'job-old', NULL, "
                "'user:alice', :now)"
            ),
            {"now": "2026-11-30 10:00:00"},
        )

    migrate(engine, [MIGRATIONS])

    ledger = BudgetLedger(engine, default_epsilon=3.0, default_delta=1e-5)
    assert ledger.unread_spends("census") == []
    assert ledger.refund("job-old", "cancelled").refund is None
    assert ledger.get_budget("census").spent_epsilon == 1.0
    engine.dispose()
