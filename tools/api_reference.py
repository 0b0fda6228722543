"""Prints docs/api-reference.md: every service, RPC, REST route and message, from the protos'
descriptors (the same ones the gateway reads), so the reference never drifts from the code."""

from google.api import annotations_pb2
from google.protobuf import descriptor

from synthstudio.common.v1 import access_pb2
from synthstudio_libs.contracts import PROTO_MODULES

_TYPE_NAMES = {
    value: name.removeprefix("TYPE_").lower()
    for name, value in vars(descriptor.FieldDescriptor).items()
    if name.startswith("TYPE_")
}


def _field_type(field: descriptor.FieldDescriptor) -> str:
    if field.message_type is not None:
        name = field.message_type.full_name
    elif field.enum_type is not None:
        name = field.enum_type.full_name
    else:
        name = _TYPE_NAMES[field.type]
    return f"repeated {name}" if field.is_repeated else name


def _route(method: descriptor.MethodDescriptor) -> str:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return ""
    rule = options.Extensions[annotations_pb2.http]
    verb = rule.WhichOneof("pattern")
    return f"`{verb.upper()} {getattr(rule, verb)}`"


def _roles(method: descriptor.MethodDescriptor) -> str:
    policy = method.GetOptions().Extensions[access_pb2.access]
    if policy.public:
        return "public"
    names = {access_pb2.Role.Name(r).removeprefix("ROLE_").lower() for r in policy.roles}
    return ", ".join(["admin", *sorted(names - {"admin"})]) if names else "any signed-in"


def main() -> None:
    lines = [
        "# API reference",
        "",
        "Generated from `protos/` by `make generate`; do not edit. REST routes come from each",
        "RPC's `google.api.http` rule; JSON bodies use protobuf's canonical JSON mapping",
        "(lowerCamelCase names, int64 as strings, bytes as base64, enums by name).",
        "",
    ]
    for module in PROTO_MODULES:
        file = module.DESCRIPTOR
        for service in file.services_by_name.values():
            lines += [f"## {service.full_name}", "", "| RPC | REST | Roles |", "|---|---|---|"]
            for method in service.methods:
                request, reply = method.input_type.name, method.output_type.name
                stream = "stream " if method.server_streaming else ""
                signature = f"`{method.name}({request}) → {stream}{reply}`"
                lines.append(f"| {signature} | {_route(method)} | {_roles(method)} |")
            lines.append("")
    lines += ["## Messages", ""]
    for module in PROTO_MODULES:
        for message in module.DESCRIPTOR.message_types_by_name.values():
            lines += [f"### {message.full_name}", "", "| Field | JSON | Type |", "|---|---|---|"]
            for field in message.fields:
                lines.append(f"| `{field.name}` | `{field.json_name}` | {_field_type(field)} |")
            lines.append("")
        for enum in module.DESCRIPTOR.enum_types_by_name.values():
            values = ", ".join(f"`{v.name}`" for v in enum.values)
            lines += [f"### enum {enum.full_name}", "", values, ""]
    print("\n".join(lines).rstrip())


if __name__ == "__main__":
    main()
