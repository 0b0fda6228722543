"""Where the services are: one URL for the whole suite, resolved to each service's gRPC address.

- `host` (or `grpc://host`): every service on that host at its default port (synthesis 50051,
  evaluation 50052, privacy 50053, pii 50054, llm 50055).
- `host:port`: synthesis at that port and the others on the next four, in the same order.
- `http://host[:port]` (the gateway's URL, as `make run` prints it): the same host, default ports.
- `grpcs://` or `https://`: the same, over TLS.

Without a URL (no argument, no `SYNTHSTUDIO_URL`), each service is at its
`SYNTHSTUDIO_<SERVICE>_ADDR` (the variables the services themselves read) or else at
127.0.0.1 on its default port, so the SDK finds a suite started by `make run` in the same
environment. An explicit URL wins over those variables.
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
        url = url or env.get(URL_VARIABLE, "")
        if url:
            return cls.from_url(url)
        addresses = {
            service: env.get(f"SYNTHSTUDIO_{service.upper()}_ADDR")
            or f"{DEFAULT_HOST}:{DEFAULT_PORTS[service]}"
            for service in SERVICES
        }
        return cls(**addresses)

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
        if scheme not in ("grpc", "grpcs", "http", "https") or not host:
            raise UsageError(
                f"cannot read the URL {url!r}: give host, host:port, grpc://host:port or the "
                "gateway's http://host:port"
            )
        if parts.path not in ("", "/"):
            raise UsageError(f"the URL {url!r} has a path; give only the scheme, host and port")
        host = f"[{host}]" if ":" in host else host
        if scheme in ("http", "https") or port is None:
            ports = DEFAULT_PORTS
        else:
            if port + len(SERVICES) - 1 > 65535:
                raise UsageError(f"the URL {url!r}: port {port} leaves no room for the services")
            ports = {service: port + offset for offset, service in enumerate(SERVICES)}
        addresses = {service: f"{host}:{ports[service]}" for service in SERVICES}
        return cls(**addresses, tls=scheme in ("grpcs", "https"))
