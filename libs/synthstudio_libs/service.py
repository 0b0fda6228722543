"""The one bootstrap contract of a service: what it is made of, built in one function.

Each service package exposes a `Service` (entry-point group `synthstudio.services`). Its `build`
function makes the service's parts from a `Runtime`: the servicers the gRPC server binds and
the handlers of its job kinds. The gRPC server (`synthstudio_libs.grpc.server`) and the Celery
worker (`synthstudio_libs.jobs.celery_app`) are both made from the same `build`, so a service
cannot be served without its job kinds being known to the workers that run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from synthstudio_libs.config import Settings
from synthstudio_libs.grpc.binding import Binding
from synthstudio_libs.jobs.runner import JobHandler
from synthstudio_libs.runtime import Runtime
from synthstudio_libs.storage.database import Component

SERVICES_ENTRY_POINT_GROUP = "synthstudio.services"


@dataclass(frozen=True)
class ServiceParts:
    """What one service process holds: the servicers to bind and its job kinds' handlers."""

    bindings: Sequence[Binding]
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    """A service: its name, its database tables, its port setting and how to build it."""

    name: str
    migrations: Component
    port: Callable[[Settings], int]
    build: Callable[[Runtime], ServiceParts]

    def assemble(self, runtime: Runtime) -> ServiceParts:
        """The service's parts over `runtime`, with every job kind registered in it."""
        parts = self.build(runtime)
        for kind, handler in parts.jobs.items():
            if not kind.startswith(f"{self.name}."):
                raise ValueError(f"job kind {kind!r} of {self.name} must start with '{self.name}.'")
            runtime.registry.register(kind, handler)
        return parts


def installed_services() -> Iterator[Service]:
    """Every service installed in this environment, in entry-point order."""
    for entry in sorted(entry_points(group=SERVICES_ENTRY_POINT_GROUP), key=lambda e: e.name):
        yield entry.load()
