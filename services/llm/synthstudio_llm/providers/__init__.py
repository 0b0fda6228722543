"""Model providers: Groq and Gemini over HTTP, and the offline provider."""

from __future__ import annotations

from synthstudio_llm.providers.base import (
    Completion,
    FailureKind,
    Message,
    Provider,
    ProviderError,
)
from synthstudio_llm.providers.gemini_provider import GeminiProvider
from synthstudio_llm.providers.groq_provider import GroqProvider
from synthstudio_llm.providers.offline import OfflineProvider
from synthstudio_llm.settings import LlmSettings


def remote_providers(settings: LlmSettings) -> list[Provider]:
    """Groq, then Gemini, each only when its API key is set."""
    providers: list[Provider] = []
    if settings.groq_api_key:
        providers.append(
            GroqProvider(
                api_key=settings.groq_api_key,
                model=settings.groq_model,
                base_url=settings.groq_base_url,
                timeout_seconds=settings.timeout_seconds,
                max_output_tokens=settings.max_output_tokens,
            )
        )
    if settings.gemini_api_key:
        providers.append(
            GeminiProvider(
                api_key=settings.gemini_api_key,
                model=settings.gemini_model,
                base_url=settings.gemini_base_url,
                timeout_seconds=settings.timeout_seconds,
                max_output_tokens=settings.max_output_tokens,
            )
        )
    return providers


__all__ = [
    "Completion",
    "FailureKind",
    "GeminiProvider",
    "GroqProvider",
    "Message",
    "OfflineProvider",
    "Provider",
    "ProviderError",
    "remote_providers",
]
