"""Conversions between domain values and protobuf well-known types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format, struct_pb2, timestamp_pb2


def timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def to_datetime(value: timestamp_pb2.Timestamp, present: bool = True) -> datetime | None:
    """The timestamp as an aware UTC datetime; None when the field was not set."""
    return value.ToDatetime(tzinfo=UTC) if present else None


def struct(value: dict[str, Any] | None) -> struct_pb2.Struct | None:
    if value is None:
        return None
    message = struct_pb2.Struct()
    message.update(value)
    return message


def struct_to_dict(value: struct_pb2.Struct) -> dict[str, Any]:
    """The Struct as plain JSON values. Struct keeps every number as a double, so whole
    numbers come back as ints (`decimal_places: 0`, not `0.0`)."""
    return _whole_numbers_as_ints(json_format.MessageToDict(value))


def _whole_numbers_as_ints(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers_as_ints(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers_as_ints(item) for item in value]
    return value
