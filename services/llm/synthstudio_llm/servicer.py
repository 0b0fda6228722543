"""LlmService: protobuf <-> the assistant core."""

from __future__ import annotations

from synthstudio.llm.v1 import llm_service_pb2 as pb
from synthstudio.llm.v1 import llm_service_pb2_grpc
from synthstudio_libs.grpc.convert import timestamp
from synthstudio_llm.artifact_catalog import ArtifactCatalog, StoredArtifact


def artifact_to_proto(artifact: StoredArtifact) -> pb.Artifact:
    return pb.Artifact(
        id=artifact.id,
        feature=artifact.feature,
        state=pb.ArtifactState.Value(f"ARTIFACT_STATE_{artifact.state}"),
        provider=artifact.provider,
        model=artifact.model,
        creator=artifact.creator,
        create_time=timestamp(artifact.create_time),
    )


class LlmServicer(llm_service_pb2_grpc.LlmServiceServicer):
    def __init__(self, catalog: ArtifactCatalog) -> None:
        self._catalog = catalog

    def ListArtifacts(self, request, context):
        found, token = self._catalog.list(request.page_size, request.page_token)
        return pb.ListArtifactsResponse(
            artifacts=[artifact_to_proto(a) for a in found], next_page_token=token
        )
