"""The service's own parts around the DP core: the public schema built from a request and the
stored column types, the sealed model files, and the DP synthesizer table on SQLite and the
real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from synthstudio_libs.errors import FailedPrecondition, InvalidInput, NotFound
from synthstudio_privacy.accounting import AccountantKind, PrivacyGuarantee
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind
from synthstudio_privacy.requests import ColumnOverride, schema_for_table
from synthstudio_privacy.schema import ColumnKind
from synthstudio_privacy.sealing import associated_data, seal, unseal
from synthstudio_privacy.storage import DpSynthesizerRecord, DpSynthesizerRepository

# Column names and Arrow type names as the synthesis service reports them.
STORED = [
    ("wage", "double"),
    ("education", "int64"),
    ("code", "int32"),
    ("region", "string"),
    ("member", "bool"),
    ("seen", "timestamp[us]"),
    ("grade", "dictionary<values=string, indices=int8, ordered=0>"),
]
KEY = b"k" * 32


def test_unlisted_columns_are_inferred_from_their_stored_types_only():
    schema = schema_for_table(STORED, ())

    kinds = {c.name: (c.kind, c.integer) for c in schema.columns}
    assert kinds == {
        "wage": (ColumnKind.NUMERICAL, False),
        "education": (ColumnKind.NUMERICAL, True),
        "code": (ColumnKind.NUMERICAL, True),
        "region": (ColumnKind.CATEGORICAL, False),
        "member": (ColumnKind.BOOLEAN, False),
        "seen": (ColumnKind.DATETIME, False),
        "grade": (ColumnKind.CATEGORICAL, False),
    }
    assert all(c.lower is None and c.categories is None for c in schema.columns)


def test_described_columns_take_the_callers_public_metadata_in_the_stored_types():
    schema = schema_for_table(
        STORED,
        (
            ColumnOverride("wage", lower=0.0, upper=100.0),
            ColumnOverride("code", kind=ColumnKind.CATEGORICAL, categories=("1", "2", "7")),
            ColumnOverride("region", categories=("north", "south"), nullable=True),
        ),
        exclude_columns=("seen",),
    )

    assert schema.names == ["wage", "education", "code", "region", "member", "grade"]
    assert (schema.column("wage").lower, schema.column("wage").upper) == (0.0, 100.0)
    assert schema.column("code").categories == (1, 2, 7)
    assert schema.column("code").kind == ColumnKind.CATEGORICAL
    assert schema.column("region").categories == ("north", "south")
    assert schema.column("region").nullable
    only = schema_for_table(STORED, (ColumnOverride("wage"),), exclude_unlisted=True)
    assert only.names == ["wage"]


@pytest.mark.parametrize(
    ("overrides", "excluded", "field"),
    [
        ((ColumnOverride("salary"),), (), "schema.columns[0].name"),
        ((ColumnOverride("wage"), ColumnOverride("wage")), (), "schema.columns[1].name"),
        (
            (ColumnOverride("code", kind=ColumnKind.CATEGORICAL, categories=("1", "x")),),
            (),
            "schema.columns[0].categories",
        ),
        (
            (ColumnOverride("member"), ColumnOverride("wage", lower=3.0, upper=1.0)),
            (),
            "schema.columns[1].upper",
        ),
        ((), ("nope",), "schema.exclude_columns[0]"),
        ((ColumnOverride("wage"),), ("wage",), "schema.exclude_columns[0]"),
    ],
)
def test_schema_errors_name_the_requests_field(overrides, excluded, field):
    with pytest.raises(InvalidInput) as refused:
        schema_for_table(STORED, overrides, exclude_columns=excluded)

    assert field in [v.field for v in refused.value.violations]


def test_a_sealed_model_opens_only_with_its_key_and_context():
    context = associated_data("dps_1", "ds_1")
    blob = seal(b"model bytes", KEY, context)

    assert unseal(blob, KEY, context) == b"model bytes"
    for wrong in [
        (blob, b"x" * 32, context),
        (blob, KEY, associated_data("dps_2", "ds_1")),
        (blob[:-1] + b"?", KEY, context),
        (b"not a model", KEY, context),
    ]:
        with pytest.raises(FailedPrecondition) as refused:
            unseal(*wrong)
        assert refused.value.reason == "MODEL_INTEGRITY_FAILED"
    with pytest.raises(ValueError):
        seal(b"model bytes", b"short")


def _record(synthesizer_id: str, dataset_id: str, minutes: int) -> DpSynthesizerRecord:
    config = DPTrainingConfig(kind=SynthesizerKind.DP_TVAE, epsilon=1.0, delta=1e-6)
    return DpSynthesizerRecord(
        id=synthesizer_id,
        display_name=f"model {synthesizer_id}",
        dataset_id=dataset_id,
        table="cps",
        kind=SynthesizerKind.DP_TVAE,
        config=config,
        schema=schema_for_table(STORED[:2], ()),
        guarantee=PrivacyGuarantee(
            epsilon=0.99,
            delta=1e-6,
            accountant=AccountantKind.PRV,
            noise_multiplier=1.3,
            sample_rate=0.01,
            steps=1000,
            max_grad_norm=1.0,
            training_epsilon=0.99,
            training_delta=1e-6,
            preprocessing_epsilon=0.0,
            preprocessing_delta=0.0,
        ),
        training={"epochs": 10, "steps": 1000, "seconds": 1.5, "final_loss": None, "rows": 9},
        job_id=f"job_{synthesizer_id}",
        spend_id="spend",
        model_sha256="0" * 64,
        creator="user:1",
        create_time=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=minutes),
    )


def test_dp_synthesizers_are_stored_listed_newest_first_and_deleted(engine):
    repository = DpSynthesizerRepository(engine)
    records = [_record(f"dps_{i}", "ds_a" if i < 3 else "ds_b", minutes=i) for i in range(4)]
    for record in records:
        repository.insert(record)

    assert repository.get("dps_1") == records[1]
    first, token = repository.list("ds_a", 2)
    second, last = repository.list("ds_a", 2, token)
    assert [r.id for r in first + second] == ["dps_2", "dps_1", "dps_0"] and last == ""
    assert [r.id for r in repository.list()[0]] == ["dps_3", "dps_2", "dps_1", "dps_0"]
    repository.delete("dps_1")
    with pytest.raises(NotFound):
        repository.get("dps_1")
    with pytest.raises(NotFound):
        repository.delete("dps_1")
