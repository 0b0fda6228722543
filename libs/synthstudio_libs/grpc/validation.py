"""Checks every request a service receives before any servicer sees it, so that what protobuf
lets through but no servicer can use is a clear INVALID_ARGUMENT rather than a failure deep
inside: bytes that are not the request message, enum numbers the proto does not define (proto3
enums are open: `{"kind": 99}` parses), and names that are huge or hold control characters."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import grpc
from google.protobuf import descriptor
from google.protobuf.message import DecodeError

from synthstudio_libs.errors import FieldViolation, InvalidInput
from synthstudio_libs.grpc.binding import wrap_behavior

# Names people give things (datasets, tables, keys, recognizers): a line of text.
MAX_NAME_LENGTH = 256
_NAME_FIELDS = frozenset({"name", "display_name"})
_FieldDescriptor = descriptor.FieldDescriptor


class _Undecodable:
    """Stands in for a request whose bytes did not parse; refused once a behaviour runs."""

    def __init__(self, type_name: str, problem: str) -> None:
        self.type_name = type_name
        self.problem = problem

    def refuse(self) -> InvalidInput:
        return InvalidInput(
            f"the request is not a valid {self.type_name} message ({self.problem}): send the "
            "message the method takes, serialized as protobuf",
            reason="MALFORMED_REQUEST",
        )


def _tolerant(deserialize: Callable[[bytes], object] | None):
    if deserialize is None:
        return None
    type_name = getattr(getattr(deserialize, "__self__", None), "__name__", "request")

    def parse(data: bytes):
        try:
            return deserialize(data)
        except DecodeError as error:
            return _Undecodable(type_name, str(error) or "it does not parse")

    return parse


def check_request(message) -> None:
    """Raises InvalidInput naming every field of `message` that no servicer could use."""
    if isinstance(message, _Undecodable):
        raise message.refuse()
    violations = list(_violations(message, ""))
    if violations:
        raise InvalidInput(
            "; ".join(f"{v.field}: {v.description}" for v in violations),
            violations=violations,
        )


def _violations(message, prefix: str) -> Iterator[FieldViolation]:
    for field, value in message.ListFields():
        path = f"{prefix}{field.name}"
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            for key, item in value.items():
                yield from _check_value(value_field, item, f"{path}[{key!r}]")
        elif field.is_repeated:
            for index, item in enumerate(value):
                yield from _check_value(field, item, f"{path}[{index}]")
        else:
            yield from _check_value(field, value, path)


def _check_value(field, value, path: str) -> Iterator[FieldViolation]:
    if field.type == _FieldDescriptor.TYPE_ENUM:
        if value not in field.enum_type.values_by_number:
            names = ", ".join(v.name for v in field.enum_type.values)
            yield FieldViolation(path, f"{value} is not a {field.enum_type.name}: use {names}")
    elif field.type == _FieldDescriptor.TYPE_MESSAGE:
        # Well-known types (Struct, Timestamp, ...) hold free-form data, checked by their users.
        if not field.message_type.full_name.startswith("google.protobuf."):
            yield from _violations(value, f"{path}.")
    elif field.type == _FieldDescriptor.TYPE_STRING and field.name in _NAME_FIELDS:
        if len(value) > MAX_NAME_LENGTH:
            yield FieldViolation(path, f"must have at most {MAX_NAME_LENGTH} characters")
        elif not value.isprintable():
            yield FieldViolation(path, "must not hold control characters (tabs, new lines, NUL)")


def _checked_stream(requests: Iterator) -> Iterator:
    for request in requests:
        check_request(request)
        yield request


class RequestValidation(grpc.ServerInterceptor):
    """Parses requests without failing (a parse failure becomes INVALID_ARGUMENT, not gRPC's
    INTERNAL) and checks each message before the servicer runs. Sits inside the error
    interceptor, which maps what it raises, and inside auth, so strangers learn nothing."""

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        handler = handler._replace(request_deserializer=_tolerant(handler.request_deserializer))
        streaming_request = handler.request_streaming
        return wrap_behavior(
            handler,
            lambda behavior: self._unary(behavior, streaming_request),
            lambda behavior: self._stream(behavior, streaming_request),
        )

    @staticmethod
    def _unary(behavior, streaming_request: bool):
        def checked(request, context):
            if streaming_request:
                return behavior(_checked_stream(request), context)
            check_request(request)
            return behavior(request, context)

        return checked

    @staticmethod
    def _stream(behavior, streaming_request: bool):
        def checked(request, context):
            if streaming_request:
                yield from behavior(_checked_stream(request), context)
                return
            check_request(request)
            yield from behavior(request, context)

        return checked
