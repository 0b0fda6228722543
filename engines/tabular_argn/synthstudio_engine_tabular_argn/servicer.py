"""EngineService over `TabularArgnEngine`: translates messages, nothing more."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from google.protobuf import json_format

from synthstudio.engine.v1 import engine_service_pb2 as pb
from synthstudio.engine.v1 import engine_service_pb2_grpc
from synthstudio_engine_tabular_argn.engine import TabularArgnEngine, TrainSettings
from synthstudio_libs.arrow_ipc import frame_from_ipc, frame_to_ipc, pieces
from synthstudio_libs.errors import InvalidInput


def _first_part(requests: Iterator, kind: str):
    first = next(requests, None)
    if first is None or first.WhichOneof("part") != "spec":
        raise InvalidInput(f"a {kind} call starts with its spec", field="spec")
    return first.spec


def _joined(requests: Iterator, part: str) -> bytes:
    return b"".join(getattr(r, part) for r in requests if r.WhichOneof("part") == part)


class EngineServicer(engine_service_pb2_grpc.EngineServiceServicer):
    def __init__(self, engine: TabularArgnEngine) -> None:
        self._engine = engine

    def DescribeEngine(self, request, context):
        engine = self._engine
        return pb.DescribeEngineResponse(
            name=engine.name, version=engine.version, licence=engine.licence, kinds=engine.kinds
        )

    def Train(self, request_iterator, context):
        spec = _first_part(request_iterator, "Train")
        if spec.kind not in self._engine.kinds:
            raise InvalidInput(
                f"this engine trains {', '.join(self._engine.kinds)}, not {spec.kind!r}",
                field="kind",
                metadata={"kind": spec.kind},
            )
        frame = frame_from_ipc(_joined(request_iterator, "table_data"))
        settings = TrainSettings.from_mapping(json_format.MessageToDict(spec.hyperparameters))
        cancelled = threading.Event()
        context.add_callback(cancelled.set)
        events: queue.SimpleQueue = queue.SimpleQueue()

        def progress(fraction: float, message: str) -> None:
            events.put(
                pb.TrainResponse(progress=pb.TrainProgress(fraction=fraction, message=message))
            )

        outcome = _in_thread(
            lambda: self._engine.train(
                frame,
                settings,
                primary_key=spec.primary_key or None,
                seed=spec.seed,
                progress=progress,
                cancelled=cancelled,
            ),
            events,
        )
        yield from outcome.events()
        result = outcome.result()
        for piece in pieces(result.archive):
            yield pb.TrainResponse(model_data=piece)
        yield pb.TrainResponse(
            outcome=pb.TrainOutcome(
                rows=result.rows,
                epochs_completed=result.epochs_completed,
                seconds=result.seconds,
                warnings=result.warnings,
            )
        )

    def Sample(self, request_iterator, context):
        spec = _first_part(request_iterator, "Sample")
        archive = _joined(request_iterator, "model_data")
        fixed = json_format.MessageToDict(spec.fixed_values) if spec.fixed_values.fields else None
        chunks = self._engine.sample(archive, spec.num_rows, spec.seed, spec.chunk_rows, fixed)
        for frame in chunks:
            yield pb.SampleResponse(table_data=frame_to_ipc(frame))


class _Outcome:
    """Work running on a thread of its own while the stream relays its progress events."""

    def __init__(self, events: queue.SimpleQueue) -> None:
        self._events = events
        self._done = threading.Event()
        self._value = None
        self._error: BaseException | None = None

    def events(self) -> Iterator:
        while True:
            event = self._events.get()
            if event is self:
                return
            yield event

    def result(self):
        if self._error is not None:
            raise self._error
        return self._value


def _in_thread(work, events: queue.SimpleQueue) -> _Outcome:
    outcome = _Outcome(events)

    def run() -> None:
        try:
            outcome._value = work()
        except BaseException as error:  # re-raised on the stream's thread by result()
            outcome._error = error
        finally:
            events.put(outcome)

    threading.Thread(target=run, name="tabular-argn-train", daemon=True).start()
    return outcome
