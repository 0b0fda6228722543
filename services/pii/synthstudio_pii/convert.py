"""Protobuf messages of `synthstudio.pii.v1` <-> the domain's dataclasses (no logic)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format

from synthstudio.pii.v1 import pii_service_pb2 as pb
from synthstudio_libs.grpc.convert import timestamp
from synthstudio_pii.analyzer import AnalyzerStatus
from synthstudio_pii.anonymize import AnonymizedSpan, AnonymizedText, ColumnPolicy, TextOperator
from synthstudio_pii.columns import ColumnKind, ColumnVerdict, TableClassification
from synthstudio_pii.datasets import AnonymizedDataset, ColumnScan, DatasetScan
from synthstudio_pii.recognizers import (
    CustomRecognizer,
    RecognizerSelection,
    RecognizerTemplate,
    RegexPattern,
    StoredRecognizer,
)
from synthstudio_pii.text import DEFAULT_SCORE_THRESHOLD, EntitySpan

_KINDS = {
    ColumnKind.EMPTY: pb.COLUMN_KIND_EMPTY,
    ColumnKind.NUMERIC: pb.COLUMN_KIND_NUMERIC,
    ColumnKind.STRUCTURED: pb.COLUMN_KIND_STRUCTURED,
    ColumnKind.FREE_TEXT: pb.COLUMN_KIND_FREE_TEXT,
}
_DEFAULT_PATTERN_SCORE = 0.5


# -- requests -> domain ---------------------------------------------------------------------


def score_threshold(value: float) -> float:
    """0 (unset) means the default threshold."""
    return value or DEFAULT_SCORE_THRESHOLD


def recognizer_from_proto(message: pb.CustomRecognizer) -> CustomRecognizer:
    return CustomRecognizer(
        name=message.name,
        entity_type=message.entity_type,
        patterns=tuple(
            RegexPattern(p.name, p.regex, p.score or _DEFAULT_PATTERN_SCORE)
            for p in message.patterns
        ),
        deny_list=tuple(message.deny_list),
        context=tuple(message.context),
        description=message.description,
    )


def selection_from_proto(message: pb.RecognizerSelection) -> RecognizerSelection | None:
    if not (message.templates or message.custom or message.saved):
        return None
    return RecognizerSelection(
        templates=tuple(message.templates),
        custom=tuple(recognizer_from_proto(r) for r in message.custom),
        saved=tuple(message.saved),
    )


def params_from_proto(message: pb.OperatorParams) -> dict[str, object]:
    """Only the parameters the caller set (an operator refuses ones it does not take)."""
    return {field.name: value for field, value in message.ListFields()}


def text_operators_from_proto(
    operators: Mapping[str, pb.TextOperator],
) -> dict[str, TextOperator]:
    return {
        entity: TextOperator(spec.operator, params_from_proto(spec.params))
        for entity, spec in operators.items()
    }


def policies_from_proto(
    policies: Mapping[str, pb.TablePolicy],
) -> dict[str, dict[str, ColumnPolicy]]:
    return {
        table: {
            column: ColumnPolicy(
                operator=policy.operator,
                params=params_from_proto(policy.params),
                entity_type=policy.entity_type or None,
            )
            for column, policy in table_policy.columns.items()
        }
        for table, table_policy in policies.items()
    }


def anonymized_text_from_proto(message: pb.DecryptTextRequest) -> AnonymizedText:
    return AnonymizedText(
        message.text,
        tuple(AnonymizedSpan(s.start, s.end, s.entity_type, s.operator) for s in message.spans),
    )


# -- domain -> responses --------------------------------------------------------------------


def finding_to_proto(verdict: ColumnVerdict) -> pb.PiiFinding:
    return pb.PiiFinding(
        column=verdict.column,
        entity_type=verdict.entity_type,
        score=verdict.confidence,
        matched_count=verdict.matched_cells,
        sampled_count=verdict.sampled_cells,
        examples=list(verdict.examples),
    )


def verdict_to_proto(verdict: ColumnVerdict) -> pb.ColumnVerdict:
    return pb.ColumnVerdict(
        column=verdict.column,
        kind=_KINDS[verdict.kind],
        entity_type=verdict.entity_type or "",
        confidence=verdict.confidence,
        sampled_cells=verdict.sampled_cells,
        matched_cells=verdict.matched_cells,
        examples=list(verdict.examples),
        name_hint=verdict.name_hint or "",
        evidence=[
            pb.EntityEvidence(
                entity_type=e.entity_type, matched_cells=e.matched_cells, mean_score=e.mean_score
            )
            for e in verdict.evidence
        ],
        full_scan_recommended=verdict.full_scan_recommended,
        scored_entity=verdict.scored_entity or "",
        score=verdict.score,
        signals=[
            pb.VerdictSignal(
                name=s.name,
                value=s.value,
                weight=s.weight,
                detail=s.detail,
                minimum=s.minimum or 0.0,
            )
            for s in verdict.signals
        ],
        note=verdict.note,
    )


def table_scan_to_proto(classification: TableClassification) -> pb.TableScan:
    return pb.TableScan(
        table=classification.table,
        rows=classification.rows,
        columns=[verdict_to_proto(v) for v in classification.columns],
    )


def span_to_proto(span: EntitySpan) -> pb.EntitySpan:
    return pb.EntitySpan(
        start=span.start,
        end=span.end,
        entity_type=span.entity_type,
        score=span.score,
        text=span.text,
    )


def anonymized_span_to_proto(span: AnonymizedSpan) -> pb.AnonymizedSpan:
    return pb.AnonymizedSpan(
        start=span.start, end=span.end, entity_type=span.entity_type, operator=span.operator
    )


def recognizer_to_proto(stored: StoredRecognizer) -> pb.CustomRecognizer:
    recognizer = stored.recognizer
    return pb.CustomRecognizer(
        name=recognizer.name,
        entity_type=recognizer.entity_type,
        patterns=[
            pb.RegexPattern(name=p.name, regex=p.regex, score=p.score) for p in recognizer.patterns
        ],
        deny_list=list(recognizer.deny_list),
        context=list(recognizer.context),
        description=recognizer.description,
        create_time=timestamp(stored.created_at),
        update_time=timestamp(stored.updated_at),
    )


def template_to_proto(template: RecognizerTemplate) -> pb.RecognizerTemplate:
    return pb.RecognizerTemplate(
        name=template.name, description=template.description, entities=list(template.entities)
    )


def status_to_proto(
    status: AnalyzerStatus,
    templates: Mapping[str, RecognizerTemplate],
    max_text_chars: int,
) -> pb.AnalyzerStatus:
    return pb.AnalyzerStatus(
        nlp_available=status.nlp_available,
        model_name=status.model_name or "",
        reason=status.reason,
        supported_entities=list(status.supported_entities),
        templates=[template_to_proto(t) for _, t in sorted(templates.items())],
        max_text_chars=max_text_chars,
        default_score_threshold=DEFAULT_SCORE_THRESHOLD,
    )


# -- job results: the proto messages in their JSON mapping, with proto field names ----------


def result_dict(message: Any) -> dict[str, Any]:
    return json_format.MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def dataset_scan_result(scan: DatasetScan) -> dict[str, Any]:
    return result_dict(
        pb.ScanDatasetResult(
            dataset_id=scan.dataset_id,
            tables=[table_scan_to_proto(t) for t in scan.tables],
            nlp_available=scan.status.nlp_available,
            nlp_reason=scan.status.reason,
        )
    )


def column_scan_result(scan: ColumnScan) -> dict[str, Any]:
    found = scan.scan
    return result_dict(
        pb.ScanColumnResult(
            dataset_id=scan.dataset_id,
            table=scan.table,
            column=found.column,
            rows_scanned=found.rows_scanned,
            distinct_values=found.distinct_values,
            rows_with_pii=found.rows_with_pii,
            entity_rows=dict(found.entity_rows),
            examples=list(found.examples),
            cells_truncated=found.cells_truncated,
        )
    )


def anonymized_dataset_result(result: AnonymizedDataset) -> dict[str, Any]:
    return result_dict(
        pb.AnonymizeDatasetResult(
            dataset_id=result.dataset_id,
            source_dataset_id=result.source_dataset_id,
            columns_transformed=dict(result.columns_transformed),
        )
    )
