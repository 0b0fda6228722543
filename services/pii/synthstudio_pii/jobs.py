"""The pii service's dataset jobs: each use case checks its request, queues a job whose params
are plain domain values (never request messages), and its handler reads them back, runs the
dataset work and returns the result in its documented JSON shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.jobs.runner import JobContext, JobHandler, JobQueue
from synthstudio_libs.jobs.store import Job
from synthstudio_pii import convert
from synthstudio_pii.anonymize import ColumnPolicy
from synthstudio_pii.datasets import PiiDatasets
from synthstudio_pii.recognizers import (
    RecognizerSelection,
    recognizer_from_dict,
    recognizer_to_dict,
)

SCAN_DATASET = "pii.scan_dataset"
SCAN_COLUMN = "pii.scan_column"
ANONYMIZE_DATASET = "pii.anonymize_dataset"

Policies = Mapping[str, Mapping[str, ColumnPolicy]]


def may_decrypt() -> bool:
    """Whether the principal served (or the job's creator) may re-identify (admins)."""
    return current_principal().role is Role.ADMIN


class PiiJobs:
    """Starts the dataset scans and anonymizations as jobs, and runs them."""

    def __init__(self, datasets: PiiDatasets, queue: JobQueue) -> None:
        self._datasets = datasets
        self._queue = queue

    def start_scan(
        self, dataset_id: str, selection: RecognizerSelection | None, sample_rows: int
    ) -> Job:
        self._datasets.check_scan(dataset_id, selection, sample_rows)
        params = {
            "dataset_id": dataset_id,
            "selection": selection_to_params(selection),
            "sample_rows": sample_rows,
        }
        return self._queue.enqueue(SCAN_DATASET, params, resource=_resource(dataset_id))

    def start_column_scan(
        self, dataset_id: str, table: str, column: str, selection: RecognizerSelection | None
    ) -> Job:
        self._datasets.check_scan_column(dataset_id, table, column, selection)
        params = {
            "dataset_id": dataset_id,
            "table": table,
            "column": column,
            "selection": selection_to_params(selection),
        }
        return self._queue.enqueue(SCAN_COLUMN, params, resource=_resource(dataset_id))

    def start_anonymize(
        self,
        dataset_id: str,
        policies: Policies,
        selection: RecognizerSelection | None,
        display_name: str,
    ) -> Job:
        self._datasets.check_anonymize(
            dataset_id, policies, selection=selection, may_decrypt=may_decrypt()
        )
        params = {
            "dataset_id": dataset_id,
            "policies": policies_to_params(policies),
            "selection": selection_to_params(selection),
            "display_name": display_name,
        }
        return self._queue.enqueue(ANONYMIZE_DATASET, params, resource=_resource(dataset_id))

    def handlers(self) -> dict[str, JobHandler]:
        return {
            SCAN_DATASET: self._scan_dataset,
            SCAN_COLUMN: self._scan_column,
            ANONYMIZE_DATASET: self._anonymize_dataset,
        }

    def _scan_dataset(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        scan = self._datasets.scan(
            params["dataset_id"],
            selection=selection_from_params(params["selection"]),
            sample_rows=params["sample_rows"],
            progress=context.progress,
        )
        return convert.dataset_scan_result(scan)

    def _scan_column(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        scan = self._datasets.scan_column(
            params["dataset_id"],
            params["table"],
            params["column"],
            selection=selection_from_params(params["selection"]),
            progress=context.progress,
        )
        return convert.column_scan_result(scan)

    def _anonymize_dataset(self, context: JobContext) -> dict[str, Any]:
        params = context.job.params
        result = self._datasets.anonymize(
            params["dataset_id"],
            policies_from_params(params["policies"]),
            selection=selection_from_params(params["selection"]),
            display_name=params["display_name"],
            may_decrypt=may_decrypt(),
            progress=context.progress,
        )
        return convert.anonymized_dataset_result(result)


def selection_to_params(selection: RecognizerSelection | None) -> dict[str, Any] | None:
    if selection is None:
        return None
    return {
        "templates": list(selection.templates),
        "custom": [recognizer_to_dict(recognizer) for recognizer in selection.custom],
        "saved": list(selection.saved),
    }


def selection_from_params(values: Mapping[str, Any] | None) -> RecognizerSelection | None:
    if values is None:
        return None
    return RecognizerSelection(
        templates=tuple(values["templates"]),
        custom=tuple(recognizer_from_dict(recognizer) for recognizer in values["custom"]),
        saved=tuple(values["saved"]),
    )


def policies_to_params(policies: Policies) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        table: {
            column: {
                "operator": policy.operator,
                "params": dict(policy.params),
                "entity_type": policy.entity_type,
            }
            for column, policy in columns.items()
        }
        for table, columns in policies.items()
    }


def policies_from_params(values: Mapping[str, Any]) -> dict[str, dict[str, ColumnPolicy]]:
    return {
        table: {column: ColumnPolicy(**policy) for column, policy in columns.items()}
        for table, columns in values.items()
    }


def _resource(dataset_id: str) -> str:
    return f"datasets/{dataset_id}"
