"""Prints .env.example: every setting of `Settings` with its default and description."""

from synthstudio_libs.config import ENV_PREFIX, Settings


def main() -> None:
    lines = [
        "# Every Synth Studio setting, with its default. Copy to .env or export what you change.",
        "# Standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME,",
        "# OTEL_RESOURCE_ATTRIBUTES) configure tracing; they are not listed here.",
        "",
    ]
    for name, field in Settings.model_fields.items():
        if field.description:
            lines.append(f"# {field.description}")
        default = "" if field.default is None else field.default
        lines.append(f"{ENV_PREFIX}{name.upper()}={default}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
