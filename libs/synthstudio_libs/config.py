"""Typed settings, read once from `SYNTHSTUDIO_*` environment variables.

The defaults run the whole suite on one machine with no set-up: SQLite and artifacts under the
data directory, in-process jobs, every service on its own loopback port.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "SYNTHSTUDIO_"

SERVICE_PORTS = {
    "synthesis": 50051,
    "evaluation": 50052,
    "privacy": 50053,
    "pii": 50054,
    "llm": 50055,
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the environment variable."""


class Settings(BaseSettings):
    """Every setting of every component. `.env.example` lists them with their defaults."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path(".synthstudio"),
        description="Directory for the SQLite database and the artifact store.",
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file in the data directory. "
        "PostgreSQL: postgresql+psycopg://user:password@host:5432/db",
    )
    artifact_dir: Path | None = Field(
        default=None, description="Artifact store directory; empty means <data_dir>/artifacts."
    )
    host: str = Field(default="127.0.0.1", description="Interface the services listen on.")
    synthesis_port: int = Field(
        default=SERVICE_PORTS["synthesis"], ge=0, le=65535, description="Port synthesis listens on."
    )
    evaluation_port: int = Field(
        default=SERVICE_PORTS["evaluation"],
        ge=0,
        le=65535,
        description="Port evaluation listens on.",
    )
    privacy_port: int = Field(
        default=SERVICE_PORTS["privacy"], ge=0, le=65535, description="Port privacy listens on."
    )
    pii_port: int = Field(
        default=SERVICE_PORTS["pii"], ge=0, le=65535, description="Port pii listens on."
    )
    llm_port: int = Field(
        default=SERVICE_PORTS["llm"], ge=0, le=65535, description="Port llm listens on."
    )
    synthesis_addr: str = Field(
        default=f"127.0.0.1:{SERVICE_PORTS['synthesis']}",
        description="Where clients reach synthesis.",
    )
    evaluation_addr: str = Field(
        default=f"127.0.0.1:{SERVICE_PORTS['evaluation']}",
        description="Where clients reach evaluation.",
    )
    privacy_addr: str = Field(
        default=f"127.0.0.1:{SERVICE_PORTS['privacy']}", description="Where clients reach privacy."
    )
    pii_addr: str = Field(
        default=f"127.0.0.1:{SERVICE_PORTS['pii']}", description="Where clients reach pii."
    )
    llm_addr: str = Field(
        default=f"127.0.0.1:{SERVICE_PORTS['llm']}", description="Where clients reach llm."
    )
    engine_tabular_argn_port: int = Field(
        default=50061, ge=0, le=65535, description="Port the TabularARGN engine host listens on."
    )
    engine_tabular_argn_addr: str = Field(
        default="",
        description="Where the synthesis service reaches the TabularARGN engine host; empty "
        "means no TabularARGN engine (`make run` sets it when `make install` built the engine's "
        "environment).",
    )
    gateway_host: str = Field(default="127.0.0.1", description="Interface the gateway listens on.")
    gateway_port: int = Field(default=8000, ge=0, le=65535, description="Port of the REST gateway.")
    log_level: str = Field(
        default="INFO",
        pattern="^(DEBUG|INFO|WARNING|ERROR)$",
        description="DEBUG, INFO, WARNING or ERROR.",
    )
    shutdown_grace_seconds: float = Field(
        default=10.0, ge=0, description="Time in-flight calls get to finish on SIGTERM."
    )
    grpc_max_message_bytes: int = Field(
        default=16 * 1024 * 1024, ge=1024, description="Largest gRPC message a server accepts."
    )
    job_backend: str = Field(
        default="inprocess",
        pattern="^(inprocess|celery)$",
        description="Where jobs run: inprocess (threads of each service) or celery (workers "
        "started with `make worker`; needs SYNTHSTUDIO_REDIS_URL).",
    )
    job_workers: int = Field(
        default=2,
        ge=1,
        description="Threads running in-process jobs; one user runs jobs on all but one of "
        "them at most, so others' jobs always find a worker.",
    )
    jobs_per_user: int = Field(
        default=20,
        ge=1,
        description="Unfinished (queued or running) jobs one user may have on a service; one "
        "more is refused with RESOURCE_EXHAUSTED.",
    )
    job_heartbeat_seconds: float = Field(
        default=5.0, gt=0, description="How often running jobs prove their worker is alive."
    )
    jwt_secret: str = Field(
        default="",
        description="Secret that signs access tokens, shared by every component; empty means "
        "one kept in <data_dir>/jwt-secret.",
    )
    model_signing_key: str = Field(
        default="",
        description="Key of the HMAC that seals trained models (checked before a model is ever "
        "loaded), shared by every component; empty means one kept in <data_dir>/model-key.",
    )
    access_token_ttl_seconds: int = Field(
        default=900, ge=30, description="Lifetime of an access token."
    )
    refresh_token_ttl_seconds: int = Field(
        default=14 * 24 * 3600, ge=60, description="Lifetime of a refresh token."
    )
    admin_email: str = Field(
        default="admin@synthstudio.local",
        description="E-mail of the first administrator, created when there is no user yet.",
    )
    admin_password: str = Field(
        default="",
        description="Password of the first administrator; empty means one is generated and "
        "printed once by `make run`.",
    )
    redis_url: str = Field(
        default="",
        description="Redis shared by every process for rate limits (e.g. "
        "redis://127.0.0.1:6379/0); empty keeps limits in each process's memory.",
    )
    rate_limit_standard_per_minute: int = Field(
        default=600, ge=1, description="Calls per principal per minute to ordinary methods."
    )
    rate_limit_expensive_per_minute: int = Field(
        default=60,
        ge=1,
        description="Calls per principal per minute to expensive methods (training, "
        "evaluation, the assistant, sign-in).",
    )
    sign_in_per_client_per_minute: int = Field(
        default=60,
        ge=1,
        description="Sign-in, refresh and logout calls per client address per minute (the "
        "address the gateway saw, vouched for to the services).",
    )
    sign_in_global_per_minute: int = Field(
        default=20_000,
        ge=1,
        description="Sign-in, refresh and logout calls per minute from all clients together, "
        "per process (or shared through Redis): a ceiling, not a lever.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or CIDR ranges of proxies in front of the "
        "gateway whose X-Forwarded-For is believed; empty believes none.",
    )
    revocation_check_seconds: float = Field(
        default=2.0,
        ge=0,
        le=60,
        description="How long a check that a token's user, sign-in or API key is still live "
        "is trusted: logout ends access tokens everywhere within this time.",
    )
    watch_streams_per_principal: int = Field(
        default=8, ge=1, description="Job watch streams one principal may hold open per process."
    )
    watch_streams_per_process: int = Field(
        default=32,
        ge=1,
        description="Job watch streams a service process holds open at once; more are refused "
        "(RESOURCE_EXHAUSTED) so uploads, downloads and health checks keep their threads.",
    )
    audit_key: str = Field(
        default="",
        description="Key of the HMAC that anchors the audit chain and signs its head (kept "
        "outside the database), shared by every component; empty means one kept in "
        "<data_dir>/audit-key.",
    )
    evidence_signing_key: str = Field(
        default="",
        description="Ed25519 private key (PKCS#8 PEM) that signs evidence packs of released "
        "datasets; empty means one generated once and kept in <data_dir>/evidence-signing-key.pem "
        "(mode 0600).",
    )
    max_request_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest HTTP request body the gateway takes.",
    )
    max_upload_bytes: int = Field(
        default=8 * 1024**3,
        ge=1024,
        description="Largest table file the gateway streams through POST /v1/datasets:upload.",
    )
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins allowed to call the gateway from a browser; "
        "empty allows none.",
    )
    pii_sample_rows: int = Field(
        default=100, ge=1, le=1000, description="Cells per column the upload scan looks at."
    )
    pii_secret: str = Field(
        default="",
        description="Secret for salted hashes, pseudonyms and encryption; empty means one kept "
        "in <data_dir>/pii-secret",
    )
    llm_groq_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SYNTHSTUDIO_LLM_GROQ_API_KEY", "GROQ_API_KEY"),
        description="Groq API key (also read from GROQ_API_KEY); set, Groq is the assistant's "
        "first provider. Empty: no Groq.",
    )
    llm_groq_base_url: str = Field(
        default="https://api.groq.com", description="Where the Groq API is reached."
    )
    llm_groq_model: str = Field(
        default="llama-3.3-70b-versatile", description="Groq model the assistant asks."
    )
    llm_gemini_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SYNTHSTUDIO_LLM_GEMINI_API_KEY", "GEMINI_API_KEY"),
        description="Google Gemini API key (also read from GEMINI_API_KEY); set, Gemini is "
        "the fallback after Groq. Empty: no Gemini. The offline provider always answers last.",
    )
    llm_gemini_base_url: str = Field(
        default="https://generativelanguage.googleapis.com",
        description="Where the Gemini API is reached.",
    )
    llm_gemini_model: str = Field(
        default="gemini-2.5-flash", description="Gemini model the assistant asks."
    )
    llm_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Time one call to an LLM provider may take."
    )
    llm_max_attempts: int = Field(
        default=3, ge=1, le=10, description="Tries per provider on 429/5xx before falling back."
    )
    llm_backoff_initial_seconds: float = Field(
        default=0.5, ge=0, description="First backoff between retries of a provider call."
    )
    llm_backoff_max_seconds: float = Field(
        default=8.0, ge=0, description="Longest backoff between retries of a provider call."
    )
    llm_breaker_failure_threshold: int = Field(
        default=3, ge=1, description="Failed calls in a row that open a provider's circuit."
    )
    llm_breaker_cooldown_seconds: float = Field(
        default=60.0, ge=0, description="How long an open circuit skips its provider."
    )
    llm_cache_max_entries: int = Field(
        default=512, ge=0, description="Provider answers kept in the response cache; 0 = off."
    )
    llm_max_output_tokens: int = Field(
        default=4096, ge=64, description="Most tokens a provider may answer with."
    )
    assistant_min_group_size: int = Field(
        default=10,
        ge=2,
        le=10_000,
        description="Rows behind every figure in an assistant prompt: values shared by fewer "
        "rows are left out, ranges end at the k-th smallest and largest values.",
    )
    default_epsilon_budget: float = Field(
        default=10.0,
        gt=0,
        description="Privacy budget (epsilon) of a dataset until an admin sets one.",
    )
    default_delta_budget: float = Field(
        default=1e-5,
        gt=0,
        lt=1,
        description="Privacy budget (delta) of a dataset until an admin sets one.",
    )
    synthesis_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of synthesis's /metrics endpoint; 0 = off."
    )
    evaluation_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of evaluation's /metrics endpoint; 0 = off."
    )
    privacy_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of privacy's /metrics endpoint; 0 = off."
    )
    pii_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of pii's /metrics endpoint; 0 = off."
    )
    llm_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of llm's /metrics endpoint; 0 = off."
    )
    gateway_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of the gateway's /metrics endpoint; 0 = off."
    )
    worker_metrics_port: int = Field(
        default=0, ge=0, le=65535, description="Port of a job worker's /metrics endpoint; 0 = off."
    )

    @model_validator(mode="after")
    def _celery_needs_redis(self) -> Settings:
        if self.job_backend == "celery" and not self.redis_url:
            raise ValueError(
                "job_backend celery needs a broker: set SYNTHSTUDIO_REDIS_URL "
                "(e.g. redis://127.0.0.1:6379/0)"
            )
        return self

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL to connect to, with the SQLite default filled in."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'synthstudio.db').resolve()}"

    @cached_property
    def resolved_artifact_dir(self) -> Path:
        """The artifact store's directory, with the default filled in."""
        return (self.artifact_dir or self.data_dir / "artifacts").resolve()

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    def service_port(self, service: str) -> int:
        """The port the named service listens on."""
        return getattr(self, f"{service}_port")

    def service_addr(self, service: str) -> str:
        """The address clients use to reach the named service."""
        return getattr(self, f"{service}_addr")


def load_settings(**overrides: Any) -> Settings:
    """Reads the environment once into `Settings`, failing fast with the variable's name."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = f"{ENV_PREFIX}{str(error['loc'][0]).upper()}: " if error["loc"] else ""
            problems.append(f"{field}{error['msg']}")
        raise ConfigError("invalid settings: " + "; ".join(problems)) from exc
