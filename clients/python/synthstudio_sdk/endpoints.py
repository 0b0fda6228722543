"""Where the services are: one URL for the whole suite, resolved to each service's gRPC address.

- `host` (or `grpc://host`): every service on that host at its default port (synthesis 50051,
  evaluation 50052, privacy 50053, pii 50054, llm 50055).
- `host:port` (or `grpc://host:port`): synthesis at exactly that port and the others on the
  next four, in the same order.
- `grpcs://`: the same, over TLS.

The SDK speaks gRPC, so an `http://` or `https://` URL (the REST gateway's) is refused with a
message saying what to give instead: it once mapped to the default gRPC ports, which may belong
to another deployment.

Without a URL (no argument, no `SYNTHSTUDIO_URL`), each service is at its
`SYNTHSTUDIO_<SERVICE>_ADDR` (the variables the services themselves read) or else at
127.0.0.1 on its default port, so the SDK finds a suite started by `make run` in the same
environment. A URL and a variable that disagree about a service are refused, never silently
resolved one way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from synthstudio_sdk.errors import UsageError

# The same order and ports as the services' own defaults (synthstudio_libs.config).
SERVICES = ("synthesis", "evaluation", "privacy", "pii", "llm")
DEFAULT_PORTS = {
    "synthesis": 50051,
    "evaluation": 50052,
    "privacy": 50053,
    "pii": 50054,
    "llm": 50055,
}
DEFAULT_HOST = "127.0.0.1"
URL_VARIABLE = "SYNTHSTUDIO_URL"


@dataclass(frozen=True)
class Endpoints:
    """The gRPC address of each service and whether to use TLS."""

    synthesis: str
    evaluation: str
    privacy: str
    pii: str
    llm: str
    tls: bool = False

    def address(self, service: str) -> str:
        return getattr(self, service)

    @property
    def key(self) -> str:
        """What stored sign-ins are filed under: the synthesis address (identity lives there)."""
        return self.synthesis

    @classmethod
    def resolve(cls, url: str | None = None, env: Mapping[str, str] | None = None) -> Endpoints:
        """The endpoints for `url`, else `SYNTHSTUDIO_URL`, else the per-service variables."""
        env = os.environ if env is None else env
        variables = {s: env.get(address_variable(s), "").strip() for s in SERVICES}
        source = "--url" if url else URL_VARIABLE
        url = url or env.get(URL_VARIABLE, "")
        if not url:
            return cls(
                **{
                    service: variables[service] or f"{DEFAULT_HOST}:{DEFAULT_PORTS[service]}"
                    for service in SERVICES
                }
            )
        resolved = cls.from_url(url)
        for service, address in variables.items():
            if address and address != resolved.address(service):
                raise UsageError(
                    f"{source} {url} puts {service} at {resolved.address(service)} but "
                    f"{address_variable(service)} is {address}: unset the variable or leave "
                    f"out {source}, so that one of them says where the services are"
                )
        return resolved

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        text = url.strip()
        if "://" not in text:
            text = f"grpc://{text}"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as exc:
            raise UsageError(f"cannot read the URL {url!r}: {exc}") from None
        scheme, host = parts.scheme.lower(), parts.hostname
        if scheme in ("http", "https") and host:
            secure = "s" if scheme == "https" else ""
            raise UsageError(
                f"{url} is a REST address (the gateway's), and the CLI and SDK call the "
                f"services over gRPC: give grpc{secure}://{host}:PORT with the synthesis "
                "service's port (the others on the next four), or set "
                "SYNTHSTUDIO_<SERVICE>_ADDR for each service"
            )
        if scheme not in ("grpc", "grpcs") or not host:
            raise UsageError(
                f"cannot read the URL {url!r}: give host, host:port or grpc://host:port"
            )
        if parts.path not in ("", "/"):
            raise UsageError(f"the URL {url!r} has a path; give only the scheme, host and port")
        host = f"[{host}]" if ":" in host else host
        if port is None:
            ports = DEFAULT_PORTS
        else:
            if port + len(SERVICES) - 1 > 65535:
                raise UsageError(f"the URL {url!r}: port {port} leaves no room for the services")
            ports = {service: port + offset for offset, service in enumerate(SERVICES)}
        addresses = {service: f"{host}:{ports[service]}" for service in SERVICES}
        return cls(**addresses, tls=scheme == "grpcs")


def address_variable(service: str) -> str:
    """The variable that gives `service`'s address, as the services themselves read it."""
    return f"SYNTHSTUDIO_{service.upper()}_ADDR"
