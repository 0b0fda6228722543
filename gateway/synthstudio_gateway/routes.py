"""REST routes read from the protos' `google.api.http` annotations: the one source of truth."""

from __future__ import annotations

import re
from dataclasses import dataclass

from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor, message_factory

from synthstudio_libs.auth.policy import MethodPolicy, policy_for
from synthstudio_libs.contracts import services

_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


@dataclass(frozen=True)
class Route:
    """One REST route and the RPC behind it."""

    verb: str
    template: str
    body: str
    backend: str
    method: descriptor.MethodDescriptor

    @property
    def rpc_path(self) -> str:
        return f"/{self.method.containing_service.full_name}/{self.method.name}"

    @property
    def path_fields(self) -> list[str]:
        return _VARIABLE.findall(self.template)

    @property
    def starlette_path(self) -> str:
        # `seg` matches one path segment up to a `:custom` verb, so `/v1/jobs/{id}:cancel`
        # and `/v1/jobs/{id}` never capture each other.
        return _VARIABLE.sub(r"{\1:seg}", self.template)

    @property
    def request_class(self):
        return message_factory.GetMessageClass(self.method.input_type)

    @property
    def response_class(self):
        return message_factory.GetMessageClass(self.method.output_type)

    @property
    def policy(self) -> MethodPolicy:
        return policy_for(self.rpc_path)

    @property
    def streaming(self) -> bool:
        return self.method.server_streaming


def _http_rule(method: descriptor.MethodDescriptor) -> http_pb2.HttpRule | None:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return None
    return options.Extensions[annotations_pb2.http]


def discover_routes() -> list[Route]:
    """Every annotated RPC of every service, as a route."""
    found = []
    for service, backend in services():
        for method in service.methods:
            rule = _http_rule(method)
            if rule is None:
                continue
            verb = rule.WhichOneof("pattern")
            found.append(
                Route(
                    verb=verb.upper(),
                    template=getattr(rule, verb),
                    body=rule.body,
                    backend=backend,
                    method=method,
                )
            )
    return found
