"""Reproducible sampling, in blocks, on every core.

Rows are made in blocks (of `BLOCK_ROWS` by default). Block `i` of a request with seed `s` is
generated with every random source of the synthesizer reseeded from `(s, i)` (the model, each
RDT transformer, Faker, numpy's and torch's global generators), so a block's rows depend only on
`(s, i)`: which process makes it, in which order, and alongside what, does not matter. HMA
sampling is made independent of Python's per-process string hashing the same way. Keys, which
must be unique across blocks, are numbered afterwards in the parent process, in block order.

`ParallelSampler` runs blocks (and whole multi-table or sequence samples) in a pool of worker
processes: each worker loads a model once (from a private spool file, by digest) and keeps it;
the parent keeps a bounded number of blocks in flight, so memory stays flat in the row count.
Without a sampler, work runs in-process under a lock, because SDV seeds numpy's global generator.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cloudpickle
import numpy as np
import pandas as pd
import torch
from sdv.metadata import Metadata
from sdv.multi_table import HMASynthesizer

from synthstudio_libs.errors import Unavailable
from synthstudio_synthesis.children import die_with
from synthstudio_synthesis.engine.conditions import ConditionPlan, filter_ranges

BLOCK_ROWS = 50_000
CONDITION_ATTEMPTS = 8
_WORKER_MODELS_KEPT = 2


def derive_seed(seed: int, *path: int) -> int:
    """A 32-bit seed for one piece of work, independent for each distinct `path`."""
    return int(np.random.SeedSequence([seed, *path]).generate_state(1)[0])


def block_sizes(num_rows: int, block_rows: int = BLOCK_ROWS) -> list[int]:
    full, rest = divmod(num_rows, block_rows)
    return [block_rows] * full + ([rest] if rest else [])


# Reseeding every random source of a synthesizer.
def _reseed_transformer(transformer: Any, seed: int) -> None:
    if transformer is None:
        return
    transformer.reset_randomization()
    forward, backward = (int(part) for part in np.random.SeedSequence(seed).generate_state(2))
    transformer.random_states["transform"] = np.random.RandomState(forward)
    transformer.random_states["reverse_transform"] = np.random.RandomState(backward)
    faker = getattr(transformer, "faker", None)
    if faker is not None:
        faker.seed_instance(forward)


def _reseed_transformers(transformers: Iterable[Any], seed: int) -> None:
    for position, transformer in enumerate(transformers):
        _reseed_transformer(transformer, derive_seed(seed, position))


def _seed_globals(seed: int) -> None:
    np.random.seed(seed)
    torch.manual_seed(seed)


def reseed_single_table(synthesizer: Any, seed: int) -> None:
    """Reseeds the model, its data processor's transformers and the global generators."""
    model_seed, transformer_seed, extended_seed, global_seed = (
        int(part) for part in np.random.SeedSequence(seed).generate_state(4)
    )
    if hasattr(getattr(synthesizer, "_model", None), "set_random_state"):
        synthesizer._set_random_state(model_seed)
    processor = synthesizer._data_processor
    _reseed_transformers(processor._hyper_transformer.field_transformers.values(), transformer_seed)
    # PAR keeps formatters for its sequence index outside the data processor.
    _reseed_transformers(getattr(synthesizer, "extended_columns", {}).values(), extended_seed)
    _seed_globals(global_seed)


# The work itself: module-level functions, so worker processes can run them by reference.
def sample_block(
    synthesizer: Any, rows: int, seed: int, plan: ConditionPlan | None = None
) -> pd.DataFrame:
    """`rows` rows (fewer only when conditions are rarely met), reproducible from `seed`."""
    if plan is None or plan.empty:
        reseed_single_table(synthesizer, seed)
        return _draw(synthesizer, rows, {})
    return _sample_conditioned(synthesizer, rows, seed, plan)


def _sample_conditioned(
    synthesizer: Any, rows: int, seed: int, plan: ConditionPlan
) -> pd.DataFrame:
    found: list[pd.DataFrame] = []
    have = drawn = 0
    draw = rows * (2 if plan.ranges else 1)
    for attempt in range(CONDITION_ATTEMPTS):
        reseed_single_table(synthesizer, derive_seed(seed, attempt))
        batch = filter_ranges(_draw(synthesizer, draw, plan.exact), plan.ranges)
        found.append(batch)
        have, drawn = have + len(batch), drawn + draw
        if have >= rows:
            break
        rate = have / drawn
        wanted = (rows - have) / rate * 1.2 if rate else draw * 4
        draw = int(min(max(wanted, 100), 20 * rows + 1000))
    return pd.concat(found, ignore_index=True).head(rows)


def _draw(synthesizer: Any, rows: int, exact: dict[str, Any]) -> pd.DataFrame:
    """SDV's `sample` / `sample_from_conditions` bodies, without their progress bars on stderr.

    Conditional draws return the rows SDV could make (possibly none) instead of raising.
    """
    if not exact:
        return synthesizer._sample_with_progress_bar(rows, show_progress_bar=False)
    conditions = pd.DataFrame(exact, index=range(rows))
    return synthesizer._sample_with_conditions(conditions, 100, None).reset_index(drop=True)


def sample_tables(synthesizer: Any, scale: float, seed: int) -> dict[str, pd.DataFrame]:
    """Every table of an HMA model, `scale` times the training sizes."""
    synthesizer.reset_sampling()
    for position, table in enumerate(synthesizer._table_synthesizers.values()):
        reseed_single_table(table, derive_seed(seed, 1, position))
    _reseed_transformers(
        (t for columns in synthesizer.extended_columns.values() for t in columns.values()),
        derive_seed(seed, 2),
    )
    _seed_globals(derive_seed(seed, 3))
    reproducible = _adopt(synthesizer, _ReproducibleHMA)
    reproducible.metadata = _adopt(synthesizer.metadata, _OrderedMetadata)
    reproducible._numpy_seed = derive_seed(seed, 0)
    reproducible._sampling_seed = seed
    return reproducible.sample_scale(scale=scale)


def _adopt(obj: Any, cls: type) -> Any:
    """A shallow copy of `obj` as an instance of `cls`, a behaviour-only subclass of its class."""
    adopted = cls.__new__(cls)
    adopted.__dict__.update(vars(obj))
    return adopted


def _name_seed(seed: int, *names: str) -> int:
    digest = hashlib.sha256("/".join(names).encode()).digest()
    return derive_seed(seed, int.from_bytes(digest[:4], "big"))


class _OrderedMetadata(Metadata):
    """Metadata whose child map does not depend on Python's per-process string hashing.

    SDV iterates sets of table names, so which parent generates a child with two parents (and
    the order tables draw random numbers) changed from one process to the next. Here each child
    is listed once, under its first parent by name.
    """

    def _get_child_map(self) -> dict[str, list[str]]:
        first_parent: dict[str, str] = {}
        for relation in sorted(
            self.relationships, key=lambda r: (r["parent_table_name"], r["child_table_name"])
        ):
            first_parent.setdefault(relation["child_table_name"], relation["parent_table_name"])
        child_map: dict[str, list[str]] = defaultdict(list)
        for child, parent in sorted(first_parent.items()):
            child_map[parent].append(child)
        return child_map


class _ReproducibleHMA(HMASynthesizer):
    """HMA sampling whose global random draws are seeded per table, not per visiting order."""

    _sampling_seed = 0

    def _sample_children(
        self,
        table_name: str,
        sampled_data: dict[str, pd.DataFrame],
        scale: float = 1.0,
        batch_size: int | None = None,
        max_tries_per_batch: int = 100,
    ) -> None:
        if not self.metadata._get_parent_map().get(table_name):
            np.random.seed(_name_seed(self._sampling_seed, "children", table_name))
        super()._sample_children(table_name, sampled_data, scale, batch_size, max_tries_per_batch)

    def _add_foreign_key_columns(
        self,
        child_table: pd.DataFrame,
        parent_table: pd.DataFrame,
        child_name: str,
        parent_name: str,
    ) -> None:
        np.random.seed(_name_seed(self._sampling_seed, "links", child_name, parent_name))
        super()._add_foreign_key_columns(child_table, parent_table, child_name, parent_name)


def sample_sequences(
    synthesizer: Any, num_sequences: int, sequence_length: int | None, seed: int
) -> pd.DataFrame:
    """`num_sequences` sequences of a PAR model (lengths learned unless given)."""
    reseed_single_table(synthesizer, derive_seed(seed, 0))
    reseed_single_table(synthesizer._context_synthesizer, derive_seed(seed, 1))
    _seed_globals(derive_seed(seed, 2))
    sampled = synthesizer.sample_sequences(num_sequences, sequence_length)
    return sampled[synthesizer._table_name]


# Running work in-process.
_IN_PROCESS = threading.Lock()


def run_in_process(work: Callable[..., Any], synthesizer: Any, **arguments: Any) -> Any:
    """`work(synthesizer, **arguments)` here, one at a time, leaving the global RNGs as found."""
    with _IN_PROCESS:
        numpy_state, torch_state = np.random.get_state(), torch.get_rng_state()
        try:
            return work(synthesizer, **arguments)
        finally:
            np.random.set_state(numpy_state)
            torch.set_rng_state(torch_state)


# Running work in worker processes.
@dataclass(frozen=True)
class SpooledModel:
    """A synthesizer written where workers can load it, named by its content digest."""

    digest: str
    path: str


_worker_models: OrderedDict[str, Any] = OrderedDict()


def _initialise_worker(service_pid: int) -> None:
    # The worker's parent is the fork server, which outlives a killed service.
    die_with(service_pid)
    # One thread per process: the pool already uses every core.
    torch.set_num_threads(1)


def _run_in_worker(model: SpooledModel, work: Callable[..., Any], arguments: dict) -> Any:
    synthesizer = _worker_models.get(model.digest)
    if synthesizer is None:
        payload = Path(model.path).read_bytes()
        if hashlib.sha256(payload).hexdigest() != model.digest:
            raise RuntimeError(f"spooled model {model.digest[:12]} changed on disk")
        synthesizer = cloudpickle.loads(payload)
        _worker_models[model.digest] = synthesizer
        while len(_worker_models) > _WORKER_MODELS_KEPT:
            _worker_models.popitem(last=False)
    _worker_models.move_to_end(model.digest)
    return work(synthesizer, **arguments)


class ParallelSampler:
    """A pool of sampling processes, one per core by default; one per service process.

    Workers start from a fork server that has imported SDV once, so a pool starts in
    milliseconds after the first; they are safe to start from a threaded server.
    """

    def __init__(
        self, workers: int | None = None, *, start_method: str = "forkserver", window: int = 2
    ) -> None:
        self.workers = workers or len(os.sched_getaffinity(0))
        self.window = window * self.workers
        self._context = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            self._context.set_forkserver_preload([__name__])
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._spool = Path(tempfile.mkdtemp(prefix="synthstudio-sampler-"))
        self._leases: dict[str, int] = {}

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=self._context,
                    initializer=_initialise_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    @contextlib.contextmanager
    def lease(self, synthesizer: Any) -> Iterator[SpooledModel]:
        """The synthesizer spooled for the workers while the block runs."""
        payload = cloudpickle.dumps(synthesizer)
        digest = hashlib.sha256(payload).hexdigest()
        path = self._spool / f"{digest}.model"
        with self._lock:
            if self._leases.get(digest, 0) == 0:
                _write_private(path, payload)
            self._leases[digest] = self._leases.get(digest, 0) + 1
        try:
            yield SpooledModel(digest, str(path))
        finally:
            with self._lock:
                self._leases[digest] -= 1
                if self._leases[digest] == 0:
                    del self._leases[digest]
                    path.unlink(missing_ok=True)

    def submit(self, model: SpooledModel, work: Callable[..., Any], **arguments: Any) -> Future:
        try:
            return self._executor().submit(_run_in_worker, model, work, arguments)
        except BrokenProcessPool as error:
            raise self._broken() from error

    def run(self, model: SpooledModel, work: Callable[..., Any], **arguments: Any) -> Any:
        return self._result(self.submit(model, work, **arguments))

    def imap(
        self, model: SpooledModel, work: Callable[..., Any], arguments: Iterable[dict]
    ) -> Iterator[Any]:
        """Results of `work` for each argument set, in order, with a bounded number in flight."""
        pending: deque[Future] = deque()
        todo = iter(arguments)
        try:
            for item in todo:
                pending.append(self.submit(model, work, **item))
                if len(pending) >= self.window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            for future in pending:
                future.cancel()

    def _result(self, future: Future) -> Any:
        try:
            return future.result()
        except BrokenProcessPool as error:
            raise self._broken() from error

    def _broken(self) -> Unavailable:
        with self._lock:
            broken, self._pool = self._pool, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        return Unavailable(
            "a sampling worker process stopped unexpectedly (out of memory?); retry the "
            "request, with fewer rows per call if it happens again",
            reason="SAMPLING_WORKER_LOST",
        )

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._spool, ignore_errors=True)

    def __enter__(self) -> ParallelSampler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _write_private(path: Path, payload: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)


class KeySequence:
    """Primary and alternate keys numbered across blocks, in block order, in the parent."""

    def __init__(self, synthesizer: Any) -> None:
        processor = synthesizer._data_processor
        self.columns = list(processor._keys)
        self._processor = None
        if self.columns:
            self._processor = copy.deepcopy(processor)
            self._processor.reset_sampling()
            self._dtypes = {column: processor._dtypes[column] for column in self.columns}

    def fill(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self._processor is None or frame.empty:
            return frame
        keys = self._processor.generate_keys(len(frame))
        for column in self.columns:
            values = pd.Series(keys[column].to_numpy(), index=frame.index)
            with contextlib.suppress(ValueError, TypeError):
                values = values.astype(self._dtypes[column])
            frame[column] = values
        return frame
