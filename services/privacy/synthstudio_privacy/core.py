"""The privacy service's operations: budgets, DP training jobs, DP synthesizers and their samples.

Training a DP synthesizer, in order:
1. `start_training` (in the RPC): reads the dataset's description (never its rows), builds the
   public schema, validates the request and calibrates the noise (`plan_dp_training`); an
   invalid request stops here and spends nothing.
2. It creates the job row, records the spend in the ledger for that job (refused, saying what
   is left, when the budget would be exceeded; the job is then marked failed and never runs),
   writes an audit event, and only then hands the job to the executor. The spend charges the
   larger of the epsilons dp-accounting's PLD and RDP accountants give the plan's events.
3. `run_training` (the job): refuses to run without the job's recorded spend, marks the spend
   as having read the data, reads the rows, trains, seals and stores the model, and records the
   synthesizer. From that mark on, the spend is never returned, whatever happens to the job.
   A job that ends before it (cancelled while queued, failed by the reaper before it started,
   never queued) gets its spend refunded (`_refund_unread`).

torch and Opacus are imported only where training, sampling or accounting need them, so the
service (and the migration tool, which loads the ledger) starts without them.
"""

from __future__ import annotations

import collections
import hashlib
import io
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from opentelemetry import trace

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth.audit import AuditLog
from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.auth.projects import require_access, visible_projects
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound, SynthStudioError
from synthstudio_libs.jobs.runner import JobContext, JobHandler, JobQueue, job_error
from synthstudio_libs.jobs.store import Job, JobError
from synthstudio_libs.metrics import record_epsilon_spent
from synthstudio_libs.release_guard import ReleaseGuard
from synthstudio_libs.storage.util import new_id, utcnow
from synthstudio_privacy.accounting import PrivacyGuarantee, account_events
from synthstudio_privacy.ledger import Budget, BudgetLedger, Spend
from synthstudio_privacy.planning import DPTrainingPlan, plan_dp_training
from synthstudio_privacy.requests import DpTrainingRequest, schema_for_table
from synthstudio_privacy.sealing import associated_data, seal, unseal
from synthstudio_privacy.storage import (
    DpSynthesizerRecord,
    DpSynthesizerRepository,
    missing_synthesizer,
)

if TYPE_CHECKING:
    from synthstudio_privacy.synthesizer import DPSynthesizer, MarginalSynthesizer

log = logging.getLogger(__name__)

TRAIN_JOB = "privacy.train_dp_synthesizer"
SPEND_ACTION = "privacy.spend"
# A sample is streamed in chunks of at most this many bytes.
CHUNK_BYTES = 1 << 20
# Rows sampled (and written as one Parquet row group) at a time, which bounds memory.
SAMPLE_BATCH_ROWS = 100_000
MAX_SAMPLE_ROWS = 10_000_000
SAMPLE_TABLE = "table"
# A recomputed epsilon within this relative difference confirms the reported one.
VERIFY_TOLERANCE = 0.01
DEFAULT_SPENDS_PAGE = 100
_MODEL_CACHE_SIZE = 4


@dataclass(frozen=True)
class Verification:
    """A stored guarantee's events recomputed with dp-accounting's PLD and RDP accountants;
    `recomputed_epsilon` is the larger, as charged."""

    synthesizer_id: str
    reported_epsilon: float
    recomputed_epsilon: float
    relative_difference: float
    guarantee: PrivacyGuarantee
    pld_epsilon: float
    rdp_epsilon: float

    @property
    def consistent(self) -> bool:
        return self.relative_difference <= VERIFY_TOLERANCE


class PrivacyCore:
    """Budgets (the ledger), DP training as jobs, and the DP synthesizers it produces."""

    def __init__(
        self,
        *,
        ledger: BudgetLedger,
        repository: DpSynthesizerRepository,
        artifacts: ArtifactStore,
        datasets: DatasetClient,
        queue: JobQueue,
        audit: AuditLog,
        model_key: bytes,
        releases: ReleaseGuard,
    ) -> None:
        self._releases = releases
        self._ledger = ledger
        self._repository = repository
        self._artifacts = artifacts
        self._datasets = datasets
        self._queue = queue
        self._audit = audit
        self._model_key = model_key
        self._models: collections.OrderedDict[str, DPSynthesizer | MarginalSynthesizer] = (
            collections.OrderedDict()
        )
        self._models_lock = threading.Lock()

    # -- budgets ------------------------------------------------------------------------------

    def get_budget(self, dataset_id: str) -> Budget:
        """A dataset's budget and what is spent (NotFound for an unknown dataset)."""
        self._datasets.get(dataset_id)
        self._refund_unread(dataset_id)
        return self._ledger.get_budget(dataset_id)

    def _refund_unread(self, dataset_id: str) -> None:
        """Refund the spends of the dataset's jobs that ended without reading a row."""
        for spend in self._ledger.unread_spends(dataset_id):
            try:
                job = self._queue.get(spend.job_id)
            except NotFound:
                # A job row that no longer exists says nothing about what it read: keep it.
                continue
            if job.state.is_final:
                why = f": {job.error.reason}" if job.error else ""
                self._ledger.refund(
                    spend.job_id,
                    f"job {job.state.value.lower()}{why} before reading any row",
                )

    def set_budget(self, dataset_id: str, epsilon_total: float, delta_total: float) -> Budget:
        """Set a dataset's total budget (the RPC admits administrators only)."""
        self._datasets.get(dataset_id)
        return self._ledger.set_budget(
            dataset_id, epsilon_total, delta_total, principal=current_principal().id
        )

    def list_spends(
        self, dataset_id: str, page_size: int = 0, page_token: str = ""
    ) -> tuple[list[Spend], str]:
        """A dataset's spends, oldest first, for members of its project. Spends outlive their
        dataset, so a deleted dataset's record can still be read (its project is then its
        spends' jobs')."""
        self._check_spends_visible(dataset_id)
        self._refund_unread(dataset_id)
        return self._ledger.list_spends(
            dataset_id, page_size=page_size or DEFAULT_SPENDS_PAGE, page_token=page_token
        )

    def _check_spends_visible(self, dataset_id: str) -> None:
        try:
            self._datasets.get(dataset_id)
            return
        except NotFound as missing:
            hidden = missing
        spent, _token = self._ledger.list_spends(dataset_id, page_size=1)
        if not spent:
            raise hidden
        require_access(self._queue.get(spent[0].job_id).project, Role.VIEWER, not_found=hidden)

    # -- training -----------------------------------------------------------------------------

    def start_training(self, request: DpTrainingRequest) -> Job:
        """Validate, spend, and start the training job (see the module's docstring)."""
        dataset = self._datasets.get(request.dataset_id)
        require_access(dataset.project, Role.EDITOR)
        table = _pick_table(dataset, request.table)
        schema = schema_for_table(
            [(column.name, column.data_type) for column in table.columns],
            request.columns,
            exclude_unlisted=request.exclude_unlisted,
            exclude_columns=request.exclude_columns,
        )
        plan = plan_dp_training(request.config(), schema, int(table.row_count))
        synthesizer_id = new_id("dps")
        display_name = request.display_name or (
            f"{plan.config.kind.value} of {dataset.display_name or dataset.id}"
        )
        principal = current_principal()
        job = self._queue.reserve(
            TRAIN_JOB,
            {
                "synthesizer_id": synthesizer_id,
                "dataset_id": request.dataset_id,
                "table": table.name,
                "display_name": display_name,
                "plan": plan.to_dict(),
                "requested_kind": request.kind.value if request.kind else "",
            },
            resource=f"datasets/{request.dataset_id}",
            project=dataset.project,
        )
        events = plan.events()
        epsilons = account_events(events, plan.delta)
        self._refund_unread(request.dataset_id)
        try:
            spend = self._ledger.spend(
                request.dataset_id,
                epsilons.charged,
                plan.delta,
                job_id=job.id,
                principal=principal.id,
                n_rows=plan.n_rows,
                synthesizer_id=synthesizer_id,
                events=tuple(event.to_dict() for event in events),
                pld_epsilon=epsilons.pld,
                rdp_epsilon=epsilons.rdp,
            )
        except SynthStudioError as error:
            # The job never runs: it ends failed with the reason the spend was refused.
            self._queue.fail(job.id, job_error(error))
            raise
        except Exception:
            self._queue.fail(job.id, _crashed())
            raise
        self._after_spend(spend)
        try:
            self._queue.submit(job)
        except Exception:
            self._queue.fail(job.id, _not_queued())
            self._ledger.refund(job.id, "the job could not be queued")
            raise
        return self._queue.get(job.id)

    def _after_spend(self, spend: Spend) -> None:
        """Metrics and the spend's audit event. The spend stands whatever happens here (it is
        in the ledger), so a failure is logged loudly rather than failing the request."""
        principal = current_principal()
        try:
            budget = self._ledger.get_budget(spend.dataset_id)
            record_epsilon_spent(
                spend.epsilon,
                dataset_id=spend.dataset_id,
                spent_total=budget.spent_epsilon,
                budget=budget.total_epsilon,
            )
            self._audit.append(
                principal=principal.id,
                role=principal.role.value,
                action=SPEND_ACTION,
                resource=f"dataset/{spend.dataset_id}",
                trace_id=_trace_id(),
                details={
                    "spend_id": spend.spend_id,
                    "epsilon": spend.epsilon,
                    "delta": spend.delta,
                    "job_id": spend.job_id,
                    "synthesizer_id": spend.synthesizer_id or "",
                    "epsilon_remaining": budget.remaining_epsilon,
                    "delta_remaining": budget.remaining_delta,
                },
            )
        except Exception:
            log.exception(
                "could not record the metrics and audit event of spend %s", spend.spend_id
            )

    def run_training(self, context: JobContext) -> dict[str, Any]:
        """The training job's handler; returns the job's result."""
        params = context.job.params
        spend = self._ledger.spend_of_job(context.job.id)
        if spend is None:
            raise FailedPrecondition(
                f"job '{context.job.id}' has no privacy spend recorded, so it may not read the "
                "data; start the training again with TrainDpSynthesizer",
                reason="NO_SPEND_RECORDED",
                metadata={"job_id": context.job.id},
            )
        if not self._ledger.mark_data_read(context.job.id):
            raise FailedPrecondition(
                f"job '{context.job.id}' had its privacy spend refunded, so it may not read "
                "the data; start the training again with TrainDpSynthesizer",
                reason="SPEND_REFUNDED",
                metadata={"job_id": context.job.id},
            )
        plan = DPTrainingPlan.from_dict(params["plan"])
        synthesizer_id, dataset_id, table = (
            params["synthesizer_id"],
            params["dataset_id"],
            params["table"],
        )
        progress = context.progress
        progress.update(0.0, "reading the dataset", epsilon_spent=0.0)
        frame = self._datasets.read_arrow(dataset_id, table)[table].to_pandas()

        from synthstudio_privacy.preprocessing import preprocessing_warnings
        from synthstudio_privacy.synthesizer import train_dp_synthesizer

        _single_threaded_torch()
        model = train_dp_synthesizer(frame, plan, progress=progress)
        blob = seal(model.to_bytes(), self._model_key, associated_data(synthesizer_id, dataset_id))
        record = DpSynthesizerRecord(
            id=synthesizer_id,
            display_name=params["display_name"],
            dataset_id=dataset_id,
            table=table,
            kind=model.kind,
            config=plan.config,
            schema=model.schema,
            guarantee=model.guarantee,
            training={
                "epochs": model.training.epochs,
                "steps": model.training.steps,
                "seconds": model.training.seconds,
                "rows": plan.n_rows,
            },
            job_id=context.job.id,
            spend_id=spend.spend_id,
            model_sha256=_sha256(blob),
            creator=context.job.creator.id,
            create_time=utcnow(),
            project=context.job.project,
        )
        self._artifacts.put_bytes(record.model_key, blob)
        try:
            self._repository.insert(record)
        except BaseException:
            self._artifacts.delete_prefix(f"dp_synthesizers/{synthesizer_id}")
            raise
        guarantee = model.guarantee
        return {
            "synthesizer_id": synthesizer_id,
            "dataset_id": dataset_id,
            "kind": model.kind.value,
            "requested_kind": params.get("requested_kind", model.kind.value),
            "choice_reason": plan.choice_reason,
            "warnings": preprocessing_warnings(plan, model.encoder),
            "epsilon": guarantee.epsilon,
            "pld_epsilon": guarantee.pld_epsilon,
            "rdp_epsilon": guarantee.rdp_epsilon,
            "delta": guarantee.delta,
            "noise_multiplier": guarantee.noise_multiplier,
            "steps": guarantee.steps,
            "epochs": model.training.epochs,
            "spend_id": spend.spend_id,
        }

    # -- synthesizers -------------------------------------------------------------------------

    def get(self, synthesizer_id: str, minimum_role: Role = Role.VIEWER) -> DpSynthesizerRecord:
        """The synthesizer, when the caller has `minimum_role` in its project."""
        record = self._repository.get(synthesizer_id)
        require_access(record.project, minimum_role, not_found=missing_synthesizer(synthesizer_id))
        return record

    def list(
        self, dataset_id: str = "", page_size: int = 0, page_token: str = ""
    ) -> tuple[list[DpSynthesizerRecord], str]:
        """The caller's projects' DP synthesizers, newest first."""
        return self._repository.list(dataset_id, page_size, page_token, visible_projects())

    def delete(self, synthesizer_id: str) -> None:
        """Delete the synthesizer and its model file; its spend stays in the ledger."""
        self.get(synthesizer_id, Role.EDITOR)
        self._repository.delete(synthesizer_id)
        self._artifacts.delete_prefix(f"dp_synthesizers/{synthesizer_id}")
        with self._models_lock:
            self._models.pop(synthesizer_id, None)

    def verify(self, synthesizer_id: str) -> Verification:
        """Recompute the stored guarantee's epsilon from its events."""
        guarantee = self.get(synthesizer_id).guarantee
        epsilons = account_events(guarantee.events, guarantee.delta)
        reported = guarantee.epsilon
        return Verification(
            synthesizer_id=synthesizer_id,
            reported_epsilon=reported,
            recomputed_epsilon=epsilons.charged,
            relative_difference=abs(epsilons.charged - reported) / reported,
            guarantee=guarantee,
            pld_epsilon=epsilons.pld,
            rdp_epsilon=epsilons.rdp,
        )

    def sample_parquet(self, synthesizer_id: str, num_rows: int, seed: int) -> Iterator[bytes]:
        """The sample as one Parquet file (table `table`) in chunks of at most 1 MiB.

        Request errors, and the refusal of rows whose synthesizer has no released sample
        (admins, and the synthesis service storing a sample, pass), are raised here, before the
        first chunk. Rows are drawn in batches of
        100,000 (one row group each; the first batch uses `seed` itself, later ones seeds
        derived from it), so memory stays bounded and the same seed gives the same file.
        """
        if isinstance(num_rows, bool) or not 1 <= num_rows <= MAX_SAMPLE_ROWS:
            raise InvalidInput(
                f"num_rows must be from 1 to {MAX_SAMPLE_ROWS:,}, got {num_rows}",
                field="num_rows",
                metadata={"num_rows": num_rows, "max_rows": MAX_SAMPLE_ROWS},
            )
        if not 0 <= seed < 2**63:
            raise InvalidInput(
                f"seed must be from 0 to 2^63 - 1, got {seed}",
                field="seed",
                metadata={"seed": seed},
            )
        self.get(synthesizer_id, Role.EDITOR)
        self._releases.check_stream(synthesizer_id)
        model = self._load(synthesizer_id)
        return _parquet_chunks(model, num_rows, seed)

    def _load(self, synthesizer_id: str) -> DPSynthesizer | MarginalSynthesizer:
        with self._models_lock:
            cached = self._models.get(synthesizer_id)
            if cached is not None:
                self._models.move_to_end(synthesizer_id)
                return cached
        record = self._repository.get(synthesizer_id)
        blob = self._artifacts.read_bytes(record.model_key)
        payload = unseal(blob, self._model_key, associated_data(record.id, record.dataset_id))

        from synthstudio_privacy.synthesizer import DPSynthesizer

        _single_threaded_torch()
        model = DPSynthesizer.from_bytes(payload)
        with self._models_lock:
            self._models[synthesizer_id] = model
            while len(self._models) > _MODEL_CACHE_SIZE:
                self._models.popitem(last=False)
        return model


def job_handlers(core: PrivacyCore) -> dict[str, JobHandler]:
    """The privacy service's job kinds and their handlers."""
    return {TRAIN_JOB: core.run_training}


def _pick_table(dataset, requested: str):
    tables = list(dataset.tables)
    names = [table.name for table in tables]
    if requested:
        for table in tables:
            if table.name == requested:
                return table
        raise InvalidInput(
            f"dataset '{dataset.id}' has no table {requested!r}; its tables are {', '.join(names)}",
            field="table",
            metadata={"table": requested, "tables": ",".join(names)},
        )
    if len(tables) != 1:
        raise InvalidInput(
            f"dataset '{dataset.id}' has {len(tables)} tables ({', '.join(names)}); name the "
            "one to train on in `table`",
            field="table",
            metadata={"tables": ",".join(names)},
        )
    return tables[0]


def _parquet_chunks(
    model: DPSynthesizer | MarginalSynthesizer, num_rows: int, seed: int
) -> Iterator[bytes]:
    sink = _ChunkSink()
    writer: pq.ParquetWriter | None = None
    schema: pa.Schema | None = None
    for index, start in enumerate(range(0, num_rows, SAMPLE_BATCH_ROWS)):
        size = min(SAMPLE_BATCH_ROWS, num_rows - start)
        frame = model.sample(size, seed=seed if index == 0 else _batch_seed(seed, index))
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd")
        else:
            table = table.cast(schema)
        writer.write_table(table)
        yield from sink.drain(CHUNK_BYTES, final=False)
    if writer is not None:
        writer.close()
    yield from sink.drain(CHUNK_BYTES, final=True)


def _batch_seed(seed: int, index: int) -> int:
    state = np.random.SeedSequence([seed, index]).generate_state(1, np.uint64)[0]
    return int(state) % 2**63


class _ChunkSink(io.RawIOBase):
    """A write-only file that hands out what was written in chunks and keeps counting
    positions (Parquet's footer records offsets from `tell`)."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self._pending += view
        self._position += len(view)
        return len(view)

    def tell(self) -> int:
        return self._position

    def drain(self, size: int, *, final: bool) -> Iterator[bytes]:
        while len(self._pending) >= size or (final and self._pending):
            chunk = bytes(self._pending[:size])
            del self._pending[:size]
            yield chunk


def _single_threaded_torch() -> None:
    # Measured on the 2-core target: DP-SGD with two torch threads ran up to 8x slower than
    # with one (the threads fight the job's and the server's own threads).
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""


def _not_queued() -> JobError:
    return JobError(
        code="UNAVAILABLE",
        reason="JOB_NOT_QUEUED",
        message="the training job could not be handed to a worker; its privacy spend is "
        "recorded and stays spent. Start the training again when the job backend is back",
    )


def _crashed() -> JobError:
    return JobError(
        code="INTERNAL",
        reason="SPEND_NOT_RECORDED",
        message="the privacy spend could not be recorded, so the job did not run",
    )
