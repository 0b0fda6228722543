"""PrivacyService: protobuf <-> the privacy core."""

from __future__ import annotations

from synthstudio.privacy.v1 import privacy_service_pb2 as pb
from synthstudio.privacy.v1 import privacy_service_pb2_grpc
from synthstudio_libs.config import Settings


class PrivacyServicer(privacy_service_pb2_grpc.PrivacyServiceServicer):
    """Until DP training exists nothing can spend, so every budget is the configured default,
    unspent."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def GetPrivacyBudget(self, request, context):
        total = self._settings.default_epsilon_budget
        return pb.PrivacyBudget(
            dataset_id=request.dataset_id,
            epsilon_total=total,
            delta_total=self._settings.default_delta_budget,
            epsilon_spent=0.0,
            epsilon_remaining=total,
        )
