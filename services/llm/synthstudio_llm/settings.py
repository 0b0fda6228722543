"""Settings of the assistant's provider chain, filled by the service from the typed settings."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LlmSettings:
    """Providers, per-call limits and resilience knobs.

    A remote provider joins the chain only when its API key is set (Groq first, then Gemini);
    the offline provider always closes the chain, so every feature answers with no network.
    """

    groq_api_key: str | None = None
    groq_base_url: str = "https://api.groq.com"
    groq_model: str = "llama-3.3-70b-versatile"
    gemini_api_key: str | None = None
    gemini_base_url: str = "https://generativelanguage.googleapis.com"
    gemini_model: str = "gemini-2.5-flash"
    timeout_seconds: float = 30.0
    max_attempts: int = 3
    backoff_initial_seconds: float = 0.5
    backoff_max_seconds: float = 8.0
    breaker_failure_threshold: int = 3
    breaker_cooldown_seconds: float = 60.0
    cache_max_entries: int = 512
    max_output_tokens: int = 4096
