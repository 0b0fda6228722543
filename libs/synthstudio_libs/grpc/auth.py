"""Authentication, authorization, rate limits and auditing of every call a service serves, in
one interceptor; and client interceptors that carry credentials to other services."""

from __future__ import annotations

import hashlib
import logging

import grpc
from opentelemetry import trace

from synthstudio_libs.auth.audit import AuditLog
from synthstudio_libs.auth.identity import IdentityCore
from synthstudio_libs.auth.policy import MethodPolicy, policy_for
from synthstudio_libs.auth.principal import Principal, bind, unbind
from synthstudio_libs.auth.projects import ProjectDirectory, serving
from synthstudio_libs.auth.ratelimit import RateLimits
from synthstudio_libs.errors import (
    InvalidInput,
    PermissionDenied,
    SynthStudioError,
    canonical_code,
)
from synthstudio_libs.grpc.binding import wrap_behavior

log = logging.getLogger(__name__)


def _resource(request, response) -> str:
    """What a call acted on: the id it created, else the first id it was given."""
    if response is not None and "id" in response.DESCRIPTOR.fields_by_name and response.id:
        return f"{response.DESCRIPTOR.name.lower()}/{response.id}"
    for field in getattr(request, "DESCRIPTOR", None).fields if request is not None else ():
        if field.name.endswith("_id") and getattr(request, field.name):
            return f"{field.name.removesuffix('_id')}/{getattr(request, field.name)}"
    if request is not None and "name" in request.DESCRIPTOR.fields_by_name and request.name:
        return f"{request.DESCRIPTOR.name.removesuffix('Request').lower()}/{request.name}"
    return ""


# Longest e-mail written as typed into the audit log for an anonymous call; longer ones are
# written as a digest, so no caller can make a permanent row of any size.
_AUDITED_EMAIL_LENGTH = 128


def _anonymous_caller(request) -> str:
    """Who an anonymous call (a sign-in) says it is, bounded for the audit log."""
    email = getattr(request, "email", "") if request is not None else ""
    if not email:
        return "anonymous"
    email = email.strip().lower()
    if len(email) <= _AUDITED_EMAIL_LENGTH and email.isprintable():
        return f"email:{email}"
    return f"email-sha256:{hashlib.sha256(email.encode()).hexdigest()}"


# What a call's metadata may hold in all: a token, trace context and a few headers fit many
# times over. gRPC's own default limit, kept, but refused as the caller's mistake.
MAX_METADATA_BYTES = 16 * 1024


def _check_metadata_size(size: int) -> None:
    if size > MAX_METADATA_BYTES:
        raise InvalidInput(
            f"the call's metadata holds {size} bytes, over the {MAX_METADATA_BYTES} allowed: "
            "send only `authorization` and the standard headers",
            reason="METADATA_TOO_LARGE",
            metadata={"limit": str(MAX_METADATA_BYTES)},
        )


def _trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else ""


class AuthInterceptor(grpc.ServerInterceptor):
    """Admits a call only with valid credentials and a role its RPC's policy allows, within
    the principal's rate limit; binds the principal for the servicer; audits state changes."""

    def __init__(
        self,
        identity: IdentityCore,
        limits: RateLimits,
        audit: AuditLog,
        directory: ProjectDirectory | None = None,
    ) -> None:
        self._identity = identity
        self._limits = limits
        self._audit = audit
        self._directory = directory

    def intercept_service(self, continuation, handler_call_details):
        method = handler_call_details.method
        policy = policy_for(method)
        received = handler_call_details.invocation_metadata or ()
        metadata = dict(received)
        size = sum(len(key) + len(value) for key, value in received)
        return wrap_behavior(
            continuation(handler_call_details),
            lambda behavior: self._wrap_unary(behavior, method, policy, metadata, size),
            lambda behavior: self._wrap_stream(behavior, method, policy, metadata, size),
        )

    def _admit(self, method: str, policy: MethodPolicy, metadata: dict[str, str], size, context):
        _check_metadata_size(size)
        if policy.public:
            # Only public calls are limited by client; asking gRPC for the peer costs time.
            client = self._identity.clients.client_of(metadata, context.peer())
            self._limits.check_sign_in("grpc", client)
            return None
        principal = self._identity.authenticate(metadata.get("authorization", ""))
        if not policy.allows(principal.role):
            raise PermissionDenied(
                f"role {principal.role.value} may not call {method.lstrip('/')}",
                reason="ROLE_NOT_ALLOWED",
                metadata={"role": principal.role.value, "method": method.lstrip("/")},
            )
        self._limits.check("grpc", principal.id, policy.expensive)
        return principal

    def _record(self, method, policy, principal: Principal | None, request, response, outcome):
        if not policy.mutates:
            return
        if principal is None:
            who, role = _anonymous_caller(request), ""
        else:
            who, role = principal.id, principal.role.value
        try:
            self._audit.append(
                principal=who,
                role=role,
                action=method.lstrip("/"),
                resource=_resource(request, response),
                outcome=outcome,
                trace_id=_trace_id(),
            )
        except Exception:  # the call's own outcome stands; a lost audit row is logged loudly
            log.exception("could not write the audit event of %s", method)

    def _wrap_unary(self, behavior, method, policy, metadata, size):
        def wrapped(request, context):
            principal = self._admit(method, policy, metadata, size, context)
            tokens = bind(principal, metadata.get("authorization", "")) if principal else None
            response, outcome = None, "INTERNAL"
            try:
                with serving(self._directory):
                    response = behavior(request, context)
                outcome = "OK"
                return response
            except SynthStudioError as error:
                outcome = canonical_code(error)
                raise
            finally:
                if tokens:
                    unbind(tokens)
                unary_request = request if hasattr(request, "DESCRIPTOR") else None
                self._record(method, policy, principal, unary_request, response, outcome)

        return wrapped

    def _wrap_stream(self, behavior, method, policy, metadata, size):
        def wrapped(request, context):
            principal = self._admit(method, policy, metadata, size, context)
            tokens = bind(principal, metadata.get("authorization", "")) if principal else None
            try:
                with serving(self._directory):
                    yield from behavior(request, context)
            finally:
                if tokens:
                    unbind(tokens)

        return wrapped


def credential_fingerprint(authorization: str) -> str:
    """A short, non-reversible key for per-credential limits before the credential is checked."""
    return hashlib.sha256(authorization.encode()).hexdigest()[:16]
