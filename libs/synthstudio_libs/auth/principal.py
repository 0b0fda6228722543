"""Who is calling: roles, principals, and the principal of the call being served."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VIEWER = "VIEWER"
    EDITOR = "EDITOR"
    REVIEWER = "REVIEWER"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class Principal:
    """A user (`user:<id>`) or an API key (`key:<id>`) with its role."""

    id: str
    name: str
    role: Role


ANONYMOUS = Principal(id="anonymous", name="anonymous", role=Role.VIEWER)

_current_principal: contextvars.ContextVar[Principal] = contextvars.ContextVar(
    "synthstudio_principal", default=ANONYMOUS
)
# A function giving the `authorization` value to forward: the caller's own for a call being
# served, a freshly minted token of the job's creator for background work.
_current_credentials: contextvars.ContextVar[Callable[[], str]] = contextvars.ContextVar(
    "synthstudio_credentials", default=lambda: ""
)


def current_principal() -> Principal:
    """The principal of the call being served (ANONYMOUS outside a call)."""
    return _current_principal.get()


def current_credentials() -> str:
    """The caller's own `authorization` value, forwarded on calls to other services so they
    act for, and audit, the same principal."""
    return _current_credentials.get()()


def bind(
    principal: Principal, credentials: str | Callable[[], str]
) -> tuple[contextvars.Token, contextvars.Token]:
    """Makes `principal` the current one; `credentials` (a value, or a function minting one)
    is what calls to other services forward."""
    supplier = credentials if callable(credentials) else (lambda: credentials)
    return _current_principal.set(principal), _current_credentials.set(supplier)


def unbind(tokens: tuple[contextvars.Token, contextvars.Token]) -> None:
    _current_principal.reset(tokens[0])
    _current_credentials.reset(tokens[1])


@contextlib.contextmanager
def acting_as(principal: Principal, credentials: str | Callable[[], str]) -> Iterator[None]:
    """`principal` (see `bind`) for the calls made inside the block."""
    tokens = bind(principal, credentials)
    try:
        yield
    finally:
        unbind(tokens)
