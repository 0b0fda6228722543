"""A model engine in another process, reached over gRPC (`synthstudio.engine.v1.EngineService`).

Engines whose libraries cannot share the service's environment (TabularARGN needs numpy >= 2,
evaluation's anonymeter needs numpy < 1.27) run in an engine host of their own. This adapter
makes such a host a `ModelEngine`, so training and sampling jobs, sealing in the artifact
store, streaming, progress and cancellation work as for the in-process SDV engine. The host
holds no state: the model archive it returned from training travels back with every sample.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

import grpc
import pandas as pd

from synthstudio.engine.v1 import engine_service_pb2 as pb
from synthstudio.engine.v1 import engine_service_pb2_grpc
from synthstudio_libs.arrow_ipc import frame_from_ipc, frame_to_ipc, pieces
from synthstudio_libs.errors import FailedPrecondition, InvalidInput, JobCancelled
from synthstudio_libs.grpc.errors import raise_from_rpc
from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_synthesis.engine.hyperparameters import parse_hyperparameters
from synthstudio_synthesis.engine.interface import (
    ExactCondition,
    SampleRequest,
    SampleResult,
    SampleStream,
    TableProfile,
    TrainedModel,
    TrainingReport,
    TrainingSpec,
)
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind

log = logging.getLogger(__name__)

# How long a look-up of the host's description waits for the host to answer.
DESCRIBE_TIMEOUT_SECONDS = 5.0
# Rows per chunk the host streams when the caller names no size.
DEFAULT_CHUNK_ROWS = 10_000


class RemoteEngine:
    """A `ModelEngine` served by an engine host at the other end of `channel`.

    The host's name, version, licence and kinds are asked for once it answers, so the service
    starts even while a host is still starting (its kinds are then missing until it is up).
    """

    def __init__(self, channel: grpc.Channel, address: str) -> None:
        self._stub = engine_service_pb2_grpc.EngineServiceStub(channel)
        self.address = address
        self._description: pb.DescribeEngineResponse | None = None

    # Identity

    def _describe(self) -> pb.DescribeEngineResponse | None:
        if self._description is None:
            try:
                self._description = self._stub.DescribeEngine(
                    pb.DescribeEngineRequest(), timeout=DESCRIBE_TIMEOUT_SECONDS
                )
            except grpc.RpcError as error:
                log.warning("engine host at %s does not answer: %s", self.address, error.code())
        return self._description

    @property
    def name(self) -> str:
        found = self._describe()
        return found.name if found else f"engine at {self.address}"

    @property
    def version(self) -> str:
        found = self._describe()
        return found.version if found else ""

    @property
    def licence(self) -> str:
        found = self._describe()
        return found.licence if found else ""

    @property
    def available(self) -> bool:
        return self._describe() is not None

    def kinds(self) -> frozenset[SynthesizerKind]:
        found = self._describe()
        return frozenset(SynthesizerKind(k) for k in found.kinds) if found else frozenset()

    # Training

    def train(
        self, tables: Mapping[str, pd.DataFrame], spec: TrainingSpec, progress: Progress
    ) -> TrainedModel:
        if spec.kind.layout is not DataLayout.SINGLE_TABLE or len(tables) != 1:
            raise InvalidInput(
                f"{spec.kind.value} trains on one table",
                field="kind",
                reason="KIND_NEEDS_ONE_TABLE",
            )
        if spec.constraints:
            raise InvalidInput(
                f"{spec.kind.value} takes no constraints: train without them, or choose an SDV "
                "kind",
                field="constraints",
                metadata={"kind": spec.kind.value},
            )
        ((table, frame),) = tables.items()
        hyperparameters = spec.hyperparameters or parse_hyperparameters(spec.kind)
        request = pb.TrainSpec(
            kind=spec.kind.value,
            table_name=table,
            primary_key=_primary_key(spec.metadata, table) or "",
        )
        request.hyperparameters.update(hyperparameters.to_dict())
        parts = [pb.TrainRequest(spec=request)]
        parts += [pb.TrainRequest(table_data=p) for p in pieces(frame_to_ipc(frame))]
        archive, outcome = self._train_call(iter(parts), progress)
        return TrainedModel(
            engine=self.name,
            engine_version=self.version,
            kind=spec.kind,
            metadata=dict(spec.metadata),
            hyperparameters=hyperparameters,
            constraints=(),
            tables={table: TableProfile(table, tuple(frame.columns), len(frame))},
            report=TrainingReport(
                rows={table: int(outcome.rows)},
                warnings=tuple(outcome.warnings),
                epochs_completed=outcome.epochs_completed,
                seconds=outcome.seconds,
            ),
            synthesizer=archive,
        )

    def _train_call(
        self, requests: Iterator[pb.TrainRequest], progress: Progress
    ) -> tuple[bytes, pb.TrainOutcome]:
        call = self._stub.Train(requests)
        archive: list[bytes] = []
        try:
            for event in call:
                kind = event.WhichOneof("event")
                if kind == "progress":
                    progress.update(event.progress.fraction, event.progress.message)
                elif kind == "model_data":
                    archive.append(event.model_data)
                elif kind == "outcome":
                    return b"".join(archive), event.outcome
        except JobCancelled:
            call.cancel()
            raise
        except grpc.RpcError as error:
            raise_from_rpc(error, self.name)
        raise FailedPrecondition(
            f"the {self.name} engine ended training without a model",
            reason="ENGINE_RETURNED_NO_MODEL",
        )

    # Persistence

    def serialize(self, model: TrainedModel) -> bytes:
        return pickle.dumps(model)

    def deserialize(self, payload: bytes) -> TrainedModel:
        """Only ever called on a sealed file whose tag was verified."""
        try:
            model = pickle.loads(payload)
        except Exception as error:
            model = error
        if not isinstance(model, TrainedModel) or not isinstance(model.synthesizer, bytes):
            raise FailedPrecondition(
                f"the model file cannot be read by the {self.name} engine",
                reason="MODEL_INCOMPATIBLE",
            )
        return model

    # Sampling

    def sample(self, model: TrainedModel, request: SampleRequest) -> SampleResult:
        with self.iter_sample(model, request) as stream:
            frames = list(stream)
        data = pd.concat(frames, ignore_index=True) if frames else _empty(model.table())
        return SampleResult(data, list(stream.warnings))

    def iter_sample(
        self,
        model: TrainedModel,
        request: SampleRequest,
        progress: Progress | None = None,
        chunk_rows: int | None = None,
    ) -> SampleStream:
        """Rows streamed from the host; the request is checked here, before any row is made."""
        profile = model.table()
        fixed = _fixed_values(request, profile)
        spec = pb.SampleSpec(
            num_rows=request.num_rows,
            seed=request.seed,
            chunk_rows=chunk_rows or DEFAULT_CHUNK_ROWS,
        )
        if fixed:
            spec.fixed_values.update(fixed)
        chunks = self._sample_call(spec, model.synthesizer, profile, progress or NullProgress())
        return SampleStream(chunks, [])

    def _sample_call(
        self, spec: pb.SampleSpec, archive: bytes, profile: TableProfile, progress: Progress
    ) -> Iterator[pd.DataFrame]:
        if spec.num_rows == 0:
            return
        parts = [pb.SampleRequest(spec=spec)]
        parts += [pb.SampleRequest(model_data=p) for p in pieces(archive)]
        call = self._stub.Sample(iter(parts))
        made = 0
        try:
            for response in call:
                frame = frame_from_ipc(response.table_data)
                made += len(frame)
                progress.update(made / spec.num_rows, f"{made:,} of {spec.num_rows:,} rows")
                yield frame[[c for c in profile.columns if c in frame.columns]]
        except grpc.RpcError as error:
            raise_from_rpc(error, self.name)
        finally:
            # Closing the stream early (or a cancelled job) stops the host's work too.
            call.cancel()

    def sample_tables(
        self, model: TrainedModel, scale: float, seed: int = 0
    ) -> dict[str, pd.DataFrame]:
        raise _single_table_only(model, "sample linked tables")

    def sample_sequences(
        self,
        model: TrainedModel,
        num_sequences: int,
        seed: int = 0,
        sequence_length: int | None = None,
    ) -> pd.DataFrame:
        raise _single_table_only(model, "sample sequences")


def _primary_key(metadata: Mapping[str, Any], table: str) -> str | None:
    return metadata.get("tables", {}).get(table, {}).get("primary_key")


def _fixed_values(request: SampleRequest, profile: TableProfile) -> dict[str, Any]:
    """Exact conditions as the values every row takes; ranges are refused (TabularARGN seeds
    rows with exact values only)."""
    fixed: dict[str, Any] = {}
    for condition in request.conditions:
        if not isinstance(condition, ExactCondition):
            raise InvalidInput(
                f"conditions on '{condition.column}': a tabular_argn model conditions on exact "
                "values only; drop the range, or sample from an SDV model",
                field="conditions",
                metadata={"column": condition.column},
            )
        if condition.column not in profile.columns:
            raise InvalidInput(
                f"conditions name '{condition.column}', which the model's table does not have",
                field="conditions",
                metadata={"column": condition.column},
            )
        fixed[condition.column] = condition.value
    return fixed


def _empty(profile: TableProfile) -> pd.DataFrame:
    return pd.DataFrame(columns=list(profile.columns))


def _single_table_only(model: TrainedModel, operation: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"cannot {operation} with a {model.kind.value} model: it models one table",
        reason="WRONG_MODEL_LAYOUT",
        metadata={"kind": model.kind.value},
    )
