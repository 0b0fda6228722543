"""SynthesisService: translates protobuf to the catalog's calls and back, nothing more."""

from __future__ import annotations

import io
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from google.protobuf import empty_pb2, json_format

from synthstudio.common.v1 import table_pb2
from synthstudio.pii.v1 import pii_service_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import current_principal
from synthstudio_libs.csv_cells import neutralise_formulas
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.convert import struct, struct_to_dict, timestamp
from synthstudio_libs.grpc.jobs import job_to_proto
from synthstudio_libs.release_guard import ReleaseGuard
from synthstudio_synthesis.datasets import (
    Dataset,
    DatasetCatalog,
    StoredTable,
    TableStart,
    UploadHeader,
)
from synthstudio_synthesis.engine import Condition, ExactCondition, RangeCondition
from synthstudio_synthesis.engine.kinds import AUTO
from synthstudio_synthesis.engine.registry import EngineInfo
from synthstudio_synthesis.synthesizers import SampleSpec, Synthesizer, SynthesizerCatalog
from synthstudio_synthesis.tables import TableFormat

_FORMATS = {
    table_pb2.TABLE_FORMAT_CSV: TableFormat.CSV,
    table_pb2.TABLE_FORMAT_PARQUET: TableFormat.PARQUET,
}


def _columns(table: StoredTable) -> list[table_pb2.Column]:
    return [
        table_pb2.Column(name=c.name, data_type=c.data_type, null_count=c.null_count)
        for c in table.columns
    ]


def dataset_to_proto(dataset: Dataset) -> pb.Dataset:
    first = dataset.tables[0]
    return pb.Dataset(
        id=dataset.id,
        display_name=dataset.display_name,
        columns=_columns(first),
        row_count=first.row_count,
        size_bytes=first.size_bytes,
        sha256=first.sha256,
        creator=dataset.creator,
        create_time=timestamp(dataset.create_time),
        pii_findings=[
            pii_service_pb2.PiiFinding(
                column=f.column,
                entity_type=f.entity_type,
                score=f.score,
                matched_count=f.matched_count,
                sampled_count=f.sampled_count,
                examples=f.examples,
            )
            for f in dataset.pii_findings
        ],
        tables=[
            pb.DatasetTable(
                name=t.name,
                columns=_columns(t),
                row_count=t.row_count,
                size_bytes=t.size_bytes,
                sha256=t.sha256,
            )
            for t in dataset.tables
        ],
        kind=pb.DatasetKind.Value(f"DATASET_KIND_{dataset.kind.value}"),
        derived_from=dataset.derived_from,
        metadata=struct(dataset.metadata),
        project=dataset.project,
    )


def _upload_parts(requests):
    for request in requests:
        part = request.WhichOneof("part")
        if part == "header":
            yield UploadHeader(
                display_name=request.header.display_name,
                derived_from=request.header.derived_from,
                metadata=struct_to_dict(request.header.metadata),
                project=request.header.project,
            )
        elif part == "table":
            yield TableStart(request.table.name, _FORMATS.get(request.table.format))
        elif part == "data":
            yield request.data


def _kind_name(value: int) -> str:
    return pb.SynthesizerKind.Name(value).removeprefix("SYNTHESIZER_KIND_").lower()


def _hyperparameters(request: pb.TrainSynthesizerRequest, kind: str) -> dict[str, Any]:
    chosen = request.WhichOneof("hyperparameters")
    if chosen is None:
        return {}
    if kind == AUTO:
        raise InvalidInput(
            f"hyperparameters are for {chosen} but no kind was named: name the kind ({chosen}) "
            "with its hyperparameters, or send none and let the service choose",
            field="hyperparameters",
            metadata={"hyperparameters": chosen},
        )
    if chosen != kind:
        raise InvalidInput(
            f"hyperparameters are for {chosen} but kind is {kind}: send the `{kind}` "
            "hyperparameters, or none for the defaults",
            field="hyperparameters",
            metadata={"kind": kind, "hyperparameters": chosen},
        )
    values = json_format.MessageToDict(getattr(request, chosen), preserving_proto_field_name=True)
    if chosen == "copulagan":
        values = {**values.pop("ctgan", {}), **values}
    return values


def constraint_from_proto(constraint: pb.Constraint) -> dict[str, Any]:
    rule = constraint.WhichOneof("rule")
    if rule is None:
        return {}
    values = json_format.MessageToDict(getattr(constraint, rule), preserving_proto_field_name=True)
    if "increment" in values:
        values["increment"] = int(values["increment"])
    return {"type": rule, **values, "table_name": constraint.table_name or None}


def constraint_to_proto(values: dict[str, Any]) -> pb.Constraint:
    rule = values["type"]
    fields = {k: v for k, v in values.items() if k not in ("type", "table_name")}
    message = pb.Constraint(table_name=values.get("table_name") or "")
    json_format.ParseDict(fields, getattr(message, rule))
    return message


def condition_from_proto(condition: pb.SampleCondition) -> Condition:
    chosen = condition.WhichOneof("condition")
    if chosen == "equals":
        value = json_format.MessageToDict(condition.equals)
        return ExactCondition(condition.column, value)
    if chosen == "between":
        between = condition.between
        low = between.low if between.HasField("low") else None
        high = between.high if between.HasField("high") else None
        return RangeCondition(condition.column, low, high)
    raise InvalidInput(
        f"condition on '{condition.column}' needs `equals` or `between`",
        field="conditions",
        metadata={"column": condition.column},
    )


_TRAINING_DATA = {
    "train_part": pb.TRAINING_DATA_TRAIN_PART,
    "full_dataset": pb.TRAINING_DATA_FULL_DATASET,
}


def synthesizer_to_proto(synthesizer: Synthesizer) -> pb.Synthesizer:
    report = synthesizer.report
    return pb.Synthesizer(
        id=synthesizer.id,
        display_name=synthesizer.display_name,
        dataset_id=synthesizer.dataset_id,
        kind=pb.SynthesizerKind.Value(f"SYNTHESIZER_KIND_{synthesizer.kind.upper()}"),
        hyperparameters=struct(synthesizer.hyperparameters),
        constraints=[constraint_to_proto(c) for c in synthesizer.constraints],
        metadata=struct(synthesizer.metadata),
        training_rows=report.get("rows", {}),
        warnings=report.get("warnings", []),
        epochs_completed=report.get("epochs_completed") or 0,
        training_seconds=report.get("seconds", 0.0),
        training_data=_TRAINING_DATA.get(report.get("training_data"), pb.TRAINING_DATA_UNSPECIFIED),
        holdout=struct(report.get("holdout") or {}),
        job_id=synthesizer.job_id,
        engine=synthesizer.engine,
        creator=synthesizer.creator,
        create_time=timestamp(synthesizer.create_time),
        project=synthesizer.project,
    )


def engine_to_proto(engine: EngineInfo) -> pb.Engine:
    return pb.Engine(
        name=engine.name,
        version=engine.version,
        licence=engine.licence,
        kinds=[pb.SynthesizerKind.Value(f"SYNTHESIZER_KIND_{k.upper()}") for k in engine.kinds],
        available=engine.available,
    )


def _sample_spec(request) -> SampleSpec:
    return SampleSpec(
        num_rows=request.num_rows,
        seed=request.seed,
        conditions=tuple(condition_from_proto(c) for c in request.conditions),
        scale=getattr(request, "scale", 0.0),
        num_sequences=getattr(request, "num_sequences", 0),
    )


def _encoded_chunks(frames, table_format: int, keep_formulas: bool):
    """Sampled DataFrames as bytes: CSV with one header (formula-like cells neutralised unless
    `keep_formulas`), or one Arrow IPC stream per chunk."""
    first = True
    for frame in frames:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        sink = io.BytesIO()
        if table_format == table_pb2.TABLE_FORMAT_ARROW_IPC:
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
        else:
            options = pacsv.WriteOptions(include_header=first)
            shown = table if keep_formulas else neutralise_formulas(table)
            pacsv.write_csv(shown, sink, write_options=options)
        first = False
        yield sink.getvalue()


class SynthesisServicer(synthesis_service_pb2_grpc.SynthesisServiceServicer):
    def __init__(
        self, catalog: DatasetCatalog, synthesizers: SynthesizerCatalog, guard: ReleaseGuard
    ) -> None:
        self._catalog = catalog
        self._synthesizers = synthesizers
        self._guard = guard

    def UpdateDatasetMetadata(self, request, context):
        metadata = struct_to_dict(request.metadata)
        return dataset_to_proto(self._catalog.update_metadata(request.dataset_id, metadata))

    def TrainSynthesizer(self, request, context):
        # An unset kind is `auto`: the service chooses one for the dataset.
        kind = AUTO if request.kind == pb.SYNTHESIZER_KIND_UNSPECIFIED else _kind_name(request.kind)
        privacy = None
        if request.HasField("differential_privacy"):
            privacy = json_format.MessageToDict(
                request.differential_privacy, preserving_proto_field_name=True
            )
        job = self._synthesizers.request_training(
            request.dataset_id,
            kind,
            hyperparameters=_hyperparameters(request, kind),
            constraints=[constraint_from_proto(c) for c in request.constraints],
            display_name=request.display_name,
            privacy=privacy,
            use_full_dataset=request.use_full_dataset,
            holdout_stratify_column=request.holdout_stratify_column,
        )
        return job_to_proto(job)

    def GetSynthesizer(self, request, context):
        return synthesizer_to_proto(self._synthesizers.get(request.synthesizer_id))

    def ListSynthesizers(self, request, context):
        found, token = self._synthesizers.list(
            request.page_size,
            request.page_token,
            dataset_id=request.dataset_id,
            project=request.project,
        )
        return pb.ListSynthesizersResponse(
            synthesizers=[synthesizer_to_proto(s) for s in found], next_page_token=token
        )

    def DeleteSynthesizer(self, request, context):
        self._synthesizers.delete(request.synthesizer_id)
        return empty_pb2.Empty()

    def SampleSynthesizer(self, request, context):
        job = self._synthesizers.request_sampling(
            request.synthesizer_id,
            _sample_spec(request),
            display_name=request.display_name,
            dataset_id=request.dataset_id,
        )
        return job_to_proto(job)

    def StreamSample(self, request, context):
        self._guard.check_stream(self._synthesizers.get(request.synthesizer_id).id)
        frames = self._synthesizers.stream(request.synthesizer_id, _sample_spec(request))
        for data in _encoded_chunks(frames, request.format, request.keep_formulas):
            yield pb.DatasetChunk(table="table", data=data)

    def CreateDataset(self, request, context):
        dataset = self._catalog.create(
            request.content,
            _FORMATS.get(request.format),
            display_name=request.display_name,
            creator=current_principal().id,
            project=request.project,
        )
        return dataset_to_proto(dataset)

    def UploadDataset(self, request_iterator, context):
        dataset = self._catalog.upload(
            _upload_parts(request_iterator), creator=current_principal().id
        )
        return dataset_to_proto(dataset)

    def DownloadDataset(self, request, context):
        self._guard.check_download(self._catalog.get(request.dataset_id))
        table_format = _FORMATS.get(request.format, TableFormat.PARQUET)
        pieces = self._catalog.download(
            request.dataset_id, request.table, table_format, keep_formulas=request.keep_formulas
        )
        for table, data in pieces:
            yield pb.DatasetChunk(table=table, data=data)

    def GetDataset(self, request, context):
        return dataset_to_proto(self._catalog.get(request.dataset_id))

    def ListDatasets(self, request, context):
        found, token = self._catalog.list(
            request.page_size, request.page_token, request.filter, project=request.project
        )
        return pb.ListDatasetsResponse(
            datasets=[dataset_to_proto(d) for d in found], next_page_token=token
        )

    def DeleteDataset(self, request, context):
        self._synthesizers.delete_dataset(request.dataset_id, force=request.force)
        return empty_pb2.Empty()

    def ListEngines(self, request, context):
        return pb.ListEnginesResponse(
            engines=[engine_to_proto(e) for e in self._synthesizers.engines()]
        )
