import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from synthstudio.common.v1 import access_pb2 as _access_pb2
from synthstudio.common.v1 import job_pb2 as _job_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ColumnKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLUMN_KIND_UNSPECIFIED: _ClassVar[ColumnKind]
    COLUMN_KIND_EMPTY: _ClassVar[ColumnKind]
    COLUMN_KIND_NUMERIC: _ClassVar[ColumnKind]
    COLUMN_KIND_STRUCTURED: _ClassVar[ColumnKind]
    COLUMN_KIND_FREE_TEXT: _ClassVar[ColumnKind]
COLUMN_KIND_UNSPECIFIED: ColumnKind
COLUMN_KIND_EMPTY: ColumnKind
COLUMN_KIND_NUMERIC: ColumnKind
COLUMN_KIND_STRUCTURED: ColumnKind
COLUMN_KIND_FREE_TEXT: ColumnKind

class RegexPattern(_message.Message):
    __slots__ = ("name", "regex", "score")
    NAME_FIELD_NUMBER: _ClassVar[int]
    REGEX_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    name: str
    regex: str
    score: float
    def __init__(self, name: _Optional[str] = ..., regex: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class CustomRecognizer(_message.Message):
    __slots__ = ("name", "entity_type", "patterns", "deny_list", "context", "description", "create_time", "update_time")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    PATTERNS_FIELD_NUMBER: _ClassVar[int]
    DENY_LIST_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    name: str
    entity_type: str
    patterns: _containers.RepeatedCompositeFieldContainer[RegexPattern]
    deny_list: _containers.RepeatedScalarFieldContainer[str]
    context: _containers.RepeatedScalarFieldContainer[str]
    description: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., entity_type: _Optional[str] = ..., patterns: _Optional[_Iterable[_Union[RegexPattern, _Mapping]]] = ..., deny_list: _Optional[_Iterable[str]] = ..., context: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecognizerSelection(_message.Message):
    __slots__ = ("templates", "custom", "saved")
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    SAVED_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedScalarFieldContainer[str]
    custom: _containers.RepeatedCompositeFieldContainer[CustomRecognizer]
    saved: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, templates: _Optional[_Iterable[str]] = ..., custom: _Optional[_Iterable[_Union[CustomRecognizer, _Mapping]]] = ..., saved: _Optional[_Iterable[str]] = ...) -> None: ...

class RecognizerTemplate(_message.Message):
    __slots__ = ("name", "description", "entities")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    entities: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., entities: _Optional[_Iterable[str]] = ...) -> None: ...

class ColumnSample(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class ScanTableRequest(_message.Message):
    __slots__ = ("columns", "selection")
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.RepeatedCompositeFieldContainer[ColumnSample]
    selection: RecognizerSelection
    def __init__(self, columns: _Optional[_Iterable[_Union[ColumnSample, _Mapping]]] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ...) -> None: ...

class PiiFinding(_message.Message):
    __slots__ = ("column", "entity_type", "score", "matched_count", "sampled_count", "examples")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    MATCHED_COUNT_FIELD_NUMBER: _ClassVar[int]
    SAMPLED_COUNT_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    column: str
    entity_type: str
    score: float
    matched_count: int
    sampled_count: int
    examples: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, column: _Optional[str] = ..., entity_type: _Optional[str] = ..., score: _Optional[float] = ..., matched_count: _Optional[int] = ..., sampled_count: _Optional[int] = ..., examples: _Optional[_Iterable[str]] = ...) -> None: ...

class EntityEvidence(_message.Message):
    __slots__ = ("entity_type", "matched_cells", "mean_score")
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    MATCHED_CELLS_FIELD_NUMBER: _ClassVar[int]
    MEAN_SCORE_FIELD_NUMBER: _ClassVar[int]
    entity_type: str
    matched_cells: int
    mean_score: float
    def __init__(self, entity_type: _Optional[str] = ..., matched_cells: _Optional[int] = ..., mean_score: _Optional[float] = ...) -> None: ...

class ColumnVerdict(_message.Message):
    __slots__ = ("column", "kind", "entity_type", "confidence", "sampled_cells", "matched_cells", "examples", "name_hint", "evidence", "full_scan_recommended", "scored_entity", "score", "signals", "note")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SAMPLED_CELLS_FIELD_NUMBER: _ClassVar[int]
    MATCHED_CELLS_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    NAME_HINT_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_FIELD_NUMBER: _ClassVar[int]
    FULL_SCAN_RECOMMENDED_FIELD_NUMBER: _ClassVar[int]
    SCORED_ENTITY_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    SIGNALS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    column: str
    kind: ColumnKind
    entity_type: str
    confidence: float
    sampled_cells: int
    matched_cells: int
    examples: _containers.RepeatedScalarFieldContainer[str]
    name_hint: str
    evidence: _containers.RepeatedCompositeFieldContainer[EntityEvidence]
    full_scan_recommended: bool
    scored_entity: str
    score: float
    signals: _containers.RepeatedCompositeFieldContainer[VerdictSignal]
    note: str
    def __init__(self, column: _Optional[str] = ..., kind: _Optional[_Union[ColumnKind, str]] = ..., entity_type: _Optional[str] = ..., confidence: _Optional[float] = ..., sampled_cells: _Optional[int] = ..., matched_cells: _Optional[int] = ..., examples: _Optional[_Iterable[str]] = ..., name_hint: _Optional[str] = ..., evidence: _Optional[_Iterable[_Union[EntityEvidence, _Mapping]]] = ..., full_scan_recommended: _Optional[bool] = ..., scored_entity: _Optional[str] = ..., score: _Optional[float] = ..., signals: _Optional[_Iterable[_Union[VerdictSignal, _Mapping]]] = ..., note: _Optional[str] = ...) -> None: ...

class VerdictSignal(_message.Message):
    __slots__ = ("name", "value", "weight", "detail", "minimum")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: float
    weight: float
    detail: str
    minimum: float
    def __init__(self, name: _Optional[str] = ..., value: _Optional[float] = ..., weight: _Optional[float] = ..., detail: _Optional[str] = ..., minimum: _Optional[float] = ...) -> None: ...

class ScanTableResponse(_message.Message):
    __slots__ = ("findings", "nlp_available", "columns", "nlp_reason")
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    NLP_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    NLP_REASON_FIELD_NUMBER: _ClassVar[int]
    findings: _containers.RepeatedCompositeFieldContainer[PiiFinding]
    nlp_available: bool
    columns: _containers.RepeatedCompositeFieldContainer[ColumnVerdict]
    nlp_reason: str
    def __init__(self, findings: _Optional[_Iterable[_Union[PiiFinding, _Mapping]]] = ..., nlp_available: _Optional[bool] = ..., columns: _Optional[_Iterable[_Union[ColumnVerdict, _Mapping]]] = ..., nlp_reason: _Optional[str] = ...) -> None: ...

class ScanDatasetRequest(_message.Message):
    __slots__ = ("dataset_id", "selection", "sample_rows")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_ROWS_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    selection: RecognizerSelection
    sample_rows: int
    def __init__(self, dataset_id: _Optional[str] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ..., sample_rows: _Optional[int] = ...) -> None: ...

class TableScan(_message.Message):
    __slots__ = ("table", "rows", "columns")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    table: str
    rows: int
    columns: _containers.RepeatedCompositeFieldContainer[ColumnVerdict]
    def __init__(self, table: _Optional[str] = ..., rows: _Optional[int] = ..., columns: _Optional[_Iterable[_Union[ColumnVerdict, _Mapping]]] = ...) -> None: ...

class ScanDatasetResult(_message.Message):
    __slots__ = ("dataset_id", "tables", "nlp_available", "nlp_reason")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    NLP_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    NLP_REASON_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    tables: _containers.RepeatedCompositeFieldContainer[TableScan]
    nlp_available: bool
    nlp_reason: str
    def __init__(self, dataset_id: _Optional[str] = ..., tables: _Optional[_Iterable[_Union[TableScan, _Mapping]]] = ..., nlp_available: _Optional[bool] = ..., nlp_reason: _Optional[str] = ...) -> None: ...

class ScanColumnRequest(_message.Message):
    __slots__ = ("dataset_id", "table", "column", "selection")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    column: str
    selection: RecognizerSelection
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ..., column: _Optional[str] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ...) -> None: ...

class ScanColumnResult(_message.Message):
    __slots__ = ("dataset_id", "table", "column", "rows_scanned", "distinct_values", "rows_with_pii", "entity_rows", "examples", "cells_truncated")
    class EntityRowsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    ROWS_SCANNED_FIELD_NUMBER: _ClassVar[int]
    DISTINCT_VALUES_FIELD_NUMBER: _ClassVar[int]
    ROWS_WITH_PII_FIELD_NUMBER: _ClassVar[int]
    ENTITY_ROWS_FIELD_NUMBER: _ClassVar[int]
    EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    CELLS_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    column: str
    rows_scanned: int
    distinct_values: int
    rows_with_pii: int
    entity_rows: _containers.ScalarMap[str, int]
    examples: _containers.RepeatedScalarFieldContainer[str]
    cells_truncated: int
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ..., column: _Optional[str] = ..., rows_scanned: _Optional[int] = ..., distinct_values: _Optional[int] = ..., rows_with_pii: _Optional[int] = ..., entity_rows: _Optional[_Mapping[str, int]] = ..., examples: _Optional[_Iterable[str]] = ..., cells_truncated: _Optional[int] = ...) -> None: ...

class AnalyzeTextRequest(_message.Message):
    __slots__ = ("text", "entities", "score_threshold", "selection")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    text: str
    entities: _containers.RepeatedScalarFieldContainer[str]
    score_threshold: float
    selection: RecognizerSelection
    def __init__(self, text: _Optional[str] = ..., entities: _Optional[_Iterable[str]] = ..., score_threshold: _Optional[float] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ...) -> None: ...

class EntitySpan(_message.Message):
    __slots__ = ("start", "end", "entity_type", "score", "text")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    start: int
    end: int
    entity_type: str
    score: float
    text: str
    def __init__(self, start: _Optional[int] = ..., end: _Optional[int] = ..., entity_type: _Optional[str] = ..., score: _Optional[float] = ..., text: _Optional[str] = ...) -> None: ...

class AnalyzeTextResponse(_message.Message):
    __slots__ = ("spans",)
    SPANS_FIELD_NUMBER: _ClassVar[int]
    spans: _containers.RepeatedCompositeFieldContainer[EntitySpan]
    def __init__(self, spans: _Optional[_Iterable[_Union[EntitySpan, _Mapping]]] = ...) -> None: ...

class RedactTextRequest(_message.Message):
    __slots__ = ("text", "entities", "score_threshold", "selection")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    text: str
    entities: _containers.RepeatedScalarFieldContainer[str]
    score_threshold: float
    selection: RecognizerSelection
    def __init__(self, text: _Optional[str] = ..., entities: _Optional[_Iterable[str]] = ..., score_threshold: _Optional[float] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ...) -> None: ...

class RedactTextResponse(_message.Message):
    __slots__ = ("text", "entity_counts")
    class EntityCountsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ENTITY_COUNTS_FIELD_NUMBER: _ClassVar[int]
    text: str
    entity_counts: _containers.ScalarMap[str, int]
    def __init__(self, text: _Optional[str] = ..., entity_counts: _Optional[_Mapping[str, int]] = ...) -> None: ...

class OperatorParams(_message.Message):
    __slots__ = ("new_value", "masking_char", "chars_to_mask", "from_end", "hash_type")
    NEW_VALUE_FIELD_NUMBER: _ClassVar[int]
    MASKING_CHAR_FIELD_NUMBER: _ClassVar[int]
    CHARS_TO_MASK_FIELD_NUMBER: _ClassVar[int]
    FROM_END_FIELD_NUMBER: _ClassVar[int]
    HASH_TYPE_FIELD_NUMBER: _ClassVar[int]
    new_value: str
    masking_char: str
    chars_to_mask: int
    from_end: bool
    hash_type: str
    def __init__(self, new_value: _Optional[str] = ..., masking_char: _Optional[str] = ..., chars_to_mask: _Optional[int] = ..., from_end: _Optional[bool] = ..., hash_type: _Optional[str] = ...) -> None: ...

class TextOperator(_message.Message):
    __slots__ = ("operator", "params")
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    operator: str
    params: OperatorParams
    def __init__(self, operator: _Optional[str] = ..., params: _Optional[_Union[OperatorParams, _Mapping]] = ...) -> None: ...

class AnonymizeTextRequest(_message.Message):
    __slots__ = ("text", "operators", "entities", "score_threshold", "selection")
    class OperatorsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TextOperator
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TextOperator, _Mapping]] = ...) -> None: ...
    TEXT_FIELD_NUMBER: _ClassVar[int]
    OPERATORS_FIELD_NUMBER: _ClassVar[int]
    ENTITIES_FIELD_NUMBER: _ClassVar[int]
    SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    text: str
    operators: _containers.MessageMap[str, TextOperator]
    entities: _containers.RepeatedScalarFieldContainer[str]
    score_threshold: float
    selection: RecognizerSelection
    def __init__(self, text: _Optional[str] = ..., operators: _Optional[_Mapping[str, TextOperator]] = ..., entities: _Optional[_Iterable[str]] = ..., score_threshold: _Optional[float] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ...) -> None: ...

class AnonymizedSpan(_message.Message):
    __slots__ = ("start", "end", "entity_type", "operator")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    start: int
    end: int
    entity_type: str
    operator: str
    def __init__(self, start: _Optional[int] = ..., end: _Optional[int] = ..., entity_type: _Optional[str] = ..., operator: _Optional[str] = ...) -> None: ...

class AnonymizeTextResponse(_message.Message):
    __slots__ = ("text", "spans")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SPANS_FIELD_NUMBER: _ClassVar[int]
    text: str
    spans: _containers.RepeatedCompositeFieldContainer[AnonymizedSpan]
    def __init__(self, text: _Optional[str] = ..., spans: _Optional[_Iterable[_Union[AnonymizedSpan, _Mapping]]] = ...) -> None: ...

class DecryptTextRequest(_message.Message):
    __slots__ = ("text", "spans")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SPANS_FIELD_NUMBER: _ClassVar[int]
    text: str
    spans: _containers.RepeatedCompositeFieldContainer[AnonymizedSpan]
    def __init__(self, text: _Optional[str] = ..., spans: _Optional[_Iterable[_Union[AnonymizedSpan, _Mapping]]] = ...) -> None: ...

class DecryptTextResponse(_message.Message):
    __slots__ = ("text",)
    TEXT_FIELD_NUMBER: _ClassVar[int]
    text: str
    def __init__(self, text: _Optional[str] = ...) -> None: ...

class ColumnPolicy(_message.Message):
    __slots__ = ("operator", "params", "entity_type")
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    operator: str
    params: OperatorParams
    entity_type: str
    def __init__(self, operator: _Optional[str] = ..., params: _Optional[_Union[OperatorParams, _Mapping]] = ..., entity_type: _Optional[str] = ...) -> None: ...

class TablePolicy(_message.Message):
    __slots__ = ("columns",)
    class ColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ColumnPolicy
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ColumnPolicy, _Mapping]] = ...) -> None: ...
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.MessageMap[str, ColumnPolicy]
    def __init__(self, columns: _Optional[_Mapping[str, ColumnPolicy]] = ...) -> None: ...

class AnonymizeDatasetRequest(_message.Message):
    __slots__ = ("dataset_id", "policies", "selection", "display_name")
    class PoliciesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TablePolicy
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TablePolicy, _Mapping]] = ...) -> None: ...
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    POLICIES_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    policies: _containers.MessageMap[str, TablePolicy]
    selection: RecognizerSelection
    display_name: str
    def __init__(self, dataset_id: _Optional[str] = ..., policies: _Optional[_Mapping[str, TablePolicy]] = ..., selection: _Optional[_Union[RecognizerSelection, _Mapping]] = ..., display_name: _Optional[str] = ...) -> None: ...

class AnonymizeDatasetResult(_message.Message):
    __slots__ = ("dataset_id", "source_dataset_id", "columns_transformed")
    class ColumnsTransformedEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_TRANSFORMED_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    source_dataset_id: str
    columns_transformed: _containers.ScalarMap[str, int]
    def __init__(self, dataset_id: _Optional[str] = ..., source_dataset_id: _Optional[str] = ..., columns_transformed: _Optional[_Mapping[str, int]] = ...) -> None: ...

class GetAnalyzerStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AnalyzerStatus(_message.Message):
    __slots__ = ("nlp_available", "model_name", "reason", "supported_entities", "templates", "max_text_chars", "default_score_threshold")
    NLP_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    MODEL_NAME_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SUPPORTED_ENTITIES_FIELD_NUMBER: _ClassVar[int]
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    MAX_TEXT_CHARS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_SCORE_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    nlp_available: bool
    model_name: str
    reason: str
    supported_entities: _containers.RepeatedScalarFieldContainer[str]
    templates: _containers.RepeatedCompositeFieldContainer[RecognizerTemplate]
    max_text_chars: int
    default_score_threshold: float
    def __init__(self, nlp_available: _Optional[bool] = ..., model_name: _Optional[str] = ..., reason: _Optional[str] = ..., supported_entities: _Optional[_Iterable[str]] = ..., templates: _Optional[_Iterable[_Union[RecognizerTemplate, _Mapping]]] = ..., max_text_chars: _Optional[int] = ..., default_score_threshold: _Optional[float] = ...) -> None: ...

class CreateCustomRecognizerRequest(_message.Message):
    __slots__ = ("recognizer",)
    RECOGNIZER_FIELD_NUMBER: _ClassVar[int]
    recognizer: CustomRecognizer
    def __init__(self, recognizer: _Optional[_Union[CustomRecognizer, _Mapping]] = ...) -> None: ...

class GetCustomRecognizerRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListCustomRecognizersRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCustomRecognizersResponse(_message.Message):
    __slots__ = ("recognizers", "next_page_token")
    RECOGNIZERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    recognizers: _containers.RepeatedCompositeFieldContainer[CustomRecognizer]
    next_page_token: str
    def __init__(self, recognizers: _Optional[_Iterable[_Union[CustomRecognizer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateCustomRecognizerRequest(_message.Message):
    __slots__ = ("name", "recognizer", "update_mask")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RECOGNIZER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    name: str
    recognizer: CustomRecognizer
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, name: _Optional[str] = ..., recognizer: _Optional[_Union[CustomRecognizer, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeleteCustomRecognizerRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...
