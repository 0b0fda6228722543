"""The privacy budget ledger: per-dataset (epsilon, delta) budgets and an append-only spend log.

A spend is recorded BEFORE training reads the data, in one transaction that holds the dataset's
budget row locked while it checks what is left and inserts the spend: `SELECT ... FOR UPDATE`
on PostgreSQL, `BEGIN IMMEDIATE` (SQLite's single writer lock) on SQLite. Concurrent spends are
therefore serialised and the total is never exceeded. Spends are never deleted or reduced:
epsilon spent on a job that later fails or is cancelled stays spent. Budgets compose basically:
spent epsilon and delta are the sums over the dataset's spends.
"""

from __future__ import annotations

import base64
import math
import numbers
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from synthstudio_libs.errors import (
    AlreadyExists,
    BudgetExhausted,
    FailedPrecondition,
    InvalidInput,
)
from synthstudio_libs.storage.database import Component, locked_transaction
from synthstudio_privacy.accounting import validate_privacy_target

# Sums of float spends may differ from the total by rounding; a spend that overshoots by less
# than this (relative) is still allowed.
_ROUNDING_TOLERANCE = 1e-9
_MAX_PAGE_SIZE = 1000
# A dataset's total budget: many spends of at most MAX_EPSILON each, but finite and bounded.
MAX_BUDGET_EPSILON = 1000.0
_SUPPORTED_DIALECTS = ("postgresql", "sqlite")

metadata = sa.MetaData()
# The ledger's Alembic history (register as the `privacy` entry of `synthstudio.migrations`).
MIGRATIONS = Component("privacy", Path(__file__).parent / "migrations")


@dataclass(frozen=True)
class LedgerTables:
    """The ledger's two tables on one MetaData (prefix the names to isolate, e.g. in tests)."""

    budgets: sa.Table
    spends: sa.Table


def define_ledger_tables(target: sa.MetaData, prefix: str = "") -> LedgerTables:
    """Define the ledger tables on `target`; `prefix` is prepended to table and index names."""
    budgets = sa.Table(
        f"{prefix}privacy_budgets",
        target,
        sa.Column("dataset_id", sa.String(128), primary_key=True),
        sa.Column("total_epsilon", sa.Float, nullable=False),
        sa.Column("total_delta", sa.Float, nullable=False),
        sa.Column("updated_by", sa.String(256), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    spends = sa.Table(
        f"{prefix}privacy_spends",
        target,
        sa.Column("spend_id", sa.String(32), primary_key=True),
        sa.Column(
            "dataset_id",
            sa.String(128),
            sa.ForeignKey(budgets.c.dataset_id),
            nullable=False,
        ),
        sa.Column("epsilon", sa.Float, nullable=False),
        sa.Column("delta", sa.Float, nullable=False),
        sa.Column("job_id", sa.String(128), nullable=False, unique=True),
        sa.Column("synthesizer_id", sa.String(128), nullable=True),
        sa.Column("principal", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index(f"{prefix}ix_privacy_spends_dataset_created", "dataset_id", "created_at"),
    )
    return LedgerTables(budgets=budgets, spends=spends)


LEDGER_TABLES = define_ledger_tables(metadata)


@dataclass(frozen=True)
class Budget:
    """A dataset's budget and what has been spent from it."""

    dataset_id: str
    total_epsilon: float
    total_delta: float
    spent_epsilon: float
    spent_delta: float
    is_default: bool

    @property
    def remaining_epsilon(self) -> float:
        return max(self.total_epsilon - self.spent_epsilon, 0.0)

    @property
    def remaining_delta(self) -> float:
        return max(self.total_delta - self.spent_delta, 0.0)


@dataclass(frozen=True)
class Spend:
    """One recorded spend (never deleted)."""

    spend_id: str
    dataset_id: str
    epsilon: float
    delta: float
    job_id: str
    synthesizer_id: str | None
    principal: str
    created_at: datetime


class BudgetLedger:
    """Budgets and spends on a SQLAlchemy engine (PostgreSQL or SQLite).

    A dataset without a budget row has the default budget given here (from settings); the row
    is written on its first spend or when an administrator sets it.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        default_epsilon: float,
        default_delta: float,
        tables: LedgerTables = LEDGER_TABLES,
    ) -> None:
        if engine.dialect.name not in _SUPPORTED_DIALECTS:
            raise FailedPrecondition(
                f"The budget ledger needs PostgreSQL or SQLite for its row locks, not "
                f"{engine.dialect.name}; set SYNTHSTUDIO_DATABASE_URL to one of them.",
                metadata={"dialect": engine.dialect.name},
            )
        _validate_budget(default_epsilon, default_delta, prefix="default_")
        self.engine = engine
        self.default_epsilon = float(default_epsilon)
        self.default_delta = float(default_delta)
        self.tables = tables

    def create_tables(self) -> None:
        """Create the ledger tables if missing (deployments use the migrations instead)."""
        self.tables.budgets.metadata.create_all(
            self.engine, tables=[self.tables.budgets, self.tables.spends]
        )

    def get_budget(self, dataset_id: str) -> Budget:
        """The dataset's budget, spent and remaining amounts (the default if never set)."""
        _validate_id(dataset_id, "dataset_id")
        with self.engine.connect() as connection:
            return self._read_budget(connection, dataset_id)

    def set_budget(
        self, dataset_id: str, total_epsilon: float, total_delta: float, *, principal: str
    ) -> Budget:
        """Set a dataset's total budget (an administrator's action).

        Raises InvalidInput for a non-positive epsilon or a delta outside (0, 1), and
        FailedPrecondition when the new total is below what has already been spent.
        """
        _validate_id(dataset_id, "dataset_id")
        _validate_id(principal, "principal")
        _validate_budget(total_epsilon, total_delta, prefix="total_")
        with self._locked_budget(dataset_id) as connection:
            spent_epsilon, spent_delta = self._spent(connection, dataset_id)
            if total_epsilon < spent_epsilon or total_delta < spent_delta:
                raise FailedPrecondition(
                    f"Dataset {dataset_id!r} has already spent epsilon={spent_epsilon:.6g}, "
                    f"delta={spent_delta:.3g}; its budget cannot be set below that.",
                    metadata={
                        "dataset_id": dataset_id,
                        "spent_epsilon": spent_epsilon,
                        "spent_delta": spent_delta,
                    },
                )
            connection.execute(
                self.tables.budgets.update()
                .where(self.tables.budgets.c.dataset_id == dataset_id)
                .values(
                    total_epsilon=float(total_epsilon),
                    total_delta=float(total_delta),
                    updated_by=principal,
                    updated_at=_now(),
                )
            )
            return self._read_budget(connection, dataset_id)

    def spend(
        self,
        dataset_id: str,
        epsilon: float,
        delta: float,
        *,
        job_id: str,
        principal: str,
        n_rows: int,
        synthesizer_id: str | None = None,
    ) -> Spend:
        """Record a spend of (epsilon, delta) on a dataset of `n_rows` rows, atomically.

        Raises InvalidInput (naming the field) for epsilon <= 0 or delta outside (0, 1/n),
        BudgetExhausted saying what is left when the spend would exceed the budget, and
        AlreadyExists when the job has spent already.
        """
        _validate_id(dataset_id, "dataset_id")
        _validate_id(job_id, "job_id")
        _validate_id(principal, "principal")
        validate_privacy_target(epsilon, delta, n_rows)
        with self._locked_budget(dataset_id) as connection:
            budget = self._read_budget(connection, dataset_id)
            self._refuse_if_exhausted(budget, epsilon, delta)
            spend = Spend(
                spend_id=uuid.uuid4().hex,
                dataset_id=dataset_id,
                epsilon=float(epsilon),
                delta=float(delta),
                job_id=job_id,
                synthesizer_id=synthesizer_id,
                principal=principal,
                created_at=_now(),
            )
            try:
                connection.execute(self.tables.spends.insert().values(**spend.__dict__))
            except sa.exc.IntegrityError as error:
                # The only unique column besides the generated id; the transaction rolls back.
                raise AlreadyExists(
                    f"Job {job_id!r} has already recorded a privacy spend; a job spends once.",
                    metadata={"job_id": job_id},
                ) from error
            return spend

    def list_spends(
        self, dataset_id: str, *, page_size: int = 100, page_token: str = ""
    ) -> tuple[list[Spend], str]:
        """The dataset's spends, oldest first, a page at a time; returns (spends, next token),
        the token empty on the last page."""
        _validate_id(dataset_id, "dataset_id")
        if not isinstance(page_size, int) or not 1 <= page_size <= _MAX_PAGE_SIZE:
            raise InvalidInput(
                f"page_size must be from 1 to {_MAX_PAGE_SIZE}, got {page_size}.",
                field="page_size",
                metadata={"page_size": page_size},
            )
        offset = _decode_page_token(page_token)
        spends = self.tables.spends
        query = (
            sa.select(spends)
            .where(spends.c.dataset_id == dataset_id)
            .order_by(spends.c.created_at, spends.c.spend_id)
            .offset(offset)
            .limit(page_size + 1)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        found = [_spend_from_row(row) for row in rows[:page_size]]
        has_more = len(rows) > page_size
        return found, _encode_page_token(offset + page_size) if has_more else ""

    def spend_of_job(self, job_id: str) -> Spend | None:
        """The spend a job recorded, if any (a training job refuses to read data without one)."""
        _validate_id(job_id, "job_id")
        spends = self.tables.spends
        with self.engine.connect() as connection:
            row = (
                connection.execute(sa.select(spends).where(spends.c.job_id == job_id))
                .mappings()
                .first()
            )
        return None if row is None else _spend_from_row(row)

    @contextmanager
    def _locked_budget(self, dataset_id: str) -> Iterator[Connection]:
        """A transaction holding the dataset's budget row (created with the default if
        missing) locked against other writers until it commits."""
        # `locked_transaction` begins IMMEDIATE on the platform's SQLite engine; on any other
        # SQLite engine `_take_sqlite_write_lock` does it.
        with locked_transaction(self.engine) as connection:
            if self.engine.dialect.name == "sqlite":
                _take_sqlite_write_lock(connection)
                self._ensure_budget_row(connection, dataset_id, sqlite.insert)
            else:
                self._ensure_budget_row(connection, dataset_id, postgresql.insert)
                budgets = self.tables.budgets
                connection.execute(
                    sa.select(budgets.c.dataset_id)
                    .where(budgets.c.dataset_id == dataset_id)
                    .with_for_update()
                )
            yield connection

    def _ensure_budget_row(self, connection: Connection, dataset_id: str, insert) -> None:
        statement = (
            insert(self.tables.budgets)
            .values(
                dataset_id=dataset_id,
                total_epsilon=self.default_epsilon,
                total_delta=self.default_delta,
                updated_by=None,
                updated_at=_now(),
            )
            .on_conflict_do_nothing(index_elements=["dataset_id"])
        )
        connection.execute(statement)

    def _read_budget(self, connection: Connection, dataset_id: str) -> Budget:
        budgets = self.tables.budgets
        row = (
            connection.execute(sa.select(budgets).where(budgets.c.dataset_id == dataset_id))
            .mappings()
            .first()
        )
        spent_epsilon, spent_delta = self._spent(connection, dataset_id)
        if row is None:
            return Budget(
                dataset_id=dataset_id,
                total_epsilon=self.default_epsilon,
                total_delta=self.default_delta,
                spent_epsilon=spent_epsilon,
                spent_delta=spent_delta,
                is_default=True,
            )
        return Budget(
            dataset_id=dataset_id,
            total_epsilon=row["total_epsilon"],
            total_delta=row["total_delta"],
            spent_epsilon=spent_epsilon,
            spent_delta=spent_delta,
            is_default=row["updated_by"] is None,
        )

    def _spent(self, connection: Connection, dataset_id: str) -> tuple[float, float]:
        spends = self.tables.spends
        rows = connection.execute(
            sa.select(spends.c.epsilon, spends.c.delta).where(spends.c.dataset_id == dataset_id)
        ).all()
        return math.fsum(r.epsilon for r in rows), math.fsum(r.delta for r in rows)

    @staticmethod
    def _refuse_if_exhausted(budget: Budget, epsilon: float, delta: float) -> None:
        over_epsilon = budget.spent_epsilon + epsilon > budget.total_epsilon * (
            1 + _ROUNDING_TOLERANCE
        )
        over_delta = budget.spent_delta + delta > budget.total_delta * (1 + _ROUNDING_TOLERANCE)
        if not (over_epsilon or over_delta):
            return
        what = "epsilon" if over_epsilon else "delta"
        raise BudgetExhausted(
            f"Spending epsilon={epsilon:.6g}, delta={delta:.3g} would exceed the privacy "
            f"budget of dataset {budget.dataset_id!r} ({what} runs out): "
            f"epsilon {budget.remaining_epsilon:.6g} of {budget.total_epsilon:.6g} and "
            f"delta {budget.remaining_delta:.3g} of {budget.total_delta:.3g} are left. "
            "Request at most what is left, or ask an administrator to raise the budget.",
            metadata={
                "dataset_id": budget.dataset_id,
                "requested_epsilon": epsilon,
                "requested_delta": delta,
                "remaining_epsilon": budget.remaining_epsilon,
                "remaining_delta": budget.remaining_delta,
                "total_epsilon": budget.total_epsilon,
                "total_delta": budget.total_delta,
            },
        )


def _take_sqlite_write_lock(connection: Connection) -> None:
    """Start the transaction with BEGIN IMMEDIATE, which takes SQLite's single write lock up
    front, so two spends never both read the old total. The platform's own SQLite engine has
    begun the transaction that way already (`locked_transaction`); pysqlite left to itself
    would only BEGIN (deferred) before the first write."""
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _spend_from_row(row) -> Spend:
    created_at = row["created_at"]
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return Spend(
        spend_id=row["spend_id"],
        dataset_id=row["dataset_id"],
        epsilon=row["epsilon"],
        delta=row["delta"],
        job_id=row["job_id"],
        synthesizer_id=row["synthesizer_id"],
        principal=row["principal"],
        created_at=created_at,
    )


def _validate_id(value: object, field: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 128:
        raise InvalidInput(
            f"{field} must be a non-empty string of at most 128 characters, got {value!r}.",
            field=field,
            metadata={field: value},
        )


def _validate_budget(epsilon: float, delta: float, *, prefix: str) -> None:
    if not (isinstance(epsilon, numbers.Real) and 0 < epsilon <= MAX_BUDGET_EPSILON):
        raise InvalidInput(
            f"{prefix}epsilon must be greater than 0 and at most {MAX_BUDGET_EPSILON:g}, got "
            f"{epsilon}.",
            field=f"{prefix}epsilon",
            metadata={f"{prefix}epsilon": epsilon, "max_epsilon": MAX_BUDGET_EPSILON},
        )
    if not (isinstance(delta, numbers.Real) and 0 < delta < 1):
        raise InvalidInput(
            f"{prefix}delta must be greater than 0 and less than 1, got {delta}.",
            field=f"{prefix}delta",
            metadata={f"{prefix}delta": delta},
        )


def _now() -> datetime:
    return datetime.now(UTC)


def _encode_page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_page_token(token: str) -> int:
    if not token:
        return 0
    try:
        kind, value = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(
            "page_token is not a token this service issued; pass the next_page_token of the "
            "previous page, or an empty string for the first page.",
            field="page_token",
        ) from error
    if kind != "offset" or offset < 0:
        raise InvalidInput("page_token is not valid.", field="page_token")
    return offset
