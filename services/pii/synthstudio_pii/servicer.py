"""PiiService: protobuf <-> the column classifier."""

from __future__ import annotations

import pandas as pd

from synthstudio.pii.v1 import pii_service_pb2 as pb
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio_libs.errors import InvalidInput
from synthstudio_pii.analyzer import PiiAnalyzer
from synthstudio_pii.columns import ColumnVerdict, classify_table

MAX_SAMPLE_CELLS = 1000


def _samples_frame(request: pb.ScanTableRequest) -> pd.DataFrame:
    names = [column.name for column in request.columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InvalidInput(
            f"column names must be unique; repeated: {', '.join(duplicates)}",
            field="columns",
            metadata={"duplicates": ",".join(duplicates)},
        )
    for index, column in enumerate(request.columns):
        if len(column.values) > MAX_SAMPLE_CELLS:
            raise InvalidInput(
                f"column '{column.name}' has {len(column.values)} sampled cells; send at most "
                f"{MAX_SAMPLE_CELLS} per column",
                field=f"columns[{index}].values",
                metadata={"column": column.name, "cells": len(column.values)},
            )
    return pd.DataFrame({c.name: pd.Series(list(c.values), dtype=object) for c in request.columns})


def finding_to_proto(verdict: ColumnVerdict) -> pb.PiiFinding:
    return pb.PiiFinding(
        column=verdict.column,
        entity_type=verdict.entity_type,
        score=verdict.confidence,
        matched_count=verdict.matched_cells,
        sampled_count=verdict.sampled_cells,
        examples=list(verdict.examples),
    )


class PiiServicer(pii_service_pb2_grpc.PiiServiceServicer):
    def __init__(self, analyzer: PiiAnalyzer) -> None:
        self._analyzer = analyzer

    def ScanTable(self, request, context):
        classification = classify_table(self._analyzer, _samples_frame(request))
        return pb.ScanTableResponse(
            findings=[finding_to_proto(v) for v in classification.columns if v.is_pii],
            nlp_available=self._analyzer.status.nlp_available,
        )
