"""The synthesis service's datasets as the core's `DatasetSource`."""

from __future__ import annotations

import pandas as pd

from synthstudio_evaluation.sources import DatasetInfo
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict


class SynthesisDatasets:
    """Describes and reads datasets through `DatasetClient` (errors arrive as domain errors)."""

    def __init__(self, client: DatasetClient) -> None:
        self._client = client

    def describe(self, dataset_id: str) -> DatasetInfo:
        dataset = self._client.get(dataset_id)
        return DatasetInfo(
            id=dataset.id,
            display_name=dataset.display_name,
            columns={table.name: [c.name for c in table.columns] for table in dataset.tables},
            rows={table.name: table.row_count for table in dataset.tables},
            metadata=struct_to_dict(dataset.metadata),
        )

    def read_tables(self, dataset_id: str) -> dict[str, pd.DataFrame]:
        return self._client.read_tables(dataset_id)
