"""Protobuf messages from plain Python values, with short enum names (`gdpr` for
`REGULATION_GDPR`), and back to JSON-able dicts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from google.protobuf import json_format, struct_pb2
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message

from synthstudio_sdk.errors import UsageError

M = TypeVar("M", bound=Message)


def enum_prefix(enum: EnumDescriptor) -> str:
    """`REGULATION_` for Regulation: the zero value's name without `UNSPECIFIED`."""
    return enum.values_by_number[0].name.removesuffix("UNSPECIFIED")


def enum_value_name(enum: EnumDescriptor, value: str) -> str:
    """The full value name for `gdpr`, `GDPR` or `REGULATION_GDPR`."""
    prefix = enum_prefix(enum)
    name = value.strip().upper().replace("-", "_")
    name = name if name.startswith(prefix) else f"{prefix}{name}"
    if name not in enum.values_by_name or name.endswith("_UNSPECIFIED"):
        known = ", ".join(v.name.removeprefix(prefix).lower() for v in enum.values if v.number != 0)
        raise UsageError(f"unknown {enum.name} {value!r}: use one of {known}")
    return name


def enum_short_names(enum: EnumDescriptor) -> list[str]:
    prefix = enum_prefix(enum)
    return [v.name.removeprefix(prefix).lower() for v in enum.values if v.number != 0]


def _normalise(descriptor: Descriptor, values: Mapping[str, Any], path: str) -> dict[str, Any]:
    if descriptor.full_name == "google.protobuf.Struct":
        return dict(values)
    normalised: dict[str, Any] = {}
    for raw_key, value in values.items():
        key = raw_key.replace("-", "_")
        field = descriptor.fields_by_name.get(key)
        if field is None:
            known = ", ".join(f.name for f in descriptor.fields)
            raise UsageError(f"{path}{raw_key}: no such field (fields: {known})")
        normalised[key] = _normalise_value(field, value, f"{path}{key}")
    return normalised


def _normalise_value(field: FieldDescriptor, value: Any, path: str) -> Any:
    repeated = field.is_repeated
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        value_field = field.message_type.fields_by_name["value"]
        return {k: _normalise_value(value_field, v, f"{path}.{k}") for k, v in value.items()}
    if repeated and isinstance(value, list | tuple):
        return [_normalise_single(field, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if repeated:
        return [_normalise_single(field, value, path)]
    return _normalise_single(field, value, path)


def _normalise_single(field: FieldDescriptor, value: Any, path: str) -> Any:
    if field.enum_type is not None and isinstance(value, str):
        return enum_value_name(field.enum_type, value)
    if field.message_type is not None and isinstance(value, Mapping):
        return _normalise(field.message_type, value, f"{path}.")
    return value


def message_from(message_class: type[M], values: Mapping[str, Any], what: str = "") -> M:
    """`message_class` filled from `values` (proto field names or kebab-case; short enum
    names); UsageError naming the field when a value does not fit."""
    normalised = _normalise(message_class.DESCRIPTOR, values, f"{what}." if what else "")
    try:
        return json_format.ParseDict(normalised, message_class())
    except json_format.ParseError as exc:
        raise UsageError(f"{what or message_class.DESCRIPTOR.name}: {exc}") from None


_INT64_TYPES = frozenset(
    {
        FieldDescriptor.TYPE_INT64,
        FieldDescriptor.TYPE_UINT64,
        FieldDescriptor.TYPE_SINT64,
        FieldDescriptor.TYPE_FIXED64,
        FieldDescriptor.TYPE_SFIXED64,
    }
)
_STRUCT_TYPES = frozenset(
    {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"}
)


def whole_numbers(value: Any) -> Any:
    """Struct numbers are doubles: whole ones (row counts) back to int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def _numbers(descriptor: Descriptor, data: dict[str, Any]) -> dict[str, Any]:
    for key, value in data.items():
        field = descriptor.fields_by_name.get(key)
        if field is not None:
            data[key] = _field_numbers(field, value)
    return data


def _field_numbers(field: FieldDescriptor, value: Any) -> Any:
    message = field.message_type
    if message is not None and message.GetOptions().map_entry:
        value_field = message.fields_by_name["value"]
        return {k: _single_numbers(value_field, v) for k, v in value.items()}
    if field.is_repeated and isinstance(value, list):
        return [_single_numbers(field, item) for item in value]
    return _single_numbers(field, value)


def _single_numbers(field: FieldDescriptor, value: Any) -> Any:
    if field.type in _INT64_TYPES and isinstance(value, str):
        return int(value)
    message = field.message_type
    if message is not None and message.full_name in _STRUCT_TYPES:
        return whole_numbers(value)
    if message is not None and isinstance(value, dict):
        return _numbers(message, value)
    return value


def to_dict(message: Message) -> dict[str, Any]:
    """A message as JSON-able data with proto field names (what `--json` prints); 64-bit
    integers as numbers (not the JSON mapping's strings), whole Struct numbers as ints."""
    data = json_format.MessageToDict(message, preserving_proto_field_name=True)
    if message.DESCRIPTOR.full_name in _STRUCT_TYPES:
        return whole_numbers(data)
    return _numbers(message.DESCRIPTOR, data)


def value_from(python: Any) -> struct_pb2.Value:
    """A google.protobuf.Value for a JSON scalar."""
    value = struct_pb2.Value()
    if python is None:
        value.null_value = struct_pb2.NULL_VALUE
    elif isinstance(python, bool):
        value.bool_value = python
    elif isinstance(python, int | float):
        value.number_value = float(python)
    elif isinstance(python, str):
        value.string_value = python
    else:
        raise UsageError(f"a condition value must be a string, number or boolean, not {python!r}")
    return value
