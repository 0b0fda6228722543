"""The Synth Studio client: datasets, PII scans, synthesizers, samples, evaluation reports,
privacy budgets, the assistant and its reviews, over the services' gRPC APIs.

```python
from synthstudio_sdk import Client

client = Client()                                  # the local suite, stored sign-in
dataset = client.datasets.upload("cps.csv")        # streamed, memory stays flat
job = client.synthesizers.train(dataset, kind="gaussian_copula")
job = client.jobs.wait(job, progress=True)         # live progress bar
synthesizer_id = job_result(job)["synthesizer_id"]
sample = client.sample(synthesizer_id, rows=1000, seed=7, out="synthetic.csv")
report = client.jobs.wait(client.evaluate(dataset.id, sample.dataset_id, target="wage"))
client.reports.download(job_result(report)["report_id"], "pdf", "report.pdf")
```
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import json_format

from synthstudio.evaluation.v1 import evaluation_service_pb2 as evaluation_pb
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.llm.v1 import llm_service_pb2 as llm_pb
from synthstudio.pii.v1 import pii_service_pb2 as pii_pb
from synthstudio.privacy.v1 import privacy_service_pb2 as privacy_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio_libs.csv_cells import neutralise_formulas
from synthstudio_sdk import files
from synthstudio_sdk.admin import Projects, Users
from synthstudio_sdk.credentials import CredentialStore, StoredLogin
from synthstudio_sdk.endpoints import Endpoints
from synthstudio_sdk.errors import AlreadyExists, NotFound, UsageError
from synthstudio_sdk.jobs import Job, Jobs, job_result
from synthstudio_sdk.messages import enum_short_names, enum_value_name, message_from, value_from
from synthstudio_sdk.releases import Releases
from synthstudio_sdk.transport import (
    DEFAULT_TIMEOUT_SECONDS,
    Connection,
    RetryPolicy,
    SessionAuth,
    StaticAuth,
)

Dataset = synthesis_pb.Dataset
Synthesizer = synthesis_pb.Synthesizer
Report = evaluation_pb.Report
Artifact = llm_pb.Artifact
PrivacyBudget = privacy_pb.PrivacyBudget
ScanDatasetResult = pii_pb.ScanDatasetResult

TOKEN_VARIABLE = "SYNTHSTUDIO_TOKEN"
API_KEY_VARIABLE = "SYNTHSTUDIO_API_KEY"
RETRIES_VARIABLE = "SYNTHSTUDIO_RETRIES"
_KIND_ENUM = synthesis_pb.SynthesizerKind.DESCRIPTOR
_REPORT_FORMATS = {
    "json": evaluation_pb.EXPORT_FORMAT_JSON,
    "html": evaluation_pb.EXPORT_FORMAT_HTML,
    "pdf": evaluation_pb.EXPORT_FORMAT_PDF,
}
_ARTIFACT_FORMATS = {"json": llm_pb.EXPORT_FORMAT_JSON, "pdf": llm_pb.EXPORT_FORMAT_PDF}


def _id(value: Any, attribute: str = "id") -> str:
    """The id of a resource given as its message or as its id."""
    found = value if isinstance(value, str) else getattr(value, attribute, "")
    if not found:
        raise UsageError(f"expected an id or a resource with an `{attribute}`, got {value!r}")
    return found


def synthesizer_kinds() -> list[str]:
    """The kinds `train` accepts: gaussian_copula, ctgan, tvae, copulagan, hma, par, dp_tvae,
    dp_ctgan, dp_mst, dp_aim, dp (the privacy service chooses the mechanism), tabular_argn, and
    auto (the service chooses)."""
    return enum_short_names(_KIND_ENUM)


def _paged(fetch, field: str, limit: int | None) -> list:
    """Every item of a paged list method, up to `limit`."""
    found: list = []
    token = ""
    while limit is None or len(found) < limit:
        size = 500 if limit is None else min(500, limit - len(found))
        reply = fetch(size, token)
        found.extend(getattr(reply, field))
        token = reply.next_page_token
        if not token:
            break
    return found if limit is None else found[:limit]


@dataclass(frozen=True)
class Between:
    """A sampling condition on a numeric column: low <= value <= high (None: open)."""

    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Sample:
    """What `Client.sample` produced: the synthetic dataset, the job, and the file written."""

    dataset_id: str
    job_id: str
    rows: int
    seed: int
    paths: tuple[Path, ...] = ()
    # The real dataset the synthesizer was trained on (what to evaluate against).
    derived_from: str = ""

    @property
    def path(self) -> Path | None:
        return self.paths[0] if self.paths else None


def _seed(seed: int | None) -> int:
    """The seed to send: as given (the same seed gives the same rows), else a fresh one."""
    return secrets.randbelow(2**31) if seed is None else seed


def sample_conditions(
    conditions: Mapping[str, Any] | Iterable[tuple[str, Any]] | None,
) -> list[synthesis_pb.SampleCondition]:
    """SampleConditions from {column: value} or (column, value) pairs; a value is a JSON
    scalar (every row has it) or a Between / (low, high) tuple (a numeric range)."""
    if not conditions:
        return []
    pairs = conditions.items() if isinstance(conditions, Mapping) else conditions
    found = []
    for column, value in pairs:
        if isinstance(value, tuple) and len(value) == 2:
            value = Between(*value)
        if isinstance(value, Between):
            if value.low is None and value.high is None:
                raise UsageError(f"condition on {column}: a range needs a low or a high bound")
            between = synthesis_pb.NumericRange()
            if value.low is not None:
                between.low = float(value.low)
            if value.high is not None:
                between.high = float(value.high)
            found.append(synthesis_pb.SampleCondition(column=column, between=between))
        else:
            found.append(synthesis_pb.SampleCondition(column=column, equals=value_from(value)))
    return found


class Datasets:
    """`client.datasets`: tables in and out, streamed in chunks both ways."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upload(
        self,
        path: str | os.PathLike | Mapping[str, str | os.PathLike],
        name: str | None = None,
        *,
        format: str | None = None,
        metadata: dict[str, Any] | None = None,
        project: str = "",
    ) -> Dataset:
        """Uploads a CSV or Parquet file (`.csv`, `.csv.gz`, `.parquet`), or several as one
        multi-table dataset ({table: path}, keys and relationships in `metadata`). The file
        is read and sent a chunk at a time; the service converts CSV to Parquet batch by
        batch and scans it for personal data. `name` defaults to the file's name; `project`
        (name or id) defaults to your only project, else the default one."""
        if isinstance(path, Mapping):
            if not path:
                raise UsageError("no files to upload")
            tables = {table: Path(p) for table, p in path.items()}
        else:
            single = Path(path)
            tables = {files.table_name(single): single}
        sources = {
            table: (files.check_readable(p), files.format_of(p, format))
            for table, p in tables.items()
        }
        if name is None:
            name = next(iter(tables.values())).name.split(".", 1)[0] if len(tables) == 1 else ""
        return self._connection.client_stream(
            "synthesis",
            "UploadDataset",
            lambda: files.upload_requests(
                sources, display_name=name, metadata=metadata, project=project
            ),
        )

    def create(
        self,
        tables: Mapping[str, Any],
        name: str = "",
        *,
        metadata: dict[str, Any] | None = None,
        derived_from: str = "",
    ) -> Dataset:
        """Uploads in-memory tables ({name: pandas.DataFrame or pyarrow.Table}), streamed as
        Parquet chunks."""
        from synthstudio_libs.datasets_client import as_arrow, upload_requests
        from synthstudio_libs.errors import InvalidInput

        try:
            arrow = as_arrow(dict(tables))
        except InvalidInput as exc:
            raise UsageError(exc.message) from None
        return self._connection.client_stream(
            "synthesis",
            "UploadDataset",
            lambda: upload_requests(
                arrow, display_name=name, derived_from=derived_from, metadata=metadata
            ),
        )

    def get(self, dataset_id: str) -> Dataset:
        return self._connection.unary(
            "synthesis", "GetDataset", synthesis_pb.GetDatasetRequest(dataset_id=dataset_id)
        )

    def list(
        self, *, limit: int | None = 100, name_contains: str = "", project: str = ""
    ) -> list[Dataset]:
        """Datasets, newest first (all of them with limit=None); with `name_contains`, only
        those whose display name contains it, ignoring case; with `project` (name or id), only
        that project's (default: every project of yours)."""
        return _paged(
            lambda size, token: self._connection.unary(
                "synthesis",
                "ListDatasets",
                synthesis_pb.ListDatasetsRequest(
                    page_size=size, page_token=token, filter=name_contains, project=project
                ),
            ),
            "datasets",
            limit,
        )

    def delete(self, dataset_id: str, *, force: bool = False) -> None:
        """Deletes a dataset; with `force`, also the synthesizers trained on it (without it,
        such a dataset is refused)."""
        self._connection.unary(
            "synthesis",
            "DeleteDataset",
            synthesis_pb.DeleteDatasetRequest(dataset_id=dataset_id, force=force),
        )

    def update_metadata(self, dataset_id: str, metadata: dict[str, Any]) -> Dataset:
        """Replaces the dataset's SDV metadata (sdtypes, keys, relationships)."""
        request = synthesis_pb.UpdateDatasetMetadataRequest(dataset_id=dataset_id)
        request.metadata.update(metadata)
        return self._connection.unary("synthesis", "UpdateDatasetMetadata", request)

    def download(
        self,
        dataset_id: str,
        path: str | os.PathLike,
        format: str | None = None,
        *,
        table: str = "",
        keep_formulas: bool = False,
    ) -> list[Path]:
        """Streams the dataset to `path` and returns the files written. One table: `path` is
        the file (or a directory to put `<table>.<format>` in); several tables: `path` is a
        directory (an existing one, or a path ending in `/`). `format` is csv or parquet, by
        default from the file name, else parquet. In CSV, cells a spreadsheet would run as
        formulas get a leading `'` unless `keep_formulas`."""
        target = Path(path)
        dataset = self.get(dataset_id)
        several = not table and len(dataset.tables) > 1
        named_as_directory = str(path).endswith(("/", os.sep))
        directory = several or named_as_directory or target.is_dir()
        if format is None and not directory and target.suffix:
            fmt = files.format_of(target)
        else:
            fmt = files.format_of(target, format or "parquet")
        request = synthesis_pb.DownloadDatasetRequest(
            dataset_id=dataset_id,
            table=table,
            format=files.FORMATS[fmt],
            keep_formulas=keep_formulas,
        )
        writer = files.TableWriter(target, directory=directory, extension=fmt)
        try:
            for chunk in self._connection.server_stream("synthesis", "DownloadDataset", request):
                writer.write(chunk)
            if fmt == "parquet":
                # A stored table's bytes are served as they are: their digest must match.
                writer.verify(_stored_digests(dataset, table))
            return writer.commit()
        except BaseException:
            writer.abort()
            raise

    def read(self, dataset_id: str, *, table: str = "") -> dict[str, Any]:
        """The dataset's tables as pandas DataFrames, {table: DataFrame}."""
        import pyarrow.parquet as pq

        buffers: dict[str, io.BytesIO] = {}
        current = ""
        request = synthesis_pb.DownloadDatasetRequest(
            dataset_id=dataset_id, table=table, format=files.FORMATS["parquet"]
        )
        for chunk in self._connection.server_stream("synthesis", "DownloadDataset", request):
            current = chunk.table or current
            buffers.setdefault(current, io.BytesIO()).write(chunk.data)
        received = {n: hashlib.sha256(b.getbuffer()).hexdigest() for n, b in buffers.items()}
        files.verify_digests(_stored_digests(self.get(dataset_id), table), received)
        return {name: pq.read_table(buffer).to_pandas() for name, buffer in buffers.items()}


def _stored_digests(dataset: Dataset, table: str) -> dict[str, str]:
    return {t.name: t.sha256 for t in dataset.tables if not table or t.name == table}


class Synthesizers:
    """`client.synthesizers`: train, inspect, delete, and stream samples."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def train(
        self,
        dataset: Dataset | str,
        kind: str = "auto",
        *,
        epochs: int | None = None,
        epsilon: float | None = None,
        delta: float | None = None,
        name: str = "",
        constraints: Sequence[Mapping[str, Any]] = (),
        accountant: str = "",
        public_categories: Mapping[str, Sequence[str]] | None = None,
        public_bounds: Mapping[str, tuple[float, float]] | None = None,
        **hyperparameters: Any,
    ) -> Job:
        """Starts training a synthesizer on a dataset and returns the job; its result names
        the synthesizer (`job_result(job)["synthesizer_id"]`). `kind` is one of
        `synthesizer_kinds()` (`auto`, the default, lets the service choose for the dataset
        and says why in the job's result; it takes no hyperparameters); the DP kinds (dp, which
        lets the privacy service choose the mechanism, dp_aim, dp_mst, dp_tvae, dp_ctgan) need
        `epsilon` and `delta`, spent from the dataset's privacy budget, and take only
        `public_categories` ({column: [every value]}) and `public_bounds` ({column: (low,
        high)}, datetimes in seconds since the Unix epoch): facts known without the data,
        which cost no budget. Other keyword arguments are the kind's hyperparameters (e.g.
        `batch_size=500`, `default_distribution="beta"`); `constraints` are Constraint
        messages as dicts (e.g. `{"inequality": {"low_column": "a", "high_column": "b"}}`)."""
        kind_name = enum_value_name(_KIND_ENUM, kind)
        short = kind_name.removeprefix("SYNTHESIZER_KIND_").lower()
        # `auto` with a budget is differentially private: the privacy service chooses.
        private = (
            short == "dp" or short.startswith("dp_") or (short == "auto" and epsilon is not None)
        )
        if short == "auto" and (hyperparameters or epochs is not None):
            raise UsageError("hyperparameters and epochs need a kind: name it with kind=...")
        request = synthesis_pb.TrainSynthesizerRequest(
            dataset_id=_id(dataset),
            kind=synthesis_pb.SynthesizerKind.Value(kind_name),
            display_name=name,
        )
        if private:
            if epsilon is None or delta is None:
                raise UsageError(f"{short} is differentially private: give epsilon and delta")
            privacy = request.differential_privacy
            privacy.epsilon, privacy.delta, privacy.accountant = epsilon, delta, accountant
            if epochs is not None:
                privacy.epochs = epochs
            for column, categories in (public_categories or {}).items():
                privacy.public_columns[column].categories.extend(str(c) for c in categories)
            for column, (low, high) in (public_bounds or {}).items():
                privacy.public_columns[column].lower = float(low)
                privacy.public_columns[column].upper = float(high)
        elif epsilon is not None or delta is not None or accountant:
            raise UsageError(f"epsilon, delta and accountant apply to the dp kinds, not {short}")
        elif public_categories or public_bounds:
            raise UsageError(f"public categories and bounds apply to the dp kinds, not {short}")
        values = dict(hyperparameters)
        if private and values:
            raise UsageError(
                f"{short} takes epochs, epsilon, delta and accountant, not "
                + ", ".join(sorted(values))
            )
        if epochs is not None and not private:
            if short in ("gaussian_copula", "hma"):
                raise UsageError(f"{short} does not train in epochs")
            if short == "copulagan":
                values.setdefault("ctgan", {})["epochs"] = epochs
            else:
                values["epochs"] = epochs
        if values:
            field = short  # the hyperparameters message is named after its kind
            message_class = type(getattr(request, field))
            getattr(request, field).CopyFrom(message_from(message_class, values, field))
        for index, constraint in enumerate(constraints):
            request.constraints.append(
                message_from(synthesis_pb.Constraint, constraint, f"constraints[{index}]")
            )
        return self._connection.unary("synthesis", "TrainSynthesizer", request)

    def engines(self) -> list[synthesis_pb.Engine]:
        """The deployment's synthesizer engines: name, version, licence and kinds."""
        reply = self._connection.unary(
            "synthesis", "ListEngines", synthesis_pb.ListEnginesRequest()
        )
        return list(reply.engines)

    def get(self, synthesizer_id: str) -> Synthesizer:
        return self._connection.unary(
            "synthesis",
            "GetSynthesizer",
            synthesis_pb.GetSynthesizerRequest(synthesizer_id=synthesizer_id),
        )

    def list(
        self, *, dataset_id: str = "", limit: int | None = 100, project: str = ""
    ) -> list[Synthesizer]:
        """Synthesizers, newest first, optionally only those trained on one dataset."""
        return _paged(
            lambda size, token: self._connection.unary(
                "synthesis",
                "ListSynthesizers",
                synthesis_pb.ListSynthesizersRequest(
                    page_size=size, page_token=token, dataset_id=dataset_id, project=project
                ),
            ),
            "synthesizers",
            limit,
        )

    def delete(self, synthesizer_id: str) -> None:
        self._connection.unary(
            "synthesis",
            "DeleteSynthesizer",
            synthesis_pb.DeleteSynthesizerRequest(synthesizer_id=synthesizer_id),
        )

    def start_sample(
        self,
        synthesizer_id: str,
        rows: int = 0,
        *,
        seed: int | None = None,
        conditions: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        name: str = "",
        scale: float = 0.0,
        sequences: int = 0,
    ) -> Job:
        """Starts sampling into a new dataset (SampleSynthesizer); the job's result names it
        (`dataset_id`). Multi-table synthesizers take `scale`, sequential ones `sequences`.
        Without a seed, a random one is drawn (the job's params record it)."""
        request = synthesis_pb.SampleSynthesizerRequest(
            synthesizer_id=synthesizer_id,
            num_rows=rows,
            seed=_seed(seed),
            conditions=sample_conditions(conditions),
            display_name=name,
            scale=scale,
            num_sequences=sequences,
        )
        return self._connection.unary("synthesis", "SampleSynthesizer", request)

    def stream_sample(
        self,
        synthesizer_id: str,
        rows: int,
        path: str | os.PathLike,
        *,
        seed: int | None = None,
        conditions: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        format: str | None = None,
        keep_formulas: bool = False,
    ) -> Path:
        """Samples rows straight into a CSV or Parquet file (StreamSample, no dataset is
        stored), batch by batch. In CSV, cells a spreadsheet would run as formulas get a
        leading `'` unless `keep_formulas`."""
        import pyarrow as pa
        import pyarrow.csv as pa_csv
        import pyarrow.parquet as pq

        from synthstudio.common.v1 import table_pb2

        target = Path(path)
        fmt = files.format_of(target, format)
        request = synthesis_pb.StreamSampleRequest(
            synthesizer_id=synthesizer_id,
            num_rows=rows,
            seed=_seed(seed),
            conditions=sample_conditions(conditions),
            format=table_pb2.TABLE_FORMAT_ARROW_IPC,
        )
        partial = target.with_name(f".{target.name}.part")
        writer = None
        try:
            for chunk in self._connection.server_stream("synthesis", "StreamSample", request):
                batch_table = pa.ipc.open_stream(chunk.data).read_all()
                if writer is None:
                    writer = (
                        pa_csv.CSVWriter(str(partial), batch_table.schema)
                        if fmt == "csv"
                        else pq.ParquetWriter(str(partial), batch_table.schema)
                    )
                if fmt == "csv" and not keep_formulas:
                    batch_table = neutralise_formulas(batch_table)
                writer.write_table(batch_table)
            if writer is None:
                raise UsageError("the service sent no rows")
            writer.close()
            writer = None
            os.replace(partial, target)
            return target
        finally:
            if writer is not None:
                writer.close()
            if partial.exists():
                partial.unlink()


class Pii:
    """`client.pii`: scans of stored datasets for personal data."""

    def __init__(self, connection: Connection, jobs: Jobs) -> None:
        self._connection = connection
        self._jobs = jobs

    def start_scan(self, dataset_id: str, *, sample_rows: int = 0) -> Job:
        """Starts a full scan (ScanDataset) and returns its job."""
        return self._connection.unary(
            "pii",
            "ScanDataset",
            pii_pb.ScanDatasetRequest(dataset_id=dataset_id, sample_rows=sample_rows),
        )

    def scan(
        self, dataset_id: str, *, sample_rows: int = 0, progress: bool = False
    ) -> ScanDatasetResult:
        """Scans every column of every table and returns the verdicts when done."""
        job = self._jobs.wait(
            self.start_scan(dataset_id, sample_rows=sample_rows), progress=progress
        )
        return json_format.ParseDict(
            job_result(job), pii_pb.ScanDatasetResult(), ignore_unknown_fields=True
        )


class Reports:
    """`client.reports`: evaluation reports, read and exported."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, report_id: str) -> Report:
        return self._connection.unary(
            "evaluation", "GetReport", evaluation_pb.GetReportRequest(report_id=report_id)
        )

    def list(self, *, real_dataset_id: str = "", limit: int | None = 100) -> list[Report]:
        return _paged(
            lambda size, token: self._connection.unary(
                "evaluation",
                "ListReports",
                evaluation_pb.ListReportsRequest(
                    page_size=size, page_token=token, real_dataset_id=real_dataset_id
                ),
            ),
            "reports",
            limit,
        )

    def delete(self, report_id: str) -> None:
        self._connection.unary(
            "evaluation", "DeleteReport", evaluation_pb.DeleteReportRequest(report_id=report_id)
        )

    def download(
        self, report_id: str, format: str = "html", path: str | os.PathLike | None = None
    ) -> Path:
        """Writes the report as html (plots embedded), pdf or json to `path` (a file, or a
        directory for the service's file name; default the current directory)."""
        fmt = format.lower()
        if fmt not in _REPORT_FORMATS:
            raise UsageError(f"unknown report format {format!r}: use html, pdf or json")
        exported = self._connection.unary(
            "evaluation",
            "ExportReport",
            evaluation_pb.ExportReportRequest(report_id=report_id, format=_REPORT_FORMATS[fmt]),
        )
        return files.write_exported(exported, path)


class Artifacts:
    """`client.artifacts`: what the assistant wrote (drafts until a reviewer approves)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @staticmethod
    def features() -> list[str]:
        """The assistant's features: schema_from_description, explain_evaluation, …"""
        return [
            f.name for f in llm_pb.CreateArtifactRequest.DESCRIPTOR.oneofs_by_name["input"].fields
        ]

    @staticmethod
    def input_type(feature: str) -> type:
        """The input message of a feature (its fields are `assist`'s keyword arguments)."""
        name = feature.strip().lower().replace("-", "_").removeprefix("feature_")
        field = llm_pb.CreateArtifactRequest.DESCRIPTOR.fields_by_name.get(name)
        if field is None or field.containing_oneof is None:
            raise UsageError(
                f"unknown assistant feature {feature!r}: use one of "
                + ", ".join(Artifacts.features())
            )
        return type(getattr(llm_pb.CreateArtifactRequest(), name))

    def create(self, feature: str, **inputs: Any) -> Job:
        """Asks the assistant; the job's result names the artifact (`artifact_id`)."""
        input_class = self.input_type(feature)
        name = feature.strip().lower().replace("-", "_").removeprefix("feature_")
        request = llm_pb.CreateArtifactRequest()
        getattr(request, name).CopyFrom(message_from(input_class, inputs, name))
        return self._connection.unary("llm", "CreateArtifact", request)

    def get(self, artifact_id: str) -> Artifact:
        return self._connection.unary(
            "llm", "GetArtifact", llm_pb.GetArtifactRequest(artifact_id=artifact_id)
        )

    def export(
        self, artifact_id: str, format: str = "pdf", path: str | os.PathLike | None = None
    ) -> Path:
        """Writes an APPROVED artifact as pdf or json."""
        fmt = format.lower()
        if fmt not in _ARTIFACT_FORMATS:
            raise UsageError(f"unknown artifact format {format!r}: use pdf or json")
        exported = self._connection.unary(
            "llm",
            "ExportArtifact",
            llm_pb.ExportArtifactRequest(artifact_id=artifact_id, format=_ARTIFACT_FORMATS[fmt]),
        )
        return files.write_exported(exported, path)


class Reviews:
    """`client.reviews`: a reviewer approves or rejects what the assistant drafted."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def list(
        self,
        *,
        state: str | None = "draft",
        feature: str | None = None,
        creator: str = "",
        limit: int | None = 100,
    ) -> list[Artifact]:
        """Artifacts waiting for review (state `draft`), or in another state (`approved`,
        `rejected`, `changes_requested`; None for all)."""
        request = llm_pb.ListArtifactsRequest(creator=creator)
        if state:
            request.state = llm_pb.ArtifactState.Value(
                enum_value_name(llm_pb.ArtifactState.DESCRIPTOR, state)
            )
        if feature:
            request.feature = llm_pb.Feature.Value(
                enum_value_name(llm_pb.Feature.DESCRIPTOR, feature)
            )

        def fetch(size, token):
            request.page_size, request.page_token = size, token
            return self._connection.unary("llm", "ListArtifacts", request)

        return _paged(fetch, "artifacts", limit)

    def _review(self, artifact_id: str, decision: int, comment: str) -> Artifact:
        return self._connection.unary(
            "llm",
            "ReviewArtifact",
            llm_pb.ReviewArtifactRequest(
                artifact_id=artifact_id, decision=decision, comment=comment
            ),
        )

    def approve(self, artifact_id: str, comment: str = "") -> Artifact:
        return self._review(artifact_id, llm_pb.REVIEW_DECISION_APPROVE, comment)

    def reject(self, artifact_id: str, comment: str) -> Artifact:
        """Rejects an artifact; the comment says why (required)."""
        return self._review(artifact_id, llm_pb.REVIEW_DECISION_REJECT, comment)

    def request_changes(self, artifact_id: str, comment: str) -> Artifact:
        return self._review(artifact_id, llm_pb.REVIEW_DECISION_REQUEST_CHANGES, comment)


class Client:
    """A connection to a Synth Studio deployment.

    `url`: see `synthstudio_sdk.endpoints` (default `SYNTHSTUDIO_URL`, else the local suite).
    Credentials, first found: `token` or `api_key` (sent as `authorization: Bearer …`),
    `SYNTHSTUDIO_TOKEN` or `SYNTHSTUDIO_API_KEY`, else the sign-in stored by `login` (refreshed
    automatically). Calls refused as UNAVAILABLE are retried `retries` times (default 5, or
    `SYNTHSTUDIO_RETRIES`) with exponential backoff.
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        api_key: str | None = None,
        *,
        retries: int | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        credentials: CredentialStore | None = None,
    ) -> None:
        if token and api_key:
            raise UsageError("give a token or an API key, not both")
        self.endpoints = Endpoints.resolve(url)
        self._store = credentials or CredentialStore()
        if retries is None:
            retries = _int_variable(RETRIES_VARIABLE, 5)
        secret = token or api_key
        if not secret:
            secret = os.environ.get(TOKEN_VARIABLE) or os.environ.get(API_KEY_VARIABLE)
        auth = StaticAuth(secret) if secret else self._session()
        self._connection = Connection(
            self.endpoints, auth, RetryPolicy(retries=retries), timeout=timeout
        )
        self.jobs = Jobs(self._connection)
        self.datasets = Datasets(self._connection)
        self.synthesizers = Synthesizers(self._connection)
        self.pii = Pii(self._connection, self.jobs)
        self.reports = Reports(self._connection)
        self.artifacts = Artifacts(self._connection)
        self.reviews = Reviews(self._connection)
        self.users = Users(self._connection)
        self.projects = Projects(self._connection)
        self.releases = Releases(self._connection)

    def _session(self) -> SessionAuth:
        return SessionAuth(self._store, self.endpoints.key, self._refresh)

    def _refresh(self, refresh_token: str) -> identity_pb.TokenPair:
        # Not retried: a refresh token works once, and a lost reply must not spend it twice.
        return self._connection.unary(
            "identity",
            "Refresh",
            identity_pb.RefreshRequest(refresh_token=refresh_token),
            authenticated=False,
            retry=False,
        )

    # -- identity ---------------------------------------------------------------------------

    def login(self, email: str, password: str, *, store: bool = True) -> StoredLogin:
        """Signs in (IdentityService.Login); the tokens are stored (0600) for later clients
        and this client uses them from now on, refreshing them as they expire."""
        pair = self._connection.unary(
            "identity",
            "Login",
            identity_pb.LoginRequest(email=email, password=password),
            authenticated=False,
        )
        login = StoredLogin.from_pair(email, pair)
        if store:
            self._store.save(self.endpoints.key, login)
            self._connection.auth = self._session()
        else:
            self._connection.auth = StaticAuth(login.access_token)
        return login

    def logout(self) -> bool:
        """Revokes the stored sign-in at the server and forgets it; False if there was none."""
        login = self._store.load(self.endpoints.key)
        if login is None:
            return False
        try:
            self._connection.unary(
                "identity",
                "Logout",
                identity_pb.LogoutRequest(refresh_token=login.refresh_token),
                authenticated=False,
            )
        finally:
            self._store.remove(self.endpoints.key)
        return True

    def whoami(self) -> identity_pb.Principal:
        """The principal these credentials stand for."""
        return self._connection.unary(
            "identity", "GetCurrentPrincipal", identity_pb.GetCurrentPrincipalRequest()
        )

    def create_api_key(self, name: str, role: str = "viewer") -> identity_pb.ApiKey:
        """A new API key (admins); its `secret` is shown only in this reply."""
        from synthstudio.common.v1 import access_pb2

        role_value = access_pb2.Role.Value(enum_value_name(access_pb2.Role.DESCRIPTOR, role))
        return self._connection.unary(
            "identity", "CreateApiKey", identity_pb.CreateApiKeyRequest(name=name, role=role_value)
        )

    # -- the flow ----------------------------------------------------------------------------

    def sample(
        self,
        synthesizer_id: str,
        rows: int,
        *,
        seed: int | None = None,
        conditions: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        out: str | os.PathLike | None = None,
        format: str | None = None,
        name: str = "",
        progress: bool = False,
    ) -> Sample:
        """Samples `rows` rows into a new dataset (a SampleSynthesizer job, waited for) and,
        with `out`, downloads it there. `conditions`: {column: value} or {column:
        Between(low, high)}; the same `seed` gives the same rows."""
        seed = _seed(seed)
        job = self.synthesizers.start_sample(
            synthesizer_id, rows, seed=seed, conditions=conditions, name=name
        )
        done = self.jobs.wait(job, progress=progress)
        dataset_id = str(job_result(done).get("dataset_id", ""))
        if not dataset_id:
            raise UsageError(f"job {done.id} succeeded without naming a dataset")
        paths = self.datasets.download(dataset_id, out, format) if out is not None else []
        stored = self.datasets.get(dataset_id)
        return Sample(
            dataset_id=dataset_id,
            job_id=done.id,
            rows=stored.row_count,
            seed=seed,
            paths=tuple(paths),
            derived_from=stored.derived_from,
        )

    def ensure_holdout_split(
        self, dataset_id: str, *, holdout_fraction: float = 0.2, seed: int = 0
    ) -> evaluation_pb.HoldoutSplit:
        """The dataset's train/holdout split for evaluation, drawn now if it has none."""
        try:
            return self._connection.unary(
                "evaluation",
                "GetHoldoutSplit",
                evaluation_pb.GetHoldoutSplitRequest(dataset_id=dataset_id),
            )
        except NotFound as missing:
            if missing.reason != "HOLDOUT_SPLIT_NOT_FOUND":
                raise
        try:
            return self._connection.unary(
                "evaluation",
                "CreateHoldoutSplit",
                evaluation_pb.CreateHoldoutSplitRequest(
                    dataset_id=dataset_id, holdout_fraction=holdout_fraction, seed=seed
                ),
            )
        except AlreadyExists:  # drawn meanwhile by another caller
            return self._connection.unary(
                "evaluation",
                "GetHoldoutSplit",
                evaluation_pb.GetHoldoutSplitRequest(dataset_id=dataset_id),
            )

    def evaluate(
        self,
        real_id: str,
        synthetic_id: str,
        target: str | None = None,
        *,
        synthesizer_name: str = "",
        synthesizer_id: str = "",
        holdout_fraction: float = 0.2,
        seed: int = 0,
        **config: Any,
    ) -> Job:
        """Starts an evaluation report of `synthetic_id` against `real_id` and returns the job
        (result: `report_id`, `overall_score`, verdicts). The real dataset's holdout split is
        drawn first if it has none. `target` is the column the utility models predict (no
        target: no utility part); `config` takes the other ReportConfig fields (`task`,
        `sensitive_column`, `parts`, `skip_plots`, `anonymeter_attacks`, …). With
        `synthesizer_id` the service uses the split that synthesizer trained beside (and
        refuses one whose holdout it trained on), so none is drawn here."""
        if not synthesizer_id:
            self.ensure_holdout_split(real_id, holdout_fraction=holdout_fraction, seed=seed)
        values = dict(config)
        if target:
            values["target_column"] = target
        request = evaluation_pb.CreateReportRequest(
            real_dataset_id=real_id,
            synthetic_dataset_id=synthetic_id,
            synthesizer_name=synthesizer_name,
            config=message_from(evaluation_pb.ReportConfig, values, "config"),
            synthesizer_id=synthesizer_id,
        )
        return self._connection.unary("evaluation", "CreateReport", request)

    def budget(self, dataset_id: str) -> PrivacyBudget:
        """The dataset's differential-privacy budget: total, spent and remaining epsilon."""
        return self._connection.unary(
            "privacy",
            "GetPrivacyBudget",
            privacy_pb.GetPrivacyBudgetRequest(dataset_id=dataset_id),
        )

    def dp_synthesizer(self, synthesizer_id: str) -> Any:
        """A differentially private synthesizer (`dps_…`): its kind, guarantee (the epsilon
        charged, by dp-accounting's PLD and RDP accountants, and every DP release), schema."""
        return self._connection.unary(
            "privacy",
            "GetDpSynthesizer",
            privacy_pb.GetDpSynthesizerRequest(synthesizer_id=synthesizer_id),
        )

    def set_budget(
        self, dataset_id: str, epsilon: float, delta: float | None = None
    ) -> PrivacyBudget:
        """Sets the dataset's total privacy budget (admins); `delta` defaults to the current
        total delta. A total below what is already spent is refused."""
        if delta is None:
            delta = self.budget(dataset_id).delta_total
        request = privacy_pb.UpdatePrivacyBudgetRequest(
            dataset_id=dataset_id, epsilon_total=epsilon, delta_total=delta
        )
        return self._connection.unary("privacy", "UpdatePrivacyBudget", request)

    def privacy_spends(self, dataset_id: str, *, limit: int | None = 100) -> list[Any]:
        """What differentially private training has spent of the dataset's budget."""
        return _paged(
            lambda size, token: self._connection.unary(
                "privacy",
                "ListPrivacySpends",
                privacy_pb.ListPrivacySpendsRequest(
                    dataset_id=dataset_id, page_size=size, page_token=token
                ),
            ),
            "spends",
            limit,
        )

    def assist(self, feature: str, *, progress: bool = False, **inputs: Any) -> Artifact:
        """Asks the assistant (one of `client.artifacts.features()`) and returns the draft
        artifact once written, e.g. `client.assist("data_dictionary", dataset_id=ds.id)`."""
        job = self.jobs.wait(self.artifacts.create(feature, **inputs), progress=progress)
        return self.artifacts.get(str(job_result(job)["artifact_id"]))

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _int_variable(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return max(0, int(value))
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {value!r}") from None
