"""Google Gemini through `google-genai` (`/{version}/models/{model}:generateContent`)."""

from __future__ import annotations

from typing import Any

import httpx
import httpx2
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

from synthstudio_llm.providers.base import (
    Completion,
    FailureKind,
    Message,
    ProviderError,
    failure_for_status,
    retry_after,
)

# google-genai 3 sends through httpx2 by default and through httpx when configured to.
_TIMEOUTS = (httpx.TimeoutException, httpx2.TimeoutException)
_TRANSPORT = (httpx.TransportError, httpx2.TransportError)


class GeminiProvider:
    """Structured output (`response_json_schema`); the SDK's retries are off (one attempt).

    The provider holds its `genai.Client` for its whole life: the client closes its HTTP
    connection when it is garbage-collected, so a temporary one would break mid-call.
    """

    name = "gemini"

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str,
        timeout_seconds: float,
        max_output_tokens: int,
    ) -> None:
        self.model = model
        self._max_output_tokens = max_output_tokens
        self._client = genai.Client(
            api_key=api_key,
            http_options=types.HttpOptions(
                base_url=base_url,
                api_version="v1beta",
                timeout=int(timeout_seconds * 1000),
                retry_options=types.HttpRetryOptions(attempts=1),
            ),
        )

    def complete(self, system: str, messages: list[Message], schema: dict[str, Any]) -> Completion:
        """One generateContent call asking for JSON that conforms to `schema`."""
        contents = [
            types.Content(
                role="user" if message.role == "user" else "model",
                parts=[types.Part(text=message.content)],
            )
            for message in messages
        ]
        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=0,
            response_mime_type="application/json",
            response_json_schema=schema,
            max_output_tokens=self._max_output_tokens,
        )
        try:
            response = self._client.models.generate_content(
                model=self.model, contents=contents, config=config
            )
        except genai_errors.APIError as error:
            headers = getattr(error.response, "headers", None)
            raise ProviderError(
                failure_for_status(error.code),
                f"gemini answered HTTP {error.code}: {error.message or error.status}",
                status_code=error.code,
                retry_after_seconds=retry_after(headers),
            ) from error
        except _TIMEOUTS as error:
            raise ProviderError(FailureKind.TIMEOUT, f"gemini timed out: {error}") from error
        except _TRANSPORT as error:
            raise ProviderError(FailureKind.CONNECTION, f"gemini unreachable: {error}") from error
        usage = response.usage_metadata
        return Completion(
            text=response.text or "",
            model=response.model_version or self.model,
            prompt_tokens=(usage.prompt_token_count or 0) if usage else 0,
            completion_tokens=(usage.candidates_token_count or 0) if usage else 0,
        )

    def close(self) -> None:
        self._client.close()
