"""Projects through the running suite: two projects, two editors; neither can list, read,
download, train on or delete the other's dataset over REST or gRPC; a viewer reads metadata
but cannot download raw data; a disabled user's token and API key are refused at once."""

from __future__ import annotations

import base64
import secrets

import grpc
import httpx
import pytest

from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.grpc.credentials import bearer_credentials

PASSWORD = "e2e projects password"
TABLE = b"region,amount\n" + b"".join(f"r{i % 4},{i * 3 % 40}\n".encode() for i in range(80))


def _client(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, headers={"authorization": f"Bearer {token}"})


def _stub(env: dict[str, str], token: str):
    channel = grpc.intercept_channel(
        grpc.insecure_channel(env["SYNTHSTUDIO_SYNTHESIS_ADDR"]), bearer_credentials(token)
    )
    return channel, synthesis_service_pb2_grpc.SynthesisServiceStub(channel)


@pytest.fixture(scope="module")
def people(suite, admin_token):
    """Projects north and south; an editor of each, and a viewer of north."""
    base_url, env = suite
    suffix = secrets.token_hex(3)
    opened: list = []
    with _client(base_url, admin_token) as admin:
        projects = {}
        for name in ("north", "south"):
            created = admin.post("/v1/projects", json={"name": f"{name}-{suffix}"})
            assert created.status_code == 200, created.text
            projects[name] = created.json()
        tokens = {}
        for user, project, role in [
            ("editor_north", "north", "ROLE_EDITOR"),
            ("editor_south", "south", "ROLE_EDITOR"),
            ("viewer_north", "north", "ROLE_VIEWER"),
        ]:
            email = f"{user}-{suffix}@example.org"
            body = {
                "email": email,
                "password": PASSWORD,
                "role": role,
                "project": projects[project]["name"],
            }
            assert admin.post("/v1/users", json=body).status_code == 200
            login = admin.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
            tokens[user] = login.json()["accessToken"]
    rest = {user: _client(base_url, token) for user, token in tokens.items()}
    stubs = {}
    for user, token in tokens.items():
        channel, stubs[user] = _stub(env, token)
        opened.append(channel)
    yield {"projects": projects, "rest": rest, "grpc": stubs, "base_url": base_url, "env": env}
    for client in rest.values():
        client.close()
    for channel in opened:
        channel.close()


def _upload(client: httpx.Client, name: str) -> dict:
    body = {
        "displayName": name,
        "format": "TABLE_FORMAT_CSV",
        "content": base64.b64encode(TABLE).decode(),
    }
    reply = client.post("/v1/datasets", json=body)
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_editors_of_two_projects_cannot_touch_each_others_data_over_rest(people):
    north, south = people["rest"]["editor_north"], people["rest"]["editor_south"]
    mine = _upload(north, "north sales")
    assert mine["project"] == people["projects"]["north"]["id"]
    theirs = _upload(south, "south sales")
    assert theirs["project"] == people["projects"]["south"]["id"]
    listed = {
        d["id"]
        for d in south.get("/v1/datasets", params={"pageSize": 500}).json().get("datasets", [])
    }
    assert theirs["id"] in listed and mine["id"] not in listed
    path = f"/v1/datasets/{mine['id']}"
    refused = [
        south.get(path),
        south.get(f"{path}:download"),
        south.post(f"{path}/synthesizers", json={"kind": "SYNTHESIZER_KIND_GAUSSIAN_COPULA"}),
        south.delete(path),
    ]
    for reply in refused:
        assert reply.status_code == 404, reply.text
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert "does not exist" in reply.json()["detail"]
    other_project = people["projects"]["north"]["name"]
    assert south.get("/v1/datasets", params={"project": other_project}).status_code == 404
    assert north.get(path).status_code == 200


def test_editors_of_two_projects_cannot_touch_each_others_data_over_grpc(people):
    dataset = people["grpc"]["editor_north"].CreateDataset(
        pb.CreateDatasetRequest(display_name="north over grpc", format=1, content=TABLE, project="")
    )
    assert dataset.project == people["projects"]["north"]["id"]
    other = people["grpc"]["editor_south"]
    calls = [
        lambda: other.GetDataset(pb.GetDatasetRequest(dataset_id=dataset.id)),
        lambda: list(other.DownloadDataset(pb.DownloadDatasetRequest(dataset_id=dataset.id))),
        lambda: other.TrainSynthesizer(pb.TrainSynthesizerRequest(dataset_id=dataset.id)),
        lambda: other.DeleteDataset(pb.DeleteDatasetRequest(dataset_id=dataset.id)),
    ]
    for call in calls:
        with pytest.raises(grpc.RpcError) as caught:
            call()
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    listed = other.ListDatasets(pb.ListDatasetsRequest(page_size=500)).datasets
    assert dataset.id not in {d.id for d in listed}


def test_a_viewer_reads_metadata_but_cannot_download_raw_data(people):
    dataset = _upload(people["rest"]["editor_north"], "north raw")
    viewer = people["rest"]["viewer_north"]
    shown = viewer.get(f"/v1/datasets/{dataset['id']}")
    assert shown.status_code == 200
    assert [c["name"] for c in shown.json()["columns"]] == ["region", "amount"]
    download = viewer.get(f"/v1/datasets/{dataset['id']}:download")
    assert download.status_code == 403, download.text
    assert download.json()["reason"] == "PROJECT_ROLE_TOO_LOW"
    with pytest.raises(grpc.RpcError) as caught:
        list(
            people["grpc"]["viewer_north"].DownloadDataset(
                pb.DownloadDatasetRequest(dataset_id=dataset["id"])
            )
        )
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_disabled_user_is_refused_at_once_by_token_and_api_key(suite, admin_token):
    base_url, _env = suite
    email = f"leaving-admin-{secrets.token_hex(3)}@example.org"
    with _client(base_url, admin_token) as admin:
        body = {"email": email, "password": PASSWORD, "role": "ROLE_ADMIN"}
        assert admin.post("/v1/users", json=body).status_code == 200
        token = admin.post("/v1/auth/login", json={"email": email, "password": PASSWORD}).json()[
            "accessToken"
        ]
        with _client(base_url, token) as leaving:
            key = leaving.post("/v1/apiKeys", json={"name": "ci", "role": "ROLE_EDITOR"}).json()
            with _client(base_url, key["secret"]) as by_key:
                assert leaving.get("/v1/datasets").status_code == 200
                assert by_key.get("/v1/datasets").status_code == 200
                disabled = admin.patch(f"/v1/users/{email}", json={"disabled": True})
                assert disabled.status_code == 200, disabled.text
                assert disabled.json()["disabled"] is True
                for client in (leaving, by_key):
                    refused = client.get("/v1/datasets")
                    assert refused.status_code == 401
                    assert refused.json()["reason"] == "USER_DISABLED"
        login = admin.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 401 and login.json()["reason"] == "USER_DISABLED"
