"""`synthstudio`: the whole Synth Studio flow from a terminal, over the Python SDK.

Every command takes `--url` (or SYNTHSTUDIO_URL) and `--json` (one JSON object on stdout).
Errors are one line on stderr with the server's reason; the exit code says what happened
(see synthstudio_cli.output).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from rich.console import Console

from synthstudio_cli import admin, commands, releases
from synthstudio_cli.output import (
    AUTH,
    INTERNAL,
    INTERRUPTED,
    JOB_CANCELLED,
    JOB_FAILED,
    NOT_FOUND,
    SERVER_ERROR,
    UNAVAILABLE,
    USAGE,
    emit,
)
from synthstudio_sdk import (
    ApiError,
    JobCancelled,
    JobFailed,
    NotFound,
    PermissionDenied,
    Unauthenticated,
    Unavailable,
    UsageError,
    synthesizer_kinds,
)
from synthstudio_sdk.client import Artifacts
from synthstudio_sdk.errors import DeadlineExceeded

PROG = "synthstudio"


class Parser(argparse.ArgumentParser):
    """Usage errors as one line (exit 2), pointing at --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--url, --json and --quiet, accepted before the command and after it (the copies on
    each command leave the value alone unless given there)."""

    def default(value):
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("global options")
    group.add_argument(
        "--url",
        metavar="URL",
        default=default(None),
        help="the suite: host, host:port (synthesis's port; the others follow it), or the "
        "gateway's http://host:port (default: SYNTHSTUDIO_URL, else the local suite)",
    )
    group.add_argument(
        "--json",
        action="store_true",
        default=default(False),
        help="print one JSON object (the ids created and the figures) on stdout",
    )
    group.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="no progress bars"
    )
    group.add_argument(
        "--project",
        metavar="NAME",
        default=default(None),
        help="the project new datasets go to and lists show (name or id; default: your only "
        "project, else the default one; lists: all your projects)",
    )


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Synth Studio from a terminal: upload, scan, train, sample, evaluate, "
        "report, and ask the assistant.",
        epilog="Exit codes: 0 ok, 1 the server refused or failed, 2 usage error, 3 not signed "
        "in or not allowed, 4 not found, 5 service unreachable, 6 job failed, 7 job "
        "cancelled, 70 a bug in this command.",
    )
    _globals(parser, suppress=False)
    common = argparse.ArgumentParser(add_help=False)
    _globals(common, suppress=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    def command(parent, name: str, handler, help_text: str) -> argparse.ArgumentParser:
        child = parent.add_parser(name, help=help_text, description=help_text, parents=[common])
        child.set_defaults(handler=handler)
        return child

    def group(name: str, help_text: str):
        child = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        nested = child.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
        nested.required = True
        return nested

    # identity
    p = command(sub, "login", commands.login, "sign in and store the tokens (0600)")
    p.add_argument("--email", required=True)
    p.add_argument(
        "--password", help="default: SYNTHSTUDIO_PASSWORD, else asked (or read from stdin)"
    )
    command(sub, "logout", commands.logout, "revoke and forget the stored sign-in")
    command(sub, "whoami", commands.whoami, "who the current credentials stand for")
    command(sub, "config", commands.endpoints, "where commands connect, and how they sign in")
    _admin_commands(command, group)

    # datasets
    datasets = group("datasets", "upload, list, show, download and delete datasets")
    p = command(datasets, "upload", commands.datasets_upload, "upload a CSV or Parquet file")
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a .csv, .csv.gz or .parquet file; several as TABLE=PATH for a multi-table dataset",
    )
    p.add_argument("--name", help="a name for people (default: the file's name)")
    p.add_argument("--format", choices=["csv", "parquet"], help="default: from the file name")
    p.add_argument("--metadata", help="SDV metadata as JSON, or @file.json")
    p = command(datasets, "list", commands.datasets_list, "list datasets, newest first")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument(
        "--filter",
        default="",
        metavar="TEXT",
        help="only datasets whose name contains TEXT (ignoring case)",
    )
    p = command(datasets, "show", commands.datasets_show, "a dataset's tables, columns and PII")
    p.add_argument("dataset_id", metavar="ID")
    p = command(datasets, "download", commands.datasets_download, "download a dataset")
    p.add_argument("dataset_id", metavar="ID")
    p.add_argument("--out", required=True, help="the file (or a directory, one file per table)")
    p.add_argument("--format", choices=["csv", "parquet"], help="default: from --out")
    p.add_argument("--table", help="only this table")
    p.add_argument(
        "--keep-formulas",
        action="store_true",
        help="CSV: keep cells starting with = + - @ as stored (by default they get a leading ')",
    )
    p = command(datasets, "delete", commands.datasets_delete, "delete a dataset")
    p.add_argument("dataset_id", metavar="ID")
    p.add_argument("--force", action="store_true", help="also its synthesizers")

    # pii
    pii = group("pii", "personal data in datasets")
    p = command(pii, "scan", commands.pii_scan, "scan every column of a dataset for PII")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--sample-rows", type=int, default=0, help="cells per column (0: default)")
    p.add_argument("--no-wait", action="store_true", help="print the job and return")

    # synthesizers
    p = command(sub, "train", commands.train, "train a synthesizer on a dataset")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument(
        "--kind",
        default="auto",
        choices=synthesizer_kinds(),
        help="default auto: the service chooses for the dataset (TabularARGN for a single table "
        "where installed) and says why",
    )
    p.add_argument("--epochs", type=int, help="deep and DP kinds")
    p.add_argument("--epsilon", type=float, help="DP kinds: privacy budget to spend")
    p.add_argument("--delta", type=float, help="DP kinds")
    p.add_argument(
        "--public-categories",
        action="append",
        default=[],
        metavar="COL=a,b,c",
        help="DP kinds: a column's complete category set, known without the data (costs no "
        "budget; data outside it fails the job)",
    )
    p.add_argument(
        "--public-bounds",
        action="append",
        default=[],
        metavar="COL=LOW:HIGH",
        help="DP kinds: a column's public range (numbers, or ISO dates for datetimes)",
    )
    p.add_argument(
        "--public-schema",
        metavar="FILE",
        help='DP kinds: a JSON file of public column facts, {"COL": {"categories": [...]}} or '
        '{"COL": {"lower": LOW, "upper": HIGH}}; --public-categories/--public-bounds win',
    )
    p.add_argument("--name", help="a name for people")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a hyperparameter (JSON values: batch_size=500, generator_dim=[256,256])",
    )
    p.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="JSON",
        help='a constraint, e.g. \'{"inequality": {"low_column": "a", "high_column": "b"}}\'',
    )
    p.add_argument("--wait", action="store_true", help="follow the job to the end")
    command(sub, "engines", commands.engines, "the synthesizer engines: version, licence, kinds")
    synthesizers = group("synthesizers", "list, show and delete trained synthesizers")
    p = command(synthesizers, "list", commands.synthesizers_list, "list synthesizers")
    p.add_argument("--dataset", metavar="DATASET_ID", help="only those trained on it")
    p.add_argument("--limit", type=int, default=50)
    p = command(synthesizers, "show", commands.synthesizers_show, "one synthesizer")
    p.add_argument("synthesizer_id", metavar="ID")
    p = command(synthesizers, "delete", commands.synthesizers_delete, "delete a synthesizer")
    p.add_argument("synthesizer_id", metavar="ID")

    p = command(sub, "sample", commands.sample, "sample synthetic rows into a new dataset")
    p.add_argument("synthesizer_id", metavar="SYNTHESIZER_ID")
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--seed", type=int, help="the same seed gives the same rows")
    p.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="COL=VALUE",
        help="every row has COL=VALUE; COL=LOW..HIGH for a numeric range (repeatable)",
    )
    p.add_argument("--out", help="also download the rows to this file")
    p.add_argument("--format", choices=["csv", "parquet"], help="default: from --out")
    p.add_argument("--name", help="a name for the new dataset")

    # jobs
    jobs = group("jobs", "long-running work of every service")
    p = command(jobs, "list", commands.jobs_list, "list jobs, newest first")
    p.add_argument("--kind", help="e.g. synthesis.train")
    p.add_argument("--state", help="queued, running, succeeded, failed or cancelled")
    p.add_argument("--limit", type=int, default=20)
    p = command(jobs, "show", commands.jobs_show, "one job")
    p.add_argument("job_id", metavar="ID")
    p = command(jobs, "watch", commands.jobs_watch, "follow a job with a progress bar")
    p.add_argument("job_id", metavar="ID")
    p = command(jobs, "cancel", commands.jobs_cancel, "cancel a job")
    p.add_argument("job_id", metavar="ID")

    # evaluation
    p = command(
        sub, "evaluate", commands.evaluate, "evaluate synthetic data against the real dataset"
    )
    p.add_argument("real_dataset_id", metavar="REAL_DATASET_ID")
    p.add_argument("synthetic_dataset_id", metavar="SYNTHETIC_DATASET_ID")
    p.add_argument("--target", help="the column utility models predict")
    p.add_argument("--sensitive-column", help="the secret of the inference attack")
    p.add_argument("--task", choices=["classification", "regression"])
    p.add_argument("--synthesizer-name", help="how the report names the synthesizer")
    p.add_argument(
        "--synthesizer-id",
        help="the synthesizer that made the sample: the report then knows which rows it "
        "trained on and uses the holdout split it trained beside",
    )
    p.add_argument("--skip-plots", action="store_true")
    p.add_argument(
        "--holdout-fraction",
        type=float,
        default=0.2,
        help="share of real rows held out, if the dataset has no split yet",
    )
    p.add_argument("--seed", type=int, default=0, help="of the split, if drawn now")
    p.add_argument(
        "--config", action="append", default=[], metavar="NAME=VALUE", help="other settings"
    )
    p.add_argument("--wait", action="store_true", help="follow the job and show the report")
    p = command(sub, "report", commands.report, "show or download an evaluation report")
    p.add_argument("report_id", metavar="ID")
    p.add_argument("--format", choices=["html", "pdf", "json"])
    p.add_argument("--out", help="the file (or a directory)")
    _release_commands(command, group)

    # privacy
    p = command(sub, "budget", commands.budget, "a dataset's differential-privacy budget")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--set", type=float, metavar="EPSILON", help="set the total epsilon")
    p.add_argument("--delta", type=float, help="with --set: the total delta")

    # reviews
    review = group("review", "approve or reject what the assistant drafted")
    p = command(review, "list", commands.review_list, "artifacts waiting for review")
    p.add_argument(
        "--state",
        default="draft",
        help="draft (default), approved, rejected, changes_requested or all",
    )
    p.add_argument("--feature")
    p.add_argument("--creator")
    p.add_argument("--limit", type=int, default=50)
    p = command(review, "approve", commands.review_approve, "approve an artifact")
    p.add_argument("artifact_id", metavar="ID")
    p.add_argument("--comment")
    p = command(review, "reject", commands.review_reject, "reject an artifact")
    p.add_argument("artifact_id", metavar="ID")
    p.add_argument("--comment", required=True, help="why")
    p = command(review, "request-changes", commands.review_request_changes, "send an artifact back")
    p.add_argument("artifact_id", metavar="ID")
    p.add_argument("--comment", required=True, help="what to change")

    # assistant
    p = command(sub, "assist", commands.assist, "ask the assistant (an artifact for review)")
    p.add_argument("feature", metavar="FEATURE", help="one of: " + ", ".join(Artifacts.features()))
    p.add_argument(
        "fields",
        nargs="*",
        metavar="FIELD=VALUE",
        help="the feature's input, e.g. dataset_id=ds_… regulation=gdpr",
    )
    p.add_argument("--input", help="the whole input as JSON (or @file.json)")
    p.add_argument("--no-wait", action="store_true", help="print the job and return")
    return parser


def _admin_commands(command, group) -> None:
    """`users …` and `projects …`."""
    roles = ["viewer", "editor", "reviewer", "admin"]
    users = group("users", "create users, change their role, disable or enable them (admins)")
    p = command(users, "create", admin.users_create, "create a user (in --project, else default)")
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("--role", required=True, choices=roles)
    p.add_argument(
        "--password", help="default: SYNTHSTUDIO_NEW_PASSWORD, else asked (or read from stdin)"
    )
    command(users, "list", admin.users_list, "list users")
    p = command(users, "disable", admin.users_disable, "disable a user: their tokens and keys stop")
    p.add_argument("email", metavar="EMAIL")
    p = command(users, "enable", admin.users_enable, "enable a disabled user")
    p.add_argument("email", metavar="EMAIL")
    p = command(users, "set-role", admin.users_set_role, "change a user's role")
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("role", choices=roles, metavar="ROLE")
    projects = group("projects", "projects own data; members have a role per project")
    p = command(projects, "create", admin.projects_create, "create a project (admins)")
    p.add_argument("name", metavar="NAME")
    command(projects, "list", admin.projects_list, "your projects (every project for admins)")
    p = command(projects, "members", admin.projects_members, "a project's members and roles")
    p.add_argument("project_name", metavar="PROJECT")
    p = command(projects, "add-member", admin.projects_add_member, "add a member, or change a role")
    p.add_argument("project_name", metavar="PROJECT")
    p.add_argument("email", metavar="EMAIL")
    p.add_argument("--role", required=True, choices=roles)
    p = command(projects, "remove-member", admin.projects_remove_member, "remove a member")
    p.add_argument("project_name", metavar="PROJECT")
    p.add_argument("email", metavar="EMAIL")


def _release_commands(command, group) -> None:
    """`release …` and `evidence …`."""
    release = group("release", "release synthetic data: gate, request, sign-off, override")
    p = command(release, "request", releases.release_request, "ask for a dataset's release")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--report", help="the report to judge (default: the newest of the dataset)")
    p = command(release, "approve", releases.release_approve, "sign a release off (reviewers)")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--comment")
    p = command(
        release, "override", releases.release_override, "let a failing gate through (admins)"
    )
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--reason", required=True, help="why, for the audit log (10+ characters)")
    p.add_argument("--report", help="the report to judge (default: the newest of the dataset)")
    p = command(release, "show", releases.release_show, "a dataset's release and its gate")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    evidence = group("evidence", "signed evidence packs of released datasets")
    p = command(evidence, "export", releases.evidence_export, "write a released dataset's pack")
    p.add_argument("dataset_id", metavar="DATASET_ID")
    p.add_argument("--out", help="the file (or a directory)")
    p = command(evidence, "verify", releases.evidence_verify, "check a pack offline")
    p.add_argument("pack", metavar="PACK")
    p.add_argument("--public-key", help="the suite's public key (PEM file): proves the origin")
    p = command(evidence, "public-key", releases.evidence_public_key, "the suite's signing key")
    p.add_argument("--out", help="write the PEM to this file")


def describe_error(error: BaseException) -> tuple[int, str, dict]:
    """The exit code, the one line for stderr, and the JSON error object."""
    if isinstance(error, JobFailed):
        cause = error.error
        return (
            JOB_FAILED,
            f"job {error.job.id} failed: {cause.message} ({cause.reason})",
            {
                "job_id": error.job.id,
                "code": cause.code,
                "reason": cause.reason,
                "message": cause.message,
                "metadata": cause.metadata,
            },
        )
    if isinstance(error, JobCancelled):
        return (
            JOB_CANCELLED,
            f"job {error.job.id} was cancelled",
            {"job_id": error.job.id, "code": "CANCELLED", "reason": "JOB_CANCELLED"},
        )
    if isinstance(error, ApiError):
        if isinstance(error, Unauthenticated | PermissionDenied):
            code = AUTH
        elif isinstance(error, NotFound):
            code = NOT_FOUND
        elif isinstance(error, Unavailable | DeadlineExceeded):
            code = UNAVAILABLE
        else:
            code = SERVER_ERROR
        message = error.message
        extra = [v.description for v in error.violations if v.description not in message]
        if extra:
            message = f"{message}; {'; '.join(extra)}"
        if error.reason == "CREDENTIALS_MISSING":
            message = (
                "not signed in: run `synthstudio login --email E`, or set SYNTHSTUDIO_TOKEN "
                "or SYNTHSTUDIO_API_KEY"
            )
        elif isinstance(error, Unauthenticated) and "login" not in message:
            message = f"{message} (sign in again with `synthstudio login`)"
        return (
            code,
            f"{message} ({error.reason})",
            {
                "code": error.code,
                "reason": error.reason,
                "message": error.message,
                "service": error.service,
                "metadata": error.metadata,
                "violations": [
                    {"field": v.field, "description": v.description} for v in error.violations
                ],
            },
        )
    if isinstance(error, UsageError | OSError):
        text = str(error) if not isinstance(error, OSError) else _os_error(error)
        return USAGE, text, {"code": "USAGE", "reason": "USAGE_ERROR", "message": text}
    if os.environ.get("SYNTHSTUDIO_DEBUG"):
        raise error
    text = f"unexpected {type(error).__name__}: {error} (SYNTHSTUDIO_DEBUG=1 shows where)"
    return INTERNAL, text, {"code": "INTERNAL", "reason": "CLIENT_ERROR", "message": text}


def _os_error(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}"


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command and exits with its code."""
    code = run(argv)
    sys.exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        # Piped or captured: wide enough that tables keep one line per row.
        console = Console(highlight=False, soft_wrap=True, width=200)
    context = commands.Context(
        args=args,
        console=console,
        errors=errors,
        progress=not args.quiet and errors.is_terminal,
    )
    try:
        output = args.handler(context)
        emit(output, as_json=args.json, console=console)
        for line in output.extra:
            sys.stderr.write(f"{PROG}: {line}\n")
        return output.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return INTERRUPTED
    except BrokenPipeError:
        return 0
    except Exception as error:  # noqa: BLE001 - every known failure becomes one line
        code, line, data = describe_error(error)
        if args.json:
            sys.stdout.write(json.dumps({"error": data}) + "\n")
        sys.stderr.write(f"{PROG}: error: {line}\n")
        return code
    finally:
        context.close()


if __name__ == "__main__":
    main()
