import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from synthstudio.common.v1 import access_pb2 as _access_pb2
from synthstudio.common.v1 import table_pb2 as _table_pb2
from synthstudio.pii.v1 import pii_service_pb2 as _pii_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DatasetKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATASET_KIND_UNSPECIFIED: _ClassVar[DatasetKind]
    DATASET_KIND_SINGLE_TABLE: _ClassVar[DatasetKind]
    DATASET_KIND_MULTI_TABLE: _ClassVar[DatasetKind]
    DATASET_KIND_SEQUENTIAL: _ClassVar[DatasetKind]
DATASET_KIND_UNSPECIFIED: DatasetKind
DATASET_KIND_SINGLE_TABLE: DatasetKind
DATASET_KIND_MULTI_TABLE: DatasetKind
DATASET_KIND_SEQUENTIAL: DatasetKind

class DatasetTable(_message.Message):
    __slots__ = ("name", "columns", "row_count", "size_bytes", "sha256")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    name: str
    columns: _containers.RepeatedCompositeFieldContainer[_table_pb2.Column]
    row_count: int
    size_bytes: int
    sha256: str
    def __init__(self, name: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[_table_pb2.Column, _Mapping]]] = ..., row_count: _Optional[int] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ...) -> None: ...

class Dataset(_message.Message):
    __slots__ = ("id", "display_name", "columns", "row_count", "size_bytes", "sha256", "creator", "create_time", "pii_findings", "tables", "kind", "derived_from", "metadata")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    ROW_COUNT_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PII_FINDINGS_FIELD_NUMBER: _ClassVar[int]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    display_name: str
    columns: _containers.RepeatedCompositeFieldContainer[_table_pb2.Column]
    row_count: int
    size_bytes: int
    sha256: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    pii_findings: _containers.RepeatedCompositeFieldContainer[_pii_service_pb2.PiiFinding]
    tables: _containers.RepeatedCompositeFieldContainer[DatasetTable]
    kind: DatasetKind
    derived_from: str
    metadata: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[_table_pb2.Column, _Mapping]]] = ..., row_count: _Optional[int] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pii_findings: _Optional[_Iterable[_Union[_pii_service_pb2.PiiFinding, _Mapping]]] = ..., tables: _Optional[_Iterable[_Union[DatasetTable, _Mapping]]] = ..., kind: _Optional[_Union[DatasetKind, str]] = ..., derived_from: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class UploadHeader(_message.Message):
    __slots__ = ("display_name", "derived_from", "metadata")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    derived_from: str
    metadata: _struct_pb2.Struct
    def __init__(self, display_name: _Optional[str] = ..., derived_from: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class TableStart(_message.Message):
    __slots__ = ("name", "format")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    name: str
    format: _table_pb2.TableFormat
    def __init__(self, name: _Optional[str] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ...) -> None: ...

class UploadDatasetRequest(_message.Message):
    __slots__ = ("header", "table", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: UploadHeader
    table: TableStart
    data: bytes
    def __init__(self, header: _Optional[_Union[UploadHeader, _Mapping]] = ..., table: _Optional[_Union[TableStart, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class DownloadDatasetRequest(_message.Message):
    __slots__ = ("dataset_id", "table", "format")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    format: _table_pb2.TableFormat
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ...) -> None: ...

class DatasetChunk(_message.Message):
    __slots__ = ("table", "data")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    table: str
    data: bytes
    def __init__(self, table: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class CreateDatasetRequest(_message.Message):
    __slots__ = ("display_name", "format", "content")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    format: _table_pb2.TableFormat
    content: bytes
    def __init__(self, display_name: _Optional[str] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ..., content: _Optional[bytes] = ...) -> None: ...

class GetDatasetRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDatasetsResponse(_message.Message):
    __slots__ = ("datasets", "next_page_token")
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    datasets: _containers.RepeatedCompositeFieldContainer[Dataset]
    next_page_token: str
    def __init__(self, datasets: _Optional[_Iterable[_Union[Dataset, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteDatasetRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...
