"""The commands: each turns its arguments into SDK calls and returns an Output (the JSON
object `--json` prints, and what people see)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from rich.console import Console
from rich.syntax import Syntax

from synthstudio_cli.output import (
    JOB_CANCELLED,
    JOB_FAILED,
    OK,
    Output,
    figure,
    lines,
    size,
    table,
)
from synthstudio_sdk import Between, Client, UsageError, job_result, state_name, to_dict
from synthstudio_sdk.client import Artifacts
from synthstudio_sdk.credentials import CredentialStore
from synthstudio_sdk.endpoints import Endpoints
from synthstudio_sdk.jobs import Job


@dataclass
class Context:
    """What every command gets: its arguments, the consoles, and a client made on demand."""

    args: argparse.Namespace
    console: Console
    errors: Console
    progress: bool
    _client: Client | None = field(default=None, repr=False)

    def client(self) -> Client:
        if self._client is None:
            self._client = Client(url=self.args.url)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


# -- parsing helpers ------------------------------------------------------------------------


def scalar(text: str) -> Any:
    """A JSON scalar if the text is one (`3`, `2.5`, `true`, `null`, `"007"`), else the text."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if value is None or isinstance(value, bool | int | float | str) else text


def json_value(text: str) -> Any:
    """Any JSON value if the text is one, else the text as a string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_condition(text: str) -> tuple[str, Any]:
    """`COL=VALUE` (every row has VALUE) or `COL=LOW..HIGH` (a numeric range, either bound
    may be left out)."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise UsageError(f"--condition {text!r}: write COLUMN=VALUE or COLUMN=LOW..HIGH")
    column = column.strip()
    if ".." in value:
        low, _, high = value.partition("..")
        try:
            bounds = [float(b) if b.strip() else None for b in (low, high)]
        except ValueError:
            pass  # not numbers: a value that happens to contain ".."
        else:
            if bounds == [None, None]:
                raise UsageError(f"--condition {text!r}: a range needs LOW, HIGH or both")
            return column, Between(*bounds)
    return column, scalar(value)


def parse_assignment(text: str, option: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"{option} {text!r}: write NAME=VALUE")
    return key.strip().replace("-", "_"), value


def load_json_argument(text: str, option: str) -> Any:
    """JSON given inline, or `@file.json`."""
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text()
        except OSError as exc:
            raise UsageError(f"{option}: cannot read {text[1:]}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{option}: not valid JSON ({exc})") from None


def _typed(field_descriptor: FieldDescriptor, text: str, name: str) -> Any:
    kind = field_descriptor.type
    try:
        if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
            return float(text)
        if field_descriptor.cpp_type in (
            FieldDescriptor.CPPTYPE_INT32,
            FieldDescriptor.CPPTYPE_INT64,
            FieldDescriptor.CPPTYPE_UINT32,
            FieldDescriptor.CPPTYPE_UINT64,
        ):
            return int(text)
    except ValueError:
        raise UsageError(f"{name}={text!r}: expected a number") from None
    if kind == FieldDescriptor.TYPE_BOOL:
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1", "on"):
            return True
        if lowered in ("false", "no", "0", "off"):
            return False
        raise UsageError(f"{name}={text!r}: expected true or false")
    if kind == FieldDescriptor.TYPE_MESSAGE:
        return load_json_argument(text, name)
    return text


def feature_inputs(feature: str, assignments: list[str], raw_json: str | None) -> dict[str, Any]:
    """An assistant feature's input from FIELD=VALUE pairs (typed by the input message;
    repeated fields by repeating them or with commas) and/or `--input JSON`."""
    descriptor = Artifacts.input_type(feature).DESCRIPTOR
    values: dict[str, Any] = dict(load_json_argument(raw_json, "--input")) if raw_json else {}
    for text in assignments:
        name, value = parse_assignment(text, "FIELD=VALUE")
        field_descriptor = descriptor.fields_by_name.get(name)
        if field_descriptor is None:
            known = ", ".join(f.name for f in descriptor.fields)
            raise UsageError(f"{feature} has no field {name!r} (fields: {known})")
        if field_descriptor.is_repeated:
            parts = (
                [value]
                if field_descriptor.type == FieldDescriptor.TYPE_MESSAGE
                else [p for p in value.split(",") if p]
            )
            values.setdefault(name, []).extend(_typed(field_descriptor, p, name) for p in parts)
        else:
            values[name] = _typed(field_descriptor, value, name)
    return values


# -- rendering helpers ----------------------------------------------------------------------


def _job_data(job: Job) -> dict[str, Any]:
    data = to_dict(job)
    data["job_id"] = job.id
    if job.HasField("result"):
        data["result"] = job_result(job)
    return data


def _print_json(console: Console, value: Any) -> None:
    console.print(Syntax(json.dumps(value, indent=2, default=str), "json", theme="ansi_dark"))


def _render_job(job: Job, hint: str = ""):
    def render(console: Console) -> None:
        message = f" - {job.message}" if job.message else ""
        console.print(
            f"[bold]{job.id}[/] {job.kind}: {state_name(job)} ({job.progress:.0%}){message}",
            highlight=False,
        )
        if job.error.message:
            console.print(f"error: {job.error.message}", highlight=False)
        # The ids and figures; nested details stay in `jobs show ID --json`.
        result = {k: v for k, v in job_result(job).items() if not isinstance(v, dict | list)}
        if result:
            console.print(
                "result: " + ", ".join(f"{k}={figure(v)}" for k, v in result.items()),
                highlight=False,
            )
        if hint:
            console.print(hint, highlight=False)

    return render


def _dataset_data(dataset) -> dict[str, Any]:
    data = to_dict(dataset)
    data["dataset_id"] = dataset.id
    return data


def _render_dataset(dataset, *, verbose: bool) -> Any:
    def render(console: Console) -> None:
        columns = sum(len(t.columns) for t in dataset.tables) or len(dataset.columns)
        rows = sum(t.row_count for t in dataset.tables) or dataset.row_count
        origin = f", derived from {dataset.derived_from}" if dataset.derived_from else ""
        console.print(
            f"[bold]{dataset.id}[/] {dataset.display_name}: {rows:,} rows, {columns} columns, "
            f"{size(dataset.size_bytes)}{origin}",
            highlight=False,
        )
        if verbose:
            for stored in dataset.tables:
                grid = table("column", "type", "empty cells", title=f"table {stored.name}")
                for column in stored.columns:
                    grid.add_row(column.name, column.data_type, f"{column.null_count:,}")
                console.print(grid)
        if dataset.pii_findings:
            grid = table("column", "entity", "score", "matched", title="personal data found")
            for finding in dataset.pii_findings:
                grid.add_row(
                    finding.column,
                    finding.entity_type,
                    f"{finding.score:.2f}",
                    f"{finding.matched_count}/{finding.sampled_count}",
                )
            console.print(grid)
        elif verbose:
            console.print("no personal data found by the upload scan")

    return render


def _wait(context: Context, job: Job) -> Job:
    return context.client().jobs.wait(job, progress=context.progress, console=context.errors)


# -- identity -------------------------------------------------------------------------------


def login(context: Context) -> Output:
    args = context.args
    password = args.password or os.environ.get("SYNTHSTUDIO_PASSWORD")
    if not password:
        if sys.stdin.isatty():
            password = getpass.getpass(f"Password for {args.email}: ")
        else:
            password = sys.stdin.readline().rstrip("\n")
    if not password:
        raise UsageError("no password: give --password, SYNTHSTUDIO_PASSWORD or type it")
    client = context.client()
    stored = client.login(args.email, password)
    path = CredentialStore().path
    data = {
        "email": stored.email,
        "server": client.endpoints.key,
        "credentials": str(path),
        "access_expires_at": stored.access_expires_at,
        "refresh_expires_at": stored.refresh_expires_at,
    }
    return Output(data, lines(f"Signed in as {stored.email}; tokens stored in {path}"))


def logout(context: Context) -> Output:
    client = context.client()
    removed = client.logout()
    text = "Signed out." if removed else "Not signed in."
    return Output({"signed_out": removed, "server": client.endpoints.key}, lines(text))


def whoami(context: Context) -> Output:
    principal = context.client().whoami()
    data = to_dict(principal)
    role = data.get("role", "").removeprefix("ROLE_").lower()
    return Output(data, lines(f"{principal.name or principal.id} ({principal.id}), role {role}"))


# -- datasets -------------------------------------------------------------------------------


def datasets_upload(context: Context) -> Output:
    args = context.args
    metadata = load_json_argument(args.metadata, "--metadata") if args.metadata else None
    if len(args.paths) == 1 and "=" not in args.paths[0]:
        source: Any = args.paths[0]
    else:
        source = dict(parse_assignment(p, "PATH") for p in args.paths)
    dataset = context.client().datasets.upload(
        source, args.name, format=args.format, metadata=metadata, project=args.project or ""
    )
    return Output(_dataset_data(dataset), _render_dataset(dataset, verbose=False))


def datasets_list(context: Context) -> Output:
    args = context.args
    found = context.client().datasets.list(
        limit=args.limit, name_contains=args.filter, project=args.project or ""
    )

    def render(console: Console) -> None:
        grid = table("id", "name", "rows", "columns", "size", "PII", "created")
        for dataset in found:
            grid.add_row(
                dataset.id,
                dataset.display_name,
                f"{dataset.row_count:,}",
                str(len(dataset.columns)),
                size(dataset.size_bytes),
                str(len(dataset.pii_findings)),
                dataset.create_time.ToDatetime().strftime("%Y-%m-%d %H:%M"),
            )
        console.print(grid if found else "no datasets")

    return Output({"datasets": [_dataset_data(d) for d in found], "count": len(found)}, render)


def datasets_show(context: Context) -> Output:
    dataset = context.client().datasets.get(context.args.dataset_id)
    return Output(_dataset_data(dataset), _render_dataset(dataset, verbose=True))


def datasets_download(context: Context) -> Output:
    args = context.args
    paths = context.client().datasets.download(
        args.dataset_id,
        args.out,
        args.format,
        table=args.table or "",
        keep_formulas=args.keep_formulas,
    )
    data = {"dataset_id": args.dataset_id, "paths": [str(p) for p in paths]}
    return Output(data, lines(*(f"wrote {p} ({size(p.stat().st_size)})" for p in paths)))


def datasets_delete(context: Context) -> Output:
    args = context.args
    context.client().datasets.delete(args.dataset_id, force=args.force)
    return Output(
        {"dataset_id": args.dataset_id, "deleted": True}, lines(f"deleted {args.dataset_id}")
    )


# -- pii ------------------------------------------------------------------------------------


def pii_scan(context: Context) -> Output:
    args = context.args
    client = context.client()
    job = client.pii.start_scan(args.dataset_id, sample_rows=args.sample_rows)
    if args.no_wait:
        return Output(_job_data(job) | {"id": job.id}, _render_job(job))
    done = _wait(context, job)
    result = job_result(done)
    flagged = [
        {"table": t.get("table", ""), **c}
        for t in result.get("tables", [])
        for c in t.get("columns", [])
        if c.get("entity_type")
    ]
    data = {"job_id": done.id, "id": done.id, "dataset_id": args.dataset_id, **result}
    data["pii_columns"] = len(flagged)

    def render(console: Console) -> None:
        grid = table("table", "column", "kind", "entity", "confidence", "matched")
        for scanned in result.get("tables", []):
            for column in scanned.get("columns", []):
                grid.add_row(
                    scanned.get("table", ""),
                    column.get("column", ""),
                    str(column.get("kind", "")).removeprefix("COLUMN_KIND_").lower(),
                    column.get("entity_type", "") or "-",
                    figure(column.get("confidence"), 2),
                    f"{column.get('matched_cells', 0)}/{column.get('sampled_cells', 0)}",
                )
        console.print(grid)
        console.print(
            f"{len(flagged)} column(s) hold personal data (job {done.id})", highlight=False
        )
        if not result.get("nlp_available", True):
            console.print(f"note: NER unavailable ({result.get('nlp_reason', '')})")

    return Output(data, render)


# -- synthesizers ---------------------------------------------------------------------------


def _synthesizer_data(synthesizer) -> dict[str, Any]:
    data = to_dict(synthesizer)
    data["synthesizer_id"] = synthesizer.id
    return data


def _render_synthesizer(synthesizer, job: Job | None = None):
    def render(console: Console) -> None:
        rows = sum(synthesizer.training_rows.values())
        epochs = f", {synthesizer.epochs_completed} epochs" if synthesizer.epochs_completed else ""
        console.print(
            f"[bold]{synthesizer.id}[/] {synthesizer.display_name}: trained on "
            f"{synthesizer.dataset_id} ({rows:,} rows) in {synthesizer.training_seconds:.1f} s"
            f"{epochs}",
            highlight=False,
        )
        choice = job_result(job).get("kind_choice") if job is not None else None
        if choice:
            kind = to_dict(synthesizer).get("kind", "").removeprefix("SYNTHESIZER_KIND_").lower()
            console.print(f"kind: {kind}, chosen by auto: {choice}", highlight=False)
        for warning in synthesizer.warnings:
            console.print(f"warning: {warning}", highlight=False)
        console.print(
            f"next: synthstudio sample {synthesizer.id} --rows 1000 --out synthetic.csv",
            highlight=False,
        )

    return render


def train(context: Context) -> Output:
    args = context.args
    client = context.client()
    hyperparameters = dict(
        (key, json_value(value))
        for key, value in (parse_assignment(p, "--param") for p in args.param)
    )
    constraints = [load_json_argument(c, "--constraint") for c in args.constraint]
    job = client.synthesizers.train(
        args.dataset_id,
        args.kind,
        epochs=args.epochs,
        epsilon=args.epsilon,
        delta=args.delta,
        name=args.name or "",
        constraints=constraints,
        **_public_facts(args),
        **hyperparameters,
    )
    if not args.wait:
        hint = f"follow it with: synthstudio jobs watch {job.id}"
        return Output(_job_data(job) | {"id": job.id}, _render_job(job, hint))
    done = _wait(context, job)
    synthesizer_id = str(job_result(done).get("synthesizer_id", ""))
    if synthesizer_id.startswith("dps_"):
        return _dp_training_output(client.dp_synthesizer(synthesizer_id), done)
    synthesizer = client.synthesizers.get(synthesizer_id)
    choice = job_result(done).get("kind_choice")
    data = {**_synthesizer_data(synthesizer), "job_id": done.id}
    if choice:
        data["kind_choice"] = choice
    return Output(data, _render_synthesizer(synthesizer, done))


def _dp_training_output(synthesizer, job: Job) -> Output:
    """A trained DP synthesizer (it lives in the privacy service): what was charged and, for
    kind dp, which mechanism the platform chose and why."""
    result = job_result(job)
    guarantee = synthesizer.guarantee
    data = {
        "synthesizer_id": synthesizer.id,
        "job_id": job.id,
        "kind": str(result.get("kind", "")),
        "epsilon": guarantee.epsilon,
        "pld_epsilon": guarantee.pld_epsilon,
        "rdp_epsilon": guarantee.rdp_epsilon,
        "delta": guarantee.delta,
        "choice_reason": str(result.get("choice_reason", "")),
        "warnings": [str(w) for w in result.get("warnings", [])],
    }

    def render(console: Console) -> None:
        console.print(
            f"[bold]{synthesizer.id}[/] {synthesizer.display_name}: {data['kind']} trained on "
            f"{synthesizer.dataset_id}, epsilon {guarantee.epsilon:.4g} charged (PLD "
            f"{guarantee.pld_epsilon:.4g}, RDP {guarantee.rdp_epsilon:.4g}), delta "
            f"{guarantee.delta:.3g}",
            highlight=False,
        )
        if data["choice_reason"]:
            console.print(f"chosen by dp: {data['choice_reason']}", highlight=False)
        for warning in data["warnings"]:
            console.print(f"warning: {warning}", highlight=False)
        console.print(
            f"next: synthstudio sample {synthesizer.id} --rows 1000 --out synthetic.csv",
            highlight=False,
        )

    return Output(data, render)


def _public_facts(args) -> dict[str, dict]:
    """The public categories and bounds of `--public-schema FILE`, with those given as flags
    replacing the file's for the same column."""
    categories, bounds = _public_schema(args.public_schema) if args.public_schema else ({}, {})
    for column, values in map(_public_categories, args.public_categories):
        bounds.pop(column, None)
        categories[column] = values
    for column, limits in map(_public_bounds, args.public_bounds):
        categories.pop(column, None)
        bounds[column] = limits
    return {"public_categories": categories, "public_bounds": bounds}


def _public_schema(path: str) -> tuple[dict[str, list[str]], dict[str, tuple[float, float]]]:
    schema = load_json_argument(f"@{path}", "--public-schema")
    if not isinstance(schema, dict):
        raise UsageError(f"--public-schema {path}: the file must hold a JSON object by column")
    categories, bounds = {}, {}
    for column, facts in schema.items():
        if isinstance(facts, dict) and _is_category_list(facts.get("categories")):
            categories[column] = [str(value) for value in facts["categories"]]
        elif isinstance(facts, dict) and {"lower", "upper"} <= facts.keys():
            low, high = _bound(str(facts["lower"])), _bound(str(facts["upper"]))
            if low is None or high is None or low >= high:
                raise UsageError(f"--public-schema {path}: {column}: lower must be below upper")
            bounds[column] = (low, high)
        else:
            raise UsageError(
                f'--public-schema {path}: {column}: write {{"categories": [...]}} or '
                '{"lower": LOW, "upper": HIGH}'
            )
    return categories, bounds


def _is_category_list(value) -> bool:
    return isinstance(value, list) and bool(value)


def _public_categories(text: str) -> tuple[str, list[str]]:
    column, sep, values = text.partition("=")
    categories = [value.strip() for value in values.split(",") if value.strip()]
    if not sep or not column.strip() or not categories:
        raise UsageError(f"--public-categories {text!r}: write COLUMN=a,b,c")
    return column.strip(), categories


def _public_bounds(text: str) -> tuple[str, tuple[float, float]]:
    """COLUMN=LOW:HIGH with numbers, or ISO dates/times (as seconds since the Unix epoch);
    the colon that separates LOW from HIGH is the one both sides parse around."""
    column, sep, bounds = text.partition("=")
    if sep and column.strip():
        for index, char in enumerate(bounds):
            if char != ":":
                continue
            low, high = _bound(bounds[:index]), _bound(bounds[index + 1 :])
            if low is not None and high is not None and low < high:
                return column.strip(), (low, high)
    raise UsageError(
        f"--public-bounds {text!r}: write COLUMN=LOW:HIGH with LOW < HIGH (numbers or ISO "
        "dates, e.g. 2013-01-01:2014-01-01)"
    )


def _bound(text: str) -> float | None:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _engine_data(engine) -> dict:
    data = {"name": "", "version": "", "licence": "", "available": False, **to_dict(engine)}
    data["kinds"] = [k.removeprefix("SYNTHESIZER_KIND_").lower() for k in data.get("kinds", [])]
    return data


def engines(context: Context) -> Output:
    rows = [_engine_data(engine) for engine in context.client().synthesizers.engines()]

    def render(console: Console) -> None:
        grid = table("engine", "version", "licence", "kinds")
        for row in rows:
            kinds = ", ".join(row["kinds"]) if row["available"] else "(not answering)"
            grid.add_row(row["name"], row["version"], row["licence"], kinds)
        console.print(grid if rows else "no engines")

    return Output({"engines": rows, "count": len(rows)}, render)


def synthesizers_list(context: Context) -> Output:
    args = context.args
    found = context.client().synthesizers.list(
        dataset_id=args.dataset or "", limit=args.limit, project=args.project or ""
    )

    def render(console: Console) -> None:
        grid = table("id", "name", "kind", "dataset", "seconds", "created")
        for synthesizer in found:
            grid.add_row(
                synthesizer.id,
                synthesizer.display_name,
                to_dict(synthesizer).get("kind", "").removeprefix("SYNTHESIZER_KIND_").lower(),
                synthesizer.dataset_id,
                f"{synthesizer.training_seconds:.1f}",
                synthesizer.create_time.ToDatetime().strftime("%Y-%m-%d %H:%M"),
            )
        console.print(grid if found else "no synthesizers")

    data = {"synthesizers": [_synthesizer_data(s) for s in found], "count": len(found)}
    return Output(data, render)


def synthesizers_show(context: Context) -> Output:
    synthesizer = context.client().synthesizers.get(context.args.synthesizer_id)
    return Output(_synthesizer_data(synthesizer), _render_synthesizer(synthesizer))


def synthesizers_delete(context: Context) -> Output:
    synthesizer_id = context.args.synthesizer_id
    context.client().synthesizers.delete(synthesizer_id)
    return Output(
        {"synthesizer_id": synthesizer_id, "deleted": True}, lines(f"deleted {synthesizer_id}")
    )


def sample(context: Context) -> Output:
    args = context.args
    conditions = [parse_condition(c) for c in args.condition]
    result = context.client().sample(
        args.synthesizer_id,
        args.rows,
        seed=args.seed,
        conditions=conditions,
        out=args.out,
        format=args.format,
        name=args.name or "",
        progress=context.progress,
    )
    data = {
        "id": result.dataset_id,
        "dataset_id": result.dataset_id,
        "job_id": result.job_id,
        "synthesizer_id": args.synthesizer_id,
        "rows": result.rows,
        "seed": result.seed,
        "derived_from": result.derived_from,
        "paths": [str(p) for p in result.paths],
    }
    where = f", written to {', '.join(map(str, result.paths))}" if result.paths else ""
    return Output(
        data,
        lines(
            f"sampled {result.rows:,} rows (seed {result.seed}) into dataset "
            f"{result.dataset_id}{where}",
            f"next: synthstudio evaluate {result.derived_from or 'REAL_DATASET_ID'} "
            f"{result.dataset_id} --synthesizer-id {args.synthesizer_id} --target COLUMN --wait",
            "  (scored against the real dataset's holdout rows; the report says whether the "
            "synthesizer trained without them)",
        ),
    )


# -- jobs -----------------------------------------------------------------------------------


def jobs_list(context: Context) -> Output:
    args = context.args
    found = context.client().jobs.list(
        kind=args.kind or "", state=args.state, limit=args.limit, project=args.project or ""
    )

    def render(console: Console) -> None:
        grid = table("id", "kind", "state", "progress", "message", "created")
        for job in found:
            grid.add_row(
                job.id,
                job.kind,
                state_name(job),
                f"{job.progress:.0%}",
                job.message,
                job.create_time.ToDatetime().strftime("%Y-%m-%d %H:%M:%S"),
            )
        console.print(grid if found else "no jobs")

    return Output({"jobs": [_job_data(j) for j in found], "count": len(found)}, render)


def _outcome_code(job: Job) -> int:
    return {"failed": JOB_FAILED, "cancelled": JOB_CANCELLED}.get(state_name(job), OK)


def jobs_show(context: Context) -> Output:
    job = context.client().jobs.get(context.args.job_id)
    return Output(_job_data(job), _render_job(job))


def jobs_watch(context: Context) -> Output:
    client = context.client()
    job = client.jobs.wait(
        context.args.job_id, progress=context.progress, check=False, console=context.errors
    )
    output = Output(_job_data(job), _render_job(job), exit_code=_outcome_code(job))
    if job.error.message:
        output.extra.append(f"job {job.id} {state_name(job)}: {job.error.message}")
    elif output.exit_code == JOB_CANCELLED:
        output.extra.append(f"job {job.id} was cancelled")
    return output


def jobs_cancel(context: Context) -> Output:
    job = context.client().jobs.cancel(context.args.job_id)
    return Output(_job_data(job), _render_job(job, "cancellation requested"))


# -- evaluation -----------------------------------------------------------------------------

_REPORT_FIGURES = (
    "overall_score",
    "quality_score",
    "holdout_quality_score",
    "diagnostic_score",
    "utility_ratio",
    "dcr_share",
    "exact_copy_rate",
    "membership_inference_auc",
)


def _report_data(report) -> dict[str, Any]:
    full = to_dict(report)
    data = {
        "id": report.id,
        "report_id": report.id,
        "real_dataset_id": report.real_dataset_id,
        "synthetic_dataset_id": report.synthetic_dataset_id,
        "job_id": report.job_id,
        "scores": full.get("scores", {}),
        "overall_verdict": full.get("overall_verdict", ""),
        "privacy_verdict": full.get("privacy_verdict", ""),
        "verdict_reasons": list(report.verdict_reasons),
        "warnings": list(report.warnings),
        "training_data": report.training_data,
        "above_holdout_ceiling": report.above_holdout_ceiling,
        "privacy_checks": [to_dict(check) for check in report.privacy_checks],
        "gate": gate_data(report.gate) if report.HasField("gate") else None,
    }
    for name in _REPORT_FIGURES[1:]:
        if report.HasField(name):
            data[name] = getattr(report, name)
    if report.scores.HasField("overall"):
        data["overall_score"] = report.scores.overall
    return data


def gate_data(gate) -> dict[str, Any]:
    """A gate as JSON: passed, and per check its status, value, threshold and sentence."""
    return {
        "passed": gate.passed,
        "checks": [
            {
                "name": check.name,
                "status": to_dict(check).get("status", "").removeprefix("CHECK_STATUS_"),
                "value": check.value if check.HasField("value") else None,
                "threshold": check.threshold,
                "comparison": check.comparison,
                "blocking": check.blocking,
                "explanation": check.explanation,
            }
            for check in gate.checks
        ],
        "project": gate.policy.project,
    }


def render_gate(console: Console, data: dict[str, Any]) -> None:
    verdict = "passed" if data["passed"] else "FAILED"
    console.print(f"release gate ({data['project']}): {verdict}", highlight=False)
    grid = table("check", "status", "value", "threshold", "why")
    for check in data["checks"]:
        status = check["status"].lower().replace("_", " ")
        grid.add_row(
            check["name"],
            status + (" (blocks)" if check["blocking"] else ""),
            figure(check["value"]),
            f"{check['comparison']} {check['threshold']:g}",
            check["explanation"],
        )
    console.print(grid)


def _render_report(data: dict[str, Any]):
    def render(console: Console) -> None:
        verdict = data["overall_verdict"].removeprefix("VERDICT_").lower() or "-"
        console.print(
            f"[bold]{data['report_id']}[/]: {data['synthetic_dataset_id']} against "
            f"{data['real_dataset_id']}, overall {verdict}",
            highlight=False,
        )
        grid = table("figure", "value")
        for name, value in data["scores"].items():
            grid.add_row(f"{name} score", figure(value))
        for name in _REPORT_FIGURES[1:]:
            if name in data:
                grid.add_row(name.replace("_", " "), figure(data[name]))
        privacy = data["privacy_verdict"].removeprefix("VERDICT_").lower() or "-"
        grid.add_row("privacy verdict", privacy)
        grid.add_row("trained on", data["training_data"].replace("_", " ") or "-")
        console.print(grid)
        for reason in data["verdict_reasons"]:
            console.print(f"- {reason}", highlight=False)
        if data["gate"] is not None:
            render_gate(console, data["gate"])
        console.print(
            f"next: synthstudio report {data['report_id']} --format html --out report.html",
            highlight=False,
        )
        if data["gate"] is not None and data["gate"]["passed"]:
            console.print(
                f"then: synthstudio release request {data['synthetic_dataset_id']}",
                highlight=False,
            )

    return render


def evaluate(context: Context) -> Output:
    args = context.args
    client = context.client()
    config: dict[str, Any] = dict(
        (key, json_value(value))
        for key, value in (parse_assignment(c, "--config") for c in args.config)
    )
    if args.sensitive_column:
        config["sensitive_column"] = args.sensitive_column
    if args.task:
        config["task"] = args.task
    if args.skip_plots:
        config["skip_plots"] = True
    job = client.evaluate(
        args.real_dataset_id,
        args.synthetic_dataset_id,
        args.target,
        synthesizer_name=args.synthesizer_name or "",
        synthesizer_id=args.synthesizer_id or "",
        holdout_fraction=args.holdout_fraction,
        seed=args.seed,
        **config,
    )
    if not args.wait:
        hint = f"follow it with: synthstudio jobs watch {job.id}"
        return Output(_job_data(job) | {"id": job.id}, _render_job(job, hint))
    done = _wait(context, job)
    report = client.reports.get(str(job_result(done).get("report_id", "")))
    data = _report_data(report) | {"job_id": done.id}
    return Output(data, _render_report(data))


def report(context: Context) -> Output:
    args = context.args
    client = context.client()
    if args.format is None and args.out is None:
        data = _report_data(client.reports.get(args.report_id))
        return Output(data, _render_report(data))
    fmt = args.format
    if fmt is None:
        suffix = Path(args.out).suffix.lower().lstrip(".")
        fmt = suffix if suffix in ("html", "pdf", "json") else "html"
    path = client.reports.download(args.report_id, fmt, args.out)
    data = {"report_id": args.report_id, "format": fmt, "path": str(path)}
    return Output(data, lines(f"wrote {path} ({size(path.stat().st_size)})"))


# -- privacy --------------------------------------------------------------------------------


def budget(context: Context) -> Output:
    args = context.args
    client = context.client()
    if args.set is not None:
        found = client.set_budget(args.dataset_id, args.set, args.delta)
    else:
        if args.delta is not None:
            raise UsageError("--delta goes with --set")
        found = client.budget(args.dataset_id)
    data = to_dict(found)
    data.setdefault("dataset_id", args.dataset_id)
    for name in ("epsilon_total", "delta_total", "epsilon_spent", "epsilon_remaining"):
        data.setdefault(name, 0.0)
    default = " (the default budget)" if found.is_default else ""
    return Output(
        data,
        lines(
            f"{data['dataset_id']}: epsilon {found.epsilon_spent:g} spent of "
            f"{found.epsilon_total:g} ({found.epsilon_remaining:g} left), delta "
            f"{found.delta_spent:g} spent of {found.delta_total:g}{default}"
        ),
    )


# -- assistant and reviews ------------------------------------------------------------------


def _artifact_data(artifact) -> dict[str, Any]:
    data = to_dict(artifact)
    data["artifact_id"] = artifact.id
    return data


def _short(enum_text: str, prefix: str) -> str:
    return enum_text.removeprefix(prefix).lower()


def assist(context: Context) -> Output:
    args = context.args
    client = context.client()
    inputs = feature_inputs(args.feature, args.fields, args.input)
    job = client.artifacts.create(args.feature, **inputs)
    if args.no_wait:
        return Output(_job_data(job) | {"id": job.id}, _render_job(job))
    done = _wait(context, job)
    artifact = client.artifacts.get(str(job_result(done)["artifact_id"]))
    data = _artifact_data(artifact) | {"job_id": done.id}

    def render(console: Console) -> None:
        state = _short(data.get("state", ""), "ARTIFACT_STATE_")
        console.print(
            f"[bold]{artifact.id}[/] {_short(data.get('feature', ''), 'FEATURE_')} ({state}, "
            f"{artifact.provider or 'offline'} {artifact.model})",
            highlight=False,
        )
        _print_json(console, data.get("output", {}))
        for warning in artifact.warnings:
            console.print(f"warning: {warning}", highlight=False)
        console.print(
            f"a draft until a reviewer approves it: synthstudio review approve {artifact.id}",
            highlight=False,
        )

    return Output(data, render)


def review_list(context: Context) -> Output:
    args = context.args
    state = None if args.state == "all" else args.state
    found = context.client().reviews.list(
        state=state, feature=args.feature, creator=args.creator or "", limit=args.limit
    )

    def render(console: Console) -> None:
        grid = table("id", "feature", "state", "revision", "creator", "created")
        for artifact in found:
            data = to_dict(artifact)
            grid.add_row(
                artifact.id,
                _short(data.get("feature", ""), "FEATURE_"),
                _short(data.get("state", ""), "ARTIFACT_STATE_"),
                str(artifact.revision),
                artifact.creator,
                artifact.create_time.ToDatetime().strftime("%Y-%m-%d %H:%M"),
            )
        console.print(grid if found else "nothing to review")

    return Output({"artifacts": [_artifact_data(a) for a in found], "count": len(found)}, render)


def _reviewed(artifact) -> Output:
    data = _artifact_data(artifact)
    state = _short(data.get("state", ""), "ARTIFACT_STATE_")
    return Output(data, lines(f"{artifact.id} is now {state}"))


def review_approve(context: Context) -> Output:
    args = context.args
    return _reviewed(context.client().reviews.approve(args.artifact_id, args.comment or ""))


def review_reject(context: Context) -> Output:
    args = context.args
    return _reviewed(context.client().reviews.reject(args.artifact_id, args.comment))


def review_request_changes(context: Context) -> Output:
    args = context.args
    return _reviewed(context.client().reviews.request_changes(args.artifact_id, args.comment))


def endpoints(context: Context) -> Output:
    """`synthstudio config`: where the command would connect, and how it would sign in."""
    resolved = Endpoints.resolve(context.args.url)
    store = CredentialStore()
    stored = store.load(resolved.key)
    if os.environ.get("SYNTHSTUDIO_TOKEN"):
        credential = "SYNTHSTUDIO_TOKEN"
    elif os.environ.get("SYNTHSTUDIO_API_KEY"):
        credential = "SYNTHSTUDIO_API_KEY"
    elif stored is not None:
        credential = f"stored sign-in of {stored.email}"
    else:
        credential = "none (run synthstudio login)"
    addresses = {
        s: resolved.address(s) for s in ("synthesis", "evaluation", "privacy", "pii", "llm")
    }
    data = {
        "services": addresses,
        "tls": resolved.tls,
        "credentials": credential,
        "credentials_file": str(store.path),
    }
    return Output(
        data,
        lines(
            *(f"{service:<10} {address}" for service, address in addresses.items()),
            f"tls        {'yes' if resolved.tls else 'no'}",
            f"sign-in    {credential} ({store.path})",
        ),
    )
