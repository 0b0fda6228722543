"""The OpenAPI document says what the gateway does: unknown fields are refused, a missing body
is the empty message, enums go by name or number, /healthz is public, a 405 names the methods
the path allows."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from synthstudio_gateway.app import create_app
from synthstudio_libs.config import load_settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return TestClient(create_app(load_settings(data_dir=tmp_path_factory.mktemp("gateway"))))


@pytest.fixture(scope="module")
def spec(client):
    return client.get("/openapi.json").json()


def test_messages_refuse_fields_they_do_not_have(spec, client):
    schemas = spec["components"]["schemas"]
    request = schemas["synthstudio.identity.v1.LoginRequest"]
    assert request["additionalProperties"] is False
    refused = client.post("/v1/auth/login", json={"email": "a@b.c", "password": "x", "extra": 1})
    assert refused.status_code == 400 and "extra" in refused.json()["detail"]


def test_bodies_are_optional_and_enums_go_by_name_or_number(spec):
    login = spec["paths"]["/v1/auth/login"]["post"]
    assert login["requestBody"]["required"] is False
    train = spec["components"]["schemas"]["synthstudio.synthesis.v1.TrainSynthesizerRequest"]
    kinds = train["properties"]["kind"]["enum"]
    assert "SYNTHESIZER_KIND_UNSPECIFIED" in kinds and 0 in kinds
    states = next(p for p in spec["paths"]["/v1/jobs"]["get"]["parameters"] if p["name"] == "state")
    assert "0" in states["schema"]["enum"]


def test_healthz_is_declared_public(spec):
    assert spec["paths"]["/healthz"]["get"]["security"] == []


def test_a_405_names_every_method_the_path_allows(client):
    refused = client.request("PATCH", "/v1/datasets")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD, POST"
