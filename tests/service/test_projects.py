"""Projects over real gRPC: two projects, two editors, a viewer and an editor who is only a viewer
in the other project; each reaches only what its projects hold, with the role it has there; a
disabled user's token and API key are refused at once."""

from __future__ import annotations

import secrets

import grpc
import pytest

from synthstudio.common.v1 import access_pb2, job_pb2, job_pb2_grpc, table_pb2
from synthstudio.evaluation.v1 import evaluation_service_pb2 as epb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.identity.v1 import identity_service_pb2 as ipb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio.llm.v1 import llm_service_pb2 as lpb
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio.privacy.v1 import privacy_service_pb2 as ppb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from tests.service.conftest import PASSWORD, open_channels
from tests.service.test_datasets import error_details

CSV = table_pb2.TABLE_FORMAT_CSV
TABLE = b"region,amount\n" + b"".join(f"r{i % 3},{i * 7 % 50}\n".encode() for i in range(60))


def _code(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as caught:
        result = call()
        if hasattr(result, "__next__"):
            list(result)
    return caught.value.code()


class Caller:
    """One user's stubs on the synthesis service."""

    def __init__(self, addresses: dict[str, str], token: str) -> None:
        self.channels = open_channels(addresses, token)
        self.synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(self.channels["synthesis"])
        self.identity = identity_service_pb2_grpc.IdentityServiceStub(self.channels["synthesis"])
        self.jobs = job_pb2_grpc.JobServiceStub(self.channels["synthesis"])
        self.privacy = privacy_service_pb2_grpc.PrivacyServiceStub(self.channels["privacy"])
        self.llm = llm_service_pb2_grpc.LlmServiceStub(self.channels["llm"])
        self.evaluation = evaluation_service_pb2_grpc.EvaluationServiceStub(
            self.channels["evaluation"]
        )
        self.evaluation_jobs = job_pb2_grpc.JobServiceStub(self.channels["evaluation"])

    def upload(self, name: str, project: str = "") -> pb.Dataset:
        return self.synthesis.CreateDataset(
            pb.CreateDatasetRequest(display_name=name, format=CSV, content=TABLE, project=project)
        )

    def listed(self, project: str = "") -> set[str]:
        found = self.synthesis.ListDatasets(pb.ListDatasetsRequest(page_size=500, project=project))
        return {d.id for d in found.datasets}

    def close(self) -> None:
        for channel in self.channels.values():
            channel.close()


def _role(role: Role) -> int:
    return access_pb2.Role.Value(f"ROLE_{role.value}")


@pytest.fixture(scope="module")
def world(servers, tokens):
    """Projects alpha and beta; editors of each, a viewer of alpha, and `mixed` (editor in
    alpha, viewer in beta). Memberships are set before anyone calls."""
    addresses, _settings = servers
    admin = Caller(addresses, tokens[Role.ADMIN])
    suffix = secrets.token_hex(3)
    alpha = admin.identity.CreateProject(ipb.CreateProjectRequest(name=f"alpha-{suffix}"))
    beta = admin.identity.CreateProject(ipb.CreateProjectRequest(name=f"beta-{suffix}"))
    users = {
        "editor_a": (alpha, Role.EDITOR),
        "editor_b": (beta, Role.EDITOR),
        "viewer_a": (alpha, Role.VIEWER),
        "mixed": (alpha, Role.EDITOR),
    }
    emails = {name: f"{name}-{suffix}@example.org" for name in users}
    for name, (project, role) in users.items():
        admin.identity.CreateUser(
            ipb.CreateUserRequest(
                email=emails[name], password=PASSWORD, role=_role(role), project=project.name
            )
        )
    admin.identity.AddProjectMember(
        ipb.AddProjectMemberRequest(project=beta.id, user=emails["mixed"], role=_role(Role.VIEWER))
    )
    callers = {}
    for name in users:
        pair = admin.identity.Login(ipb.LoginRequest(email=emails[name], password=PASSWORD))
        callers[name] = Caller(addresses, pair.access_token)
    yield {"alpha": alpha, "beta": beta, "admin": admin, "emails": emails, **callers}
    for caller in [admin, *callers.values()]:
        caller.close()


def test_a_dataset_goes_to_the_callers_only_project_or_the_one_named(world):
    mine = world["editor_a"].upload("alpha default")
    assert mine.project == world["alpha"].id
    named = world["editor_b"].upload("beta by name", project=world["beta"].name)
    assert named.project == world["beta"].id
    with pytest.raises(grpc.RpcError) as caught:
        world["editor_a"].upload("not mine", project=world["beta"].name)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert error_details(caught.value)[0].reason == "PROJECT_NOT_FOUND"
    assert _code(lambda: world["editor_a"].upload("nowhere", project="no-such-project")) == (
        grpc.StatusCode.NOT_FOUND
    )


def test_an_editor_of_another_project_cannot_list_read_download_train_or_delete(world):
    dataset = world["editor_a"].upload("alpha private")
    other = world["editor_b"].synthesis
    assert dataset.id in world["editor_a"].listed()
    assert dataset.id not in world["editor_b"].listed()
    not_found = grpc.StatusCode.NOT_FOUND
    assert _code(lambda: other.GetDataset(pb.GetDatasetRequest(dataset_id=dataset.id))) == (
        not_found
    )
    download = pb.DownloadDatasetRequest(dataset_id=dataset.id, format=CSV)
    assert _code(lambda: other.DownloadDataset(download)) == not_found
    train = pb.TrainSynthesizerRequest(
        dataset_id=dataset.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
    )
    assert _code(lambda: other.TrainSynthesizer(train)) == not_found
    delete = pb.DeleteDatasetRequest(dataset_id=dataset.id)
    assert _code(lambda: other.DeleteDataset(delete)) == not_found
    metadata = pb.UpdateDatasetMetadataRequest(dataset_id=dataset.id)
    assert _code(lambda: other.UpdateDatasetMetadata(metadata)) == not_found
    listing = pb.ListDatasetsRequest(project=world["alpha"].id)
    assert _code(lambda: other.ListDatasets(listing)) == not_found
    # The owner still has it, whole.
    assert (
        world["editor_a"]
        .synthesis.GetDataset(pb.GetDatasetRequest(dataset_id=dataset.id))
        .row_count
        == 60
    )


def test_a_viewer_reads_metadata_but_cannot_download_raw_data(world):
    dataset = world["editor_a"].upload("alpha raw")
    viewer = world["viewer_a"].synthesis
    seen = viewer.GetDataset(pb.GetDatasetRequest(dataset_id=dataset.id))
    assert [c.name for c in seen.columns] == ["region", "amount"]
    assert dataset.id in world["viewer_a"].listed(world["alpha"].name)
    with pytest.raises(grpc.RpcError) as caught:
        list(viewer.DownloadDataset(pb.DownloadDatasetRequest(dataset_id=dataset.id)))
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert error_details(caught.value)[0].reason == "PROJECT_ROLE_TOO_LOW"


def test_the_role_in_each_project_decides_not_the_global_role(world):
    """`mixed` is a global editor, an editor in alpha and only a viewer in beta."""
    beta_data = world["editor_b"].upload("beta data")
    mixed = world["mixed"].synthesis
    assert mixed.GetDataset(pb.GetDatasetRequest(dataset_id=beta_data.id)).id == beta_data.id
    train = pb.TrainSynthesizerRequest(
        dataset_id=beta_data.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
    )
    assert _code(lambda: mixed.TrainSynthesizer(train)) == grpc.StatusCode.PERMISSION_DENIED
    delete = pb.DeleteDatasetRequest(dataset_id=beta_data.id)
    assert _code(lambda: mixed.DeleteDataset(delete)) == grpc.StatusCode.PERMISSION_DENIED
    assert _code(lambda: world["mixed"].upload("into beta", project=world["beta"].name)) == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    assert {beta_data.id} <= world["mixed"].listed(world["beta"].name)


def test_jobs_are_seen_only_in_their_project(world):
    dataset = world["editor_a"].upload("alpha to train")
    job = world["editor_a"].synthesis.TrainSynthesizer(
        pb.TrainSynthesizerRequest(dataset_id=dataset.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA)
    )
    assert job.project == world["alpha"].id
    assert world["viewer_a"].jobs.GetJob(job_pb2.GetJobRequest(job_id=job.id)).id == job.id
    outsider = world["editor_b"].jobs
    assert _code(lambda: outsider.GetJob(job_pb2.GetJobRequest(job_id=job.id))) == (
        grpc.StatusCode.NOT_FOUND
    )
    assert _code(lambda: outsider.CancelJob(job_pb2.CancelJobRequest(job_id=job.id))) == (
        grpc.StatusCode.NOT_FOUND
    )
    listed = outsider.ListJobs(job_pb2.ListJobsRequest(page_size=500))
    assert job.id not in {j.id for j in listed.jobs}
    assert all(j.project == world["beta"].id for j in listed.jobs)


def test_projects_are_listed_to_their_members_and_managed_by_admins(world):
    mine = world["editor_a"].identity.ListProjects(ipb.ListProjectsRequest())
    assert [p.id for p in mine.projects] == [world["alpha"].id]
    everything = world["admin"].identity.ListProjects(ipb.ListProjectsRequest(page_size=500))
    assert {world["alpha"].id, world["beta"].id, "default"} <= {p.id for p in everything.projects}
    members = world["viewer_a"].identity.ListProjectMembers(
        ipb.ListProjectMembersRequest(project=world["alpha"].name)
    )
    roles = {m.email: m.role for m in members.members}
    assert roles[world["emails"]["viewer_a"]] == _role(Role.VIEWER)
    assert (
        _code(
            lambda: world["editor_b"].identity.ListProjectMembers(
                ipb.ListProjectMembersRequest(project=world["alpha"].id)
            )
        )
        == grpc.StatusCode.NOT_FOUND
    )
    assert (
        _code(lambda: world["editor_a"].identity.CreateProject(ipb.CreateProjectRequest(name="x")))
        == grpc.StatusCode.PERMISSION_DENIED
    )
    with pytest.raises(grpc.RpcError) as caught:
        world["admin"].identity.CreateProject(ipb.CreateProjectRequest(name=world["alpha"].name))
    assert caught.value.code() == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(grpc.RpcError) as caught:
        world["admin"].identity.CreateProject(ipb.CreateProjectRequest(name="Bad Name!"))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_a_disabled_user_is_refused_at_once_and_cannot_sign_in(servers, world):
    addresses, _settings = servers
    admin = world["admin"].identity
    email = f"leaver-{secrets.token_hex(3)}@example.org"
    admin.CreateUser(ipb.CreateUserRequest(email=email, password=PASSWORD, role=_role(Role.ADMIN)))
    pair = admin.Login(ipb.LoginRequest(email=email, password=PASSWORD))
    leaver = Caller(addresses, pair.access_token)
    key = leaver.identity.CreateApiKey(ipb.CreateApiKeyRequest(name="ci", role=_role(Role.EDITOR)))
    by_key = Caller(addresses, key.secret)
    try:
        assert by_key.listed() is not None
        assert leaver.identity.GetCurrentPrincipal(ipb.GetCurrentPrincipalRequest()).name == email
        updated = admin.UpdateUser(ipb.UpdateUserRequest(user=email, disabled=True))
        assert updated.disabled
        for caller in (leaver, by_key):
            with pytest.raises(grpc.RpcError) as caught:
                caller.synthesis.ListDatasets(pb.ListDatasetsRequest())
            assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
            assert error_details(caught.value)[0].reason == "USER_DISABLED"
        with pytest.raises(grpc.RpcError) as caught:
            admin.Login(ipb.LoginRequest(email=email, password=PASSWORD))
        assert error_details(caught.value)[0].reason == "USER_DISABLED"
        with pytest.raises(grpc.RpcError) as caught:
            admin.Refresh(ipb.RefreshRequest(refresh_token=pair.refresh_token))
        assert error_details(caught.value)[0].reason == "USER_DISABLED"
        admin.UpdateUser(ipb.UpdateUserRequest(user=email, disabled=False))
        assert by_key.listed() is not None
    finally:
        leaver.close()
        by_key.close()


def test_a_changed_role_ends_the_users_tokens(servers, world):
    addresses, _settings = servers
    admin = world["admin"].identity
    email = f"promoted-{secrets.token_hex(3)}@example.org"
    admin.CreateUser(ipb.CreateUserRequest(email=email, password=PASSWORD, role=_role(Role.VIEWER)))
    token = admin.Login(ipb.LoginRequest(email=email, password=PASSWORD)).access_token
    user = Caller(addresses, token)
    try:
        assert user.listed() is not None
        changed = admin.UpdateUser(ipb.UpdateUserRequest(user=email, role=_role(Role.EDITOR)))
        assert changed.role == _role(Role.EDITOR)
        with pytest.raises(grpc.RpcError) as caught:
            user.listed()
        assert error_details(caught.value)[0].reason == "ROLE_CHANGED"
        with pytest.raises(grpc.RpcError) as caught:
            admin.UpdateUser(ipb.UpdateUserRequest(user=email))
        assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert (
            _code(
                lambda: admin.UpdateUser(
                    ipb.UpdateUserRequest(user="nobody@example.org", disabled=True)
                )
            )
            == grpc.StatusCode.NOT_FOUND
        )
    finally:
        user.close()


def test_privacy_budgets_spends_and_dp_training_stay_in_the_project(world):
    dataset = world["editor_a"].upload("alpha private budget")
    outsider = world["editor_b"].privacy
    budget = ppb.GetPrivacyBudgetRequest(dataset_id=dataset.id)
    assert world["viewer_a"].privacy.GetPrivacyBudget(budget).dataset_id == dataset.id
    assert _code(lambda: outsider.GetPrivacyBudget(budget)) == grpc.StatusCode.NOT_FOUND
    spends = ppb.ListPrivacySpendsRequest(dataset_id=dataset.id)
    assert _code(lambda: outsider.ListPrivacySpends(spends)) == grpc.StatusCode.NOT_FOUND
    train = ppb.TrainDpSynthesizerRequest(
        dataset_id=dataset.id, kind=ppb.DP_SYNTHESIZER_KIND_DP_CTGAN, epsilon=1.0, delta=1e-5
    )
    assert _code(lambda: outsider.TrainDpSynthesizer(train)) == grpc.StatusCode.NOT_FOUND
    beta_data = world["editor_b"].upload("beta budget")
    as_viewer = ppb.TrainDpSynthesizerRequest(
        dataset_id=beta_data.id, kind=ppb.DP_SYNTHESIZER_KIND_DP_CTGAN, epsilon=1.0, delta=1e-5
    )
    assert _code(lambda: world["mixed"].privacy.TrainDpSynthesizer(as_viewer)) == (
        grpc.StatusCode.PERMISSION_DENIED
    )
    listed = outsider.ListDpSynthesizers(ppb.ListDpSynthesizersRequest(page_size=500))
    assert all(s.project == world["beta"].id for s in listed.synthesizers)


def test_assistant_artifacts_go_to_the_project_of_their_dataset_or_the_one_named(world):
    dataset = world["editor_a"].upload("alpha for the assistant")
    classify = lpb.ClassifyColumnsInput(dataset_id=dataset.id)
    job = world["editor_a"].llm.CreateArtifact(lpb.CreateArtifactRequest(classify_columns=classify))
    assert job.project == world["alpha"].id
    outsider = world["editor_b"].llm
    foreign = lpb.CreateArtifactRequest(classify_columns=classify)
    assert _code(lambda: outsider.CreateArtifact(foreign)) == grpc.StatusCode.NOT_FOUND
    schema = lpb.SchemaFromDescriptionInput(description="customers with an age and a city")
    named = lpb.CreateArtifactRequest(schema_from_description=schema, project=world["alpha"].name)
    assert _code(lambda: outsider.CreateArtifact(named)) == grpc.StatusCode.NOT_FOUND
    own = lpb.CreateArtifactRequest(schema_from_description=schema)
    assert outsider.CreateArtifact(own).project == world["beta"].id
    listed = outsider.ListArtifacts(lpb.ListArtifactsRequest(page_size=500)).artifacts
    assert all(a.project == world["beta"].id for a in listed)
    missing = lpb.GetArtifactRequest(artifact_id="art_none")
    assert _code(lambda: outsider.GetArtifact(missing)) == grpc.StatusCode.NOT_FOUND


def test_reports_and_holdout_splits_stay_in_the_project(world):
    real, synthetic = world["editor_a"].upload("alpha real"), world["editor_a"].upload("alpha syn")
    request = epb.CreateReportRequest(
        real_dataset_id=real.id,
        synthetic_dataset_id=synthetic.id,
        config=epb.ReportConfig(parts=[epb.REPORT_PART_FIDELITY], skip_plots=True),
    )
    job = world["editor_a"].evaluation.CreateReport(request)
    assert job.project == world["alpha"].id
    watch = job_pb2.WatchJobRequest(job_id=job.id)
    (*_, done) = world["editor_a"].evaluation_jobs.WatchJob(watch, timeout=240)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error
    report_id = done.result["report_id"]
    mine = world["editor_a"].evaluation.ListReports(epb.ListReportsRequest(page_size=500))
    assert report_id in {r.id for r in mine.reports}
    assert world["editor_a"].evaluation.GetReport(
        epb.GetReportRequest(report_id=report_id)
    ).project == (world["alpha"].id)

    other, not_found = world["editor_b"].evaluation, grpc.StatusCode.NOT_FOUND
    theirs = other.ListReports(epb.ListReportsRequest(page_size=500))
    assert report_id not in {r.id for r in theirs.reports}
    assert _code(lambda: other.GetReport(epb.GetReportRequest(report_id=report_id))) == not_found
    delete = epb.DeleteReportRequest(report_id=report_id)
    assert _code(lambda: other.DeleteReport(delete)) == not_found
    export = epb.ExportReportRequest(report_id=report_id, format=epb.EXPORT_FORMAT_JSON)
    assert _code(lambda: other.ExportReport(export)) == not_found
    split = epb.GetHoldoutSplitRequest(dataset_id=real.id)
    assert _code(lambda: other.GetHoldoutSplit(split)) == not_found
    listing = epb.ListReportsRequest(project=world["alpha"].id)
    assert _code(lambda: other.ListReports(listing)) == not_found
    # A viewer of the project reads the report and the split but deletes neither.
    viewer = world["viewer_a"].evaluation
    assert viewer.GetHoldoutSplit(split).project == world["alpha"].id
    assert _code(lambda: viewer.DeleteReport(delete)) == grpc.StatusCode.PERMISSION_DENIED
    forget = epb.DeleteHoldoutSplitRequest(dataset_id=real.id)
    assert _code(lambda: viewer.DeleteHoldoutSplit(forget)) == grpc.StatusCode.PERMISSION_DENIED
    world["editor_a"].evaluation.DeleteReport(delete)
