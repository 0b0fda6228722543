from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class TableFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TABLE_FORMAT_UNSPECIFIED: _ClassVar[TableFormat]
    TABLE_FORMAT_CSV: _ClassVar[TableFormat]
    TABLE_FORMAT_PARQUET: _ClassVar[TableFormat]
    TABLE_FORMAT_ARROW_IPC: _ClassVar[TableFormat]
TABLE_FORMAT_UNSPECIFIED: TableFormat
TABLE_FORMAT_CSV: TableFormat
TABLE_FORMAT_PARQUET: TableFormat
TABLE_FORMAT_ARROW_IPC: TableFormat

class Column(_message.Message):
    __slots__ = ("name", "data_type", "null_count")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DATA_TYPE_FIELD_NUMBER: _ClassVar[int]
    NULL_COUNT_FIELD_NUMBER: _ClassVar[int]
    name: str
    data_type: str
    null_count: int
    def __init__(self, name: _Optional[str] = ..., data_type: _Optional[str] = ..., null_count: _Optional[int] = ...) -> None: ...
