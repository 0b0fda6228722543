"""Protobuf's canonical JSON, the same text as `json_format.MessageToJson` writes, faster.

`json_format` decides how to print each field (its kind, its JSON name, whether it is a map)
again for every value of every message; here that decision is made once per field and kept,
which makes printing a reply about twice as fast. It was the largest single cost of a
REST call at the gateway (profiled under wrk). Any, wrappers and the other rare
well-known types are left to `json_format` itself; tests/unit/gateway/test_protojson.py checks
the two agree on every message of the contracts.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.internal import type_checkers
from google.protobuf.message import Message

_Convert = Callable[[Any], Any]
_fields: dict[FieldDescriptor, tuple[str, _Convert]] = {}
_messages: dict[Descriptor, Callable[[Message], Any]] = {}


def to_json(message: Message) -> str:
    """The message as compact canonical JSON text (camelCase names, defaults left out)."""
    return json.dumps(to_dict(message), ensure_ascii=False)


def to_dict(message: Message) -> Any:
    """The message as the JSON value `json_format.MessageToDict` returns."""
    return _message_printer(message.DESCRIPTOR)(message)


def _message_printer(descriptor: Descriptor) -> Callable[[Message], Any]:
    printer = _messages.get(descriptor)
    if printer is None:
        printer = _messages[descriptor] = _build_message_printer(descriptor)
    return printer


def _build_message_printer(descriptor: Descriptor) -> Callable[[Message], Any]:
    name = descriptor.full_name
    if name == "google.protobuf.Struct":
        return _struct
    if name == "google.protobuf.Value":
        return _value
    if name == "google.protobuf.ListValue":
        return _list_value
    if name in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
        return lambda message: message.ToJsonString()
    if name.startswith("google.protobuf.") or _printed_by_json_format(descriptor):
        return json_format.MessageToDict
    return _regular


def _regular(message: Message) -> dict[str, Any]:
    js = {}
    for field, value in message.ListFields():
        entry = _fields.get(field)
        if entry is None:
            entry = _fields[field] = _build_field(field)
        name, convert = entry
        js[name] = convert(value)
    return js


def _build_field(field: FieldDescriptor) -> tuple[str, _Convert]:
    name = f"[{field.full_name}]" if field.is_extension else field.json_name
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        return name, _map_converter(field.message_type.fields_by_name["value"])
    convert = _value_converter(field)
    if field.is_repeated:
        return name, lambda values: [convert(v) for v in values]
    return name, convert


def _map_converter(value_field: FieldDescriptor) -> _Convert:
    convert = _value_converter(value_field)

    def convert_map(entries) -> dict[str, Any]:
        return {_map_key(key): convert(entries[key]) for key in entries}

    return convert_map


def _map_key(key) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _value_converter(field: FieldDescriptor) -> _Convert:
    kind = field.cpp_type
    if kind == FieldDescriptor.CPPTYPE_MESSAGE:
        return _message_printer(field.message_type)
    if kind == FieldDescriptor.CPPTYPE_ENUM:
        return _enum_converter(field)
    if kind == FieldDescriptor.CPPTYPE_STRING:
        if field.type == FieldDescriptor.TYPE_BYTES:
            return lambda value: base64.b64encode(value).decode("utf-8")
        return str
    if kind in (FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64):
        return str
    if kind == FieldDescriptor.CPPTYPE_DOUBLE:
        return _double
    if kind == FieldDescriptor.CPPTYPE_FLOAT:
        return _float
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        return bool
    return _same


def _same(value):
    return value


def _enum_converter(field: FieldDescriptor) -> _Convert:
    if field.enum_type.full_name == "google.protobuf.NullValue":
        return lambda _value: None
    names = {number: value.name for number, value in field.enum_type.values_by_number.items()}
    return lambda value: names.get(value, value)


def _printed_by_json_format(descriptor: Descriptor) -> bool:
    """Messages whose enums print in ways kept to `json_format`: closed enums (an unknown
    number is an error) and enum values with their own JSON names."""
    return any(
        field.enum_type is not None
        and (
            field.enum_type.is_closed
            or any(value.GetOptions().ListFields() for value in field.enum_type.values)
        )
        for field in descriptor.fields
    )


def _non_finite(value: float) -> str | None:
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    if math.isnan(value):
        return "NaN"
    return None


def _double(value: float):
    if math.isfinite(value):
        return value
    return _non_finite(value)


def _float(value: float):
    if math.isfinite(value):
        return type_checkers.ToShortestFloat(value)
    return _non_finite(value)


def _struct(message: Message) -> dict[str, Any]:
    fields = message.fields
    return {key: _value(fields[key]) for key in fields}


def _list_value(message: Message) -> list[Any]:
    return [_value(item) for item in message.values]


def _value(message: Message) -> Any:
    which = message.WhichOneof("kind")
    if which == "string_value":
        return message.string_value
    if which == "number_value":
        number = message.number_value
        if not math.isfinite(number):
            raise ValueError(f"{number} in a google.protobuf.Value is not a JSON number")
        return number
    if which == "bool_value":
        return message.bool_value
    if which == "struct_value":
        return _struct(message.struct_value)
    if which == "list_value":
        return _list_value(message.list_value)
    return None
