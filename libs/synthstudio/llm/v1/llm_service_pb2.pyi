import datetime

from google.api import annotations_pb2 as _annotations_pb2
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

class Feature(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FEATURE_UNSPECIFIED: _ClassVar[Feature]
    FEATURE_SCHEMA_FROM_DESCRIPTION: _ClassVar[Feature]
    FEATURE_EXPLAIN_EVALUATION: _ClassVar[Feature]
    FEATURE_COMPLIANCE_REPORT: _ClassVar[Feature]
    FEATURE_SUGGEST_SYNTHESIZER: _ClassVar[Feature]
    FEATURE_EXPLAIN_PRIVACY_RISK: _ClassVar[Feature]
    FEATURE_CLASSIFY_COLUMNS: _ClassVar[Feature]
    FEATURE_DETECT_ANOMALIES: _ClassVar[Feature]
    FEATURE_DATA_DICTIONARY: _ClassVar[Feature]
    FEATURE_ANSWER_QUESTION: _ClassVar[Feature]
    FEATURE_PROPOSE_CONSTRAINTS: _ClassVar[Feature]
    FEATURE_TRANSLATE_ARTIFACT: _ClassVar[Feature]

class ArtifactState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ARTIFACT_STATE_UNSPECIFIED: _ClassVar[ArtifactState]
    ARTIFACT_STATE_DRAFT: _ClassVar[ArtifactState]
    ARTIFACT_STATE_APPROVED: _ClassVar[ArtifactState]
    ARTIFACT_STATE_REJECTED: _ClassVar[ArtifactState]
    ARTIFACT_STATE_CHANGES_REQUESTED: _ClassVar[ArtifactState]

class ReviewDecision(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REVIEW_DECISION_UNSPECIFIED: _ClassVar[ReviewDecision]
    REVIEW_DECISION_APPROVE: _ClassVar[ReviewDecision]
    REVIEW_DECISION_REJECT: _ClassVar[ReviewDecision]
    REVIEW_DECISION_REQUEST_CHANGES: _ClassVar[ReviewDecision]

class Regulation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REGULATION_UNSPECIFIED: _ClassVar[Regulation]
    REGULATION_GDPR: _ClassVar[Regulation]
    REGULATION_HIPAA: _ClassVar[Regulation]
    REGULATION_CCPA: _ClassVar[Regulation]

class SynthesizerGoal(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNTHESIZER_GOAL_UNSPECIFIED: _ClassVar[SynthesizerGoal]
    SYNTHESIZER_GOAL_BALANCED: _ClassVar[SynthesizerGoal]
    SYNTHESIZER_GOAL_FIDELITY: _ClassVar[SynthesizerGoal]
    SYNTHESIZER_GOAL_SPEED: _ClassVar[SynthesizerGoal]
    SYNTHESIZER_GOAL_PRIVACY: _ClassVar[SynthesizerGoal]

class AnonymizationAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ANONYMIZATION_ACTION_UNSPECIFIED: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_KEEP: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_DROP: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_MASK: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_HASH: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_PSEUDONYMISE: _ClassVar[AnonymizationAction]
    ANONYMIZATION_ACTION_SYNTHESIZE: _ClassVar[AnonymizationAction]

class TranslationMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSLATION_MODE_UNSPECIFIED: _ClassVar[TranslationMode]
    TRANSLATION_MODE_SUMMARIZE: _ClassVar[TranslationMode]
    TRANSLATION_MODE_TRANSLATE: _ClassVar[TranslationMode]

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_JSON: _ClassVar[ExportFormat]
    EXPORT_FORMAT_PDF: _ClassVar[ExportFormat]
FEATURE_UNSPECIFIED: Feature
FEATURE_SCHEMA_FROM_DESCRIPTION: Feature
FEATURE_EXPLAIN_EVALUATION: Feature
FEATURE_COMPLIANCE_REPORT: Feature
FEATURE_SUGGEST_SYNTHESIZER: Feature
FEATURE_EXPLAIN_PRIVACY_RISK: Feature
FEATURE_CLASSIFY_COLUMNS: Feature
FEATURE_DETECT_ANOMALIES: Feature
FEATURE_DATA_DICTIONARY: Feature
FEATURE_ANSWER_QUESTION: Feature
FEATURE_PROPOSE_CONSTRAINTS: Feature
FEATURE_TRANSLATE_ARTIFACT: Feature
ARTIFACT_STATE_UNSPECIFIED: ArtifactState
ARTIFACT_STATE_DRAFT: ArtifactState
ARTIFACT_STATE_APPROVED: ArtifactState
ARTIFACT_STATE_REJECTED: ArtifactState
ARTIFACT_STATE_CHANGES_REQUESTED: ArtifactState
REVIEW_DECISION_UNSPECIFIED: ReviewDecision
REVIEW_DECISION_APPROVE: ReviewDecision
REVIEW_DECISION_REJECT: ReviewDecision
REVIEW_DECISION_REQUEST_CHANGES: ReviewDecision
REGULATION_UNSPECIFIED: Regulation
REGULATION_GDPR: Regulation
REGULATION_HIPAA: Regulation
REGULATION_CCPA: Regulation
SYNTHESIZER_GOAL_UNSPECIFIED: SynthesizerGoal
SYNTHESIZER_GOAL_BALANCED: SynthesizerGoal
SYNTHESIZER_GOAL_FIDELITY: SynthesizerGoal
SYNTHESIZER_GOAL_SPEED: SynthesizerGoal
SYNTHESIZER_GOAL_PRIVACY: SynthesizerGoal
ANONYMIZATION_ACTION_UNSPECIFIED: AnonymizationAction
ANONYMIZATION_ACTION_KEEP: AnonymizationAction
ANONYMIZATION_ACTION_DROP: AnonymizationAction
ANONYMIZATION_ACTION_MASK: AnonymizationAction
ANONYMIZATION_ACTION_HASH: AnonymizationAction
ANONYMIZATION_ACTION_PSEUDONYMISE: AnonymizationAction
ANONYMIZATION_ACTION_SYNTHESIZE: AnonymizationAction
TRANSLATION_MODE_UNSPECIFIED: TranslationMode
TRANSLATION_MODE_SUMMARIZE: TranslationMode
TRANSLATION_MODE_TRANSLATE: TranslationMode
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_JSON: ExportFormat
EXPORT_FORMAT_PDF: ExportFormat

class ProviderCall(_message.Message):
    __slots__ = ("provider", "model", "outcome", "attempt", "repair", "status_code", "prompt_tokens", "completion_tokens", "latency_ms", "error")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    REPAIR_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    provider: str
    model: str
    outcome: str
    attempt: int
    repair: bool
    status_code: int
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    error: str
    def __init__(self, provider: _Optional[str] = ..., model: _Optional[str] = ..., outcome: _Optional[str] = ..., attempt: _Optional[int] = ..., repair: _Optional[bool] = ..., status_code: _Optional[int] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., latency_ms: _Optional[float] = ..., error: _Optional[str] = ...) -> None: ...

class Artifact(_message.Message):
    __slots__ = ("id", "feature", "state", "provider", "model", "creator", "create_time", "update_time", "input_ids", "prompt", "output", "prompt_tokens", "completion_tokens", "latency_ms", "cache_hit", "warnings", "revision", "etag", "source_artifact_id", "calls", "project")
    ID_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    PROMPT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    PROMPT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    CACHE_HIT_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    CALLS_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    id: str
    feature: Feature
    state: ArtifactState
    provider: str
    model: str
    creator: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    prompt: str
    output: _struct_pb2.Struct
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float
    cache_hit: bool
    warnings: _containers.RepeatedScalarFieldContainer[str]
    revision: int
    etag: str
    source_artifact_id: str
    calls: _containers.RepeatedCompositeFieldContainer[ProviderCall]
    project: str
    def __init__(self, id: _Optional[str] = ..., feature: _Optional[_Union[Feature, str]] = ..., state: _Optional[_Union[ArtifactState, str]] = ..., provider: _Optional[str] = ..., model: _Optional[str] = ..., creator: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input_ids: _Optional[_Iterable[str]] = ..., prompt: _Optional[str] = ..., output: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., prompt_tokens: _Optional[int] = ..., completion_tokens: _Optional[int] = ..., latency_ms: _Optional[float] = ..., cache_hit: _Optional[bool] = ..., warnings: _Optional[_Iterable[str]] = ..., revision: _Optional[int] = ..., etag: _Optional[str] = ..., source_artifact_id: _Optional[str] = ..., calls: _Optional[_Iterable[_Union[ProviderCall, _Mapping]]] = ..., project: _Optional[str] = ...) -> None: ...

class Review(_message.Message):
    __slots__ = ("artifact_id", "revision", "reviewer", "decision", "comment", "create_time")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    REVIEWER_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    revision: int
    reviewer: str
    decision: ReviewDecision
    comment: str
    create_time: _timestamp_pb2.Timestamp
    def __init__(self, artifact_id: _Optional[str] = ..., revision: _Optional[int] = ..., reviewer: _Optional[str] = ..., decision: _Optional[_Union[ReviewDecision, str]] = ..., comment: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SchemaFromDescriptionInput(_message.Message):
    __slots__ = ("description", "table_name", "max_columns")
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TABLE_NAME_FIELD_NUMBER: _ClassVar[int]
    MAX_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    description: str
    table_name: str
    max_columns: int
    def __init__(self, description: _Optional[str] = ..., table_name: _Optional[str] = ..., max_columns: _Optional[int] = ...) -> None: ...

class ExplainEvaluationInput(_message.Message):
    __slots__ = ("report_id", "weakest_count")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    WEAKEST_COUNT_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    weakest_count: int
    def __init__(self, report_id: _Optional[str] = ..., weakest_count: _Optional[int] = ...) -> None: ...

class ColumnTreatment(_message.Message):
    __slots__ = ("column", "action")
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    column: str
    action: AnonymizationAction
    def __init__(self, column: _Optional[str] = ..., action: _Optional[_Union[AnonymizationAction, str]] = ...) -> None: ...

class ComplianceReportInput(_message.Message):
    __slots__ = ("dataset_id", "regulation", "report_id", "treatments", "synthesizer", "organisation")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    REGULATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TREATMENTS_FIELD_NUMBER: _ClassVar[int]
    SYNTHESIZER_FIELD_NUMBER: _ClassVar[int]
    ORGANISATION_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    regulation: Regulation
    report_id: str
    treatments: _containers.RepeatedCompositeFieldContainer[ColumnTreatment]
    synthesizer: str
    organisation: str
    def __init__(self, dataset_id: _Optional[str] = ..., regulation: _Optional[_Union[Regulation, str]] = ..., report_id: _Optional[str] = ..., treatments: _Optional[_Iterable[_Union[ColumnTreatment, _Mapping]]] = ..., synthesizer: _Optional[str] = ..., organisation: _Optional[str] = ...) -> None: ...

class SuggestSynthesizerInput(_message.Message):
    __slots__ = ("dataset_id", "goal", "differential_privacy", "epsilon_budget", "time_budget_minutes")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    DIFFERENTIAL_PRIVACY_FIELD_NUMBER: _ClassVar[int]
    EPSILON_BUDGET_FIELD_NUMBER: _ClassVar[int]
    TIME_BUDGET_MINUTES_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    goal: SynthesizerGoal
    differential_privacy: bool
    epsilon_budget: float
    time_budget_minutes: float
    def __init__(self, dataset_id: _Optional[str] = ..., goal: _Optional[_Union[SynthesizerGoal, str]] = ..., differential_privacy: _Optional[bool] = ..., epsilon_budget: _Optional[float] = ..., time_budget_minutes: _Optional[float] = ...) -> None: ...

class ExplainPrivacyRiskInput(_message.Message):
    __slots__ = ("report_id", "quasi_identifiers", "dp_epsilon")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    QUASI_IDENTIFIERS_FIELD_NUMBER: _ClassVar[int]
    DP_EPSILON_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    quasi_identifiers: _containers.RepeatedScalarFieldContainer[str]
    dp_epsilon: float
    def __init__(self, report_id: _Optional[str] = ..., quasi_identifiers: _Optional[_Iterable[str]] = ..., dp_epsilon: _Optional[float] = ...) -> None: ...

class ClassifyColumnsInput(_message.Message):
    __slots__ = ("dataset_id", "table")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ...) -> None: ...

class DetectAnomaliesInput(_message.Message):
    __slots__ = ("dataset_id", "synthetic_dataset_id", "table")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    SYNTHETIC_DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    synthetic_dataset_id: str
    table: str
    def __init__(self, dataset_id: _Optional[str] = ..., synthetic_dataset_id: _Optional[str] = ..., table: _Optional[str] = ...) -> None: ...

class DataDictionaryInput(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class AnswerQuestionInput(_message.Message):
    __slots__ = ("dataset_id", "question", "report_id")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    QUESTION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    question: str
    report_id: str
    def __init__(self, dataset_id: _Optional[str] = ..., question: _Optional[str] = ..., report_id: _Optional[str] = ...) -> None: ...

class ProposeConstraintsInput(_message.Message):
    __slots__ = ("dataset_id", "table")
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    table: str
    def __init__(self, dataset_id: _Optional[str] = ..., table: _Optional[str] = ...) -> None: ...

class TranslateArtifactInput(_message.Message):
    __slots__ = ("artifact_id", "target_language", "mode")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    target_language: str
    mode: TranslationMode
    def __init__(self, artifact_id: _Optional[str] = ..., target_language: _Optional[str] = ..., mode: _Optional[_Union[TranslationMode, str]] = ...) -> None: ...

class CreateArtifactRequest(_message.Message):
    __slots__ = ("schema_from_description", "explain_evaluation", "compliance_report", "suggest_synthesizer", "explain_privacy_risk", "classify_columns", "detect_anomalies", "data_dictionary", "answer_question", "propose_constraints", "translate_artifact", "project")
    SCHEMA_FROM_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EXPLAIN_EVALUATION_FIELD_NUMBER: _ClassVar[int]
    COMPLIANCE_REPORT_FIELD_NUMBER: _ClassVar[int]
    SUGGEST_SYNTHESIZER_FIELD_NUMBER: _ClassVar[int]
    EXPLAIN_PRIVACY_RISK_FIELD_NUMBER: _ClassVar[int]
    CLASSIFY_COLUMNS_FIELD_NUMBER: _ClassVar[int]
    DETECT_ANOMALIES_FIELD_NUMBER: _ClassVar[int]
    DATA_DICTIONARY_FIELD_NUMBER: _ClassVar[int]
    ANSWER_QUESTION_FIELD_NUMBER: _ClassVar[int]
    PROPOSE_CONSTRAINTS_FIELD_NUMBER: _ClassVar[int]
    TRANSLATE_ARTIFACT_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    schema_from_description: SchemaFromDescriptionInput
    explain_evaluation: ExplainEvaluationInput
    compliance_report: ComplianceReportInput
    suggest_synthesizer: SuggestSynthesizerInput
    explain_privacy_risk: ExplainPrivacyRiskInput
    classify_columns: ClassifyColumnsInput
    detect_anomalies: DetectAnomaliesInput
    data_dictionary: DataDictionaryInput
    answer_question: AnswerQuestionInput
    propose_constraints: ProposeConstraintsInput
    translate_artifact: TranslateArtifactInput
    project: str
    def __init__(self, schema_from_description: _Optional[_Union[SchemaFromDescriptionInput, _Mapping]] = ..., explain_evaluation: _Optional[_Union[ExplainEvaluationInput, _Mapping]] = ..., compliance_report: _Optional[_Union[ComplianceReportInput, _Mapping]] = ..., suggest_synthesizer: _Optional[_Union[SuggestSynthesizerInput, _Mapping]] = ..., explain_privacy_risk: _Optional[_Union[ExplainPrivacyRiskInput, _Mapping]] = ..., classify_columns: _Optional[_Union[ClassifyColumnsInput, _Mapping]] = ..., detect_anomalies: _Optional[_Union[DetectAnomaliesInput, _Mapping]] = ..., data_dictionary: _Optional[_Union[DataDictionaryInput, _Mapping]] = ..., answer_question: _Optional[_Union[AnswerQuestionInput, _Mapping]] = ..., propose_constraints: _Optional[_Union[ProposeConstraintsInput, _Mapping]] = ..., translate_artifact: _Optional[_Union[TranslateArtifactInput, _Mapping]] = ..., project: _Optional[str] = ...) -> None: ...

class GetArtifactRequest(_message.Message):
    __slots__ = ("artifact_id",)
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    def __init__(self, artifact_id: _Optional[str] = ...) -> None: ...

class ListArtifactsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "feature", "state", "creator", "project")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    PROJECT_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    feature: Feature
    state: ArtifactState
    creator: str
    project: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., feature: _Optional[_Union[Feature, str]] = ..., state: _Optional[_Union[ArtifactState, str]] = ..., creator: _Optional[str] = ..., project: _Optional[str] = ...) -> None: ...

class ListArtifactsResponse(_message.Message):
    __slots__ = ("artifacts", "next_page_token")
    ARTIFACTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    artifacts: _containers.RepeatedCompositeFieldContainer[Artifact]
    next_page_token: str
    def __init__(self, artifacts: _Optional[_Iterable[_Union[Artifact, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReviewArtifactRequest(_message.Message):
    __slots__ = ("artifact_id", "decision", "comment")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    decision: ReviewDecision
    comment: str
    def __init__(self, artifact_id: _Optional[str] = ..., decision: _Optional[_Union[ReviewDecision, str]] = ..., comment: _Optional[str] = ...) -> None: ...

class ReviseArtifactRequest(_message.Message):
    __slots__ = ("artifact_id", "output", "comment")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    output: _struct_pb2.Struct
    comment: str
    def __init__(self, artifact_id: _Optional[str] = ..., output: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., comment: _Optional[str] = ...) -> None: ...

class ListArtifactReviewsRequest(_message.Message):
    __slots__ = ("artifact_id",)
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    def __init__(self, artifact_id: _Optional[str] = ...) -> None: ...

class ListArtifactReviewsResponse(_message.Message):
    __slots__ = ("reviews",)
    REVIEWS_FIELD_NUMBER: _ClassVar[int]
    reviews: _containers.RepeatedCompositeFieldContainer[Review]
    def __init__(self, reviews: _Optional[_Iterable[_Union[Review, _Mapping]]] = ...) -> None: ...

class ExportArtifactRequest(_message.Message):
    __slots__ = ("artifact_id", "format")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    format: ExportFormat
    def __init__(self, artifact_id: _Optional[str] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportArtifactResponse(_message.Message):
    __slots__ = ("filename", "media_type", "content")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    filename: str
    media_type: str
    content: bytes
    def __init__(self, filename: _Optional[str] = ..., media_type: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class ApplyArtifactRequest(_message.Message):
    __slots__ = ("artifact_id",)
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    def __init__(self, artifact_id: _Optional[str] = ...) -> None: ...

class ApplyArtifactResponse(_message.Message):
    __slots__ = ("artifact_id", "feature", "output", "revision", "approved_by")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    feature: Feature
    output: _struct_pb2.Struct
    revision: int
    approved_by: str
    def __init__(self, artifact_id: _Optional[str] = ..., feature: _Optional[_Union[Feature, str]] = ..., output: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., revision: _Optional[int] = ..., approved_by: _Optional[str] = ...) -> None: ...

class TranslateArtifactRequest(_message.Message):
    __slots__ = ("artifact_id", "target_language", "mode")
    ARTIFACT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    artifact_id: str
    target_language: str
    mode: TranslationMode
    def __init__(self, artifact_id: _Optional[str] = ..., target_language: _Optional[str] = ..., mode: _Optional[_Union[TranslationMode, str]] = ...) -> None: ...
