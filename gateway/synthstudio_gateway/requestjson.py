"""A request's JSON held to the types the OpenAPI document declares, before protobuf's parser.

`json_format.ParseDict` is lenient in ways the document is not: Python's `bool` is an `int`, so
`true` passes for an enum (value 1) or a float (1.0); an enum takes a non-integral number, a
number in a string or a number no value has; an int32 or a float takes a string; bytes take any
text. Here each field's JSON type is checked against what the document says (see
`openapi._SCALARS`), once a field's check is built it is kept, and a refusal names the field.
What is left to `ParseDict` (unknown fields, ranges, timestamp and duration syntax) it refuses
itself. A query string carries text only: `query_fields` turns it into the same JSON values.

Types as declared: an enum is a value's name or number; a 64-bit integer a JSON integer or a
string of digits (proto3 JSON prints it as a string, its parsers take both); other integers,
floats and booleans JSON numbers and booleans; bytes base64 text; Timestamp, Duration and
FieldMask strings; Struct an object, ListValue an array, Value anything; a wrapper its value;
null any field's default.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

INTEGER_TEXT = "^-?[0-9]+$"
UNSIGNED_TEXT = "^[0-9]+$"
_B64 = "[A-Za-z0-9+/_-]"
# Standard or URL-safe base64, padding optional; a last group of one character is no bytes.
BASE64_TEXT = f"^(?:{_B64}{{4}})*(?:{_B64}{{2}}(?:==)?|{_B64}{{3}}=?)?$"
_INTEGER = re.compile(INTEGER_TEXT)
_UNSIGNED = re.compile(UNSIGNED_TEXT)
_BASE64 = re.compile(BASE64_TEXT)
_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")

_INT64_TYPES = (FieldDescriptor.CPPTYPE_INT64, FieldDescriptor.CPPTYPE_UINT64)
_INT32_TYPES = (FieldDescriptor.CPPTYPE_INT32, FieldDescriptor.CPPTYPE_UINT32)
_FLOAT_TYPES = (FieldDescriptor.CPPTYPE_DOUBLE, FieldDescriptor.CPPTYPE_FLOAT)
WRAPPERS = frozenset(
    f"google.protobuf.{name}Value"
    for name in ("Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes")
)
_STRING_MESSAGES = frozenset(
    ("google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask")
)

_Check = Callable[[Any, str], None]
_field_checks: dict[FieldDescriptor, _Check] = {}
_message_checks: dict[Descriptor, _Check] = {}
_json_names: dict[Descriptor, dict[str, FieldDescriptor]] = {}


class RequestFieldError(ValueError):
    """A field's JSON value is not of the type the document declares for it."""

    def __init__(self, field: str, expected: str, value: Any) -> None:
        self.field = field
        self.description = f"must be {expected}, not {_describe(value)}"
        super().__init__(f"field '{field}' {self.description}")


def check_body(body: dict, message: Descriptor) -> None:
    """Refuses a JSON body some field of which has a value of the wrong JSON type."""
    _message_check(message)(body, "")


def query_fields(params: dict[str, list[str]], message: Descriptor) -> dict[str, Any]:
    """A query string's parameters as the JSON values a body would carry; a parameter that is
    no field is passed on as it is (the parser refuses it)."""
    fields: dict[str, Any] = {}
    for key, texts in params.items():
        field = _field_named(message, key)
        if field is None or field.cpp_type == FieldDescriptor.CPPTYPE_MESSAGE:
            fields[key] = texts if len(texts) > 1 else texts[0]
        elif field.is_repeated:
            fields[key] = [_query_value(field, text, key) for text in texts]
        elif len(texts) > 1:
            raise RequestFieldError(key, "given once", texts)
        else:
            fields[key] = _query_value(field, texts[0], key)
    return fields


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _field_named(message: Descriptor, key: str) -> FieldDescriptor | None:
    """A field by its JSON name or, as protobuf's parser also allows, its proto name."""
    by_json_name = _json_names.get(message)
    if by_json_name is None:
        by_json_name = _json_names[message] = {f.json_name: f for f in message.fields}
    return by_json_name.get(key) or message.fields_by_name.get(key)


def _field_check(field: FieldDescriptor) -> _Check:
    check = _field_checks.get(field)
    if check is None:
        check = _field_checks[field] = _build_field_check(field)
    return check


def _build_field_check(field: FieldDescriptor) -> _Check:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        return _map_check(field.message_type)
    single = _single_check(field)
    if not field.is_repeated:
        return single
    takes_null = _takes_null(field)

    def check_list(value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise RequestFieldError(path, "an array", value)
        for index, item in enumerate(value):
            if item is not None or not takes_null:
                single(item, f"{path}[{index}]")

    return check_list


def _takes_null(field: FieldDescriptor) -> bool:
    return field.message_type is not None and field.message_type.full_name == (
        "google.protobuf.Value"
    )


def _map_check(entry: Descriptor) -> _Check:
    key_field, value_field = entry.fields_by_name["key"], entry.fields_by_name["value"]
    check_key = _map_key_check(key_field)
    check_value = _single_check(value_field)
    takes_null = _takes_null(value_field)

    def check_map(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise RequestFieldError(path, "an object", value)
        for key, item in value.items():
            check_key(key, path)
            if item is not None or not takes_null:
                check_value(item, f"{path}[{key!r}]")

    return check_map


def _map_key_check(key_field: FieldDescriptor) -> _Check:
    kind = key_field.cpp_type
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        return _text_check(re.compile("^(true|false)$"), "true or false")
    if kind in _INT64_TYPES or kind in _INT32_TYPES:
        unsigned = kind in (FieldDescriptor.CPPTYPE_UINT64, FieldDescriptor.CPPTYPE_UINT32)
        return _text_check(_UNSIGNED if unsigned else _INTEGER, "an integer")
    return _ignore


def _text_check(pattern: re.Pattern, expected: str) -> _Check:
    def check_key(key: str, path: str) -> None:
        if not pattern.match(key):
            raise RequestFieldError(path, f"keyed by {expected}", key)

    return check_key


def _ignore(_value: Any, _path: str) -> None:
    return None


def _single_check(field: FieldDescriptor) -> _Check:
    kind = field.cpp_type
    if field.message_type is not None:
        return _message_check(field.message_type)
    if field.enum_type is not None:
        return _enum_check(field.enum_type)
    if kind in _INT64_TYPES:
        return _int64_check(kind == FieldDescriptor.CPPTYPE_UINT64)
    if kind in _INT32_TYPES:
        return _typed(_is_integer, "an integer")
    if kind in _FLOAT_TYPES:
        return _typed(_is_number, "a number")
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        return _typed(lambda value: isinstance(value, bool), "true or false")
    if field.type == FieldDescriptor.TYPE_BYTES:
        return _typed(lambda value: isinstance(value, str) and bool(_BASE64.match(value)), "base64")
    return _typed(lambda value: isinstance(value, str), "a string")


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _typed(accepts: Callable[[Any], bool], expected: str) -> _Check:
    def check(value: Any, path: str) -> None:
        if not accepts(value):
            raise RequestFieldError(path, expected, value)

    return check


def _int64_check(unsigned: bool) -> _Check:
    digits = _UNSIGNED if unsigned else _INTEGER
    return _typed(
        lambda value: _is_integer(value) or (isinstance(value, str) and bool(digits.match(value))),
        "an integer or a string of digits",
    )


def _enum_check(enum: EnumDescriptor) -> _Check:
    names, numbers = set(enum.values_by_name), set(enum.values_by_number)
    expected = f"one of the names or numbers of {enum.name}"

    def check(value: Any, path: str) -> None:
        if isinstance(value, str) and value in names:
            return
        if _is_integer(value) and int(value) in numbers:
            return
        raise RequestFieldError(path, expected, value)

    return check


def _message_check(message: Descriptor) -> _Check:
    check = _message_checks.get(message)
    if check is None:
        check = _message_checks[message] = _build_message_check(message)
    return check


def _build_message_check(message: Descriptor) -> _Check:
    name = message.full_name
    if name in WRAPPERS:
        return _single_check(message.fields_by_name["value"])
    if name in _STRING_MESSAGES:
        return _typed(lambda value: isinstance(value, str), "a string")
    if name == "google.protobuf.Value":
        return _ignore
    if name == "google.protobuf.ListValue":
        return _typed(lambda value: isinstance(value, list), "an array")
    if name in ("google.protobuf.Struct", "google.protobuf.Any", "google.protobuf.Empty"):
        return _typed(lambda value: isinstance(value, dict), "an object")

    def check_message(value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise RequestFieldError(path or "the body", "an object", value)
        for key, item in value.items():
            field = _field_named(message, key)
            if field is not None and item is not None:
                _field_check(field)(item, f"{path}.{key}" if path else key)

    return check_message


def _query_value(field: FieldDescriptor, text: str, key: str) -> Any:
    """One query parameter's text as its field's JSON value."""
    kind = field.cpp_type
    if kind == FieldDescriptor.CPPTYPE_BOOL:
        if text not in ("true", "false"):
            raise RequestFieldError(key, "true or false", text)
        return text == "true"
    if kind in _INT32_TYPES:
        if not _INTEGER.match(text):
            raise RequestFieldError(key, "an integer", text)
        value = int(text)
    elif kind == FieldDescriptor.CPPTYPE_ENUM and _INTEGER.match(text):
        value = int(text)  # an enum value by number
    elif kind in _FLOAT_TYPES:
        if not _NUMBER.match(text):
            raise RequestFieldError(key, "a number", text)
        value = float(text)
    else:
        value = text
    _single_check(field)(value, key)
    return value
