"""Groq through its official client (OpenAI-compatible `/openai/v1/chat/completions`)."""

from __future__ import annotations

from typing import Any

import groq

from synthstudio_llm.providers.base import (
    Completion,
    FailureKind,
    Message,
    ProviderError,
    failure_for_status,
    retry_after,
)


class GroqProvider:
    """Chat completions in JSON mode; the client's own retries are off (`max_retries=0`)."""

    name = "groq"

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
        self._client = groq.Groq(
            api_key=api_key, base_url=base_url, timeout=timeout_seconds, max_retries=0
        )

    def complete(self, system: str, messages: list[Message], schema: dict[str, Any]) -> Completion:
        """One chat completion; the schema travels in the system instruction (JSON mode)."""
        chat = [{"role": "system", "content": system}]
        chat += [{"role": message.role, "content": message.content} for message in messages]
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=chat,
                response_format={"type": "json_object"},
                temperature=0,
                max_completion_tokens=self._max_output_tokens,
            )
        except groq.APITimeoutError as error:
            raise ProviderError(FailureKind.TIMEOUT, f"groq timed out: {error}") from error
        except groq.APIConnectionError as error:
            raise ProviderError(FailureKind.CONNECTION, f"groq unreachable: {error}") from error
        except groq.APIStatusError as error:
            raise ProviderError(
                failure_for_status(error.status_code),
                f"groq answered HTTP {error.status_code}",
                status_code=error.status_code,
                retry_after_seconds=retry_after(error.response.headers),
            ) from error
        usage = response.usage
        text = (response.choices[0].message.content or "") if response.choices else ""
        return Completion(
            text=text,
            model=response.model or self.model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )

    def close(self) -> None:
        self._client.close()
