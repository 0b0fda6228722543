"""The OpenAPI document, generated from the same descriptors the routes come from."""

from __future__ import annotations

from google.protobuf import descriptor

from synthstudio_gateway.bytestreams import BYTE_STREAM_METHODS, UPLOAD
from synthstudio_gateway.requestjson import BASE64_TEXT, INTEGER_TEXT, UNSIGNED_TEXT, WRAPPERS
from synthstudio_gateway.routes import Route

FieldDescriptor = descriptor.FieldDescriptor

_INT32 = {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}
_UINT32 = {"type": "integer", "format": "uint32", "minimum": 0, "maximum": 2**32 - 1}
# Proto3 JSON prints a 64-bit integer as a string of digits; its parsers (and the gateway)
# take that string or a JSON integer.
_INT64 = {
    "type": ["string", "integer"],
    "format": "int64",
    "pattern": INTEGER_TEXT,
    "minimum": -(2**63),
    "maximum": 2**63 - 1,
}
_UINT64 = {
    "type": ["string", "integer"],
    "format": "uint64",
    "pattern": UNSIGNED_TEXT,
    "minimum": 0,
    "maximum": 2**64 - 1,
}
_FLOAT_MAX = 3.4028234663852886e38
_SCALARS = {
    FieldDescriptor.TYPE_DOUBLE: {"type": "number", "format": "double"},
    FieldDescriptor.TYPE_FLOAT: {
        "type": "number",
        "format": "float",
        "minimum": -_FLOAT_MAX,
        "maximum": _FLOAT_MAX,
    },
    FieldDescriptor.TYPE_INT64: _INT64,
    FieldDescriptor.TYPE_UINT64: _UINT64,
    FieldDescriptor.TYPE_SINT64: _INT64,
    FieldDescriptor.TYPE_FIXED64: _UINT64,
    FieldDescriptor.TYPE_SFIXED64: _INT64,
    FieldDescriptor.TYPE_INT32: _INT32,
    FieldDescriptor.TYPE_UINT32: _UINT32,
    FieldDescriptor.TYPE_SINT32: _INT32,
    FieldDescriptor.TYPE_FIXED32: _UINT32,
    FieldDescriptor.TYPE_SFIXED32: _INT32,
    FieldDescriptor.TYPE_BOOL: {"type": "boolean"},
    FieldDescriptor.TYPE_STRING: {"type": "string"},
    FieldDescriptor.TYPE_BYTES: {"type": "string", "format": "byte", "pattern": BASE64_TEXT},
}

# Well-known types have their own canonical JSON forms; a wrapper's is its value's.
_WELL_KNOWN = {
    "google.protobuf.Timestamp": {
        "type": "string",
        "format": "date-time",
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
        r"(Z|[+-][0-9]{2}:[0-9]{2})$",
    },
    "google.protobuf.Duration": {
        "type": "string",
        "pattern": r"^-?[0-9]+(\.[0-9]{1,9})?s$",
        "example": "1.5s",
    },
    "google.protobuf.FieldMask": {"type": "string", "example": "displayName,description"},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.Empty": {"type": "object", "additionalProperties": False},
    "google.protobuf.Any": {"type": "object", "additionalProperties": True},
}


def _well_known(message: descriptor.Descriptor) -> dict | None:
    if message.full_name in WRAPPERS:
        return dict(_SCALARS[message.fields_by_name["value"].type])
    known = _WELL_KNOWN.get(message.full_name)
    return None if known is None else dict(known)


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details, with the gRPC status and its error details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "gRPC status name, e.g. INVALID_ARGUMENT"},
        "reason": {"type": "string", "description": "ErrorInfo reason, e.g. EMPTY_TABLE"},
        "domain": {"type": "string"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "description": {"type": "string"}},
            },
        },
    },
}


class _SchemaBuilder:
    def __init__(self) -> None:
        self.components: dict[str, dict] = {}

    def message(self, message: descriptor.Descriptor) -> dict:
        known = _well_known(message)
        if known is not None:
            return known
        if message.full_name not in self.components:
            self.components[message.full_name] = {}  # placeholder: breaks recursion
            # The gateway refuses fields a message does not have (400), so the schema does too.
            self.components[message.full_name] = {
                "type": "object",
                "properties": {f.json_name: _nullable(self.field(f)) for f in message.fields},
                "additionalProperties": False,
            }
        return {"$ref": f"#/components/schemas/{message.full_name}"}

    def field(self, field: descriptor.FieldDescriptor) -> dict:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            value = field.message_type.fields_by_name["value"]
            return {"type": "object", "additionalProperties": self.single(value)}
        schema = self.single(field)
        if field.is_repeated:
            return {"type": "array", "items": schema}
        return schema

    def single(self, field: descriptor.FieldDescriptor) -> dict:
        if field.type == FieldDescriptor.TYPE_MESSAGE:
            return self.message(field.message_type)
        if field.type == FieldDescriptor.TYPE_ENUM:
            # Canonical JSON takes an enum by name or by number.
            values = field.enum_type.values
            return {"enum": [v.name for v in values] + [v.number for v in values]}
        return dict(_SCALARS[field.type])


def _nullable(schema: dict) -> dict:
    """A body field's schema that also takes null, which canonical JSON reads as the field's
    default."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return schema


def _operation(route: Route, builder: _SchemaBuilder) -> dict:
    path_fields = set(route.path_fields)
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in route.path_fields
    ]
    if not route.body:
        for field in route.method.input_type.fields:
            if field.name in path_fields or field.type == FieldDescriptor.TYPE_MESSAGE:
                continue
            parameters.append(
                {"name": field.json_name, "in": "query", "schema": _query_schema(builder, field)}
            )
    response_schema = builder.message(route.method.output_type)
    media = "application/x-ndjson" if route.streaming else "application/json"
    policy = route.policy
    roles = ", ".join(["ADMIN", *sorted(r.value for r in policy.roles)]) if policy.roles else "any"
    operation = {
        "operationId": route.method.name,
        "tags": [route.method.containing_service.name],
        "summary": route.method.name,
        "description": "No credentials needed." if policy.public else f"Roles: {roles}.",
        "security": [] if policy.public else [{"bearerAuth": []}],
        "parameters": parameters,
        "responses": {
            "200": {"description": "OK", "content": {media: {"schema": response_schema}}},
            "default": {
                "description": "An error, as problem JSON",
                "content": {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            },
        },
    }
    if route.body:
        # No body is the empty message, as in gRPC: the service says which fields it needs.
        operation["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": builder.message(route.method.input_type)}},
        }
    return operation


def _query_schema(builder: _SchemaBuilder, field: descriptor.FieldDescriptor) -> dict:
    """A query parameter's schema: a query string names an enum value by name or number."""
    if field.type != FieldDescriptor.TYPE_ENUM:
        return builder.field(field)
    values = field.enum_type.values
    single = {"type": "string", "enum": [v.name for v in values] + [str(v.number) for v in values]}
    return {"type": "array", "items": single} if field.is_repeated else single


_BYTES = {"type": "string", "format": "binary"}
_FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "schema": {"type": "string", "enum": ["csv", "parquet"]},
}


def _byte_operation(route: Route, builder: _SchemaBuilder) -> dict:
    """Upload and download carry the table's own bytes, not JSON."""
    operation = _operation(route, builder)
    if route.method.full_name == UPLOAD:
        operation["parameters"] = [
            {**_FORMAT_PARAMETER, "description": "Encoding of the body (default csv)."},
            {"name": "displayName", "in": "query", "schema": {"type": "string"}},
            {"name": "table", "in": "query", "schema": {"type": "string"}},
            {"name": "derivedFrom", "in": "query", "schema": {"type": "string"}},
        ]
        operation["requestBody"] = {
            "required": True,
            "content": {
                "text/csv": {"schema": _BYTES},
                "application/octet-stream": {"schema": _BYTES},
            },
        }
    else:
        operation["parameters"] = [
            *operation["parameters"][:1],
            {**_FORMAT_PARAMETER, "description": "Encoding of the file (default parquet)."},
            {
                "name": "table",
                "in": "query",
                "schema": {"type": "string"},
                "description": "Which table (default: the first).",
            },
        ]
        operation["responses"]["200"] = {
            "description": "The table's file",
            "content": {
                "text/csv": {"schema": _BYTES},
                "application/vnd.apache.parquet": {"schema": _BYTES},
            },
        }
    return operation


def build_openapi(routes: list[Route], extra_paths: dict | None = None) -> dict:
    builder = _SchemaBuilder()
    paths: dict[str, dict] = {}
    for route in routes:
        build = _byte_operation if route.method.full_name in BYTE_STREAM_METHODS else _operation
        paths.setdefault(route.template, {})[route.verb.lower()] = build(route, builder)
    paths.update(extra_paths or {})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Synth Studio API",
            "version": "v1",
            "description": "Synthetic data with measured fidelity, utility and privacy. "
            "Generated from the gRPC contracts in protos/.",
        },
        "paths": paths,
        "components": {
            "schemas": {**builder.components, "Problem": PROBLEM_SCHEMA},
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An access token from POST /v1/auth/login, or an API key.",
                }
            },
        },
        "security": [{"bearerAuth": []}],
    }
