"""Protobuf <-> the privacy core's values (the servicer's side; no grpc here)."""

from __future__ import annotations

from synthstudio.privacy.v1 import privacy_service_pb2 as pb
from synthstudio_libs.grpc.convert import struct, timestamp
from synthstudio_privacy.accounting import AccountantKind, MechanismEvent, PrivacyGuarantee
from synthstudio_privacy.core import Verification
from synthstudio_privacy.ledger import Budget, Spend
from synthstudio_privacy.planning import SynthesizerKind
from synthstudio_privacy.requests import ColumnOverride, DpTrainingRequest
from synthstudio_privacy.schema import ColumnKind, TableSchema
from synthstudio_privacy.storage import DpSynthesizerRecord

_KINDS = {
    pb.DP_SYNTHESIZER_KIND_DP_TVAE: SynthesizerKind.DP_TVAE,
    pb.DP_SYNTHESIZER_KIND_DP_CTGAN: SynthesizerKind.DP_CTGAN,
    pb.DP_SYNTHESIZER_KIND_DP_MST: SynthesizerKind.DP_MST,
    pb.DP_SYNTHESIZER_KIND_DP_AIM: SynthesizerKind.DP_AIM,
    pb.DP_SYNTHESIZER_KIND_DP: SynthesizerKind.DP,
}
_KINDS_TO_PROTO = {kind: value for value, kind in _KINDS.items()}
_ACCOUNTANTS = {
    pb.ACCOUNTANT_UNSPECIFIED: AccountantKind.RDP,
    pb.ACCOUNTANT_RDP: AccountantKind.RDP,
    pb.ACCOUNTANT_PRV: AccountantKind.PRV,
}
_ACCOUNTANTS_TO_PROTO = {
    AccountantKind.RDP: pb.ACCOUNTANT_RDP,
    AccountantKind.PRV: pb.ACCOUNTANT_PRV,
}
_COLUMN_KINDS = {
    pb.DP_COLUMN_KIND_NUMERICAL: ColumnKind.NUMERICAL,
    pb.DP_COLUMN_KIND_CATEGORICAL: ColumnKind.CATEGORICAL,
    pb.DP_COLUMN_KIND_BOOLEAN: ColumnKind.BOOLEAN,
    pb.DP_COLUMN_KIND_DATETIME: ColumnKind.DATETIME,
}
_COLUMN_KINDS_TO_PROTO = {kind: value for value, kind in _COLUMN_KINDS.items()}
_HYPERPARAMETERS = (
    "batch_size",
    "max_grad_norm",
    "learning_rate",
    "latent_dim",
    "preprocessing_epsilon_fraction",
    "preprocessing_delta_fraction",
)


def budget_to_proto(budget: Budget) -> pb.PrivacyBudget:
    return pb.PrivacyBudget(
        dataset_id=budget.dataset_id,
        epsilon_total=budget.total_epsilon,
        delta_total=budget.total_delta,
        epsilon_spent=budget.spent_epsilon,
        epsilon_remaining=budget.remaining_epsilon,
        delta_spent=budget.spent_delta,
        delta_remaining=budget.remaining_delta,
        is_default=budget.is_default,
    )


def spend_to_proto(spend: Spend) -> pb.PrivacySpend:
    return pb.PrivacySpend(
        spend_id=spend.spend_id,
        dataset_id=spend.dataset_id,
        epsilon=spend.epsilon,
        delta=spend.delta,
        job_id=spend.job_id,
        synthesizer_id=spend.synthesizer_id or "",
        principal=spend.principal,
        create_time=timestamp(spend.created_at),
        events=[_event_to_proto(event) for event in spend.events],
        pld_epsilon=spend.pld_epsilon or 0.0,
        rdp_epsilon=spend.rdp_epsilon or 0.0,
        data_read_time=timestamp(spend.data_read_at) if spend.data_read_at else None,
        refund=(
            pb.PrivacyRefund(
                reason=spend.refund.reason, create_time=timestamp(spend.refund.created_at)
            )
            if spend.refund
            else None
        ),
    )


def _event_to_proto(event: dict | MechanismEvent) -> pb.MechanismEvent:
    data = event.to_dict() if isinstance(event, MechanismEvent) else event
    return pb.MechanismEvent(**data)


def training_request(request: pb.TrainDpSynthesizerRequest) -> DpTrainingRequest:
    options = request.hyperparameters
    hyperparameters = {
        name: getattr(options, name) for name in _HYPERPARAMETERS if options.HasField(name)
    }
    if options.hidden_dims:
        hyperparameters["hidden_dims"] = tuple(options.hidden_dims)
    return DpTrainingRequest(
        dataset_id=request.dataset_id,
        kind=_KINDS.get(request.kind),
        epsilon=request.epsilon,
        delta=request.delta,
        epochs=request.epochs if request.HasField("epochs") else None,
        accountant=_ACCOUNTANTS.get(request.accountant, AccountantKind.RDP),
        columns=tuple(_column_override(column) for column in request.schema.columns),
        exclude_unlisted=request.schema.exclude_unlisted,
        exclude_columns=tuple(request.schema.exclude_columns),
        display_name=request.display_name,
        table=request.table,
        hyperparameters=hyperparameters,
    )


def _column_override(column: pb.DpColumn) -> ColumnOverride:
    return ColumnOverride(
        name=column.name,
        kind=_COLUMN_KINDS.get(column.kind),
        integer=column.integer if column.HasField("integer") else None,
        lower=column.lower if column.HasField("lower") else None,
        upper=column.upper if column.HasField("upper") else None,
        categories=tuple(column.categories),
        nullable=column.nullable,
    )


def schema_to_proto(schema: TableSchema) -> pb.DpTableSchema:
    return pb.DpTableSchema(
        columns=[
            pb.DpColumn(
                name=column.name,
                kind=_COLUMN_KINDS_TO_PROTO[column.kind],
                integer=column.integer,
                lower=column.lower,
                upper=column.upper,
                categories=[_text(value) for value in column.categories or ()],
                nullable=column.nullable,
            )
            for column in schema.columns
        ],
        exclude_unlisted=True,
    )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def guarantee_to_proto(guarantee: PrivacyGuarantee) -> pb.PrivacyGuarantee:
    return pb.PrivacyGuarantee(
        epsilon=guarantee.epsilon,
        delta=guarantee.delta,
        accountant=_ACCOUNTANTS_TO_PROTO[guarantee.accountant],
        noise_multiplier=guarantee.noise_multiplier,
        sample_rate=guarantee.sample_rate,
        steps=guarantee.steps,
        max_grad_norm=guarantee.max_grad_norm,
        training_epsilon=guarantee.training_epsilon,
        training_delta=guarantee.training_delta,
        preprocessing_epsilon=guarantee.preprocessing_epsilon,
        preprocessing_delta=guarantee.preprocessing_delta,
        preprocessing=[
            pb.PreprocessingRelease(
                column=release.column,
                mechanism=release.mechanism,
                epsilon=release.epsilon,
                delta=release.delta,
            )
            for release in guarantee.preprocessing
        ],
        events=[_event_to_proto(event) for event in guarantee.events],
        pld_epsilon=guarantee.pld_epsilon,
        rdp_epsilon=guarantee.rdp_epsilon,
    )


def synthesizer_to_proto(record: DpSynthesizerRecord) -> pb.DpSynthesizer:
    training = record.training
    hyperparameters = record.config.to_dict()
    for name in ("kind", "epsilon", "delta", "accountant"):
        hyperparameters.pop(name)
    hyperparameters["learning_rate"] = record.config.effective_learning_rate
    hyperparameters["preprocessing_epsilon_fraction"] = record.config.preprocessing_fraction
    return pb.DpSynthesizer(
        id=record.id,
        display_name=record.display_name,
        dataset_id=record.dataset_id,
        table=record.table,
        kind=_KINDS_TO_PROTO[record.kind],
        guarantee=guarantee_to_proto(record.guarantee),
        schema=schema_to_proto(record.schema),
        hyperparameters=struct(hyperparameters),
        training=pb.DpTrainingSummary(
            epochs=training["epochs"],
            steps=training["steps"],
            seconds=training["seconds"],
            rows=training["rows"],
        ),
        job_id=record.job_id,
        spend_id=record.spend_id,
        creator=record.creator,
        create_time=timestamp(record.create_time),
        project=record.project,
    )


def verification_to_proto(verification: Verification) -> pb.VerifyPrivacyGuaranteeResponse:
    return pb.VerifyPrivacyGuaranteeResponse(
        synthesizer_id=verification.synthesizer_id,
        reported_epsilon=verification.reported_epsilon,
        recomputed_epsilon=verification.recomputed_epsilon,
        relative_difference=verification.relative_difference,
        consistent=verification.consistent,
        guarantee=guarantee_to_proto(verification.guarantee),
        pld_epsilon=verification.pld_epsilon,
        rdp_epsilon=verification.rdp_epsilon,
    )
