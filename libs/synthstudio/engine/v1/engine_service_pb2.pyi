from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DescribeEngineRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DescribeEngineResponse(_message.Message):
    __slots__ = ("name", "version", "licence", "kinds")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    licence: str
    kinds: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., licence: _Optional[str] = ..., kinds: _Optional[_Iterable[str]] = ...) -> None: ...

class TrainSpec(_message.Message):
    __slots__ = ("kind", "table_name", "hyperparameters", "seed", "primary_key")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    HYPERPARAMETERS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_KEY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    table_name: str
    hyperparameters: _struct_pb2.Struct
    seed: int
    primary_key: str
    def __init__(self, kind: _Optional[str] = ..., table_name: _Optional[str] = ..., hyperparameters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., seed: _Optional[int] = ..., primary_key: _Optional[str] = ...) -> None: ...

class TrainRequest(_message.Message):
    __slots__ = ("spec", "table_data")
    SPEC_FIELD_NUMBER: _ClassVar[int]
    TABLE_DATA_FIELD_NUMBER: _ClassVar[int]
    spec: TrainSpec
    table_data: bytes
    def __init__(self, spec: _Optional[_Union[TrainSpec, _Mapping]] = ..., table_data: _Optional[bytes] = ...) -> None: ...

class TrainProgress(_message.Message):
    __slots__ = ("fraction", "message")
    FRACTION_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    fraction: float
    message: str
    def __init__(self, fraction: _Optional[float] = ..., message: _Optional[str] = ...) -> None: ...

class TrainOutcome(_message.Message):
    __slots__ = ("rows", "epochs_completed", "seconds", "warnings")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    rows: int
    epochs_completed: int
    seconds: float
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, rows: _Optional[int] = ..., epochs_completed: _Optional[int] = ..., seconds: _Optional[float] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...

class TrainResponse(_message.Message):
    __slots__ = ("progress", "model_data", "outcome")
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    MODEL_DATA_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    progress: TrainProgress
    model_data: bytes
    outcome: TrainOutcome
    def __init__(self, progress: _Optional[_Union[TrainProgress, _Mapping]] = ..., model_data: _Optional[bytes] = ..., outcome: _Optional[_Union[TrainOutcome, _Mapping]] = ...) -> None: ...

class SampleSpec(_message.Message):
    __slots__ = ("num_rows", "seed", "chunk_rows", "fixed_values")
    NUM_ROWS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    CHUNK_ROWS_FIELD_NUMBER: _ClassVar[int]
    FIXED_VALUES_FIELD_NUMBER: _ClassVar[int]
    num_rows: int
    seed: int
    chunk_rows: int
    fixed_values: _struct_pb2.Struct
    def __init__(self, num_rows: _Optional[int] = ..., seed: _Optional[int] = ..., chunk_rows: _Optional[int] = ..., fixed_values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class SampleRequest(_message.Message):
    __slots__ = ("spec", "model_data")
    SPEC_FIELD_NUMBER: _ClassVar[int]
    MODEL_DATA_FIELD_NUMBER: _ClassVar[int]
    spec: SampleSpec
    model_data: bytes
    def __init__(self, spec: _Optional[_Union[SampleSpec, _Mapping]] = ..., model_data: _Optional[bytes] = ...) -> None: ...

class SampleResponse(_message.Message):
    __slots__ = ("table_data",)
    TABLE_DATA_FIELD_NUMBER: _ClassVar[int]
    table_data: bytes
    def __init__(self, table_data: _Optional[bytes] = ...) -> None: ...
