"""A servicer to serve, with what health checking and reflection need to know of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import grpc


@dataclass(frozen=True)
class Binding:
    """A servicer, the generated `add_*_to_server` function and the service's full name."""

    add_to_server: Callable[[object, grpc.Server], None]
    servicer: object
    full_name: str
