"""The pii service's job kinds: each handler reads its request back from the job's params,
runs the dataset work and returns the result message in its JSON mapping."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format

from synthstudio.pii.v1 import pii_service_pb2 as pb
from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.jobs.runner import JobContext, JobHandler
from synthstudio_pii import convert
from synthstudio_pii.datasets import PiiDatasets

SCAN_DATASET = "pii.scan_dataset"
SCAN_COLUMN = "pii.scan_column"
ANONYMIZE_DATASET = "pii.anonymize_dataset"


def job_params(request: Any) -> dict[str, Any]:
    """A request as a job's params (its JSON mapping, proto field names)."""
    return json_format.MessageToDict(request, preserving_proto_field_name=True)


def may_decrypt() -> bool:
    """Whether the principal served (or the job's creator) may re-identify (admins)."""
    return current_principal().role is Role.ADMIN


def job_handlers(datasets: PiiDatasets) -> dict[str, JobHandler]:
    """The pii job kinds and their handlers."""

    def scan_dataset(context: JobContext) -> dict[str, Any]:
        request = json_format.ParseDict(context.job.params, pb.ScanDatasetRequest())
        scan = datasets.scan(
            request.dataset_id,
            selection=convert.selection_from_proto(request.selection),
            sample_rows=request.sample_rows,
            progress=context.progress,
        )
        return convert.dataset_scan_result(scan)

    def scan_column(context: JobContext) -> dict[str, Any]:
        request = json_format.ParseDict(context.job.params, pb.ScanColumnRequest())
        scan = datasets.scan_column(
            request.dataset_id,
            request.table,
            request.column,
            selection=convert.selection_from_proto(request.selection),
            progress=context.progress,
        )
        return convert.column_scan_result(scan)

    def anonymize_dataset(context: JobContext) -> dict[str, Any]:
        request = json_format.ParseDict(context.job.params, pb.AnonymizeDatasetRequest())
        result = datasets.anonymize(
            request.dataset_id,
            convert.policies_from_proto(request.policies),
            selection=convert.selection_from_proto(request.selection),
            display_name=request.display_name,
            may_decrypt=may_decrypt(),
            progress=context.progress,
        )
        return convert.anonymized_dataset_result(result)

    return {
        SCAN_DATASET: scan_dataset,
        SCAN_COLUMN: scan_column,
        ANONYMIZE_DATASET: anonymize_dataset,
    }
