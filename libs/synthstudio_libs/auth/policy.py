"""Access policies read from the protos: who may call each RPC, its cost class, whether it is
audited. Declared once, next to each RPC (`synthstudio.common.v1.access`), enforced from here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from google.protobuf import descriptor_pool

from synthstudio.common.v1 import access_pb2
from synthstudio_libs.auth.principal import Role

# Standard services every server hosts: health stays open for probes.
_OPEN_SERVICES = ("grpc.health.v1.Health",)


@dataclass(frozen=True)
class MethodPolicy:
    roles: frozenset[Role]
    expensive: bool
    mutates: bool
    public: bool

    def allows(self, role: Role) -> bool:
        """Admins may call everything; others need a listed role. An empty list admits any
        signed-in principal; admin-only methods list ROLE_ADMIN alone."""
        return role is Role.ADMIN or not self.roles or role in self.roles


# A method of ours without a policy is refused to everyone but admins.
_ADMIN_ONLY = MethodPolicy(
    roles=frozenset({Role.ADMIN}), expensive=False, mutates=False, public=False
)
_OPEN = MethodPolicy(roles=frozenset(), expensive=False, mutates=False, public=True)
# Reflection and other standard services: any authenticated principal.
_AUTHENTICATED = MethodPolicy(roles=frozenset(), expensive=False, mutates=False, public=False)


@cache
def policy_for(method_path: str) -> MethodPolicy:
    """The policy of `/package.Service/Method`, as declared in the protos."""
    service_name, _, method_name = method_path.lstrip("/").partition("/")
    if service_name in _OPEN_SERVICES:
        return _OPEN
    if not service_name.startswith("synthstudio."):
        return _AUTHENTICATED
    try:
        method = descriptor_pool.Default().FindMethodByName(f"{service_name}.{method_name}")
    except KeyError:
        return _ADMIN_ONLY
    options = method.GetOptions()
    if not options.HasExtension(access_pb2.access):
        return _ADMIN_ONLY
    declared = options.Extensions[access_pb2.access]
    return MethodPolicy(
        roles=frozenset(
            Role(access_pb2.Role.Name(r).removeprefix("ROLE_")) for r in declared.roles
        ),
        expensive=declared.cost == access_pb2.COST_CLASS_EXPENSIVE,
        mutates=declared.mutates,
        public=declared.public,
    )
