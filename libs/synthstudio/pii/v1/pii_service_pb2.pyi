from google.api import annotations_pb2 as _annotations_pb2
from synthstudio.common.v1 import access_pb2 as _access_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ColumnSample(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class ScanTableRequest(_message.Message):
    __slots__ = ("columns",)
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.RepeatedCompositeFieldContainer[ColumnSample]
    def __init__(self, columns: _Optional[_Iterable[_Union[ColumnSample, _Mapping]]] = ...) -> None: ...

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

class ScanTableResponse(_message.Message):
    __slots__ = ("findings", "nlp_available")
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    NLP_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    findings: _containers.RepeatedCompositeFieldContainer[PiiFinding]
    nlp_available: bool
    def __init__(self, findings: _Optional[_Iterable[_Union[PiiFinding, _Mapping]]] = ..., nlp_available: _Optional[bool] = ...) -> None: ...
