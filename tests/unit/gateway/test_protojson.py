"""The gateway's JSON printer writes exactly what protobuf's `json_format` writes, for every
message of the contracts filled with random values, edge cases included."""

from __future__ import annotations

import importlib
import json
import math
import pkgutil
import random

import pytest
from google.protobuf import json_format, message_factory, struct_pb2
from google.protobuf.descriptor import FieldDescriptor

import synthstudio
from synthstudio_gateway import protojson

_SPECIAL_DOUBLES = [0.0, -0.0, 1e-300, 1e300, math.inf, -math.inf, math.nan, 0.1, -2.5]
_STRINGS = ["", "plain", "ünïcödé ✓", 'quote " and \\ slash', "line\nbreak", "\u0000nul"]


def _contract_messages():
    found = {}
    for module_info in pkgutil.walk_packages(synthstudio.__path__, "synthstudio."):
        if not module_info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(module_info.name)
        for descriptor in module.DESCRIPTOR.message_types_by_name.values():
            found[descriptor.full_name] = descriptor
    return [found[name] for name in sorted(found)]


MESSAGES = _contract_messages()


def _json_value(rng: random.Random, depth: int):
    kinds = ["null", "number", "string", "bool"] + (["struct", "list"] if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "number":
        return rng.choice([0, 1, -7, 2.5, 1e20, 123456789])
    if kind == "string":
        return rng.choice(_STRINGS)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "struct":
        return {f"k{i}": _json_value(rng, depth + 1) for i in range(rng.randint(0, 3))}
    if kind == "list":
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return None


def _scalar(rng: random.Random, field: FieldDescriptor):
    kind = field.cpp_type
    if kind == FieldDescriptor.CPPTYPE_STRING:
        if field.type == FieldDescriptor.TYPE_BYTES:
            return rng.randbytes(rng.randint(0, 9))
        return rng.choice(_STRINGS)
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        return rng.random() < 0.5
    if kind == FieldDescriptor.CPPTYPE_ENUM:
        numbers = [value.number for value in field.enum_type.values]
        return rng.choice([*numbers, max(numbers) + 17])  # open enums keep unknown numbers
    if kind in (FieldDescriptor.CPPTYPE_DOUBLE, FieldDescriptor.CPPTYPE_FLOAT):
        return rng.choice(_SPECIAL_DOUBLES + [rng.uniform(-1e6, 1e6)])
    if kind == FieldDescriptor.CPPTYPE_INT64:
        return rng.choice([0, -1, 2**62, -(2**63)])
    if kind == FieldDescriptor.CPPTYPE_UINT64:
        return rng.choice([0, 2**64 - 1])
    if kind == FieldDescriptor.CPPTYPE_INT32:
        return rng.choice([0, -5, 2**31 - 1])
    return rng.choice([0, 7, 2**32 - 1])


def _fill(message, rng: random.Random, depth: int = 0) -> None:
    name = message.DESCRIPTOR.full_name
    if name == "google.protobuf.Struct":
        message.update({f"f{i}": _json_value(rng, 1) for i in range(rng.randint(0, 3))})
        return
    if name == "google.protobuf.Value":
        message.MergeFrom(struct_pb2.Value())
        json_format.ParseDict(_json_value(rng, 1), message)
        return
    if name == "google.protobuf.Timestamp":
        message.FromSeconds(rng.randint(0, 4_000_000_000))
        message.nanos = rng.choice([0, 5_000_000, 123_456_789])
        return
    if name == "google.protobuf.Any":
        packed = struct_pb2.Struct()
        _fill(packed, rng, depth + 1)
        message.Pack(packed)
        return
    if name == "google.protobuf.Duration":
        message.FromMilliseconds(rng.randint(-(10**6), 10**6))
        return
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and rng.random() < 0.5:
            continue
        _fill_field(message, field, rng, depth)


def _fill_field(message, field: FieldDescriptor, rng: random.Random, depth: int) -> None:
    is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
    if is_map:
        value_field = field.message_type.fields_by_name["value"]
        target = getattr(message, field.name)
        for i in range(rng.randint(0, 3)):
            if value_field.cpp_type == FieldDescriptor.CPPTYPE_MESSAGE:
                if depth < 3:
                    _fill(target[f"key{i}"], rng, depth + 1)
            else:
                target[f"key{i}"] = _scalar(rng, value_field)
        return
    if field.cpp_type == FieldDescriptor.CPPTYPE_MESSAGE:
        if depth >= 3:
            return
        if field.is_repeated:
            for _ in range(rng.randint(0, 2)):
                _fill(getattr(message, field.name).add(), rng, depth + 1)
        elif rng.random() < 0.8:
            _fill(getattr(message, field.name), rng, depth + 1)
            getattr(message, field.name).SetInParent()
        return
    if field.is_repeated:
        getattr(message, field.name).extend(_scalar(rng, field) for _ in range(rng.randint(0, 3)))
    elif rng.random() < 0.8:
        setattr(message, field.name, _scalar(rng, field))


def test_the_contracts_have_messages_to_check():
    names = {descriptor.full_name for descriptor in MESSAGES}
    assert "synthstudio.synthesis.v1.Dataset" in names
    assert len(names) > 100


@pytest.mark.parametrize("descriptor", MESSAGES, ids=lambda d: d.full_name)
def test_prints_the_same_text_as_json_format(descriptor):
    message_class = message_factory.GetMessageClass(descriptor)
    rng = random.Random(descriptor.full_name)
    for _ in range(12):
        message = message_class()
        _fill(message, rng)
        expected = json_format.MessageToJson(message, indent=None, ensure_ascii=False)
        assert protojson.to_json(message) == expected
        assert protojson.to_dict(message) == json.loads(expected)


def test_an_empty_message_is_an_empty_object():
    assert protojson.to_json(struct_pb2.Struct()) == "{}"


def test_a_number_json_cannot_hold_is_refused_like_json_format():
    value = struct_pb2.Struct()
    value.update({"x": math.nan})
    with pytest.raises(ValueError):
        json_format.MessageToJson(value)
    with pytest.raises(ValueError, match="not a JSON number"):
        protojson.to_json(value)
