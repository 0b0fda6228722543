import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import struct_pb2 as _struct_pb2
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

class HoldoutUnit(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    HOLDOUT_UNIT_UNSPECIFIED: _ClassVar[HoldoutUnit]
    HOLDOUT_UNIT_ROW: _ClassVar[HoldoutUnit]
    HOLDOUT_UNIT_SEQUENCE: _ClassVar[HoldoutUnit]
    HOLDOUT_UNIT_ROW_WITH_DESCENDANTS: _ClassVar[HoldoutUnit]

class Task(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TASK_UNSPECIFIED: _ClassVar[Task]
    TASK_CLASSIFICATION: _ClassVar[Task]
    TASK_REGRESSION: _ClassVar[Task]

class ReportPart(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPORT_PART_UNSPECIFIED: _ClassVar[ReportPart]
    REPORT_PART_FIDELITY: _ClassVar[ReportPart]
    REPORT_PART_UTILITY: _ClassVar[ReportPart]
    REPORT_PART_PRIVACY: _ClassVar[ReportPart]

class Modality(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MODALITY_UNSPECIFIED: _ClassVar[Modality]
    MODALITY_SINGLE_TABLE: _ClassVar[Modality]
    MODALITY_MULTI_TABLE: _ClassVar[Modality]
    MODALITY_SEQUENTIAL: _ClassVar[Modality]

class Verdict(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VERDICT_UNSPECIFIED: _ClassVar[Verdict]
    VERDICT_PASSED: _ClassVar[Verdict]
    VERDICT_FAILED: _ClassVar[Verdict]
    VERDICT_NOT_RUN: _ClassVar[Verdict]

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_JSON: _ClassVar[ExportFormat]
    EXPORT_FORMAT_HTML: _ClassVar[ExportFormat]
    EXPORT_FORMAT_PDF: _ClassVar[ExportFormat]

class CheckStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHECK_STATUS_UNSPECIFIED: _ClassVar[CheckStatus]
    CHECK_STATUS_PASSED: _ClassVar[CheckStatus]
    CHECK_STATUS_FAILED: _ClassVar[CheckStatus]
    CHECK_STATUS_NOT_MEASURED: _ClassVar[CheckStatus]
    CHECK_STATUS_NOT_REQUIRED: _ClassVar[CheckStatus]

class ReleaseState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RELEASE_STATE_UNSPECIFIED: _ClassVar[ReleaseState]
    RELEASE_STATE_PENDING: _ClassVar[ReleaseState]
    RELEASE_STATE_RELEASED: _ClassVar[ReleaseState]
HOLDOUT_UNIT_UNSPECIFIED: HoldoutUnit
HOLDOUT_UNIT_ROW: HoldoutUnit
HOLDOUT_UNIT_SEQUENCE: HoldoutUnit
HOLDOUT_UNIT_ROW_WITH_DESCENDANTS: HoldoutUnit
TASK_UNSPECIFIED: Task
TASK_CLASSIFICATION: Task
TASK_REGRESSION: Task
REPORT_PART_UNSPECIFIED: ReportPart
REPORT_PART_FIDELITY: ReportPart
REPORT_PART_UTILITY: ReportPart
REPORT_PART_PRIVACY: ReportPart
MODALITY_UNSPECIFIED: Modality
MODALITY_SINGLE_TABLE: Modality
MODALITY_MULTI_TABLE: Modality
MODALITY_SEQUENTIAL: Modality
VERDICT_UNSPECIFIED: Verdict
VERDICT_PASSED: Verdict
VERDICT_FAILED: Verdict
VERDICT_NOT_RUN: Verdict
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_JSON: ExportFormat
EXPORT_FORMAT_HTML: ExportFormat
EXPORT_FORMAT_PDF: ExportFormat
CHECK_STATUS_UNSPECIFIED: CheckStatus
CHECK_STATUS_PASSED: CheckStatus
CHECK_STATUS_FAILED: CheckStatus
CHECK_STATUS_NOT_MEASURED: CheckStatus
CHECK_STATUS_NOT_REQUIRED: CheckStatus
RELEASE_STATE_UNSPECIFIED: ReleaseState
RELEASE_STATE_PENDING: ReleaseState
RELEASE_STATE_RELEASED: ReleaseState

class TableSplit(_message.Message):
    __slots__ = ("table", "train_rows", "holdout_rows", "shared")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    TRAIN_ROWS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_ROWS_FIELD_NUMBER: _ClassVar[int]
    SHARED_FIELD_NUMBER: _ClassVar[int]
    table: str
    train_rows: int
    holdout_rows: int
    shared: bool
    def __init__(self, table: _Optional[str] = ..., train_rows: _Optional[int] = ..., holdout_rows: _Optional[int] = ..., shared: _Optional[bool] = ...) -> None: ...

class HoldoutRecord(_message.Message):
    __slots__ = ("seed", "holdout_fraction", "split_table", "unit", "total_units", "holdout_units", "tables", "holdout_index_sha256", "dataset_sha256", "stratified_by")
    SEED_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_FRACTION_FIELD_NUMBER: _ClassVar[int]
    SPLIT_TABLE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_UNITS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_UNITS_FIELD_NUMBER: _ClassVar[int]
    TABLES_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_INDEX_SHA256_FIELD_NUMBER: _ClassVar[int]
    DATASET_SHA256_FIELD_NUMBER: _ClassVar[int]
    STRATIFIED_BY_FIELD_NUMBER: _ClassVar[int]
    seed: int
    holdout_fraction: float
    split_table: str
    unit: HoldoutUnit
    total_units: int
    holdout_units: int
    tables: _containers.RepeatedCompositeFieldContainer[TableSplit]
    holdout_index_sha256: str
    dataset_sha256: str
    stratified_by: str
    def __init__(self, seed: _Optional[int] = ..., holdout_fraction: _Optional[float] = ..., split_table: _Optional[str] = ..., unit: _Optional[_Union[HoldoutUnit, str]] = ..., total_units: _Optional[int] = ..., holdout_units: _Optional[int] = ..., tables: _Optional[_Iterable[_Union[TableSplit, _Mapping]]] = ..., holdout_index_sha256: _Optional[str] = ..., dataset_sha256: _Optional[str] = ..., stratified_by: _Optional[str] = ...) -> None: ...

class HoldoutSplit(_message.Message):
    __slots__ = ("dataset_id", "record", "metadata", "creator", "create_time", "project")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    record: HoldoutRecord
    metadata: _struct_pb2.Struct
    creator: str
    create_time: _timestamp_pb2.Timestamp
    project: str
    def __init__(self, dataset_id: _Optional[str] = ..., record: _Optional[_Union[HoldoutRecord, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class CreateHoldoutSplitRequest(_message.Message):
    __slots__ = ("dataset_id", "holdout_fraction", "seed", "split_table", "metadata", "stratify_column")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_FRACTION_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    SPLIT_TABLE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    STRATIFY_COLUMN_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    holdout_fraction: float
    seed: int
    split_table: str
    metadata: _struct_pb2.Struct
    stratify_column: str
    def __init__(self, dataset_id: _Optional[str] = ..., holdout_fraction: _Optional[float] = ..., seed: _Optional[int] = ..., split_table: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., stratify_column: _Optional[str] = ...) -> None: ...

class GetHoldoutSplitRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class DeleteHoldoutSplitRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class ReportConfig(_message.Message):
    __slots__ = ("target_column", "task", "table_name", "sensitive_column", "parts", "skip_plots", "anonymeter_attacks", "max_privacy_rows", "confidence_level", "seed", "anonymeter_repeats", "sensitive_columns")
    TARGET_COLUMN_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    TABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    SENSITIVE_COLUMN_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    SKIP_PLOTS_FIELD_NUMBER: _ClassVar[int]
    ANONYMETER_ATTACKS_FIELD_NUMBER: _ClassVar[int]
    MAX_PRIVACY_ROWS_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    ANONYMETER_REPEATS_FIELD_NUMBER: _ClassVar[int]
    SENSITIVE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    target_column: str
    task: Task
    table_name: str
    sensitive_column: str
    parts: _containers.RepeatedScalarFieldContainer[ReportPart]
    skip_plots: bool
    anonymeter_attacks: int
    max_privacy_rows: int
    confidence_level: float
    seed: int
    anonymeter_repeats: int
    sensitive_columns: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, target_column: _Optional[str] = ..., task: _Optional[_Union[Task, str]] = ..., table_name: _Optional[str] = ..., sensitive_column: _Optional[str] = ..., parts: _Optional[_Iterable[_Union[ReportPart, str]]] = ..., skip_plots: _Optional[bool] = ..., anonymeter_attacks: _Optional[int] = ..., max_privacy_rows: _Optional[int] = ..., confidence_level: _Optional[float] = ..., seed: _Optional[int] = ..., anonymeter_repeats: _Optional[int] = ..., sensitive_columns: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateReportRequest(_message.Message):
    __slots__ = ("real_dataset_id", "synthetic_dataset_id", "synthesizer_name", "config", "synthesizer_id")
    REAL_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    real_dataset_id: str
    synthetic_dataset_id: str
    synthesizer_name: str
    config: ReportConfig
    synthesizer_id: str
    def __init__(self, real_dataset_id: _Optional[str] = ..., synthetic_dataset_id: _Optional[str] = ..., synthesizer_name: _Optional[str] = ..., config: _Optional[_Union[ReportConfig, _Mapping]] = ..., synthesizer_id: _Optional[str] = ...) -> None: ...

class Scores(_message.Message):
    __slots__ = ("fidelity", "utility", "privacy", "overall")
    FIDELITY_FIELD_NUMBER: _ClassVar[int]
    UTILITY_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_FIELD_NUMBER: _ClassVar[int]
    OVERALL_FIELD_NUMBER: _ClassVar[int]
    fidelity: float
    utility: float
    privacy: float
    overall: float
    def __init__(self, fidelity: _Optional[float] = ..., utility: _Optional[float] = ..., privacy: _Optional[float] = ..., overall: _Optional[float] = ...) -> None: ...

class PropertyScore(_message.Message):
    __slots__ = ("name", "score", "holdout_score")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_SCORE_FIELD_NUMBER: _ClassVar[int]
    name: str
    score: float
    holdout_score: float
    def __init__(self, name: _Optional[str] = ..., score: _Optional[float] = ..., holdout_score: _Optional[float] = ...) -> None: ...

class ColumnScore(_message.Message):
    __slots__ = ("table", "column", "metric", "score", "error", "holdout_score")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_SCORE_FIELD_NUMBER: _ClassVar[int]
    table: str
    column: str
    metric: str
    score: float
    error: str
    holdout_score: float
    def __init__(self, table: _Optional[str] = ..., column: _Optional[str] = ..., metric: _Optional[str] = ..., score: _Optional[float] = ..., error: _Optional[str] = ..., holdout_score: _Optional[float] = ...) -> None: ...

class ColumnPairScore(_message.Message):
    __slots__ = ("table", "column_1", "column_2", "metric", "score", "real_correlation", "synthetic_correlation", "real_association", "meets_threshold", "error", "holdout_score")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_1_FIELD_NUMBER: _ClassVar[int]
    COLUMN_2_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REAL_CORRELATION_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_CORRELATION_FIELD_NUMBER: _ClassVar[int]
    REAL_ASSOCIATION_FIELD_NUMBER: _ClassVar[int]
    MEETS_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_SCORE_FIELD_NUMBER: _ClassVar[int]
    table: str
    column_1: str
    column_2: str
    metric: str
    score: float
    real_correlation: float
    synthetic_correlation: float
    real_association: float
    meets_threshold: bool
    error: str
    holdout_score: float
    def __init__(self, table: _Optional[str] = ..., column_1: _Optional[str] = ..., column_2: _Optional[str] = ..., metric: _Optional[str] = ..., score: _Optional[float] = ..., real_correlation: _Optional[float] = ..., synthetic_correlation: _Optional[float] = ..., real_association: _Optional[float] = ..., meets_threshold: _Optional[bool] = ..., error: _Optional[str] = ..., holdout_score: _Optional[float] = ...) -> None: ...

class TableScore(_message.Message):
    __slots__ = ("table", "metric", "score")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    table: str
    metric: str
    score: float
    def __init__(self, table: _Optional[str] = ..., metric: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class RelationshipScore(_message.Message):
    __slots__ = ("parent_table", "child_table", "foreign_key", "metric", "score")
    PARENT_TABLE_FIELD_NUMBER: _ClassVar[int]
    CHILD_TABLE_FIELD_NUMBER: _ClassVar[int]
    FOREIGN_KEY_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    parent_table: str
    child_table: str
    foreign_key: str
    metric: str
    score: float
    def __init__(self, parent_table: _Optional[str] = ..., child_table: _Optional[str] = ..., foreign_key: _Optional[str] = ..., metric: _Optional[str] = ..., score: _Optional[float] = ...) -> None: ...

class SequenceScore(_message.Message):
    __slots__ = ("table", "column", "metric", "score", "error")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    table: str
    column: str
    metric: str
    score: float
    error: str
    def __init__(self, table: _Optional[str] = ..., column: _Optional[str] = ..., metric: _Optional[str] = ..., score: _Optional[float] = ..., error: _Optional[str] = ...) -> None: ...

class FidelityDetails(_message.Message):
    __slots__ = ("quality_score", "diagnostic_score", "quality_properties", "diagnostic_properties", "column_shapes", "column_pair_trends", "data_validity", "data_structure", "cardinality", "intertable_trends", "relationship_validity", "sequence_scores", "sequence_score", "holdout_ceiling", "column_coverage", "quality_score_without_replaced")
    QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_SCORE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    COLUMN_SHAPES_FIELD_NUMBER: _ClassVar[int]
    COLUMN_PAIR_TRENDS_FIELD_NUMBER: _ClassVar[int]
    DATA_VALIDITY_FIELD_NUMBER: _ClassVar[int]
    DATA_STRUCTURE_FIELD_NUMBER: _ClassVar[int]
    CARDINALITY_FIELD_NUMBER: _ClassVar[int]
    INTERTABLE_TRENDS_FIELD_NUMBER: _ClassVar[int]
    RELATIONSHIP_VALIDITY_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_SCORES_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_SCORE_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_CEILING_FIELD_NUMBER: _ClassVar[int]
    COLUMN_COVERAGE_FIELD_NUMBER: _ClassVar[int]
    QUALITY_SCORE_WITHOUT_REPLACED_FIELD_NUMBER: _ClassVar[int]
    quality_score: float
    diagnostic_score: float
    quality_properties: _containers.RepeatedCompositeFieldContainer[PropertyScore]
    diagnostic_properties: _containers.RepeatedCompositeFieldContainer[PropertyScore]
    column_shapes: _containers.RepeatedCompositeFieldContainer[ColumnScore]
    column_pair_trends: _containers.RepeatedCompositeFieldContainer[ColumnPairScore]
    data_validity: _containers.RepeatedCompositeFieldContainer[ColumnScore]
    data_structure: _containers.RepeatedCompositeFieldContainer[TableScore]
    cardinality: _containers.RepeatedCompositeFieldContainer[RelationshipScore]
    intertable_trends: _containers.RepeatedCompositeFieldContainer[ColumnPairScore]
    relationship_validity: _containers.RepeatedCompositeFieldContainer[RelationshipScore]
    sequence_scores: _containers.RepeatedCompositeFieldContainer[SequenceScore]
    sequence_score: float
    holdout_ceiling: HoldoutCeiling
    column_coverage: _containers.RepeatedCompositeFieldContainer[ColumnCoverage]
    quality_score_without_replaced: float
    def __init__(self, quality_score: _Optional[float] = ..., diagnostic_score: _Optional[float] = ..., quality_properties: _Optional[_Iterable[_Union[PropertyScore, _Mapping]]] = ..., diagnostic_properties: _Optional[_Iterable[_Union[PropertyScore, _Mapping]]] = ..., column_shapes: _Optional[_Iterable[_Union[ColumnScore, _Mapping]]] = ..., column_pair_trends: _Optional[_Iterable[_Union[ColumnPairScore, _Mapping]]] = ..., data_validity: _Optional[_Iterable[_Union[ColumnScore, _Mapping]]] = ..., data_structure: _Optional[_Iterable[_Union[TableScore, _Mapping]]] = ..., cardinality: _Optional[_Iterable[_Union[RelationshipScore, _Mapping]]] = ..., intertable_trends: _Optional[_Iterable[_Union[ColumnPairScore, _Mapping]]] = ..., relationship_validity: _Optional[_Iterable[_Union[RelationshipScore, _Mapping]]] = ..., sequence_scores: _Optional[_Iterable[_Union[SequenceScore, _Mapping]]] = ..., sequence_score: _Optional[float] = ..., holdout_ceiling: _Optional[_Union[HoldoutCeiling, _Mapping]] = ..., column_coverage: _Optional[_Iterable[_Union[ColumnCoverage, _Mapping]]] = ..., quality_score_without_replaced: _Optional[float] = ...) -> None: ...

class HoldoutCeiling(_message.Message):
    __slots__ = ("quality_score", "synthetic_quality_score", "rows", "above_ceiling")
    QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    ABOVE_CEILING_FIELD_NUMBER: _ClassVar[int]
    quality_score: float
    synthetic_quality_score: float
    rows: int
    above_ceiling: bool
    def __init__(self, quality_score: _Optional[float] = ..., synthetic_quality_score: _Optional[float] = ..., rows: _Optional[int] = ..., above_ceiling: _Optional[bool] = ...) -> None: ...

class ColumnCoverage(_message.Message):
    __slots__ = ("table", "column", "sdtype", "treatment", "reason")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    SDTYPE_FIELD_NUMBER: _ClassVar[int]
    TREATMENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    table: str
    column: str
    sdtype: str
    treatment: str
    reason: str
    def __init__(self, table: _Optional[str] = ..., column: _Optional[str] = ..., sdtype: _Optional[str] = ..., treatment: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ModelScore(_message.Message):
    __slots__ = ("model", "train_real_test_real", "train_synthetic_test_real", "ratio")
    class TrainRealTestRealEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class TrainSyntheticTestRealEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TRAIN_REAL_TEST_REAL_FIELD_NUMBER: _ClassVar[int]
    TRAIN_SYNTHETIC_TEST_REAL_FIELD_NUMBER: _ClassVar[int]
    RATIO_FIELD_NUMBER: _ClassVar[int]
    model: str
    train_real_test_real: _containers.ScalarMap[str, float]
    train_synthetic_test_real: _containers.ScalarMap[str, float]
    ratio: float
    def __init__(self, model: _Optional[str] = ..., train_real_test_real: _Optional[_Mapping[str, float]] = ..., train_synthetic_test_real: _Optional[_Mapping[str, float]] = ..., ratio: _Optional[float] = ...) -> None: ...

class UtilityDetails(_message.Message):
    __slots__ = ("table", "target_column", "task", "primary_metric", "feature_columns", "train_rows", "synthetic_rows", "test_rows", "models", "train_real_test_real", "train_synthetic_test_real", "ratio", "score")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    TARGET_COLUMN_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_METRIC_FIELD_NUMBER: _ClassVar[int]
    FEATURE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    TRAIN_ROWS_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_ROWS_FIELD_NUMBER: _ClassVar[int]
    TEST_ROWS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    TRAIN_REAL_TEST_REAL_FIELD_NUMBER: _ClassVar[int]
    TRAIN_SYNTHETIC_TEST_REAL_FIELD_NUMBER: _ClassVar[int]
    RATIO_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    table: str
    target_column: str
    task: Task
    primary_metric: str
    feature_columns: _containers.RepeatedScalarFieldContainer[str]
    train_rows: int
    synthetic_rows: int
    test_rows: int
    models: _containers.RepeatedCompositeFieldContainer[ModelScore]
    train_real_test_real: float
    train_synthetic_test_real: float
    ratio: float
    score: float
    def __init__(self, table: _Optional[str] = ..., target_column: _Optional[str] = ..., task: _Optional[_Union[Task, str]] = ..., primary_metric: _Optional[str] = ..., feature_columns: _Optional[_Iterable[str]] = ..., train_rows: _Optional[int] = ..., synthetic_rows: _Optional[int] = ..., test_rows: _Optional[int] = ..., models: _Optional[_Iterable[_Union[ModelScore, _Mapping]]] = ..., train_real_test_real: _Optional[float] = ..., train_synthetic_test_real: _Optional[float] = ..., ratio: _Optional[float] = ..., score: _Optional[float] = ...) -> None: ...

class DistanceSummary(_message.Message):
    __slots__ = ("mean", "median", "p05", "quantiles")
    MEAN_FIELD_NUMBER: _ClassVar[int]
    MEDIAN_FIELD_NUMBER: _ClassVar[int]
    P05_FIELD_NUMBER: _ClassVar[int]
    QUANTILES_FIELD_NUMBER: _ClassVar[int]
    mean: float
    median: float
    p05: float
    quantiles: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, mean: _Optional[float] = ..., median: _Optional[float] = ..., p05: _Optional[float] = ..., quantiles: _Optional[_Iterable[float]] = ...) -> None: ...

class PrivacyCheck(_message.Message):
    __slots__ = ("name", "value", "limit", "passed", "explanation", "ci_low", "ci_high")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    CI_LOW_FIELD_NUMBER: _ClassVar[int]
    CI_HIGH_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: float
    limit: float
    passed: bool
    explanation: str
    ci_low: float
    ci_high: float
    def __init__(self, name: _Optional[str] = ..., value: _Optional[float] = ..., limit: _Optional[float] = ..., passed: _Optional[bool] = ..., explanation: _Optional[str] = ..., ci_low: _Optional[float] = ..., ci_high: _Optional[float] = ...) -> None: ...

class AttackRisk(_message.Message):
    __slots__ = ("attack", "risk", "ci_low", "ci_high", "attack_rate", "baseline_rate", "control_rate", "n_attacks", "description", "target", "repeats", "repeat_risks")
    ATTACK_FIELD_NUMBER: _ClassVar[int]
    RISK_FIELD_NUMBER: _ClassVar[int]
    CI_LOW_FIELD_NUMBER: _ClassVar[int]
    CI_HIGH_FIELD_NUMBER: _ClassVar[int]
    ATTACK_RATE_FIELD_NUMBER: _ClassVar[int]
    BASELINE_RATE_FIELD_NUMBER: _ClassVar[int]
    CONTROL_RATE_FIELD_NUMBER: _ClassVar[int]
    N_ATTACKS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    REPEATS_FIELD_NUMBER: _ClassVar[int]
    REPEAT_RISKS_FIELD_NUMBER: _ClassVar[int]
    attack: str
    risk: float
    ci_low: float
    ci_high: float
    attack_rate: float
    baseline_rate: float
    control_rate: float
    n_attacks: int
    description: str
    target: str
    repeats: int
    repeat_risks: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, attack: _Optional[str] = ..., risk: _Optional[float] = ..., ci_low: _Optional[float] = ..., ci_high: _Optional[float] = ..., attack_rate: _Optional[float] = ..., baseline_rate: _Optional[float] = ..., control_rate: _Optional[float] = ..., n_attacks: _Optional[int] = ..., description: _Optional[str] = ..., target: _Optional[str] = ..., repeats: _Optional[int] = ..., repeat_risks: _Optional[_Iterable[float]] = ...) -> None: ...

class MembershipAttack(_message.Message):
    __slots__ = ("name", "auc", "auc_low", "auc_high", "tpr_at_low_fpr", "members", "non_members", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    AUC_FIELD_NUMBER: _ClassVar[int]
    AUC_LOW_FIELD_NUMBER: _ClassVar[int]
    AUC_HIGH_FIELD_NUMBER: _ClassVar[int]
    TPR_AT_LOW_FPR_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    NON_MEMBERS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    auc: float
    auc_low: float
    auc_high: float
    tpr_at_low_fpr: float
    members: int
    non_members: int
    description: str
    def __init__(self, name: _Optional[str] = ..., auc: _Optional[float] = ..., auc_low: _Optional[float] = ..., auc_high: _Optional[float] = ..., tpr_at_low_fpr: _Optional[float] = ..., members: _Optional[int] = ..., non_members: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class PrivacyDetails(_message.Message):
    __slots__ = ("table", "feature_columns", "compared_rows", "dcr_synthetic_to_train", "dcr_holdout_to_train", "nndr_synthetic_median", "nndr_holdout_median", "dcr_share", "exact_copy_rate", "holdout_exact_copy_rate", "membership_inference_auc", "checks", "passed", "score", "dcr_share_ci_low", "dcr_share_ci_high", "confidence_level", "membership_attacks", "inference_targets", "training_data")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FEATURE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    COMPARED_ROWS_FIELD_NUMBER: _ClassVar[int]
    DCR_SYNTHETIC_TO_TRAIN_FIELD_NUMBER: _ClassVar[int]
    DCR_HOLDOUT_TO_TRAIN_FIELD_NUMBER: _ClassVar[int]
    NNDR_SYNTHETIC_MEDIAN_FIELD_NUMBER: _ClassVar[int]
    NNDR_HOLDOUT_MEDIAN_FIELD_NUMBER: _ClassVar[int]
    DCR_SHARE_FIELD_NUMBER: _ClassVar[int]
    EXACT_COPY_RATE_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_EXACT_COPY_RATE_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIP_INFERENCE_AUC_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    PASSED_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    DCR_SHARE_CI_LOW_FIELD_NUMBER: _ClassVar[int]
    DCR_SHARE_CI_HIGH_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIP_ATTACKS_FIELD_NUMBER: _ClassVar[int]
    INFERENCE_TARGETS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    table: str
    feature_columns: _containers.RepeatedScalarFieldContainer[str]
    compared_rows: int
    dcr_synthetic_to_train: DistanceSummary
    dcr_holdout_to_train: DistanceSummary
    nndr_synthetic_median: float
    nndr_holdout_median: float
    dcr_share: float
    exact_copy_rate: float
    holdout_exact_copy_rate: float
    membership_inference_auc: float
    checks: _containers.RepeatedCompositeFieldContainer[PrivacyCheck]
    passed: bool
    score: float
    dcr_share_ci_low: float
    dcr_share_ci_high: float
    confidence_level: float
    membership_attacks: _containers.RepeatedCompositeFieldContainer[MembershipAttack]
    inference_targets: _containers.RepeatedScalarFieldContainer[str]
    training_data: str
    def __init__(self, table: _Optional[str] = ..., feature_columns: _Optional[_Iterable[str]] = ..., compared_rows: _Optional[int] = ..., dcr_synthetic_to_train: _Optional[_Union[DistanceSummary, _Mapping]] = ..., dcr_holdout_to_train: _Optional[_Union[DistanceSummary, _Mapping]] = ..., nndr_synthetic_median: _Optional[float] = ..., nndr_holdout_median: _Optional[float] = ..., dcr_share: _Optional[float] = ..., exact_copy_rate: _Optional[float] = ..., holdout_exact_copy_rate: _Optional[float] = ..., membership_inference_auc: _Optional[float] = ..., checks: _Optional[_Iterable[_Union[PrivacyCheck, _Mapping]]] = ..., passed: _Optional[bool] = ..., score: _Optional[float] = ..., dcr_share_ci_low: _Optional[float] = ..., dcr_share_ci_high: _Optional[float] = ..., confidence_level: _Optional[float] = ..., membership_attacks: _Optional[_Iterable[_Union[MembershipAttack, _Mapping]]] = ..., inference_targets: _Optional[_Iterable[str]] = ..., training_data: _Optional[str] = ...) -> None: ...

class TableRows(_message.Message):
    __slots__ = ("table", "train_rows", "holdout_rows", "synthetic_rows")
    TABLE_FIELD_NUMBER: _ClassVar[int]
    TRAIN_ROWS_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_ROWS_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_ROWS_FIELD_NUMBER: _ClassVar[int]
    table: str
    train_rows: int
    holdout_rows: int
    synthetic_rows: int
    def __init__(self, table: _Optional[str] = ..., train_rows: _Optional[int] = ..., holdout_rows: _Optional[int] = ..., synthetic_rows: _Optional[int] = ...) -> None: ...

class PlotInfo(_message.Message):
    __slots__ = ("key", "section", "title")
    KEY_FIELD_NUMBER: _ClassVar[int]
    SECTION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    key: str
    section: str
    title: str
    def __init__(self, key: _Optional[str] = ..., section: _Optional[str] = ..., title: _Optional[str] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("id", "real_dataset_id", "synthetic_dataset_id", "synthesizer_name", "dataset_name", "scores", "quality_score", "diagnostic_score", "utility_ratio", "dcr_share", "exact_copy_rate", "membership_inference_auc", "anonymeter_risks", "privacy_verdict", "overall_verdict", "verdict_reasons", "modality", "focus_table", "config", "holdout", "rows", "fidelity", "utility", "privacy", "plots", "warnings", "versions", "job_id", "creator", "create_time", "training_data", "holdout_quality_score", "above_holdout_ceiling", "privacy_checks", "synthesizer_id", "gate", "project")
    class VersionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    REAL_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_NAME_FIELD_NUMBER: _ClassVar[int]
    DATASET_NAME_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_SCORE_FIELD_NUMBER: _ClassVar[int]
    UTILITY_RATIO_FIELD_NUMBER: _ClassVar[int]
    DCR_SHARE_FIELD_NUMBER: _ClassVar[int]
    EXACT_COPY_RATE_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIP_INFERENCE_AUC_FIELD_NUMBER: _ClassVar[int]
    ANONYMETER_RISKS_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_VERDICT_FIELD_NUMBER: _ClassVar[int]
    OVERALL_VERDICT_FIELD_NUMBER: _ClassVar[int]
    VERDICT_REASONS_FIELD_NUMBER: _ClassVar[int]
    MODALITY_FIELD_NUMBER: _ClassVar[int]
    FOCUS_TABLE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    FIDELITY_FIELD_NUMBER: _ClassVar[int]
    UTILITY_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_FIELD_NUMBER: _ClassVar[int]
    PLOTS_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    TRAINING_DATA_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    ABOVE_HOLDOUT_CEILING_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_CHECKS_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    real_dataset_id: str
    synthetic_dataset_id: str
    synthesizer_name: str
    dataset_name: str
    scores: Scores
    quality_score: float
    diagnostic_score: float
    utility_ratio: float
    dcr_share: float
    exact_copy_rate: float
    membership_inference_auc: float
    anonymeter_risks: _containers.RepeatedCompositeFieldContainer[AttackRisk]
    privacy_verdict: Verdict
    overall_verdict: Verdict
    verdict_reasons: _containers.RepeatedScalarFieldContainer[str]
    modality: Modality
    focus_table: str
    config: ReportConfig
    holdout: HoldoutRecord
    rows: _containers.RepeatedCompositeFieldContainer[TableRows]
    fidelity: FidelityDetails
    utility: UtilityDetails
    privacy: PrivacyDetails
    plots: _containers.RepeatedCompositeFieldContainer[PlotInfo]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    versions: _containers.ScalarMap[str, str]
    job_id: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    training_data: str
    holdout_quality_score: float
    above_holdout_ceiling: bool
    privacy_checks: _containers.RepeatedCompositeFieldContainer[PrivacyCheck]
    synthesizer_id: str
    gate: ReleaseGate
    project: str
    def __init__(self, id: _Optional[str] = ..., real_dataset_id: _Optional[str] = ..., synthetic_dataset_id: _Optional[str] = ..., synthesizer_name: _Optional[str] = ..., dataset_name: _Optional[str] = ..., scores: _Optional[_Union[Scores, _Mapping]] = ..., quality_score: _Optional[float] = ..., diagnostic_score: _Optional[float] = ..., utility_ratio: _Optional[float] = ..., dcr_share: _Optional[float] = ..., exact_copy_rate: _Optional[float] = ..., membership_inference_auc: _Optional[float] = ..., anonymeter_risks: _Optional[_Iterable[_Union[AttackRisk, _Mapping]]] = ..., privacy_verdict: _Optional[_Union[Verdict, str]] = ..., overall_verdict: _Optional[_Union[Verdict, str]] = ..., verdict_reasons: _Optional[_Iterable[str]] = ..., modality: _Optional[_Union[Modality, str]] = ..., focus_table: _Optional[str] = ..., config: _Optional[_Union[ReportConfig, _Mapping]] = ..., holdout: _Optional[_Union[HoldoutRecord, _Mapping]] = ..., rows: _Optional[_Iterable[_Union[TableRows, _Mapping]]] = ..., fidelity: _Optional[_Union[FidelityDetails, _Mapping]] = ..., utility: _Optional[_Union[UtilityDetails, _Mapping]] = ..., privacy: _Optional[_Union[PrivacyDetails, _Mapping]] = ..., plots: _Optional[_Iterable[_Union[PlotInfo, _Mapping]]] = ..., warnings: _Optional[_Iterable[str]] = ..., versions: _Optional[_Mapping[str, str]] = ..., job_id: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., training_data: _Optional[str] = ..., holdout_quality_score: _Optional[float] = ..., above_holdout_ceiling: _Optional[bool] = ..., privacy_checks: _Optional[_Iterable[_Union[PrivacyCheck, _Mapping]]] = ..., synthesizer_id: _Optional[str] = ..., gate: _Optional[_Union[ReleaseGate, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class GetReportRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class ListReportsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "real_dataset_id", "project")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    REAL_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    real_dataset_id: str
    project: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., real_dataset_id: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ListReportsResponse(_message.Message):
    __slots__ = ("reports", "next_page_token")
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[Report]
    next_page_token: str
    def __init__(self, reports: _Optional[_Iterable[_Union[Report, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteReportRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class CompareReportsRequest(_message.Message):
    __slots__ = ("report_ids",)
    REPORT_IDS_FIELD_NUMBER: _ClassVar[int]
    report_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, report_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class LeaderboardEntry(_message.Message):
    __slots__ = ("rank", "report_id", "synthesizer_name", "overall", "fidelity", "utility", "privacy", "quality_score", "diagnostic_score", "utility_ratio", "dcr_share", "membership_inference_auc", "exact_copy_rate", "privacy_verdict")
    RANK_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_NAME_FIELD_NUMBER: _ClassVar[int]
    OVERALL_FIELD_NUMBER: _ClassVar[int]
    FIDELITY_FIELD_NUMBER: _ClassVar[int]
    UTILITY_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_FIELD_NUMBER: _ClassVar[int]
    QUALITY_SCORE_FIELD_NUMBER: _ClassVar[int]
    DIAGNOSTIC_SCORE_FIELD_NUMBER: _ClassVar[int]
    UTILITY_RATIO_FIELD_NUMBER: _ClassVar[int]
    DCR_SHARE_FIELD_NUMBER: _ClassVar[int]
    MEMBERSHIP_INFERENCE_AUC_FIELD_NUMBER: _ClassVar[int]
    EXACT_COPY_RATE_FIELD_NUMBER: _ClassVar[int]
    PRIVACY_VERDICT_FIELD_NUMBER: _ClassVar[int]
    rank: int
    report_id: str
    synthesizer_name: str
    overall: float
    fidelity: float
    utility: float
    privacy: float
    quality_score: float
    diagnostic_score: float
    utility_ratio: float
    dcr_share: float
    membership_inference_auc: float
    exact_copy_rate: float
    privacy_verdict: Verdict
    def __init__(self, rank: _Optional[int] = ..., report_id: _Optional[str] = ..., synthesizer_name: _Optional[str] = ..., overall: _Optional[float] = ..., fidelity: _Optional[float] = ..., utility: _Optional[float] = ..., privacy: _Optional[float] = ..., quality_score: _Optional[float] = ..., diagnostic_score: _Optional[float] = ..., utility_ratio: _Optional[float] = ..., dcr_share: _Optional[float] = ..., membership_inference_auc: _Optional[float] = ..., exact_copy_rate: _Optional[float] = ..., privacy_verdict: _Optional[_Union[Verdict, str]] = ...) -> None: ...

class Leaderboard(_message.Message):
    __slots__ = ("dataset_name", "holdout_index_sha256", "entries", "warnings")
    DATASET_NAME_FIELD_NUMBER: _ClassVar[int]
    HOLDOUT_INDEX_SHA256_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    dataset_name: str
    holdout_index_sha256: str
    entries: _containers.RepeatedCompositeFieldContainer[LeaderboardEntry]
    warnings: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, dataset_name: _Optional[str] = ..., holdout_index_sha256: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[LeaderboardEntry, _Mapping]]] = ..., warnings: _Optional[_Iterable[str]] = ...) -> None: ...

class ExportReportRequest(_message.Message):
    __slots__ = ("report_id", "format")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    format: ExportFormat
    def __init__(self, report_id: _Optional[str] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportComparisonRequest(_message.Message):
    __slots__ = ("report_ids", "format")
    REPORT_IDS_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    report_ids: _containers.RepeatedScalarFieldContainer[str]
    format: ExportFormat
    def __init__(self, report_ids: _Optional[_Iterable[str]] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportedFile(_message.Message):
    __slots__ = ("filename", "media_type", "content")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    media_type: str
    content: bytes
    def __init__(self, filename: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ReleasePolicy(_message.Message):
    __slots__ = ("project", "min_fidelity_ratio", "min_utility_ratio", "max_dcr_share_upper", "max_identical_match_share", "max_anonymeter_upper", "max_membership_auc", "require_differential_privacy", "max_epsilon", "pii_free_columns", "optional_checks", "updater", "update_time")
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    MIN_FIDELITY_RATIO_FIELD_NUMBER: _ClassVar[int]
    MIN_UTILITY_RATIO_FIELD_NUMBER: _ClassVar[int]
    MAX_DCR_SHARE_UPPER_FIELD_NUMBER: _ClassVar[int]
    MAX_IDENTICAL_MATCH_SHARE_FIELD_NUMBER: _ClassVar[int]
    MAX_ANONYMETER_UPPER_FIELD_NUMBER: _ClassVar[int]
    MAX_MEMBERSHIP_AUC_FIELD_NUMBER: _ClassVar[int]
    REQUIRE_DIFFERENTIAL_PRIVACY_FIELD_NUMBER: _ClassVar[int]
    MAX_EPSILON_FIELD_NUMBER: _ClassVar[int]
    PII_FREE_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    OPTIONAL_CHECKS_FIELD_NUMBER: _ClassVar[int]
    UPDATER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    project: str
    min_fidelity_ratio: float
    min_utility_ratio: float
    max_dcr_share_upper: float
    max_identical_match_share: float
    max_anonymeter_upper: float
    max_membership_auc: float
    require_differential_privacy: bool
    max_epsilon: float
    pii_free_columns: _containers.RepeatedScalarFieldContainer[str]
    optional_checks: _containers.RepeatedScalarFieldContainer[str]
    updater: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, project: _Optional[str] = ..., min_fidelity_ratio: _Optional[float] = ..., min_utility_ratio: _Optional[float] = ..., max_dcr_share_upper: _Optional[float] = ..., max_identical_match_share: _Optional[float] = ..., max_anonymeter_upper: _Optional[float] = ..., max_membership_auc: _Optional[float] = ..., require_differential_privacy: _Optional[bool] = ..., max_epsilon: _Optional[float] = ..., pii_free_columns: _Optional[_Iterable[str]] = ..., optional_checks: _Optional[_Iterable[str]] = ..., updater: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetReleasePolicyRequest(_message.Message):
    __slots__ = ("project",)
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    project: str
    def __init__(self, project: _Optional[str] = ...) -> None: ...

class UpdateReleasePolicyRequest(_message.Message):
    __slots__ = ("project", "policy")
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    project: str
    policy: ReleasePolicy
    def __init__(self, project: _Optional[str] = ..., policy: _Optional[_Union[ReleasePolicy, _Mapping]] = ...) -> None: ...

class GateCheck(_message.Message):
    __slots__ = ("name", "status", "value", "threshold", "comparison", "explanation", "blocking")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    COMPARISON_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    BLOCKING_FIELD_NUMBER: _ClassVar[int]
    name: str
    status: CheckStatus
    value: float
    threshold: float
    comparison: str
    explanation: str
    blocking: bool
    def __init__(self, name: _Optional[str] = ..., status: _Optional[_Union[CheckStatus, str]] = ..., value: _Optional[float] = ..., threshold: _Optional[float] = ..., comparison: _Optional[str] = ..., explanation: _Optional[str] = ..., blocking: _Optional[bool] = ...) -> None: ...

class ReleaseGate(_message.Message):
    __slots__ = ("passed", "checks", "policy")
    PASSED_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    passed: bool
    checks: _containers.RepeatedCompositeFieldContainer[GateCheck]
    policy: ReleasePolicy
    def __init__(self, passed: _Optional[bool] = ..., checks: _Optional[_Iterable[_Union[GateCheck, _Mapping]]] = ..., policy: _Optional[_Union[ReleasePolicy, _Mapping]] = ...) -> None: ...

class Release(_message.Message):
    __slots__ = ("dataset_id", "project", "report_id", "real_dataset_id", "synthesizer_id", "state", "gate", "requester", "request_time", "approver", "approve_time", "comment", "gate_overridden", "override_by", "override_reason")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    REAL_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    GATE_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    REQUEST_TIME_FIELD_NUMBER: _ClassVar[int]
    APPROVER_FIELD_NUMBER: _ClassVar[int]
    APPROVE_TIME_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    GATE_OVERRIDDEN_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_BY_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_REASON_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    project: str
    report_id: str
    real_dataset_id: str
    synthesizer_id: str
    state: ReleaseState
    gate: ReleaseGate
    requester: str
    request_time: _timestamp_pb2.Timestamp
    approver: str
    approve_time: _timestamp_pb2.Timestamp
    comment: str
    gate_overridden: bool
    override_by: str
    override_reason: str
    def __init__(self, dataset_id: _Optional[str] = ..., project: _Optional[str] = ..., report_id: _Optional[str] = ..., real_dataset_id: _Optional[str] = ..., synthesizer_id: _Optional[str] = ..., state: _Optional[_Union[ReleaseState, str]] = ..., gate: _Optional[_Union[ReleaseGate, _Mapping]] = ..., requester: _Optional[str] = ..., request_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., approver: _Optional[str] = ..., approve_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., comment: _Optional[str] = ..., gate_overridden: _Optional[bool] = ..., override_by: _Optional[str] = ..., override_reason: _Optional[str] = ...) -> None: ...

class RequestReleaseRequest(_message.Message):
    __slots__ = ("dataset_id", "report_id")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    report_id: str
    def __init__(self, dataset_id: _Optional[str] = ..., report_id: _Optional[str] = ...) -> None: ...

class ApproveReleaseRequest(_message.Message):
    __slots__ = ("dataset_id", "comment")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    comment: str
    def __init__(self, dataset_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class OverrideReleaseGateRequest(_message.Message):
    __slots__ = ("dataset_id", "reason", "report_id")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    reason: str
    report_id: str
    def __init__(self, dataset_id: _Optional[str] = ..., reason: _Optional[str] = ..., report_id: _Optional[str] = ...) -> None: ...

class GetReleaseRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class CheckReleaseRequest(_message.Message):
    __slots__ = ("dataset_id", "synthesizer_id")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    synthesizer_id: str
    def __init__(self, dataset_id: _Optional[str] = ..., synthesizer_id: _Optional[str] = ...) -> None: ...

class ReleaseCheck(_message.Message):
    __slots__ = ("released", "missing", "dataset_id")
    RELEASED_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    released: bool
    missing: _containers.RepeatedScalarFieldContainer[str]
    dataset_id: str
    def __init__(self, released: _Optional[bool] = ..., missing: _Optional[_Iterable[str]] = ..., dataset_id: _Optional[str] = ...) -> None: ...

class ExportEvidenceRequest(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class GetEvidencePublicKeyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EvidencePublicKey(_message.Message):
    __slots__ = ("algorithm", "public_key_pem", "key_id")
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_PEM_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    algorithm: str
    public_key_pem: str
    key_id: str
    def __init__(self, algorithm: _Optional[str] = ..., public_key_pem: _Optional[str] = ..., key_id: _Optional[str] = ...) -> None: ...
