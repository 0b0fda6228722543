"""Local HTTP servers speaking Groq's and Gemini's wire formats, for the real client libraries.

Each server answers from a script of replies (a JSON completion, an error status, a slow
answer) and records every request it received, so tests see exactly what left the service.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from synthstudio_llm.providers.gemini_provider import GeminiProvider
from synthstudio_llm.providers.groq_provider import GroqProvider

GROQ_PATH = "/openai/v1/chat/completions"
GEMINI_PATH = re.compile(r"^/v1beta/models/(?P<model>[^/:]+):generateContent$")


@dataclass(frozen=True)
class Reply:
    """One scripted answer: an HTTP status with a body, optionally after a delay."""

    status: int
    body: dict[str, Any]
    delay_seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeProviderServer:
    """A provider on 127.0.0.1 at a free port; `flavor` is "groq" or "gemini"."""

    def __init__(self, flavor: str, model: str) -> None:
        self.flavor = flavor
        self.model = model
        self.requests: list[ReceivedRequest] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer_json(self, output: dict[str, Any], *, tokens: tuple[int, int] = (120, 40)) -> None:
        """Queue a successful completion whose text is `output` as JSON."""
        self.answer_text(json.dumps(output), tokens=tokens)

    def answer_text(self, text: str, *, tokens: tuple[int, int] = (120, 40)) -> None:
        """Queue a successful completion whose text is `text` verbatim."""
        self._queue(Reply(200, self._completion(text, *tokens)))

    def fail(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None) -> None:
        """Queue `times` error replies with `status`."""
        for _ in range(times):
            self._queue(Reply(status, self._error(status), headers=headers or {}))

    def answer_slowly(self, delay_seconds: float, output: dict[str, Any]) -> None:
        """Queue a successful completion sent only after `delay_seconds`."""
        self._queue(Reply(200, self._completion(json.dumps(output), 1, 1), delay_seconds))

    def user_texts(self) -> list[str]:
        """Every text the provider received, system instruction included, in order."""
        texts = []
        for request in self.requests:
            if self.flavor == "groq":
                texts += [message["content"] for message in request.body["messages"]]
            else:
                system = request.body.get("systemInstruction", {}).get("parts", [])
                texts += [part["text"] for part in system]
                for content in request.body["contents"]:
                    texts += [part["text"] for part in content["parts"]]
        return texts

    def _queue(self, reply: Reply) -> None:
        with self._lock:
            self._script.append(reply)

    def _next_reply(self, path: str) -> Reply:
        if not self._path_matches(path):
            return Reply(404, self._error(404))
        with self._lock:
            return self._script.popleft() if self._script else Reply(500, self._error(500))

    def _path_matches(self, path: str) -> bool:
        if self.flavor == "groq":
            return path == GROQ_PATH
        match = GEMINI_PATH.match(path)
        return bool(match) and match.group("model") == self.model

    def _completion(self, text: str, prompt_tokens: int, completion_tokens: int) -> dict:
        if self.flavor == "groq":
            return {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 1_700_000_000,
                "model": self.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text},
                        "finish_reason": "stop",
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt_tokens,
                    "completion_tokens": completion_tokens,
                    "total_tokens": prompt_tokens + completion_tokens,
                },
            }
        return {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": text}]},
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "usageMetadata": {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": completion_tokens,
                "totalTokenCount": prompt_tokens + completion_tokens,
            },
            "modelVersion": self.model,
        }

    def _error(self, status: int) -> dict:
        if self.flavor == "groq":
            return {"error": {"message": f"fake error {status}", "type": "fake", "code": None}}
        return {"error": {"code": status, "message": f"fake error {status}", "status": "FAKE"}}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                path = self.path.split("?", 1)[0]
                with fake._lock:
                    fake.requests.append(
                        ReceivedRequest(path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                reply = fake._next_reply(path)
                time.sleep(reply.delay_seconds)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    # The client gave up (a timeout test): nothing left to answer.
                    return

            def log_message(self, format: str, *args: object) -> None:
                return None

        return Handler


def groq_provider(server: FakeProviderServer, timeout: float = 5.0) -> GroqProvider:
    """The real Groq provider pointed at `server`."""
    return GroqProvider(
        api_key="gsk-test-key",
        model=server.model,
        base_url=server.base_url,
        timeout_seconds=timeout,
        max_output_tokens=512,
    )


def gemini_provider(server: FakeProviderServer, timeout: float = 5.0) -> GeminiProvider:
    """The real Gemini provider pointed at `server`."""
    return GeminiProvider(
        api_key="gemini-test-key",
        model=server.model,
        base_url=server.base_url,
        timeout_seconds=timeout,
        max_output_tokens=512,
    )
