"""Synthesizers: training as a job, sealed model files, and sampling to a new dataset or as a
stream. Business logic only: the servicer translates protobuf to these calls."""

from __future__ import annotations

import contextlib
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.auth.projects import list_filter, require_access
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound
from synthstudio_libs.holdout import split_holdout
from synthstudio_libs.jobs.runner import JobContext, JobHandler, JobQueue
from synthstudio_libs.jobs.store import Job
from synthstudio_libs.metrics import record_rows_synthesized
from synthstudio_libs.storage.util import (
    as_utc,
    new_id,
    read_page,
    utcnow,
)
from synthstudio_synthesis.datasets import (
    CHUNK_BYTES,
    Dataset,
    DatasetCatalog,
    DatasetKind,
    TableStart,
    UploadHeader,
    UploadPart,
)
from synthstudio_synthesis.engine import (
    Condition,
    DataLayout,
    ExactCondition,
    RangeCondition,
    SampleRequest,
    SynthesizerKind,
    TrainedModel,
    TrainingSpec,
    constraint_to_dict,
    load_model,
    parse_constraint,
    parse_hyperparameters,
    parse_kind,
    save_model,
)
from synthstudio_synthesis.engine.kinds import AUTO
from synthstudio_synthesis.engine.registry import EngineInfo, EngineRegistry
from synthstudio_synthesis.fit_advice import poor_fit_warnings
from synthstudio_synthesis.storage import synthesizers
from synthstudio_synthesis.tables import TableFormat

TRAIN_JOB = "synthesis.train"
SAMPLE_JOB = "synthesis.sample"
SAMPLE_DP_JOB = "synthesis.sample_dp"
DP_ID_PREFIX = "dps_"
DP_KINDS = frozenset({"dp_tvae", "dp_ctgan", "dp_mst", "dp_aim", "dp"})
_LAYOUTS = {
    DatasetKind.SINGLE_TABLE: DataLayout.SINGLE_TABLE,
    DatasetKind.MULTI_TABLE: DataLayout.MULTI_TABLE,
    DatasetKind.SEQUENTIAL: DataLayout.SEQUENTIAL,
}
# Rows per streamed chunk: small enough that an encoded chunk stays well under 4 MiB.
STREAM_CHUNK_ROWS = 10_000


@dataclass(frozen=True)
class Synthesizer:
    id: str
    display_name: str
    dataset_id: str
    kind: str
    hyperparameters: dict[str, Any]
    constraints: list[dict[str, Any]]
    metadata: dict[str, Any]
    report: dict[str, Any]
    engine: str
    artifact_key: str
    job_id: str
    creator: str
    create_time: datetime
    project: str = "default"


@dataclass(frozen=True)
class SampleSpec:
    """What to sample: rows (single table), scale (multi-table) or sequences (sequential)."""

    num_rows: int = 0
    seed: int = 0
    conditions: tuple[Condition, ...] = ()
    scale: float = 0.0
    num_sequences: int = 0


class DpTrainer(Protocol):
    """Trains and samples differentially private synthesizers (the privacy service)."""

    def train(
        self, dataset_id: str, kind: str, privacy: Mapping[str, Any], display_name: str
    ) -> Job: ...

    def trained_on(self, synthesizer_id: str) -> tuple[str, str]: ...

    def sample(self, synthesizer_id: str, num_rows: int, seed: int) -> Iterator[bytes]: ...


def _row_to_synthesizer(row: sa.Row) -> Synthesizer:
    return Synthesizer(
        id=row.id,
        display_name=row.display_name,
        dataset_id=row.dataset_id,
        kind=row.kind,
        hyperparameters=row.hyperparameters,
        constraints=row.constraints,
        metadata=row.sdv_metadata,
        report=row.report,
        engine=row.engine,
        artifact_key=row.artifact_key,
        job_id=row.job_id,
        creator=row.creator,
        create_time=as_utc(row.create_time),
        project=row.project_id,
    )


def _associated_data(synthesizer_id: str, dataset_id: str) -> bytes:
    # Binds a model file to its synthesizer and dataset: a valid file copied elsewhere fails.
    return f"model:{synthesizer_id}/dataset:{dataset_id}".encode()


class SynthesizerCatalog:
    """Trains, stores, reads, samples and deletes synthesizers."""

    def __init__(
        self,
        engine: sa.Engine,
        artifacts: ArtifactStore,
        datasets: DatasetCatalog,
        engines: EngineRegistry,
        queue: JobQueue,
        model_key: bytes,
        dp_trainer: DpTrainer,
    ) -> None:
        self._db = engine
        self._artifacts = artifacts
        self._datasets = datasets
        self._engines = engines
        self._queue = queue
        self._key = model_key
        self._dp = dp_trainer

    def engines(self) -> list[EngineInfo]:
        """The engines of this deployment, with the kinds each one trains."""
        return self._engines.describe()

    def job_handlers(self) -> dict[str, JobHandler]:
        return {TRAIN_JOB: self._train, SAMPLE_JOB: self._sample, SAMPLE_DP_JOB: self._sample_dp}

    # Training

    def request_training(
        self,
        dataset_id: str,
        kind: str,
        *,
        hyperparameters: Mapping[str, Any],
        constraints: list[Mapping[str, Any]],
        display_name: str = "",
        privacy: Mapping[str, Any] | None = None,
        use_full_dataset: bool = False,
        holdout_stratify_column: str = "",
    ) -> Job:
        """Checks everything that can be checked without training, then queues the job.

        The model trains on the training part of the dataset's holdout split (see
        `synthstudio_libs.holdout`) unless `use_full_dataset` is set. Needs the editor role in
        the dataset's project."""
        dataset = self._datasets.get(dataset_id, Role.EDITOR)
        if kind in ("", AUTO) and privacy:
            # `auto` with a privacy budget: the privacy service chooses the DP mechanism.
            kind = "dp"
        if kind in DP_KINDS:
            return self._dp.train(dataset.id, kind, privacy or {}, display_name)
        choice = ""
        if kind in ("", AUTO):
            parsed, choice = self._engines.choose(_LAYOUTS[dataset.kind])
        else:
            parsed = parse_kind(kind)
        _check_layout(parsed, dataset)
        self._engines.for_kind(parsed)
        checked = parse_hyperparameters(parsed, hyperparameters)
        rules = [parse_constraint(i, c) for i, c in enumerate(constraints)]
        if rules and not parsed.takes_constraints:
            raise InvalidInput(
                f"{parsed.value} takes no constraints: train without them, or choose an SDV kind",
                field="constraints",
                metadata={"kind": parsed.value},
            )
        for index, rule in enumerate(rules):
            _check_constraint_columns(index, rule, dataset)
        if holdout_stratify_column and not use_full_dataset:
            _check_stratify_column(holdout_stratify_column, dataset)
        params = {
            "dataset_id": dataset.id,
            "kind": parsed.value,
            "hyperparameters": checked.to_dict(),
            "constraints": [constraint_to_dict(c) for c in rules],
            "display_name": display_name.strip() or f"{parsed.value} on {dataset.display_name}",
            "use_full_dataset": use_full_dataset,
            "holdout_stratify_column": "" if use_full_dataset else holdout_stratify_column,
            "kind_choice": choice,
        }
        return self._queue.enqueue(
            TRAIN_JOB, params, resource=f"datasets/{dataset.id}", project=dataset.project
        )

    def _train(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        dataset = self._datasets.get(params["dataset_id"])
        kind = parse_kind(params["kind"])
        context.progress.update(0.0, "reading the dataset")
        tables = self._datasets.read_frames(dataset.id)
        metadata = dataset.metadata or self._engines.metadata.detect_metadata(
            tables, _LAYOUTS[dataset.kind]
        )
        holdout = None
        if not params.get("use_full_dataset", False):
            split = split_holdout(
                tables, metadata, stratify_column=params.get("holdout_stratify_column") or None
            )
            tables, holdout = split.train, split.record.to_dict()
        spec = TrainingSpec(
            kind=kind,
            metadata=metadata,
            hyperparameters=parse_hyperparameters(kind, params["hyperparameters"]),
            constraints=tuple(parse_constraint(i, c) for i, c in enumerate(params["constraints"])),
        )
        advice = poor_fit_warnings(kind, tables, metadata)
        if advice:
            context.progress.update(0.0, "training despite a poor fit", warning=" ".join(advice))
        model = self._engines.for_kind(kind).train(tables, spec, context.progress)
        model.report = replace(model.report, warnings=(*advice, *model.report.warnings))
        stored = self._store(model, dataset, params["display_name"], context.job.id, holdout)
        # `auto` jobs say which kind was chosen and why.
        choice = params.get("kind_choice")
        chosen = {"kind": kind.value, "kind_choice": choice} if choice else {}
        return {
            "synthesizer_id": stored.id,
            **chosen,
            "training_data": _training_data(holdout),
            "warnings": list(model.report.warnings),
            "epochs_completed": model.report.epochs_completed,
            "training_seconds": round(model.report.seconds, 3),
        }

    def _store(
        self,
        model: TrainedModel,
        dataset: Dataset,
        display_name: str,
        job_id: str,
        holdout: dict[str, Any] | None,
    ) -> Synthesizer:
        synthesizer_id = new_id("syn")
        key = f"synthesizers/{synthesizer_id}/model.bin"
        sealed = save_model(
            self._engines.for_kind(model.kind),
            model,
            self._key,
            _associated_data(synthesizer_id, dataset.id),
        )
        self._artifacts.put_bytes(key, sealed)
        report = model.report
        values = {
            "id": synthesizer_id,
            "display_name": display_name,
            "dataset_id": dataset.id,
            "kind": model.kind.value,
            "hyperparameters": model.hyperparameters.to_dict(),
            "constraints": [constraint_to_dict(c) for c in model.constraints],
            "sdv_metadata": model.metadata,
            "report": {
                "rows": dict(report.rows),
                "warnings": list(report.warnings),
                "epochs_completed": report.epochs_completed,
                "prepared_data": report.prepared_data.value,
                "seconds": report.seconds,
                "training_data": _training_data(holdout),
                "holdout": holdout,
            },
            "engine": model.engine_version,
            "artifact_key": key,
            "artifact_sha256": self._artifacts.sha256(key),
            "job_id": job_id,
            "creator": current_principal().id,
            "create_time": utcnow(),
            "project_id": dataset.project,
        }
        try:
            with self._db.begin() as connection:
                connection.execute(synthesizers.insert().values(**values))
        except Exception:
            self._artifacts.delete_prefix(f"synthesizers/{synthesizer_id}")
            raise
        return self.get(synthesizer_id)

    # Reading

    def get(self, synthesizer_id: str, minimum_role: Role = Role.VIEWER) -> Synthesizer:
        """The synthesizer, when the caller has `minimum_role` in its project."""
        with self._db.connect() as connection:
            row = connection.execute(
                synthesizers.select().where(synthesizers.c.id == synthesizer_id)
            ).first()
        missing = NotFound(
            f"synthesizer '{synthesizer_id}' does not exist: list synthesizers to find its id",
            reason="SYNTHESIZER_NOT_FOUND",
            metadata={"synthesizer_id": synthesizer_id},
        )
        if row is None:
            raise missing
        synthesizer = _row_to_synthesizer(row)
        require_access(synthesizer.project, minimum_role, not_found=missing)
        return synthesizer

    def list(
        self, size: int = 0, token: str = "", *, dataset_id: str = "", project: str = ""
    ) -> tuple[list[Synthesizer], str]:
        """A page of the caller's projects' synthesizers (or `project`'s), newest first."""
        query = synthesizers.select().order_by(synthesizers.c.create_time.desc(), synthesizers.c.id)
        projects = list_filter(project)
        if projects is not None:
            query = query.where(synthesizers.c.project_id.in_(projects))
        if dataset_id:
            query = query.where(synthesizers.c.dataset_id == dataset_id)
        with self._db.connect() as connection:
            rows, next_token = read_page(connection, query, size, token)
        return [_row_to_synthesizer(r) for r in rows], next_token

    def delete(self, synthesizer_id: str) -> None:
        synthesizer = self.get(synthesizer_id, Role.EDITOR)
        with self._db.begin() as connection:
            connection.execute(synthesizers.delete().where(synthesizers.c.id == synthesizer.id))
        self._artifacts.delete_prefix(f"synthesizers/{synthesizer.id}")

    def delete_dataset(self, dataset_id: str, *, force: bool) -> None:
        """Deletes a dataset; one that synthesizers were trained on only when forced (and
        then with them)."""
        dataset = self._datasets.get(dataset_id, Role.EDITOR)
        trained, _token = self.list(500, dataset_id=dataset.id)
        if trained and not force:
            raise FailedPrecondition(
                f"dataset '{dataset.id}' is used by {len(trained)} synthesizer(s) "
                f"({', '.join(s.id for s in trained[:5])}): delete them first, or pass force "
                "to delete them with it",
                reason="DATASET_IN_USE",
                metadata={"dataset_id": dataset.id, "synthesizers": len(trained)},
            )
        for synthesizer in trained:
            self.delete(synthesizer.id)
        self._datasets.delete(dataset.id)

    def load(self, synthesizer: Synthesizer) -> TrainedModel:
        """The model, after its integrity tag is verified (never unpickled otherwise)."""
        blob = self._artifacts.read_bytes(synthesizer.artifact_key)
        associated = _associated_data(synthesizer.id, synthesizer.dataset_id)
        engine = self._engines.for_kind(parse_kind(synthesizer.kind))
        return load_model(engine, blob, self._key, associated)

    # Sampling

    def request_sampling(
        self, synthesizer_id: str, spec: SampleSpec, *, display_name: str, dataset_id: str = ""
    ) -> Job:
        if synthesizer_id.startswith(DP_ID_PREFIX):
            return self._request_dp_sampling(synthesizer_id, spec, display_name, dataset_id)
        synthesizer = self.get(synthesizer_id, Role.EDITOR)
        _check_trained_on(synthesizer, dataset_id)
        kind = parse_kind(synthesizer.kind)
        _check_spec(kind, spec)
        if spec.conditions:
            self._check_conditions(synthesizer, spec)
        params = {
            "synthesizer_id": synthesizer.id,
            "spec": _spec_to_params(spec),
            "display_name": display_name.strip() or f"sample of {synthesizer.display_name}",
        }
        return self._queue.enqueue(
            SAMPLE_JOB,
            params,
            resource=f"synthesizers/{synthesizer.id}",
            project=synthesizer.project,
        )

    def _request_dp_sampling(
        self, synthesizer_id: str, spec: SampleSpec, display_name: str, dataset_id: str
    ) -> Job:
        """DP synthesizers live in the privacy service: sampling one streams its rows from
        there into a new dataset here."""
        trained_on, _table = self._dp.trained_on(synthesizer_id)
        project = self._datasets.get(trained_on, Role.EDITOR).project
        if dataset_id and dataset_id != trained_on:
            raise FailedPrecondition(
                f"synthesizer '{synthesizer_id}' was trained on dataset '{trained_on}', "
                f"not '{dataset_id}'",
                reason="SYNTHESIZER_OF_ANOTHER_DATASET",
                metadata={"synthesizer_id": synthesizer_id, "dataset_id": dataset_id},
            )
        if spec.conditions:
            raise InvalidInput(
                "differentially private synthesizers sample without conditions",
                field="conditions",
            )
        SampleRequest(spec.num_rows, spec.seed)
        if spec.num_rows == 0:
            raise InvalidInput("num_rows must be at least 1", field="num_rows")
        params = {
            "synthesizer_id": synthesizer_id,
            "spec": _spec_to_params(spec),
            "display_name": display_name.strip() or f"sample of {synthesizer_id}",
        }
        return self._queue.enqueue(
            SAMPLE_DP_JOB, params, resource=f"synthesizers/{synthesizer_id}", project=project
        )

    def _sample_dp(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        spec = _spec_from_params(params["spec"])
        dataset_id, table = self._dp.trained_on(params["synthesizer_id"])
        context.progress.update(0.0, "sampling in the privacy service")
        header = UploadHeader(
            display_name=params["display_name"], derived_from=dataset_id, synthetic=True
        )
        pieces = self._dp.sample(params["synthesizer_id"], spec.num_rows, spec.seed)
        start = TableStart(table or "table", TableFormat.PARQUET)
        dataset = self._datasets.upload(itertools.chain([header, start], pieces))
        record_rows_synthesized(dataset.row_count, synthesizer="dp")
        return {"dataset_id": dataset.id, "rows": dataset.row_count}

    def _check_conditions(self, synthesizer: Synthesizer, spec: SampleSpec) -> None:
        """Conditions are checked against what the model learned before a job is queued; the
        engine checks them when a sample stream is opened, before any row is made."""
        model = self.load(synthesizer)
        request = SampleRequest(spec.num_rows, spec.seed, spec.conditions)
        self._engines.for_kind(model.kind).iter_sample(model, request).close()

    def _sample(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        synthesizer = self.get(params["synthesizer_id"])
        spec = _spec_from_params(params["spec"])
        context.progress.update(0.0, "loading the model")
        model = self.load(synthesizer)
        header = UploadHeader(
            display_name=params["display_name"],
            derived_from=synthesizer.dataset_id,
            metadata=model.metadata,
            synthetic=True,
        )
        with tempfile.TemporaryDirectory(dir=self._staging()) as folder:
            tables = self._sampled_tables(model, spec, context)
            parts = _parquet_parts(tables, Path(folder))
            dataset = self._datasets.upload([header, *parts])
        record_rows_synthesized(dataset.row_count, synthesizer=synthesizer.kind)
        return {"dataset_id": dataset.id, "rows": dataset.row_count}

    def _staging(self) -> Path:
        staging = self._artifacts.root / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        return staging

    def _sampled_tables(
        self, model: TrainedModel, spec: SampleSpec, context: JobContext
    ) -> dict[str, Iterable[pd.DataFrame]]:
        kind = model.kind
        engine = self._engines.for_kind(kind)
        if kind.layout is DataLayout.MULTI_TABLE:
            frames = engine.sample_tables(model, spec.scale or 1.0, spec.seed)
            return {name: [frame] for name, frame in frames.items()}
        (name,) = model.tables
        if kind.layout is DataLayout.SEQUENTIAL:
            frame = engine.sample_sequences(model, spec.num_sequences, spec.seed)
            return {name: [frame]}
        request = SampleRequest(spec.num_rows, spec.seed, spec.conditions)
        return {name: engine.iter_sample(model, request, context.progress)}

    def stream(self, synthesizer_id: str, spec: SampleSpec) -> Iterator[pd.DataFrame]:
        """Rows of a single-table synthesizer in chunks, made in parallel on every core."""
        synthesizer = self.get(synthesizer_id, Role.EDITOR)
        kind = parse_kind(synthesizer.kind)
        if kind.layout is not DataLayout.SINGLE_TABLE:
            raise FailedPrecondition(
                f"streaming rows needs a single-table synthesizer; '{synthesizer.id}' is "
                f"{kind.value}: use SampleSynthesizer to make a dataset instead",
                reason="STREAM_NEEDS_SINGLE_TABLE",
                metadata={"synthesizer_id": synthesizer.id, "kind": kind.value},
            )
        model = self.load(synthesizer)
        request = SampleRequest(spec.num_rows, spec.seed, spec.conditions)
        engine = self._engines.for_kind(model.kind)
        stream = engine.iter_sample(model, request, chunk_rows=STREAM_CHUNK_ROWS)
        return _closing(stream)


def _closing(stream) -> Iterator[pd.DataFrame]:
    with stream:
        yield from stream


def _check_layout(kind: SynthesizerKind, dataset: Dataset) -> None:
    wanted = _LAYOUTS[dataset.kind]
    if kind.layout is not wanted:
        raise InvalidInput(
            f"{kind.value} models {kind.layout.value.replace('_', '-')} data but dataset "
            f"'{dataset.id}' is {wanted.value.replace('_', '-')}: choose a "
            f"{wanted.value.replace('_', '-')} kind",
            field="kind",
            reason="KIND_DOES_NOT_FIT_DATASET",
            metadata={"kind": kind.value, "dataset_kind": dataset.kind.value},
        )


def _check_constraint_columns(index: int, rule: Any, dataset: Dataset) -> None:
    """Every column a constraint names exists in its table (the engine checks the rest, such
    as types, against the data when training)."""
    table_name = rule.table_name or dataset.tables[0].name
    columns = {c.name for c in dataset.table(table_name).columns}
    for name, value in vars(rule).items():
        named = value if name == "column_names" else [value] if name.endswith("column") else []
        missing = [column for column in named if column not in columns]
        if missing:
            raise InvalidInput(
                f"constraints[{index}].{name} names {', '.join(missing)}, which table "
                f"'{table_name}' does not have",
                field=f"constraints[{index}].{name}",
                metadata={"columns": ",".join(missing), "table": table_name},
            )


def _training_data(holdout: dict[str, Any] | None) -> str:
    return "full_dataset" if holdout is None else "train_part"


def _check_stratify_column(column: str, dataset: Dataset) -> None:
    """The stratification column is in a table of the dataset (the split checks, when it runs,
    that it is in the table whose rows are drawn)."""
    if not any(column in {c.name for c in table.columns} for table in dataset.tables):
        raise InvalidInput(
            f"holdout_stratify_column '{column}' is not a column of dataset '{dataset.id}'",
            field="holdout_stratify_column",
            reason="UNKNOWN_COLUMN",
            metadata={"column": column, "dataset_id": dataset.id},
        )


def _check_trained_on(synthesizer: Synthesizer, dataset_id: str) -> None:
    if dataset_id and dataset_id != synthesizer.dataset_id:
        raise FailedPrecondition(
            f"synthesizer '{synthesizer.id}' was trained on dataset '{synthesizer.dataset_id}', "
            f"not '{dataset_id}'",
            reason="SYNTHESIZER_OF_ANOTHER_DATASET",
            metadata={"synthesizer_id": synthesizer.id, "dataset_id": dataset_id},
        )


def _check_spec(kind: SynthesizerKind, spec: SampleSpec) -> None:
    if kind.layout is DataLayout.SINGLE_TABLE:
        SampleRequest(spec.num_rows, spec.seed, spec.conditions)
        if spec.num_rows == 0:
            raise InvalidInput("num_rows must be at least 1", field="num_rows")
    elif kind.layout is DataLayout.SEQUENTIAL and spec.num_sequences <= 0:
        raise InvalidInput(
            "num_sequences must be at least 1 for a sequential synthesizer", field="num_sequences"
        )
    elif kind.layout is DataLayout.MULTI_TABLE and spec.scale < 0:
        raise InvalidInput("scale must be positive (1.0 = the training data's size)", field="scale")
    if spec.conditions and kind.layout is not DataLayout.SINGLE_TABLE:
        raise InvalidInput("conditions apply to single-table synthesizers only", field="conditions")


def _spec_to_params(spec: SampleSpec) -> dict[str, Any]:
    return {
        "num_rows": spec.num_rows,
        "seed": spec.seed,
        "scale": spec.scale,
        "num_sequences": spec.num_sequences,
        "conditions": [
            {"type": type(c).__name__, **{k: v for k, v in vars(c).items()}}
            for c in spec.conditions
        ],
    }


def _spec_from_params(params: dict[str, Any]) -> SampleSpec:
    types = {"ExactCondition": ExactCondition, "RangeCondition": RangeCondition}
    conditions = tuple(
        types[c["type"]](**{k: v for k, v in c.items() if k != "type"})
        for c in params["conditions"]
    )
    return SampleSpec(
        num_rows=params["num_rows"],
        seed=params["seed"],
        conditions=conditions,
        scale=params["scale"],
        num_sequences=params["num_sequences"],
    )


def _parquet_parts(
    tables: Mapping[str, Iterable[pd.DataFrame]], folder: Path
) -> Iterator[UploadPart]:
    """Upload parts for sampled tables: each written to a Parquet file chunk by chunk (memory
    stays flat in the number of rows), then read back in pieces."""
    for name, chunks in tables.items():
        path = folder / f"{name}.parquet"
        _write_parquet(chunks, path)
        yield TableStart(name, TableFormat.PARQUET)
        with path.open("rb") as handle:
            while piece := handle.read(CHUNK_BYTES):
                yield piece


def _write_parquet(chunks: Iterable[pd.DataFrame], path: Path) -> None:
    with contextlib.ExitStack() as stack:
        writer = None
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = stack.enter_context(pq.ParquetWriter(path, table.schema))
            writer.write_table(table.cast(writer.schema))
        if writer is None:
            raise InvalidInput("the sample has no rows", field="num_rows")
