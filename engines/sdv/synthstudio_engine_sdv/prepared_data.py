"""Reusing ctgan's prepared training data across trainings on the same dataset.

CTGAN, TVAE and CopulaGAN start by fitting ctgan's `DataTransformer` (a Bayesian Gaussian
mixture per numerical column, one-hot encoders for the others) and transforming every row; on
a short fit that is most of the time. The cache keeps the fitted transformer and the transformed
matrix, keyed by a fingerprint of exactly what the transformer was given (the processed table's
content, dtypes and column order, the discrete columns, the transformer settings and library
versions), so any change in data, metadata or relevant settings is a different key.

Entries are sealed with the same HMAC as model files and verified before they are unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ctgan
import numpy as np
import pandas as pd
import rdt
from ctgan.data_transformer import ColumnTransformInfo, DataTransformer

from synthstudio_libs.errors import FailedPrecondition
from synthstudio_synthesis.engine.persistence import check_key, seal, unseal

LOGGER = logging.getLogger(__name__)
_FORMAT = b"prepared-data-v1"


@dataclass(frozen=True)
class PreparedData:
    """A fitted DataTransformer and the matrix it made of the training rows."""

    transformer: DataTransformer
    matrix: np.ndarray


class PreparedDataCache:
    """Prepared data in `directory`, at most `max_entries` entries (least recently used go)."""

    def __init__(self, directory: Path, key: bytes, max_entries: int = 8) -> None:
        check_key(key)
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._key = key
        self.max_entries = max_entries

    def fingerprint(
        self, frame: pd.DataFrame, discrete_columns: Sequence[str], settings: Sequence[object]
    ) -> str:
        """Content address of a DataTransformer input."""
        digest = hashlib.sha256(_FORMAT)
        header = (ctgan.__version__, rdt.__version__, list(settings), list(discrete_columns))
        digest.update(repr(header).encode())
        digest.update(repr([(str(c), str(t)) for c, t in frame.dtypes.items()]).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        return digest.hexdigest()

    def load(self, fingerprint: str) -> PreparedData | None:
        """The entry, or None when absent or unusable (a bad entry is deleted, never loaded)."""
        path = self._path(fingerprint)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            payload = unseal(blob, self._key, _associated(fingerprint))
        except FailedPrecondition:
            LOGGER.warning("discarding prepared-data entry %s: integrity check failed", path.name)
            path.unlink(missing_ok=True)
            return None
        transformer, matrix = pickle.loads(payload)
        os.utime(path)
        return PreparedData(transformer, matrix)

    def store(self, fingerprint: str, prepared: PreparedData) -> None:
        """Writes the entry atomically, then drops the least recently used beyond the limit."""
        payload = pickle.dumps((prepared.transformer, prepared.matrix), protocol=5)
        blob = seal(payload, self._key, _associated(fingerprint))
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(blob)
            os.replace(temporary, self._path(fingerprint))
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        self._evict()

    def _path(self, fingerprint: str) -> Path:
        return self.directory / f"{fingerprint}.prepared"

    def _evict(self) -> None:
        entries = sorted(self.directory.glob("*.prepared"), key=lambda p: p.stat().st_mtime)
        for stale in entries[: max(0, len(entries) - self.max_entries)]:
            stale.unlink(missing_ok=True)


def _associated(fingerprint: str) -> bytes:
    return _FORMAT + b":" + fingerprint.encode()


class ReusableDataTransformer(DataTransformer):
    """ctgan's DataTransformer that takes its fit and output from the cache when it can.

    The deep model calls `fit(rows)` then `transform(rows)` on the same frame; on a cache hit
    `fit` adopts the cached fitted state and `transform` returns the cached matrix, on a miss
    both run normally and the result is stored. `on_prepared(reused)` is told which happened;
    `on_column()` is called as each column is fitted (progress and cancellation).
    """

    def __init__(
        self,
        cache: PreparedDataCache,
        on_prepared: Callable[[bool], None],
        on_column: Callable[[], None],
    ) -> None:
        super().__init__()
        self._reuse_cache = cache
        self._reuse_on_prepared = on_prepared
        self._reuse_on_column = on_column
        self._reuse_input: pd.DataFrame | None = None
        self._reuse_fingerprint: str | None = None
        self._reuse_matrix: np.ndarray | None = None

    def fit(self, raw_data: pd.DataFrame, discrete_columns: Sequence[str] = ()) -> None:
        settings = (self._max_clusters, self._weight_threshold)
        fingerprint = self._reuse_cache.fingerprint(raw_data, discrete_columns, settings)
        prepared = self._reuse_cache.load(fingerprint)
        if prepared is None:
            super().fit(raw_data, discrete_columns)
        else:
            self.__dict__.update(vars(prepared.transformer))
            self._reuse_matrix = prepared.matrix
        self._reuse_input, self._reuse_fingerprint = raw_data, fingerprint
        self._reuse_on_prepared(prepared is not None)

    def _fit_continuous(self, data: pd.DataFrame) -> ColumnTransformInfo:
        self._reuse_on_column()
        return super()._fit_continuous(data)

    def _fit_discrete(self, data: pd.DataFrame) -> ColumnTransformInfo:
        self._reuse_on_column()
        return super()._fit_discrete(data)

    def transform(self, raw_data: pd.DataFrame) -> np.ndarray:
        if raw_data is not self._reuse_input:
            return super().transform(raw_data)
        matrix = self._reuse_matrix
        if matrix is None:
            matrix = super().transform(raw_data)
            prepared = PreparedData(self.plain(), matrix)
            self._reuse_cache.store(self._reuse_fingerprint, prepared)
        self._reuse_input = self._reuse_matrix = None
        return matrix

    def __reduce__(self):
        # ctgan transforms columns in worker processes (joblib) on larger tables, pickling
        # the transformer: send the plain fitted state, never the cache or the callbacks
        # (which reach the job's progress and its database connection).
        return self.plain().__reduce__()

    def plain(self) -> DataTransformer:
        """A plain DataTransformer with the same fitted state (what gets persisted)."""
        plain = DataTransformer.__new__(DataTransformer)
        state = {name: value for name, value in vars(self).items() if not name.startswith("_reuse")}
        plain.__dict__.update(state)
        return plain
