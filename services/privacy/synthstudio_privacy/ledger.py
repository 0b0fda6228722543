"""The privacy budget ledger: per-dataset (epsilon, delta) budgets and an append-only spend log.

A spend is recorded BEFORE training reads the data, in one transaction that holds the dataset's
budget row locked while it checks what is left and inserts the spend: `SELECT ... FOR UPDATE`
on PostgreSQL, `BEGIN IMMEDIATE` (SQLite's single writer lock) on SQLite. Concurrent spends are
therefore serialised and the total is never exceeded. Spends are never deleted or changed.
A spend records its mechanism events and the epsilon dp-accounting's PLD and RDP accountants
give them. The job marks its spend when it first reads the data (`mark_data_read`); a spend
never marked may be refunded (`refund`: a row in `privacy_refunds`, never a deletion), and a
marked one never is, so epsilon spent on a job that read rows stays spent whatever happens to
the job. Budgets compose basically: spent epsilon and delta are the sums over the dataset's
spends that have no refund.
"""

from __future__ import annotations

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
from synthstudio_libs.storage.util import read_page
from synthstudio_privacy.accounting import validate_privacy_target

# Sums of float spends may differ from the total by rounding; a spend that overshoots by less
# than this (relative) is still allowed.
_ROUNDING_TOLERANCE = 1e-9
# A dataset's total budget: many spends of at most MAX_EPSILON each, but finite and bounded.
MAX_BUDGET_EPSILON = 1000.0
_SUPPORTED_DIALECTS = ("postgresql", "sqlite")

metadata = sa.MetaData()
# The ledger's Alembic history (register as the `privacy` entry of `synthstudio.migrations`).
MIGRATIONS = Component("privacy", Path(__file__).parent / "migrations")


@dataclass(frozen=True)
class LedgerTables:
    """The ledger's tables on one MetaData (prefix the names to isolate, e.g. in tests)."""

    budgets: sa.Table
    spends: sa.Table
    refunds: sa.Table


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
        sa.Column("events", sa.JSON, nullable=True),
        sa.Column("pld_epsilon", sa.Float, nullable=True),
        sa.Column("rdp_epsilon", sa.Float, nullable=True),
        sa.Column("data_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index(f"{prefix}ix_privacy_spends_dataset_created", "dataset_id", "created_at"),
    )
    refunds = sa.Table(
        f"{prefix}privacy_refunds",
        target,
        sa.Column("spend_id", sa.String(32), sa.ForeignKey(spends.c.spend_id), primary_key=True),
        sa.Column("dataset_id", sa.String(128), nullable=False),
        sa.Column("reason", sa.String(512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Index(f"{prefix}ix_privacy_refunds_dataset", "dataset_id"),
    )
    return LedgerTables(budgets=budgets, spends=spends, refunds=refunds)


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
class Refund:
    """A spend returned because its job never read the data, and why."""

    reason: str
    created_at: datetime


@dataclass(frozen=True)
class Spend:
    """One recorded spend (never deleted): what was charged, the mechanism events it pays for
    and the epsilon of each of dp-accounting's accountants, and its refund if it has one."""

    spend_id: str
    dataset_id: str
    epsilon: float
    delta: float
    job_id: str
    synthesizer_id: str | None
    principal: str
    created_at: datetime
    events: tuple[dict, ...] = ()
    pld_epsilon: float | None = None
    rdp_epsilon: float | None = None
    data_read_at: datetime | None = None
    refund: Refund | None = None


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
            self.engine, tables=[self.tables.budgets, self.tables.spends, self.tables.refunds]
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
        events: tuple[dict, ...] = (),
        pld_epsilon: float | None = None,
        rdp_epsilon: float | None = None,
    ) -> Spend:
        """Record a spend of (epsilon, delta) on a dataset of `n_rows` rows, atomically, with
        the mechanism events it pays for and their epsilon by each accountant.

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
                events=tuple(events),
                pld_epsilon=pld_epsilon,
                rdp_epsilon=rdp_epsilon,
            )
            row = {name: value for name, value in spend.__dict__.items() if name != "refund"}
            row["events"] = list(spend.events)
            try:
                connection.execute(self.tables.spends.insert().values(**row))
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
        spends = self.tables.spends
        query = (
            self._spends_with_refunds()
            .where(spends.c.dataset_id == dataset_id)
            .order_by(spends.c.created_at, spends.c.spend_id)
        )
        with self.engine.connect() as connection:
            rows, next_token = read_page(connection, query, page_size, page_token)
        return [_spend_from_row(row._mapping) for row in rows], next_token

    def spend_of_job(self, job_id: str) -> Spend | None:
        """The spend a job recorded, if any (a training job refuses to read data without one)."""
        _validate_id(job_id, "job_id")
        spends = self.tables.spends
        with self.engine.connect() as connection:
            row = (
                connection.execute(self._spends_with_refunds().where(spends.c.job_id == job_id))
                .mappings()
                .first()
            )
        return None if row is None else _spend_from_row(row)

    def unread_spends(self, dataset_id: str) -> list[Spend]:
        """The dataset's spends whose job has not read the data and that have no refund."""
        _validate_id(dataset_id, "dataset_id")
        spends, refunds = self.tables.spends, self.tables.refunds
        query = self._spends_with_refunds().where(
            spends.c.dataset_id == dataset_id,
            spends.c.data_read_at.is_(None),
            refunds.c.spend_id.is_(None),
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [_spend_from_row(row) for row in rows]

    def mark_data_read(self, job_id: str) -> bool:
        """Record that the job is about to read the data: from now on its spend is never
        refunded. False when the spend was refunded (the job must then not read the data)."""
        _validate_id(job_id, "job_id")
        spend = self.spend_of_job(job_id)
        if spend is None:
            return False
        with self._locked_budget(spend.dataset_id) as connection:
            if self._refund_of(connection, spend.spend_id) is not None:
                return False
            spends = self.tables.spends
            connection.execute(
                spends.update()
                .where(spends.c.spend_id == spend.spend_id, spends.c.data_read_at.is_(None))
                .values(data_read_at=_now())
            )
        return True

    def refund(self, job_id: str, reason: str) -> Spend | None:
        """Refund the job's spend if its job never read the data; returns the spend as it now
        stands (None when the job has no spend). A spend whose data was read stays spent; a
        second refund of the same spend changes nothing."""
        _validate_id(job_id, "job_id")
        spend = self.spend_of_job(job_id)
        if spend is None:
            return None
        with self._locked_budget(spend.dataset_id) as connection:
            spends = self.tables.spends
            read = connection.execute(
                sa.select(spends.c.data_read_at).where(spends.c.spend_id == spend.spend_id)
            ).scalar_one()
            if read is None and self._refund_of(connection, spend.spend_id) is None:
                connection.execute(
                    self.tables.refunds.insert().values(
                        spend_id=spend.spend_id,
                        dataset_id=spend.dataset_id,
                        reason=reason[:512],
                        created_at=_now(),
                    )
                )
        return self.spend_of_job(job_id)

    def _refund_of(self, connection: Connection, spend_id: str):
        refunds = self.tables.refunds
        return connection.execute(
            sa.select(refunds.c.spend_id).where(refunds.c.spend_id == spend_id)
        ).first()

    def _spends_with_refunds(self) -> sa.Select:
        spends, refunds = self.tables.spends, self.tables.refunds
        return sa.select(
            spends,
            refunds.c.reason.label("refund_reason"),
            refunds.c.created_at.label("refund_time"),
        ).select_from(spends.outerjoin(refunds, refunds.c.spend_id == spends.c.spend_id))

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
        spends, refunds = self.tables.spends, self.tables.refunds
        rows = connection.execute(
            sa.select(spends.c.epsilon, spends.c.delta)
            .select_from(spends.outerjoin(refunds, refunds.c.spend_id == spends.c.spend_id))
            .where(spends.c.dataset_id == dataset_id, refunds.c.spend_id.is_(None))
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


def _utc(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def _spend_from_row(row) -> Spend:
    created_at = _utc(row["created_at"])
    refund = None
    if row["refund_time"] is not None:
        refund = Refund(reason=row["refund_reason"], created_at=_utc(row["refund_time"]))
    return Spend(
        spend_id=row["spend_id"],
        dataset_id=row["dataset_id"],
        epsilon=row["epsilon"],
        delta=row["delta"],
        job_id=row["job_id"],
        synthesizer_id=row["synthesizer_id"],
        principal=row["principal"],
        created_at=created_at,
        events=tuple(row["events"] or ()),
        pld_epsilon=row["pld_epsilon"],
        rdp_epsilon=row["rdp_epsilon"],
        data_read_at=_utc(row["data_read_at"]),
        refund=refund,
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
