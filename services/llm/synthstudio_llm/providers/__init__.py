"""Model providers: Groq and Gemini over HTTP, and the offline provider.

The Groq and Gemini clients are optional extras (`synthstudio-llm[groq]`, `[gemini]`): a
provider's module is imported only when its API key is set, so the offline provider needs
neither package.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from synthstudio_llm.providers.base import (
    Completion,
    FailureKind,
    Message,
    Provider,
    ProviderError,
)
from synthstudio_llm.providers.offline import OfflineProvider
from synthstudio_llm.settings import LlmSettings


class ProviderNotInstalled(RuntimeError):
    """A provider's API key is set but its client package (an extra) is not installed."""


def remote_providers(settings: LlmSettings) -> list[Provider]:
    """Groq, then Gemini, each only when its API key is set."""
    providers: list[Provider] = []
    if settings.groq_api_key:
        groq = _provider_module("groq_provider", extra="groq", key="SYNTHSTUDIO_LLM_GROQ_API_KEY")
        providers.append(
            groq.GroqProvider(
                api_key=settings.groq_api_key,
                model=settings.groq_model,
                base_url=settings.groq_base_url,
                timeout_seconds=settings.timeout_seconds,
                max_output_tokens=settings.max_output_tokens,
            )
        )
    if settings.gemini_api_key:
        gemini = _provider_module(
            "gemini_provider", extra="gemini", key="SYNTHSTUDIO_LLM_GEMINI_API_KEY"
        )
        providers.append(
            gemini.GeminiProvider(
                api_key=settings.gemini_api_key,
                model=settings.gemini_model,
                base_url=settings.gemini_base_url,
                timeout_seconds=settings.timeout_seconds,
                max_output_tokens=settings.max_output_tokens,
            )
        )
    return providers


def _provider_module(name: str, *, extra: str, key: str) -> ModuleType:
    try:
        return importlib.import_module(f"synthstudio_llm.providers.{name}")
    except ImportError as error:
        raise ProviderNotInstalled(
            f"{key} is set but the {extra} client is not installed ({error.name} is missing): "
            f"install it with `pip install 'synthstudio-llm[{extra}]'`, or unset {key} to use "
            "the offline provider"
        ) from error


__all__ = [
    "Completion",
    "FailureKind",
    "Message",
    "OfflineProvider",
    "Provider",
    "ProviderError",
    "ProviderNotInstalled",
    "remote_providers",
]
