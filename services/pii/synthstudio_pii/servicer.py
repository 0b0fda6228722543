"""PiiService: protobuf <-> `PiiCore` and `PiiDatasets`, nothing more."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from google.protobuf import empty_pb2

from synthstudio.pii.v1 import pii_service_pb2 as pb
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.grpc.jobs import job_to_proto
from synthstudio_pii import convert
from synthstudio_pii.columns import ClassificationOptions
from synthstudio_pii.core import PiiCore
from synthstudio_pii.jobs import PiiJobs

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


class PiiServicer(pii_service_pb2_grpc.PiiServiceServicer):
    def __init__(self, core: PiiCore, jobs: PiiJobs) -> None:
        self._core = core
        self._jobs = jobs

    # -- classification -----------------------------------------------------------------------

    def ScanTable(self, request, context):
        frame = _samples_frame(request)
        classification = self._core.classify(
            {"table": frame},
            selection=convert.selection_from_proto(request.selection),
            options=ClassificationOptions(sample_rows=MAX_SAMPLE_CELLS),
        )["table"]
        status = self._core.status
        return pb.ScanTableResponse(
            findings=[convert.finding_to_proto(v) for v in classification.columns if v.is_pii],
            nlp_available=status.nlp_available,
            columns=[convert.verdict_to_proto(v) for v in classification.columns],
            nlp_reason=status.reason,
        )

    def ScanDataset(self, request, context):
        job = self._jobs.start_scan(
            request.dataset_id, convert.selection_from_proto(request.selection), request.sample_rows
        )
        return job_to_proto(job)

    def ScanColumn(self, request, context):
        job = self._jobs.start_column_scan(
            request.dataset_id,
            request.table,
            request.column,
            convert.selection_from_proto(request.selection),
        )
        return job_to_proto(job)

    # -- text ---------------------------------------------------------------------------------

    def AnalyzeText(self, request, context):
        spans = self._core.analyze_text(
            request.text,
            selection=convert.selection_from_proto(request.selection),
            entities=list(request.entities),
            score_threshold=convert.score_threshold(request.score_threshold),
        )
        return pb.AnalyzeTextResponse(spans=[convert.span_to_proto(s) for s in spans])

    def RedactText(self, request, context):
        redacted = self._core.redact_text(
            request.text,
            selection=convert.selection_from_proto(request.selection),
            entities=list(request.entities),
            score_threshold=convert.score_threshold(request.score_threshold),
        )
        return pb.RedactTextResponse(text=redacted.text, entity_counts=dict(redacted.entity_counts))

    def AnonymizeText(self, request, context):
        anonymized = self._core.anonymize_text(
            request.text,
            convert.text_operators_from_proto(request.operators),
            selection=convert.selection_from_proto(request.selection),
            entities=list(request.entities),
            score_threshold=convert.score_threshold(request.score_threshold),
        )
        return pb.AnonymizeTextResponse(
            text=anonymized.text,
            spans=[convert.anonymized_span_to_proto(s) for s in anonymized.spans],
        )

    def DecryptText(self, request, context):
        text = self._core.decrypt_text(convert.anonymized_text_from_proto(request))
        return pb.DecryptTextResponse(text=text)

    # -- datasets -----------------------------------------------------------------------------

    def AnonymizeDataset(self, request, context):
        job = self._jobs.start_anonymize(
            request.dataset_id,
            convert.policies_from_proto(request.policies),
            convert.selection_from_proto(request.selection),
            request.display_name,
        )
        return job_to_proto(job)

    # -- status -------------------------------------------------------------------------------

    def GetAnalyzerStatus(self, request, context):
        return convert.status_to_proto(
            self._core.status, self._core.templates(), self._core.max_text_chars
        )

    # -- custom recognizers -------------------------------------------------------------------

    def CreateCustomRecognizer(self, request, context):
        stored = self._core.save_recognizer(convert.recognizer_from_proto(request.recognizer))
        return convert.recognizer_to_proto(stored)

    def GetCustomRecognizer(self, request, context):
        return convert.recognizer_to_proto(self._core.get_recognizer(request.name))

    def ListCustomRecognizers(self, request, context):
        page = self._core.list_recognizers(request.page_size, request.page_token)
        return pb.ListCustomRecognizersResponse(
            recognizers=[convert.recognizer_to_proto(s) for s in page.items],
            next_page_token=page.next_page_token,
        )

    def UpdateCustomRecognizer(self, request, context):
        if request.recognizer.name and request.recognizer.name != request.name:
            raise InvalidInput(
                f"recognizer.name {request.recognizer.name!r} differs from name "
                f"{request.name!r}: a recognizer cannot be renamed; create a new one and delete "
                "the old one.",
                field="recognizer.name",
                metadata={"name": request.name, "recognizer_name": request.recognizer.name},
            )
        recognizer = convert.recognizer_from_proto(request.recognizer)
        stored = self._core.update_recognizer(
            replace(recognizer, name=request.name), list(request.update_mask.paths)
        )
        return convert.recognizer_to_proto(stored)

    def DeleteCustomRecognizer(self, request, context):
        self._core.delete_recognizer(request.name)
        return empty_pb2.Empty()
