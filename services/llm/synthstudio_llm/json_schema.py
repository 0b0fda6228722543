"""A small JSON Schema validator for the subset the feature output schemas use.

Supported keywords: `type` (one or a list), `properties`, `required`, `additionalProperties`
(boolean or schema), `items`, `enum`, `minItems`, `maxItems`, `minLength`, `minimum`, `maximum`.
Why not the `jsonschema` package: the LLM service stays a light package, and this subset is all
the output schemas need (they are also the subset Gemini's structured output accepts).
"""

from __future__ import annotations

from typing import Any

_TYPE_CHECKS = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
}


def validate(instance: Any, schema: dict[str, Any]) -> list[str]:
    """Every way `instance` breaks `schema`, as "path: problem" lines; empty when it conforms."""
    errors: list[str] = []
    _check(instance, schema, "$", errors)
    return errors


def _check(value: Any, schema: dict[str, Any], path: str, errors: list[str]) -> None:
    expected = schema.get("type")
    if expected is not None:
        allowed = [expected] if isinstance(expected, str) else list(expected)
        if not any(_TYPE_CHECKS[name](value) for name in allowed):
            errors.append(f"{path}: expected {' or '.join(allowed)}, got {_json_type(value)}")
            return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        _check_object(value, schema, path, errors)
    elif isinstance(value, list):
        _check_array(value, schema, path, errors)
    elif isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: shorter than {schema['minLength']} characters")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_bounds(value, schema, path, errors)


def _check_object(value: dict, schema: dict[str, Any], path: str, errors: list[str]) -> None:
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            errors.append(f"{path}: missing required property '{name}'")
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            _check(item, properties[name], f"{path}.{name}", errors)
        elif extra is False:
            errors.append(f"{path}: unexpected property '{name}'")
        elif isinstance(extra, dict):
            _check(item, extra, f"{path}.{name}", errors)


def _check_array(value: list, schema: dict[str, Any], path: str, errors: list[str]) -> None:
    if len(value) < schema.get("minItems", 0):
        errors.append(f"{path}: fewer than {schema['minItems']} items")
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(f"{path}: more than {schema['maxItems']} items")
    if "items" in schema:
        for index, item in enumerate(value):
            _check(item, schema["items"], f"{path}[{index}]", errors)


def _check_bounds(value: float, schema: dict[str, Any], path: str, errors: list[str]) -> None:
    if "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value} is below the minimum {schema['minimum']}")
    if "maximum" in schema and value > schema["maximum"]:
        errors.append(f"{path}: {value} is above the maximum {schema['maximum']}")


def _json_type(value: Any) -> str:
    return next((name for name, check in _TYPE_CHECKS.items() if check(value)), "unknown")
