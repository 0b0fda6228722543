import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from synthstudio.common.v1 import access_pb2 as _access_pb2
from synthstudio.common.v1 import job_pb2 as _job_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as _synthesis_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DpSynthesizerKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DP_SYNTHESIZER_KIND_UNSPECIFIED: _ClassVar[DpSynthesizerKind]
    DP_SYNTHESIZER_KIND_DP_TVAE: _ClassVar[DpSynthesizerKind]
    DP_SYNTHESIZER_KIND_DP_CTGAN: _ClassVar[DpSynthesizerKind]
    DP_SYNTHESIZER_KIND_DP_MST: _ClassVar[DpSynthesizerKind]
    DP_SYNTHESIZER_KIND_DP: _ClassVar[DpSynthesizerKind]
    DP_SYNTHESIZER_KIND_DP_AIM: _ClassVar[DpSynthesizerKind]

class Accountant(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCOUNTANT_UNSPECIFIED: _ClassVar[Accountant]
    ACCOUNTANT_RDP: _ClassVar[Accountant]
    ACCOUNTANT_PRV: _ClassVar[Accountant]

class DpColumnKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DP_COLUMN_KIND_UNSPECIFIED: _ClassVar[DpColumnKind]
    DP_COLUMN_KIND_NUMERICAL: _ClassVar[DpColumnKind]
    DP_COLUMN_KIND_CATEGORICAL: _ClassVar[DpColumnKind]
    DP_COLUMN_KIND_BOOLEAN: _ClassVar[DpColumnKind]
    DP_COLUMN_KIND_DATETIME: _ClassVar[DpColumnKind]
DP_SYNTHESIZER_KIND_UNSPECIFIED: DpSynthesizerKind
DP_SYNTHESIZER_KIND_DP_TVAE: DpSynthesizerKind
DP_SYNTHESIZER_KIND_DP_CTGAN: DpSynthesizerKind
DP_SYNTHESIZER_KIND_DP_MST: DpSynthesizerKind
DP_SYNTHESIZER_KIND_DP: DpSynthesizerKind
DP_SYNTHESIZER_KIND_DP_AIM: DpSynthesizerKind
ACCOUNTANT_UNSPECIFIED: Accountant
ACCOUNTANT_RDP: Accountant
ACCOUNTANT_PRV: Accountant
DP_COLUMN_KIND_UNSPECIFIED: DpColumnKind
DP_COLUMN_KIND_NUMERICAL: DpColumnKind
DP_COLUMN_KIND_CATEGORICAL: DpColumnKind
DP_COLUMN_KIND_BOOLEAN: DpColumnKind
DP_COLUMN_KIND_DATETIME: DpColumnKind

class PrivacyBudget(_message.Message):
    __slots__ = ("dataset_id", "epsilon_total", "delta_total", "epsilon_spent", "epsilon_remaining", "delta_spent", "delta_remaining", "is_default")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EPSILON_TOTAL_FIELD_NUMBER: _ClassVar[int]
    DELTA_TOTAL_FIELD_NUMBER: _ClassVar[int]
    EPSILON_SPENT_FIELD_NUMBER: _ClassVar[int]
    EPSILON_REMAINING_FIELD_NUMBER: _ClassVar[int]
    DELTA_SPENT_FIELD_NUMBER: _ClassVar[int]
    DELTA_REMAINING_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    epsilon_total: float
    delta_total: float
    epsilon_spent: float
    epsilon_remaining: float
    delta_spent: float
    delta_remaining: float
    is_default: bool
    def __init__(self, dataset_id: _Optional[str] = ..., epsilon_total: _Optional[float] = ..., delta_total: _Optional[float] = ..., epsilon_spent: _Optional[float] = ..., epsilon_remaining: _Optional[float] = ..., delta_spent: _Optional[float] = ..., delta_remaining: _Optional[float] = ..., is_default: _Optional[bool] = ...) -> None: ...

class GetPrivacyBudgetRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class UpdatePrivacyBudgetRequest(_message.Message):
    __slots__ = ("dataset_id", "epsilon_total", "delta_total")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EPSILON_TOTAL_FIELD_NUMBER: _ClassVar[int]
    DELTA_TOTAL_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    epsilon_total: float
    delta_total: float
    def __init__(self, dataset_id: _Optional[str] = ..., epsilon_total: _Optional[float] = ..., delta_total: _Optional[float] = ...) -> None: ...

class PrivacySpend(_message.Message):
    __slots__ = ("spend_id", "dataset_id", "epsilon", "delta", "job_id", "synthesizer_id", "principal", "create_time", "events", "pld_epsilon", "rdp_epsilon", "data_read_time", "refund")
    SPEND_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    PLD_EPSILON_FIELD_NUMBER: _ClassVar[int]
    RDP_EPSILON_FIELD_NUMBER: _ClassVar[int]
    DATA_READ_TIME_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    spend_id: str
    dataset_id: str
    epsilon: float
    delta: float
    job_id: str
    synthesizer_id: str
    principal: str
    create_time: _timestamp_pb2.Timestamp
    events: _containers.RepeatedCompositeFieldContainer[MechanismEvent]
    pld_epsilon: float
    rdp_epsilon: float
    data_read_time: _timestamp_pb2.Timestamp
    refund: PrivacyRefund
    def __init__(self, spend_id: _Optional[str] = ..., dataset_id: _Optional[str] = ..., epsilon: _Optional[float] = ..., delta: _Optional[float] = ..., job_id: _Optional[str] = ..., synthesizer_id: _Optional[str] = ..., principal: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., events: _Optional[_Iterable[_Union[MechanismEvent, _Mapping]]] = ..., pld_epsilon: _Optional[float] = ..., rdp_epsilon: _Optional[float] = ..., data_read_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., refund: _Optional[_Union[PrivacyRefund, _Mapping]] = ...) -> None: ...

class PrivacyRefund(_message.Message):
    __slots__ = ("reason", "create_time")
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    reason: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, reason: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MechanismEvent(_message.Message):
    __slots__ = ("kind", "purpose", "count", "scale", "sample_rate", "epsilon", "delta")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PURPOSE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    kind: str
    purpose: str
    count: int
    scale: float
    sample_rate: float
    epsilon: float
    delta: float
    def __init__(self, kind: _Optional[str] = ..., purpose: _Optional[str] = ..., count: _Optional[int] = ..., scale: _Optional[float] = ..., sample_rate: _Optional[float] = ..., epsilon: _Optional[float] = ..., delta: _Optional[float] = ...) -> None: ...

class ListPrivacySpendsRequest(_message.Message):
    __slots__ = ("dataset_id", "page_size", "page_token")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    page_size: int
    page_token: str
    def __init__(self, dataset_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPrivacySpendsResponse(_message.Message):
    __slots__ = ("spends", "next_page_token")
    SPENDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    spends: _containers.RepeatedCompositeFieldContainer[PrivacySpend]
    next_page_token: str
    def __init__(self, spends: _Optional[_Iterable[_Union[PrivacySpend, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DpColumn(_message.Message):
    __slots__ = ("name", "kind", "integer", "lower", "upper", "categories", "nullable")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    INTEGER_FIELD_NUMBER: _ClassVar[int]
    LOWER_FIELD_NUMBER: _ClassVar[int]
    UPPER_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    NULLABLE_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: DpColumnKind
    integer: bool
    lower: float
    upper: float
    categories: _containers.RepeatedScalarFieldContainer[str]
    nullable: bool
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[DpColumnKind, str]] = ..., integer: _Optional[bool] = ..., lower: _Optional[float] = ..., upper: _Optional[float] = ..., categories: _Optional[_Iterable[str]] = ..., nullable: _Optional[bool] = ...) -> None: ...

class DpTableSchema(_message.Message):
    __slots__ = ("columns", "exclude_unlisted", "exclude_columns")
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_UNLISTED_FIELD_NUMBER: _ClassVar[int]
    EXCLUDE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    columns: _containers.RepeatedCompositeFieldContainer[DpColumn]
    exclude_unlisted: bool
    exclude_columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, columns: _Optional[_Iterable[_Union[DpColumn, _Mapping]]] = ..., exclude_unlisted: _Optional[bool] = ..., exclude_columns: _Optional[_Iterable[str]] = ...) -> None: ...

class DpHyperparameters(_message.Message):
    __slots__ = ("batch_size", "max_grad_norm", "learning_rate", "hidden_dims", "latent_dim", "preprocessing_epsilon_fraction", "preprocessing_delta_fraction")
    BATCH_SIZE_FIELD_NUMBER: _ClassVar[int]
    MAX_GRAD_NORM_FIELD_NUMBER: _ClassVar[int]
    LEARNING_RATE_FIELD_NUMBER: _ClassVar[int]
    HIDDEN_DIMS_FIELD_NUMBER: _ClassVar[int]
    LATENT_DIM_FIELD_NUMBER: _ClassVar[int]
    PREPROCESSING_EPSILON_FRACTION_FIELD_NUMBER: _ClassVar[int]
    PREPROCESSING_DELTA_FRACTION_FIELD_NUMBER: _ClassVar[int]
    batch_size: int
    max_grad_norm: float
    learning_rate: float
    hidden_dims: _containers.RepeatedScalarFieldContainer[int]
    latent_dim: int
    preprocessing_epsilon_fraction: float
    preprocessing_delta_fraction: float
    def __init__(self, batch_size: _Optional[int] = ..., max_grad_norm: _Optional[float] = ..., learning_rate: _Optional[float] = ..., hidden_dims: _Optional[_Iterable[int]] = ..., latent_dim: _Optional[int] = ..., preprocessing_epsilon_fraction: _Optional[float] = ..., preprocessing_delta_fraction: _Optional[float] = ...) -> None: ...

class TrainDpSynthesizerRequest(_message.Message):
    __slots__ = ("dataset_id", "kind", "epsilon", "delta", "epochs", "accountant", "schema", "display_name", "table", "hyperparameters")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTANT_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    HYPERPARAMETERS_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    kind: DpSynthesizerKind
    epsilon: float
    delta: float
    epochs: int
    accountant: Accountant
    schema: DpTableSchema
    display_name: str
    table: str
    hyperparameters: DpHyperparameters
    def __init__(self, dataset_id: _Optional[str] = ..., kind: _Optional[_Union[DpSynthesizerKind, str]] = ..., epsilon: _Optional[float] = ..., delta: _Optional[float] = ..., epochs: _Optional[int] = ..., accountant: _Optional[_Union[Accountant, str]] = ..., schema: _Optional[_Union[DpTableSchema, _Mapping]] = ..., display_name: _Optional[str] = ..., table: _Optional[str] = ..., hyperparameters: _Optional[_Union[DpHyperparameters, _Mapping]] = ...) -> None: ...

class PreprocessingRelease(_message.Message):
    __slots__ = ("column", "mechanism", "epsilon", "delta")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    MECHANISM_FIELD_NUMBER: _ClassVar[int]
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    column: str
    mechanism: str
    epsilon: float
    delta: float
    def __init__(self, column: _Optional[str] = ..., mechanism: _Optional[str] = ..., epsilon: _Optional[float] = ..., delta: _Optional[float] = ...) -> None: ...

class PrivacyGuarantee(_message.Message):
    __slots__ = ("epsilon", "delta", "accountant", "noise_multiplier", "sample_rate", "steps", "max_grad_norm", "training_epsilon", "training_delta", "preprocessing_epsilon", "preprocessing_delta", "preprocessing", "events", "pld_epsilon", "rdp_epsilon")
    EPSILON_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTANT_FIELD_NUMBER: _ClassVar[int]
    NOISE_MULTIPLIER_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_RATE_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    MAX_GRAD_NORM_FIELD_NUMBER: _ClassVar[int]
    TRAINING_EPSILON_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DELTA_FIELD_NUMBER: _ClassVar[int]
    PREPROCESSING_EPSILON_FIELD_NUMBER: _ClassVar[int]
    PREPROCESSING_DELTA_FIELD_NUMBER: _ClassVar[int]
    PREPROCESSING_FIELD_NUMBER: _ClassVar[int]
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    PLD_EPSILON_FIELD_NUMBER: _ClassVar[int]
    RDP_EPSILON_FIELD_NUMBER: _ClassVar[int]
    epsilon: float
    delta: float
    accountant: Accountant
    noise_multiplier: float
    sample_rate: float
    steps: int
    max_grad_norm: float
    training_epsilon: float
    training_delta: float
    preprocessing_epsilon: float
    preprocessing_delta: float
    preprocessing: _containers.RepeatedCompositeFieldContainer[PreprocessingRelease]
    events: _containers.RepeatedCompositeFieldContainer[MechanismEvent]
    pld_epsilon: float
    rdp_epsilon: float
    def __init__(self, epsilon: _Optional[float] = ..., delta: _Optional[float] = ..., accountant: _Optional[_Union[Accountant, str]] = ..., noise_multiplier: _Optional[float] = ..., sample_rate: _Optional[float] = ..., steps: _Optional[int] = ..., max_grad_norm: _Optional[float] = ..., training_epsilon: _Optional[float] = ..., training_delta: _Optional[float] = ..., preprocessing_epsilon: _Optional[float] = ..., preprocessing_delta: _Optional[float] = ..., preprocessing: _Optional[_Iterable[_Union[PreprocessingRelease, _Mapping]]] = ..., events: _Optional[_Iterable[_Union[MechanismEvent, _Mapping]]] = ..., pld_epsilon: _Optional[float] = ..., rdp_epsilon: _Optional[float] = ...) -> None: ...

class DpTrainingSummary(_message.Message):
    __slots__ = ("epochs", "steps", "seconds", "final_loss", "rows")
    EPOCHS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    FINAL_LOSS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    epochs: int
    steps: int
    seconds: float
    final_loss: float
    rows: int
    def __init__(self, epochs: _Optional[int] = ..., steps: _Optional[int] = ..., seconds: _Optional[float] = ..., final_loss: _Optional[float] = ..., rows: _Optional[int] = ...) -> None: ...

class DpSynthesizer(_message.Message):
    __slots__ = ("id", "display_name", "dataset_id", "table", "kind", "guarantee", "schema", "hyperparameters", "training", "job_id", "spend_id", "creator", "create_time", "project")
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    GUARANTEE_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_FIELD_NUMBER: _ClassVar[int]
    HYPERPARAMETERS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    SPEND_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    display_name: str
    dataset_id: str
    table: str
    kind: DpSynthesizerKind
    guarantee: PrivacyGuarantee
    schema: DpTableSchema
    hyperparameters: _struct_pb2.Struct
    training: DpTrainingSummary
    job_id: str
    spend_id: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    project: str
    def __init__(self, id: _Optional[str] = ..., display_name: _Optional[str] = ..., dataset_id: _Optional[str] = ..., table: _Optional[str] = ..., kind: _Optional[_Union[DpSynthesizerKind, str]] = ..., guarantee: _Optional[_Union[PrivacyGuarantee, _Mapping]] = ..., schema: _Optional[_Union[DpTableSchema, _Mapping]] = ..., hyperparameters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., training: _Optional[_Union[DpTrainingSummary, _Mapping]] = ..., job_id: _Optional[str] = ..., spend_id: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class GetDpSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id",)
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ...) -> None: ...

class ListDpSynthesizersRequest(_message.Message):
    __slots__ = ("dataset_id", "page_size", "page_token")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    page_size: int
    page_token: str
    def __init__(self, dataset_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDpSynthesizersResponse(_message.Message):
    __slots__ = ("synthesizers", "next_page_token")
    SYNTHESIZERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    synthesizers: _containers.RepeatedCompositeFieldContainer[DpSynthesizer]
    next_page_token: str
    def __init__(self, synthesizers: _Optional[_Iterable[_Union[DpSynthesizer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteDpSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id",)
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ...) -> None: ...

class SampleDpSynthesizerRequest(_message.Message):
    __slots__ = ("synthesizer_id", "num_rows", "seed")
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    NUM_ROWS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    num_rows: int
    seed: int
    def __init__(self, synthesizer_id: _Optional[str] = ..., num_rows: _Optional[int] = ..., seed: _Optional[int] = ...) -> None: ...

class VerifyPrivacyGuaranteeRequest(_message.Message):
    __slots__ = ("synthesizer_id",)
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    def __init__(self, synthesizer_id: _Optional[str] = ...) -> None: ...

class VerifyPrivacyGuaranteeResponse(_message.Message):
    __slots__ = ("synthesizer_id", "reported_epsilon", "recomputed_epsilon", "relative_difference", "consistent", "guarantee", "pld_epsilon", "rdp_epsilon")
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    REPORTED_EPSILON_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_EPSILON_FIELD_NUMBER: _ClassVar[int]
    RELATIVE_DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    CONSISTENT_FIELD_NUMBER: _ClassVar[int]
    GUARANTEE_FIELD_NUMBER: _ClassVar[int]
    PLD_EPSILON_FIELD_NUMBER: _ClassVar[int]
    RDP_EPSILON_FIELD_NUMBER: _ClassVar[int]
    synthesizer_id: str
    reported_epsilon: float
    recomputed_epsilon: float
    relative_difference: float
    consistent: bool
    guarantee: PrivacyGuarantee
    pld_epsilon: float
    rdp_epsilon: float
    def __init__(self, synthesizer_id: _Optional[str] = ..., reported_epsilon: _Optional[float] = ..., recomputed_epsilon: _Optional[float] = ..., relative_difference: _Optional[float] = ..., consistent: _Optional[bool] = ..., guarantee: _Optional[_Union[PrivacyGuarantee, _Mapping]] = ..., pld_epsilon: _Optional[float] = ..., rdp_epsilon: _Optional[float] = ...) -> None: ...
