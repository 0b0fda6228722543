"""Real servers on port 0 with real channels, sharing one migrated SQLite database, and
credentials for each role."""

from __future__ import annotations

from functools import partial

import grpc
import pytest

from synthstudio_libs.auth.principal import Role
from synthstudio_libs.config import load_settings
from synthstudio_libs.grpc.credentials import bearer_credentials
from synthstudio_libs.grpc.server import create_server
from synthstudio_libs.runtime import identity_core
from synthstudio_libs.service import installed_services
from synthstudio_libs.storage.database import create_engine, discover_components, migrate
from tests.conftest import free_port

# Every installed service, each built by its one `build` function (as `make run` does).
FACTORIES = {service.name: partial(create_server, service) for service in installed_services()}
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """Every service, started in this process; returns {name: address} and the settings."""
    data_dir = tmp_path_factory.mktemp("suite")
    settings = load_settings(data_dir=data_dir)
    engine = create_engine(settings.resolved_database_url)
    migrate(engine, discover_components())
    engine.dispose()
    # Ports first, so every service knows every other's address (synthesis <-> pii).
    ports = {name: free_port() for name in FACTORIES}
    addresses = {name: f"127.0.0.1:{port}" for name, port in ports.items()}
    settings = load_settings(data_dir=data_dir, **{f"{n}_addr": a for n, a in addresses.items()})
    started = []
    for name, factory in FACTORIES.items():
        server, _port = factory(settings, port=ports[name])
        server.start()
        started.append(server)
    yield addresses, settings
    for server in started:
        server.stop(grace=None)


@pytest.fixture(scope="session")
def identity(servers):
    _addresses, settings = servers
    engine = create_engine(settings.resolved_database_url)
    yield identity_core(settings, engine)
    engine.dispose()


@pytest.fixture(scope="session")
def tokens(identity):
    """An access token for a user of each role."""
    issued = {}
    for role in Role:
        identity.create_user(f"{role.value.lower()}@example.org", PASSWORD, role)
        issued[role] = identity.login(f"{role.value.lower()}@example.org", PASSWORD).access_token
    return issued


def open_channels(addresses: dict[str, str], token: str | None) -> dict[str, grpc.Channel]:
    opened = {}
    for name, address in addresses.items():
        channel = grpc.insecure_channel(address)
        opened[name] = (
            grpc.intercept_channel(channel, bearer_credentials(token)) if token else channel
        )
    return opened


@pytest.fixture(scope="session")
def channels(servers, tokens):
    """Channels that call as an editor."""
    addresses, _settings = servers
    opened = open_channels(addresses, tokens[Role.EDITOR])
    yield opened
    for channel in opened.values():
        channel.close()


@pytest.fixture(scope="session")
def anonymous_channels(servers):
    addresses, _settings = servers
    opened = open_channels(addresses, None)
    yield opened
    for channel in opened.values():
        channel.close()


@pytest.fixture(scope="session")
def admin_channels(servers, tokens):
    """Channels that call as an admin (who may read synthetic data before its release)."""
    addresses, _settings = servers
    opened = open_channels(addresses, tokens[Role.ADMIN])
    yield opened
    for channel in opened.values():
        channel.close()
