import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from synthstudio.common.v1 import job_pb2 as _job_pb2
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

class SynthesizerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNTHESIZER_KIND_UNSPECIFIED: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_GAUSSIAN_COPULA: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_CTGAN: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_TVAE: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_COPULAGAN: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_HMA: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_PAR: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_DP_TVAE: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_DP_CTGAN: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_DP_MST: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_DP: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_DP_AIM: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_TABULAR_ARGN: _ClassVar[SynthesizerKind]
    SYNTHESIZER_KIND_AUTO: _ClassVar[SynthesizerKind]

class TrainingData(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRAINING_DATA_UNSPECIFIED: _ClassVar[TrainingData]
    TRAINING_DATA_TRAIN_PART: _ClassVar[TrainingData]
    TRAINING_DATA_FULL_DATASET: _ClassVar[TrainingData]
DATASET_KIND_UNSPECIFIED: DatasetKind
DATASET_KIND_SINGLE_TABLE: DatasetKind
DATASET_KIND_MULTI_TABLE: DatasetKind
DATASET_KIND_SEQUENTIAL: DatasetKind
SYNTHESIZER_KIND_UNSPECIFIED: SynthesizerKind
SYNTHESIZER_KIND_GAUSSIAN_COPULA: SynthesizerKind
SYNTHESIZER_KIND_CTGAN: SynthesizerKind
SYNTHESIZER_KIND_TVAE: SynthesizerKind
SYNTHESIZER_KIND_COPULAGAN: SynthesizerKind
SYNTHESIZER_KIND_HMA: SynthesizerKind
SYNTHESIZER_KIND_PAR: SynthesizerKind
SYNTHESIZER_KIND_DP_TVAE: SynthesizerKind
SYNTHESIZER_KIND_DP_CTGAN: SynthesizerKind
SYNTHESIZER_KIND_DP_MST: SynthesizerKind
SYNTHESIZER_KIND_DP: SynthesizerKind
SYNTHESIZER_KIND_DP_AIM: SynthesizerKind
SYNTHESIZER_KIND_TABULAR_ARGN: SynthesizerKind
SYNTHESIZER_KIND_AUTO: SynthesizerKind
TRAINING_DATA_UNSPECIFIED: TrainingData
TRAINING_DATA_TRAIN_PART: TrainingData
TRAINING_DATA_FULL_DATASET: TrainingData

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
    __slots__ = ("id", "display_name", "columns", "row_count", "size_bytes", "sha256", "creator", "create_time", "pii_findings", "tables", "kind", "derived_from", "metadata", "project")
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
    PROJECT_FIELD_NUMBER: _ClassVar[int]
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
    project: str
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[_table_pb2.Column, _Mapping]]] = ..., row_count: _Optional[int] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pii_findings: _Optional[_Iterable[_Union[_pii_service_pb2.PiiFinding, _Mapping]]] = ..., tables: _Optional[_Iterable[_Union[DatasetTable, _Mapping]]] = ..., kind: _Optional[_Union[DatasetKind, str]] = ..., derived_from: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class UploadHeader(_message.Message):
    __slots__ = ("display_name", "derived_from", "metadata", "project")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DERIVED_FROM_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    derived_from: str
    metadata: _struct_pb2.Struct
    project: str
    def __init__(self, display_name: _Optional[str] = ..., derived_from: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("dataset_id", "table", "format", "keep_formulas")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    KEEP_FORMULAS_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    format: _table_pb2.TableFormat
    keep_formulas: bool
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ..., keep_formulas: _Optional[bool] = ...) -> None: ...

class DatasetChunk(_message.Message):
    __slots__ = ("table", "data")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    table: str
    data: bytes
    def __init__(self, table: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class CreateDatasetRequest(_message.Message):
    __slots__ = ("display_name", "format", "content", "project")
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    format: _table_pb2.TableFormat
    content: bytes
    project: str
    def __init__(self, display_name: _Optional[str] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ..., content: _Optional[bytes] = ..., project: _Optional[str] = ...) -> None: ...

class GetDatasetRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "filter", "project")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    filter: str
    project: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., filter: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ListDatasetsResponse(_message.Message):
    __slots__ = ("datasets", "next_page_token")
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    datasets: _containers.RepeatedCompositeFieldContainer[Dataset]
    next_page_token: str
    def __init__(self, datasets: _Optional[_Iterable[_Union[Dataset, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteDatasetRequest(_message.Message):
    __slots__ = ("dataset_id", "force")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    force: bool
    def __init__(self, dataset_id: _Optional[str] = ..., force: _Optional[bool] = ...) -> None: ...

class UpdateDatasetMetadataRequest(_message.Message):
    __slots__ = ("dataset_id", "metadata")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    metadata: _struct_pb2.Struct
    def __init__(self, dataset_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class GaussianCopulaHyperparameters(_message.Message):
    __slots__ = ("enforce_min_max_values", "enforce_rounding", "locales", "default_distribution", "numerical_distributions")
    class NumericalDistributionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ENFORCE_MIN_MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_ROUNDING_FIELD_NUMBER: _ClassVar[int]
    LOCALES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    NUMERICAL_DISTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    enforce_min_max_values: bool
    enforce_rounding: bool
    locales: _containers.RepeatedScalarFieldContainer[str]
    default_distribution: str
    numerical_distributions: _containers.ScalarMap[str, str]
    def __init__(self, enforce_min_max_values: _Optional[bool] = ..., enforce_rounding: _Optional[bool] = ..., locales: _Optional[_Iterable[str]] = ..., default_distribution: _Optional[str] = ..., numerical_distributions: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CtganHyperparameters(_message.Message):
    __slots__ = ("enforce_min_max_values", "enforce_rounding", "locales", "epochs", "batch_size", "embedding_dim", "generator_dim", "discriminator_dim", "generator_lr", "generator_decay", "discriminator_lr", "discriminator_decay", "discriminator_steps", "log_frequency", "pac")
    ENFORCE_MIN_MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_ROUNDING_FIELD_NUMBER: _ClassVar[int]
    LOCALES_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    EMBEDDING_DIM_FIELD_NUMBER: _ClassVar[int]
    GENERATOR_DIM_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATOR_DIM_FIELD_NUMBER: _ClassVar[int]
    GENERATOR_LR_FIELD_NUMBER: _ClassVar[int]
    GENERATOR_DECAY_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATOR_LR_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATOR_DECAY_FIELD_NUMBER: _ClassVar[int]
    DISCRIMINATOR_STEPS_FIELD_NUMBER: _ClassVar[int]
    LOG_FREQUENCY_FIELD_NUMBER: _ClassVar[int]
    PAC_FIELD_NUMBER: _ClassVar[int]
    enforce_min_max_values: bool
    enforce_rounding: bool
    locales: _containers.RepeatedScalarFieldContainer[str]
    epochs: int
    batch_size: int
    embedding_dim: int
    generator_dim: _containers.RepeatedScalarFieldContainer[int]
    discriminator_dim: _containers.RepeatedScalarFieldContainer[int]
    generator_lr: float
    generator_decay: float
    discriminator_lr: float
    discriminator_decay: float
    discriminator_steps: int
    log_frequency: bool
    pac: int
    def __init__(self, enforce_min_max_values: _Optional[bool] = ..., enforce_rounding: _Optional[bool] = ..., locales: _Optional[_Iterable[str]] = ..., epochs: _Optional[int] = ..., batch_size: _Optional[int] = ..., embedding_dim: _Optional[int] = ..., generator_dim: _Optional[_Iterable[int]] = ..., discriminator_dim: _Optional[_Iterable[int]] = ..., generator_lr: _Optional[float] = ..., generator_decay: _Optional[float] = ..., discriminator_lr: _Optional[float] = ..., discriminator_decay: _Optional[float] = ..., discriminator_steps: _Optional[int] = ..., log_frequency: _Optional[bool] = ..., pac: _Optional[int] = ...) -> None: ...

class TvaeHyperparameters(_message.Message):
    __slots__ = ("enforce_min_max_values", "enforce_rounding", "epochs", "batch_size", "embedding_dim", "compress_dims", "decompress_dims", "loss_factor")
    ENFORCE_MIN_MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_ROUNDING_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    EMBEDDING_DIM_FIELD_NUMBER: _ClassVar[int]
    COMPRESS_DIMS_FIELD_NUMBER: _ClassVar[int]
    DECOMPRESS_DIMS_FIELD_NUMBER: _ClassVar[int]
    LOSS_FACTOR_FIELD_NUMBER: _ClassVar[int]
    enforce_min_max_values: bool
    enforce_rounding: bool
    epochs: int
    batch_size: int
    embedding_dim: int
    compress_dims: _containers.RepeatedScalarFieldContainer[int]
    decompress_dims: _containers.RepeatedScalarFieldContainer[int]
    loss_factor: float
    def __init__(self, enforce_min_max_values: _Optional[bool] = ..., enforce_rounding: _Optional[bool] = ..., epochs: _Optional[int] = ..., batch_size: _Optional[int] = ..., embedding_dim: _Optional[int] = ..., compress_dims: _Optional[_Iterable[int]] = ..., decompress_dims: _Optional[_Iterable[int]] = ..., loss_factor: _Optional[float] = ...) -> None: ...

class CopulaGanHyperparameters(_message.Message):
    __slots__ = ("ctgan", "default_distribution", "numerical_distributions")
    class NumericalDistributionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CTGAN_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    NUMERICAL_DISTRIBUTIONS_FIELD_NUMBER: _ClassVar[int]
    ctgan: CtganHyperparameters
    default_distribution: str
    numerical_distributions: _containers.ScalarMap[str, str]
    def __init__(self, ctgan: _Optional[_Union[CtganHyperparameters, _Mapping]] = ..., default_distribution: _Optional[str] = ..., numerical_distributions: _Optional[_Mapping[str, str]] = ...) -> None: ...

class TabularArgnHyperparameters(_message.Message):
    __slots__ = ("max_training_time", "max_epochs", "model_size", "value_protection")
    MAX_TRAINING_TIME_FIELD_NUMBER: _ClassVar[int]
    MAX_EPOCHS_FIELD_NUMBER: _ClassVar[int]
    MODEL_SIZE_FIELD_NUMBER: _ClassVar[int]
    VALUE_PROTECTION_FIELD_NUMBER: _ClassVar[int]
    max_training_time: float
    max_epochs: int
    model_size: str
    value_protection: bool
    def __init__(self, max_training_time: _Optional[float] = ..., max_epochs: _Optional[int] = ..., model_size: _Optional[str] = ..., value_protection: _Optional[bool] = ...) -> None: ...

class HmaHyperparameters(_message.Message):
    __slots__ = ("enforce_min_max_values", "enforce_rounding", "locales", "default_distribution")
    ENFORCE_MIN_MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_ROUNDING_FIELD_NUMBER: _ClassVar[int]
    LOCALES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_DISTRIBUTION_FIELD_NUMBER: _ClassVar[int]
    enforce_min_max_values: bool
    enforce_rounding: bool
    locales: _containers.RepeatedScalarFieldContainer[str]
    default_distribution: str
    def __init__(self, enforce_min_max_values: _Optional[bool] = ..., enforce_rounding: _Optional[bool] = ..., locales: _Optional[_Iterable[str]] = ..., default_distribution: _Optional[str] = ...) -> None: ...

class ParHyperparameters(_message.Message):
    __slots__ = ("enforce_min_max_values", "enforce_rounding", "locales", "epochs", "sample_size", "segment_size", "context_columns")
    ENFORCE_MIN_MAX_VALUES_FIELD_NUMBER: _ClassVar[int]
    ENFORCE_ROUNDING_FIELD_NUMBER: _ClassVar[int]
    LOCALES_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_SIZE_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    enforce_min_max_values: bool
    enforce_rounding: bool
    locales: _containers.RepeatedScalarFieldContainer[str]
    epochs: int
    sample_size: int
    segment_size: int
    context_columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, enforce_min_max_values: _Optional[bool] = ..., enforce_rounding: _Optional[bool] = ..., locales: _Optional[_Iterable[str]] = ..., epochs: _Optional[int] = ..., sample_size: _Optional[int] = ..., segment_size: _Optional[int] = ..., context_columns: _Optional[_Iterable[str]] = ...) -> None: ...

class DifferentialPrivacy(_message.Message):
    __slots__ = ("epsilon", "delta", "epochs", "accountant", "public_columns")
    class PublicColumnsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: PublicColumn
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[PublicColumn, _Mapping]] = ...) -> None: ...
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTANT_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    epsilon: float
    delta: float
    epochs: int
    accountant: str
    public_columns: _containers.MessageMap[str, PublicColumn]
    def __init__(self, epsilon: _Optional[float] = ..., delta: _Optional[float] = ..., epochs: _Optional[int] = ..., accountant: _Optional[str] = ..., public_columns: _Optional[_Mapping[str, PublicColumn]] = ...) -> None: ...

class PublicColumn(_message.Message):
    __slots__ = ("categories", "lower", "upper")
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    LOWER_FIELD_NUMBER: _ClassVar[int]
    UPPER_FIELD_NUMBER: _ClassVar[int]
    categories: _containers.RepeatedScalarFieldContainer[str]
    lower: float
    upper: float
    def __init__(self, categories: _Optional[_Iterable[str]] = ..., lower: _Optional[float] = ..., upper: _Optional[float] = ...) -> None: ...

class Constraint(_message.Message):
    __slots__ = ("table_name", "fixed_combinations", "inequality", "range", "fixed_increments", "one_hot_encoding")
    class FixedCombinations(_message.Message):
        __slots__ = ("column_names",)
        COLUMN_NAMES_FIELD_NUMBER: _ClassVar[int]
        column_names: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, column_names: _Optional[_Iterable[str]] = ...) -> None: ...
    class Inequality(_message.Message):
        __slots__ = ("low_column", "high_column", "strict")
        LOW_COLUMN_FIELD_NUMBER: _ClassVar[int]
        HIGH_COLUMN_FIELD_NUMBER: _ClassVar[int]
        STRICT_FIELD_NUMBER: _ClassVar[int]
        low_column: str
        high_column: str
        strict: bool
        def __init__(self, low_column: _Optional[str] = ..., high_column: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...
    class Range(_message.Message):
        __slots__ = ("low_column", "middle_column", "high_column", "strict")
        LOW_COLUMN_FIELD_NUMBER: _ClassVar[int]
        MIDDLE_COLUMN_FIELD_NUMBER: _ClassVar[int]
        HIGH_COLUMN_FIELD_NUMBER: _ClassVar[int]
        STRICT_FIELD_NUMBER: _ClassVar[int]
        low_column: str
        middle_column: str
        high_column: str
        strict: bool
        def __init__(self, low_column: _Optional[str] = ..., middle_column: _Optional[str] = ..., high_column: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...
    class FixedIncrements(_message.Message):
        __slots__ = ("column", "increment")
        COLUMN_FIELD_NUMBER: _ClassVar[int]
        INCREMENT_FIELD_NUMBER: _ClassVar[int]
        column: str
        increment: int
        def __init__(self, column: _Optional[str] = ..., increment: _Optional[int] = ...) -> None: ...
    class OneHotEncoding(_message.Message):
        __slots__ = ("column_names",)
        COLUMN_NAMES_FIELD_NUMBER: _ClassVar[int]
        column_names: _containers.RepeatedScalarFieldContainer[str]
        def __init__(self, column_names: _Optional[_Iterable[str]] = ...) -> None: ...
    TABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    FIXED_COMBINATIONS_FIELD_NUMBER: _ClassVar[int]
    INEQUALITY_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    FIXED_INCREMENTS_FIELD_NUMBER: _ClassVar[int]
    ONE_HOT_ENCODING_FIELD_NUMBER: _ClassVar[int]
    table_name: str
    fixed_combinations: Constraint.FixedCombinations
    inequality: Constraint.Inequality
    range: Constraint.Range
    fixed_increments: Constraint.FixedIncrements
    one_hot_encoding: Constraint.OneHotEncoding
    def __init__(self, table_name: _Optional[str] = ..., fixed_combinations: _Optional[_Union[Constraint.FixedCombinations, _Mapping]] = ..., inequality: _Optional[_Union[Constraint.Inequality, _Mapping]] = ..., range: _Optional[_Union[Constraint.Range, _Mapping]] = ..., fixed_increments: _Optional[_Union[Constraint.FixedIncrements, _Mapping]] = ..., one_hot_encoding: _Optional[_Union[Constraint.OneHotEncoding, _Mapping]] = ...) -> None: ...

class TrainSynthesizerRequest(_message.Message):
    __slots__ = ("dataset_id", "kind", "display_name", "gaussian_copula", "ctgan", "tvae", "copulagan", "hma", "par", "tabular_argn", "constraints", "differential_privacy", "use_full_dataset", "holdout_stratify_column")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    GAUSSIAN_COPULA_FIELD_NUMBER: _ClassVar[int]
    CTGAN_FIELD_NUMBER: _ClassVar[int]
    TVAE_FIELD_NUMBER: _ClassVar[int]
    COPULAGAN_FIELD_NUMBER: _ClassVar[int]
    HMA_FIELD_NUMBER: _ClassVar[int]
    PAR_FIELD_NUMBER: _ClassVar[int]
    TABULAR_ARGN_FIELD_NUMBER: _ClassVar[int]
    CONSTRAINTS_FIELD_NUMBER: _ClassVar[int]
    DIFFERENTIAL_PRIVACY_FIELD_NUMBER: _ClassVar[int]
    USE_FULL_DATASET_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_STRATIFY_COLUMN_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    kind: SynthesizerKind
    display_name: str
    gaussian_copula: GaussianCopulaHyperparameters
    ctgan: CtganHyperparameters
    tvae: TvaeHyperparameters
    copulagan: CopulaGanHyperparameters
    hma: HmaHyperparameters
    par: ParHyperparameters
    tabular_argn: TabularArgnHyperparameters
    constraints: _containers.RepeatedCompositeFieldContainer[Constraint]
    differential_privacy: DifferentialPrivacy
    use_full_dataset: bool
    holdout_stratify_column: str
    def __init__(self, dataset_id: _Optional[str] = ..., kind: _Optional[_Union[SynthesizerKind, str]] = ..., display_name: _Optional[str] = ..., gaussian_copula: _Optional[_Union[GaussianCopulaHyperparameters, _Mapping]] = ..., ctgan: _Optional[_Union[CtganHyperparameters, _Mapping]] = ..., tvae: _Optional[_Union[TvaeHyperparameters, _Mapping]] = ..., copulagan: _Optional[_Union[CopulaGanHyperparameters, _Mapping]] = ..., hma: _Optional[_Union[HmaHyperparameters, _Mapping]] = ..., par: _Optional[_Union[ParHyperparameters, _Mapping]] = ..., tabular_argn: _Optional[_Union[TabularArgnHyperparameters, _Mapping]] = ..., constraints: _Optional[_Iterable[_Union[Constraint, _Mapping]]] = ..., differential_privacy: _Optional[_Union[DifferentialPrivacy, _Mapping]] = ..., use_full_dataset: _Optional[bool] = ..., holdout_stratify_column: _Optional[str] = ...) -> None: ...

class Synthesizer(_message.Message):
    __slots__ = ("id", "display_name", "dataset_id", "kind", "hyperparameters", "constraints", "metadata", "training_rows", "warnings", "epochs_completed", "training_seconds", "job_id", "engine", "creator", "create_time", "training_data", "holdout", "project")
    class TrainingRowsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    HYPERPARAMETERS_FIELD_NUMBER: _ClassVar[int]
    CONSTRAINTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    TRAINING_ROWS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TRAINING_SECONDS_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    display_name: str
    dataset_id: str
    kind: SynthesizerKind
    hyperparameters: _struct_pb2.Struct
    constraints: _containers.RepeatedCompositeFieldContainer[Constraint]
    metadata: _struct_pb2.Struct
    training_rows: _containers.ScalarMap[str, int]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    epochs_completed: int
    training_seconds: float
    job_id: str
    engine: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    training_data: TrainingData
    holdout: _struct_pb2.Struct
    project: str
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., dataset_id: _Optional[str] = ..., kind: _Optional[_Union[SynthesizerKind, str]] = ..., hyperparameters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., constraints: _Optional[_Iterable[_Union[Constraint, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., training_rows: _Optional[_Mapping[str, int]] = ..., warnings: _Optional[_Iterable[str]] = ..., epochs_completed: _Optional[int] = ..., training_seconds: _Optional[float] = ..., job_id: _Optional[str] = ..., engine: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., training_data: _Optional[_Union[TrainingData, str]] = ..., holdout: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class GetSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id",)
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ...) -> None: ...

class ListSynthesizersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "dataset_id", "project")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    dataset_id: str
    project: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., dataset_id: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ListSynthesizersResponse(_message.Message):
    __slots__ = ("synthesizers", "next_page_token")
    SYNTHESIZERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    synthesizers: _containers.RepeatedCompositeFieldContainer[Synthesizer]
    next_page_token: str
    def __init__(self, synthesizers: _Optional[_Iterable[_Union[Synthesizer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id",)
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ...) -> None: ...

class SampleCondition(_message.Message):
    __slots__ = ("column", "equals", "between")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    EQUALS_FIELD_NUMBER: _ClassVar[int]
    BETWEEN_FIELD_NUMBER: _ClassVar[int]
    column: str
    equals: _struct_pb2.Value
    between: NumericRange
    def __init__(self, column: _Optional[str] = ..., equals: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., between: _Optional[_Union[NumericRange, _Mapping]] = ...) -> None: ...

class NumericRange(_message.Message):
    __slots__ = ("low", "high")
    LOW_FIELD_NUMBER: _ClassVar[int]
    HIGH_FIELD_NUMBER: _ClassVar[int]
    low: float
    high: float
    def __init__(self, low: _Optional[float] = ..., high: _Optional[float] = ...) -> None: ...

class SampleSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id", "num_rows", "seed", "conditions", "scale", "num_sequences", "display_name", "dataset_id")
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    NUM_ROWS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    NUM_SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    num_rows: int
    seed: int
    conditions: _containers.RepeatedCompositeFieldContainer[SampleCondition]
    scale: float
    num_sequences: int
    display_name: str
    dataset_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ..., num_rows: _Optional[int] = ..., seed: _Optional[int] = ..., conditions: _Optional[_Iterable[_Union[SampleCondition, _Mapping]]] = ..., scale: _Optional[float] = ..., num_sequences: _Optional[int] = ..., display_name: _Optional[str] = ..., dataset_id: _Optional[str] = ...) -> None: ...

class StreamSampleRequest(_message.Message):
    __slots__ = ("synthesizer_id", "num_rows", "seed", "conditions", "format", "keep_formulas")
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    NUM_ROWS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    KEEP_FORMULAS_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    num_rows: int
    seed: int
    conditions: _containers.RepeatedCompositeFieldContainer[SampleCondition]
    format: _table_pb2.TableFormat
    keep_formulas: bool
    def __init__(self, synthesizer_id: _Optional[str] = ..., num_rows: _Optional[int] = ..., seed: _Optional[int] = ..., conditions: _Optional[_Iterable[_Union[SampleCondition, _Mapping]]] = ..., format: _Optional[_Union[_table_pb2.TableFormat, str]] = ..., keep_formulas: _Optional[bool] = ...) -> None: ...

class ListEnginesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Engine(_message.Message):
    __slots__ = ("name", "version", "licence", "kinds", "available")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LICENCE_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    licence: str
    kinds: _containers.RepeatedScalarFieldContainer[SynthesizerKind]
    available: bool
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., licence: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[SynthesizerKind, str]]] = ..., available: _Optional[bool] = ...) -> None: ...

class ListEnginesResponse(_message.Message):
    __slots__ = ("engines",)
    ENGINES_FIELD_NUMBER: _ClassVar[int]
    engines: _containers.RepeatedCompositeFieldContainer[Engine]
    def __init__(self, engines: _Optional[_Iterable[_Union[Engine, _Mapping]]] = ...) -> None: ...
