"""EvaluationService: protobuf <-> the report catalog."""

from __future__ import annotations

from synthstudio.evaluation.v1 import evaluation_service_pb2 as pb
from synthstudio.evaluation.v1 import evaluation_service_pb2_grpc
from synthstudio_evaluation.report_catalog import ReportCatalog, StoredReport
from synthstudio_libs.grpc.convert import timestamp


def report_to_proto(report: StoredReport) -> pb.Report:
    return pb.Report(
        id=report.id,
        real_dataset_id=report.real_dataset_id,
        synthetic_dataset_id=report.synthetic_dataset_id,
        quality_score=report.quality_score,
        creator=report.creator,
        create_time=timestamp(report.create_time),
    )


class EvaluationServicer(evaluation_service_pb2_grpc.EvaluationServiceServicer):
    def __init__(self, catalog: ReportCatalog) -> None:
        self._catalog = catalog

    def ListReports(self, request, context):
        found, token = self._catalog.list(request.page_size, request.page_token)
        return pb.ListReportsResponse(
            reports=[report_to_proto(r) for r in found], next_page_token=token
        )
