"""Calls to the services: one channel per address, the caller's credentials on every call
(`synthstudio_libs.grpc.auth.bearer_credentials`), an expired access token refreshed once,
UNAVAILABLE (and rate limits that say when to come back) retried with exponential backoff, and
every failure turned into an `ApiError`."""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import grpc

from synthstudio.common.v1 import job_pb2_grpc
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio.identity.v1 import identity_service_pb2 as identity_pb
from synthstudio.identity.v1 import identity_service_pb2_grpc
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.grpc.credentials import bearer_credentials
from synthstudio_sdk.credentials import CredentialStore, StoredLogin
from synthstudio_sdk.endpoints import Endpoints
from synthstudio_sdk.errors import (
    ApiError,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
    from_rpc_error,
)

T = TypeVar("T")

# name -> (service whose address serves it, stub class). Jobs and identity are served by
# every service; the synthesis service answers them.
STUBS: dict[str, tuple[str, type]] = {
    "synthesis": ("synthesis", synthesis_service_pb2_grpc.SynthesisServiceStub),
    "evaluation": ("evaluation", evaluation_service_pb2_grpc.EvaluationServiceStub),
    "privacy": ("privacy", privacy_service_pb2_grpc.PrivacyServiceStub),
    "pii": ("pii", pii_service_pb2_grpc.PiiServiceStub),
    "llm": ("llm", llm_service_pb2_grpc.LlmServiceStub),
    "jobs": ("synthesis", job_pb2_grpc.JobServiceStub),
    "identity": ("synthesis", identity_service_pb2_grpc.IdentityServiceStub),
}

# Replies (exported reports, table chunks) may be larger than gRPC's 4 MiB default.
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", 256 * 1024 * 1024),
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
]
DEFAULT_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter for UNAVAILABLE, and RetryInfo-guided waits for rate
    limits; `retries` extra attempts at most."""

    retries: int = 5
    initial_seconds: float = 0.25
    max_seconds: float = 8.0
    multiplier: float = 2.0
    # A rate limit asking for a longer wait than this is reported, not waited out.
    max_rate_limit_wait_seconds: float = 30.0

    def delay(self, error: ApiError, attempt: int) -> float | None:
        """How long to wait before retry number `attempt + 1`, or None to give up."""
        if attempt >= self.retries:
            return None
        if isinstance(error, Unavailable):
            ceiling = min(self.max_seconds, self.initial_seconds * self.multiplier**attempt)
            return random.uniform(ceiling / 2, ceiling)
        if (
            isinstance(error, ResourceExhausted)
            and error.retry_after is not None
            and error.retry_after <= self.max_rate_limit_wait_seconds
        ):
            return error.retry_after + random.uniform(0, 0.25)
        return None


class Auth(Protocol):
    """Supplies the bearer secret for calls and renews it when the server says it expired."""

    def secret(self) -> str | None: ...

    def renew(self, stale: str | None) -> bool:
        """Renews the secret after `stale` was refused as expired; True if calls may retry."""
        ...


class StaticAuth:
    """An access token or API key given by the caller (no refresh), or none at all."""

    def __init__(self, secret: str | None) -> None:
        self._secret = secret or None

    def secret(self) -> str | None:
        return self._secret

    def renew(self, stale: str | None) -> bool:
        return False


class SessionAuth:
    """A stored sign-in: the access token, refreshed through IdentityService.Refresh shortly
    before it expires (or when a call is refused as expired), the new pair stored at once."""

    def __init__(
        self,
        store: CredentialStore,
        key: str,
        refresh: Callable[[str], identity_pb.TokenPair],
    ) -> None:
        self._store = store
        self._key = key
        self._refresh = refresh
        self._lock = threading.Lock()
        self._login = store.load(key)

    @property
    def login(self) -> StoredLogin | None:
        return self._login

    def secret(self) -> str | None:
        login = self._login
        if login is None:
            return None
        if login.access_valid():
            return login.access_token
        self.renew(login.access_token)
        return self._login.access_token if self._login else None

    def renew(self, stale: str | None) -> bool:
        with self._lock, self._store.locked():
            current = self._store.load(self._key)
            if current is None:
                self._login = None
                raise Unauthenticated(
                    "not signed in: run `synthstudio login` (or set SYNTHSTUDIO_TOKEN or "
                    "SYNTHSTUDIO_API_KEY)",
                    reason="NOT_SIGNED_IN",
                )
            if current.access_token != stale and current.access_valid():
                self._login = current  # another process refreshed already
                return True
            if not current.refresh_valid():
                raise Unauthenticated(
                    "the stored sign-in has expired: run `synthstudio login` again",
                    reason="SIGN_IN_EXPIRED",
                )
            pair = self._refresh(current.refresh_token)
            self._login = StoredLogin.from_pair(current.email, pair)
            self._store.save(self._key, self._login)
            return True


class Connection:
    """Channels, stubs and the call loop shared by every part of the client."""

    def __init__(
        self,
        endpoints: Endpoints,
        auth: Auth | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.endpoints = endpoints
        self.auth: Auth = auth or StaticAuth(None)
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._channels: dict[str, grpc.Channel] = {}
        self._stubs: dict[tuple[str, str | None], Any] = {}
        self._lock = threading.Lock()

    def _channel(self, address: str) -> grpc.Channel:
        with self._lock:
            channel = self._channels.get(address)
            if channel is None:
                if self.endpoints.tls:
                    credentials = grpc.ssl_channel_credentials()
                    channel = grpc.secure_channel(address, credentials, options=_CHANNEL_OPTIONS)
                else:
                    channel = grpc.insecure_channel(address, options=_CHANNEL_OPTIONS)
                self._channels[address] = channel
            return channel

    def stub(self, name: str, secret: str | None = None) -> Any:
        """The stub `name` (see STUBS) sending `secret` as its bearer credential."""
        key = (name, secret)
        stub = self._stubs.get(key)
        if stub is None:
            service, stub_class = STUBS[name]
            channel = self._channel(self.endpoints.address(service))
            if secret:
                channel = grpc.intercept_channel(channel, bearer_credentials(secret))
            stub = stub_class(channel)
            with self._lock:
                # One stub per name: a renewed secret replaces the old one.
                for old in [k for k in self._stubs if k[0] == name]:
                    del self._stubs[old]
                self._stubs[key] = stub
        return stub

    def service_of(self, name: str) -> str:
        return STUBS[name][0]

    def _run(
        self, name: str, method: str, attempt: Callable[[Any], T], *, authenticated: bool = True
    ) -> T:
        service = self.service_of(name)
        retries = 0
        renewed = False
        while True:
            secret = self.auth.secret() if authenticated else None
            try:
                return attempt(self.stub(name, secret))
            except grpc.RpcError as rpc_error:
                error = from_rpc_error(rpc_error, service, method)
            if (
                authenticated
                and isinstance(error, Unauthenticated)
                and error.reason == "TOKEN_EXPIRED"
                and not renewed
                and self.auth.renew(secret)
            ):
                renewed = True
                continue
            wait = self.retry.delay(error, retries)
            if wait is None:
                raise error
            time.sleep(wait)
            retries += 1

    def unary(
        self,
        name: str,
        method: str,
        request: Any,
        *,
        timeout: float | None = None,
        authenticated: bool = True,
        retry: bool = True,
    ) -> Any:
        """One request, one reply."""
        deadline = timeout or self.timeout

        def attempt(stub):
            return getattr(stub, method)(request, timeout=deadline)

        if not retry:
            return self._once(name, method, attempt, authenticated=authenticated)
        return self._run(name, method, attempt, authenticated=authenticated)

    def _once(
        self, name: str, method: str, attempt: Callable[[Any], T], *, authenticated: bool
    ) -> T:
        secret = self.auth.secret() if authenticated else None
        try:
            return attempt(self.stub(name, secret))
        except grpc.RpcError as rpc_error:
            raise from_rpc_error(rpc_error, self.service_of(name), method) from None

    def server_stream(
        self, name: str, method: str, request: Any, *, timeout: float | None = None
    ) -> Iterator[Any]:
        """A reply stream. The call is retried while nothing has arrived yet; a stream broken
        later raises, and the caller decides whether to start over."""
        responses = self._run(
            name, method, lambda stub: _primed(getattr(stub, method)(request, timeout=timeout))
        )
        service = self.service_of(name)
        try:
            yield from responses
        except grpc.RpcError as rpc_error:
            raise from_rpc_error(rpc_error, service, method) from None
        finally:
            cancel = getattr(responses, "cancel", None)
            if cancel is not None:
                cancel()

    def client_stream(
        self,
        name: str,
        method: str,
        requests: Callable[[], Iterator[Any]],
        *,
        timeout: float | None = None,
    ) -> Any:
        """A request stream (made anew for each attempt by `requests`), one reply."""
        return self._run(
            name, method, lambda stub: getattr(stub, method)(requests(), timeout=timeout)
        )

    def close(self) -> None:
        with self._lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()
            self._stubs.clear()


class _primed:
    """A reply stream whose first message has been awaited, so that a refused or unreachable
    call fails inside the retry loop rather than in the caller's iteration."""

    def __init__(self, call) -> None:
        self._call = call
        self._first: list = []
        with contextlib.suppress(StopIteration):  # an empty stream
            self._first.append(next(call))

    def __iter__(self):
        yield from self._first
        self._first = []
        yield from self._call

    def cancel(self) -> None:
        self._call.cancel()
