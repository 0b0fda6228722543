"""PrivacyService: protobuf <-> the privacy core, nothing more."""

from __future__ import annotations

from google.protobuf import empty_pb2

from synthstudio.privacy.v1 import privacy_service_pb2 as pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio_libs.grpc.jobs import job_to_proto
from synthstudio_privacy import convert
from synthstudio_privacy.core import SAMPLE_TABLE, PrivacyCore


class PrivacyServicer(privacy_service_pb2_grpc.PrivacyServiceServicer):
    def __init__(self, core: PrivacyCore) -> None:
        self._core = core

    # -- budgets ------------------------------------------------------------------------------

    def GetPrivacyBudget(self, request, context):
        return convert.budget_to_proto(self._core.get_budget(request.dataset_id))

    def UpdatePrivacyBudget(self, request, context):
        budget = self._core.set_budget(
            request.dataset_id, request.epsilon_total, request.delta_total
        )
        return convert.budget_to_proto(budget)

    def ListPrivacySpends(self, request, context):
        spends, token = self._core.list_spends(
            request.dataset_id, request.page_size, request.page_token
        )
        return pb.ListPrivacySpendsResponse(
            spends=[convert.spend_to_proto(s) for s in spends], next_page_token=token
        )

    # -- DP synthesizers ----------------------------------------------------------------------

    def TrainDpSynthesizer(self, request, context):
        return job_to_proto(self._core.start_training(convert.training_request(request)))

    def GetDpSynthesizer(self, request, context):
        return convert.synthesizer_to_proto(self._core.get(request.synthesizer_id))

    def ListDpSynthesizers(self, request, context):
        found, token = self._core.list(request.dataset_id, request.page_size, request.page_token)
        return pb.ListDpSynthesizersResponse(
            synthesizers=[convert.synthesizer_to_proto(r) for r in found], next_page_token=token
        )

    def DeleteDpSynthesizer(self, request, context):
        self._core.delete(request.synthesizer_id)
        return empty_pb2.Empty()

    def SampleDpSynthesizer(self, request, context):
        chunks = self._core.sample_parquet(request.synthesizer_id, request.num_rows, request.seed)
        for data in chunks:
            yield synthesis_pb.DatasetChunk(table=SAMPLE_TABLE, data=data)

    def VerifyPrivacyGuarantee(self, request, context):
        return convert.verification_to_proto(self._core.verify(request.synthesizer_id))
