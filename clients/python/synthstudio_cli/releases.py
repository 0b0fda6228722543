"""`synthstudio release …` and `synthstudio evidence …`: a synthetic dataset's release (gate,
request, sign-off, override) and its signed evidence pack, verified offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from synthstudio_cli.commands import Context, gate_data, render_gate
from synthstudio_cli.output import EVIDENCE_INVALID, Output, lines
from synthstudio_libs.evidence import verify_pack
from synthstudio_sdk import UsageError, to_dict


def _release_data(release) -> dict[str, Any]:
    data = to_dict(release)
    data["state"] = data.get("state", "").removeprefix("RELEASE_STATE_").lower()
    data["gate"] = gate_data(release.gate)
    return data


def _render_release(data: dict[str, Any], hint: str):
    def render(console: Console) -> None:
        console.print(
            f"[bold]{data['dataset_id']}[/]: {data['state']} (report {data.get('report_id', '-')}"
            f", requested by {data.get('requester', '-')})",
            highlight=False,
        )
        if data.get("gate_overridden"):
            console.print(
                f"gate overridden by {data['override_by']}: {data['override_reason']}",
                highlight=False,
            )
        render_gate(console, data["gate"])
        if hint:
            console.print(hint, highlight=False)

    return render


def release_request(context: Context) -> Output:
    args = context.args
    release = context.client().releases.request(args.dataset_id, report_id=args.report or "")
    data = _release_data(release)
    hint = f"next: a reviewer runs synthstudio release approve {args.dataset_id}"
    return Output(data, _render_release(data, hint))


def release_approve(context: Context) -> Output:
    args = context.args
    release = context.client().releases.approve(args.dataset_id, comment=args.comment or "")
    data = _release_data(release)
    hint = f"next: synthstudio evidence export {args.dataset_id} --out evidence.zip"
    return Output(data, _render_release(data, hint))


def release_override(context: Context) -> Output:
    args = context.args
    release = context.client().releases.override(
        args.dataset_id, args.reason, report_id=args.report or ""
    )
    data = _release_data(release)
    hint = f"next: a reviewer runs synthstudio release approve {args.dataset_id}"
    return Output(data, _render_release(data, hint))


def release_show(context: Context) -> Output:
    data = _release_data(context.client().releases.get(context.args.dataset_id))
    return Output(data, _render_release(data, ""))


def evidence_export(context: Context) -> Output:
    args = context.args
    path = context.client().releases.export_evidence(args.dataset_id, args.out)
    data = {"dataset_id": args.dataset_id, "path": str(path), "size": path.stat().st_size}
    hint = f"check it with: synthstudio evidence verify {path}"
    return Output(data, lines(f"wrote {path}", hint))


def evidence_verify(context: Context) -> Output:
    """Offline: no server is asked (pass the suite's key from `evidence public-key`)."""
    args = context.args
    pack = _read(Path(args.pack), "PACK")
    key = _read(Path(args.public_key), "--public-key") if args.public_key else None
    result = verify_pack(pack, key)
    data = {
        "valid": result.valid,
        "problems": result.problems,
        "trusted_key": result.trusted_key,
        "manifest": result.manifest,
    }
    if not result.valid:
        texts = [f"INVALID evidence pack {args.pack}:", *(f"- {p}" for p in result.problems)]
        return Output(data, lines(*texts), exit_code=EVIDENCE_INVALID)
    subject = result.manifest.get("subject", {})
    texts = [
        f"valid: {len(result.manifest.get('files', {}))} files of dataset "
        f"{subject.get('dataset_id', '-')} signed by key {result.manifest.get('key_id', '')[:16]}",
    ]
    if not result.trusted_key:
        texts.append(
            "checked with the key inside the pack: pass --public-key (synthstudio evidence "
            "public-key) to check it is the suite's"
        )
    return Output(data, lines(*texts))


def evidence_public_key(context: Context) -> Output:
    args = context.args
    key = context.client().releases.public_key()
    data = {"algorithm": key.algorithm, "key_id": key.key_id, "public_key_pem": key.public_key_pem}
    if args.out:
        Path(args.out).write_text(key.public_key_pem)
        return Output(data | {"path": args.out}, lines(f"wrote {args.out} (key {key.key_id})"))
    return Output(data, lines(key.public_key_pem.rstrip()))


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{what} {path}: {exc.strerror or exc}") from None
