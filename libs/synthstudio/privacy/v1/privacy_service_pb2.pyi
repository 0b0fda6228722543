from google.api import annotations_pb2 as _annotations_pb2
from synthstudio.common.v1 import access_pb2 as _access_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class PrivacyBudget(_message.Message):
    __slots__ = ("dataset_id", "epsilon_total", "delta_total", "epsilon_spent", "epsilon_remaining")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EPSILON_TOTAL_FIELD_NUMBER: _ClassVar[int]
    DELTA_TOTAL_FIELD_NUMBER: _ClassVar[int]
    EPSILON_SPENT_FIELD_NUMBER: _ClassVar[int]
    EPSILON_REMAINING_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    epsilon_total: float
    delta_total: float
    epsilon_spent: float
    epsilon_remaining: float
    def __init__(self, dataset_id: _Optional[str] = ..., epsilon_total: _Optional[float] = ..., delta_total: _Optional[float] = ..., epsilon_spent: _Optional[float] = ..., epsilon_remaining: _Optional[float] = ...) -> None: ...

class GetPrivacyBudgetRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...
