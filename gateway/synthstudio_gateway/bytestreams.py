"""The two routes that carry raw bytes instead of JSON: dataset upload and download. The RPCs
are still the source of truth (their google.api.http rules give the paths and their access
policies apply); only the body is streamed as is."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import grpc
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from synthstudio.common.v1 import table_pb2
from synthstudio.synthesis.v1 import synthesis_service_pb2 as pb
from synthstudio_gateway import protojson
from synthstudio_gateway.problems import from_rpc_error, problem
from synthstudio_gateway.routes import Route
from synthstudio_gateway.tracing import ClientSpan, traced_unary

UPLOAD = "synthstudio.synthesis.v1.SynthesisService.UploadDataset"
DOWNLOAD = "synthstudio.synthesis.v1.SynthesisService.DownloadDataset"
BYTE_STREAM_METHODS = frozenset({UPLOAD, DOWNLOAD})
_GET_DATASET = "/synthstudio.synthesis.v1.SynthesisService/GetDataset"
CHUNK_BYTES = 1 << 20

_FORMATS = {"csv": table_pb2.TABLE_FORMAT_CSV, "parquet": table_pb2.TABLE_FORMAT_PARQUET}
_MEDIA_TYPES = {
    table_pb2.TABLE_FORMAT_CSV: ("text/csv", "csv"),
    table_pb2.TABLE_FORMAT_PARQUET: ("application/vnd.apache.parquet", "parquet"),
}


class BadQuery(Exception):
    pass


async def open_stream(call: Any, span: ClientSpan) -> tuple[AsyncIterator[Any], Any] | Response:
    """A server stream's iterator and first message (None when it sent none), or the problem
    that answers its failure: reading the first message before any response byte lets an error
    (not found, denied) be an HTTP status rather than a cut body."""
    iterator = call.__aiter__()
    try:
        return iterator, await iterator.__anext__()
    except StopAsyncIteration:
        return iterator, None
    except grpc.aio.AioRpcError as error:
        span.failed_with(error)
        span.end()
        return from_rpc_error(error)


def _format(request: Request, default: str) -> int:
    value = request.query_params.get("format", default).lower()
    if value not in _FORMATS:
        raise BadQuery(f"format must be csv or parquet, not {value!r}")
    return _FORMATS[value]


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise BadQuery(f"{name} must be true or false, not {value!r}")
    return value == "true"


async def _upload_messages(request: Request, table_format: int) -> AsyncIterator:
    params = request.query_params
    yield pb.UploadDatasetRequest(
        header=pb.UploadHeader(
            display_name=params.get("displayName", ""), derived_from=params.get("derivedFrom", "")
        )
    )
    yield pb.UploadDatasetRequest(
        table=pb.TableStart(name=params.get("table", "table"), format=table_format)
    )
    pending = bytearray()
    async for piece in request.stream():
        pending += piece
        while len(pending) >= CHUNK_BYTES:
            yield pb.UploadDatasetRequest(data=bytes(pending[:CHUNK_BYTES]))
            del pending[:CHUNK_BYTES]
    if pending:
        yield pb.UploadDatasetRequest(data=bytes(pending))


def make_upload_endpoint(route: Route, channel_for, admit):
    async def upload(request: Request) -> Response:
        metadata = admit(route, request)
        if isinstance(metadata, Response):
            return metadata
        try:
            table_format = _format(request, "csv")
        except BadQuery as exc:
            return problem(400, "Invalid argument", str(exc), code="INVALID_ARGUMENT")
        call = channel_for(route).stream_unary(
            route.rpc_path,
            request_serializer=pb.UploadDatasetRequest.SerializeToString,
            response_deserializer=pb.Dataset.FromString,
        )
        try:
            dataset = await traced_unary(
                call, route.rpc_path, _upload_messages(request, table_format), metadata
            )
        except grpc.aio.AioRpcError as error:
            return from_rpc_error(error)
        body = protojson.to_json(dataset)
        return Response(body, media_type="application/json")

    return upload


def make_download_endpoint(route: Route, channel_for, admit):
    async def download(request: Request) -> Response:
        metadata = admit(route, request)
        if isinstance(metadata, Response):
            return metadata
        try:
            table_format = _format(request, "parquet")
            keep_formulas = _flag(request, "keepFormulas")
        except BadQuery as exc:
            return problem(400, "Invalid argument", str(exc), code="INVALID_ARGUMENT")
        message = pb.DownloadDatasetRequest(
            dataset_id=request.path_params["dataset_id"],
            table=request.query_params.get("table", ""),
            format=table_format,
            keep_formulas=keep_formulas,
        )
        stored = None
        if table_format == table_pb2.TABLE_FORMAT_PARQUET:
            try:
                stored = await _stored_tables(channel_for(route), message.dataset_id, metadata)
            except grpc.aio.AioRpcError as error:
                return from_rpc_error(error)
        span = ClientSpan(route.rpc_path, metadata)
        call = channel_for(route).unary_stream(
            route.rpc_path,
            request_serializer=pb.DownloadDatasetRequest.SerializeToString,
            response_deserializer=pb.DatasetChunk.FromString,
        )(message, metadata=span.metadata)
        opened = await open_stream(call, span)
        if isinstance(opened, Response):
            return opened
        iterator, first = opened
        tables = {first.table} if first else set()

        async def body() -> AsyncIterator[bytes]:
            try:
                if first is not None:
                    yield first.data
                async for chunk in iterator:
                    if tables and chunk.table not in tables:
                        break
                    yield chunk.data
            except grpc.aio.AioRpcError as error:
                span.failed_with(error)
                raise
            finally:
                span.end()

        media_type, extension = _MEDIA_TYPES[table_format]
        name = f"{message.dataset_id}-{first.table if first else 'table'}.{extension}"
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        if stored is not None and first is not None and first.table in stored:
            headers.update(_integrity_headers(stored[first.table]))
        return StreamingResponse(body(), media_type=media_type, headers=headers)

    return download


async def _stored_tables(channel, dataset_id: str, metadata) -> dict[str, pb.DatasetTable]:
    call = channel.unary_unary(
        _GET_DATASET,
        request_serializer=pb.GetDatasetRequest.SerializeToString,
        response_deserializer=pb.Dataset.FromString,
    )
    request = pb.GetDatasetRequest(dataset_id=dataset_id)
    dataset = await traced_unary(call, _GET_DATASET, request, metadata)
    return {table.name: table for table in dataset.tables}


def _integrity_headers(table: pb.DatasetTable) -> dict[str, str]:
    """A stored Parquet table is served byte for byte: its length lets a client tell a cut
    stream (a gateway killed mid-download) from a whole one, and its SHA-256 (RFC 9530
    Repr-Digest) a corrupted one."""
    digest = base64.b64encode(bytes.fromhex(table.sha256)).decode()
    return {"content-length": str(table.size_bytes), "repr-digest": f"sha-256=:{digest}:"}
