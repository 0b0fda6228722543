"""What every service process holds: the database, the artifact store, the job machinery and
the identity, rate-limit and audit pieces its interceptor uses."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from synthstudio_libs.artifacts import ArtifactStore
from synthstudio_libs.auth import projects
from synthstudio_libs.auth.audit import AuditLog, ChainAnchor
from synthstudio_libs.auth.identity import IdentityCore
from synthstudio_libs.auth.ratelimit import RateLimits, make_counter
from synthstudio_libs.auth.tokens import TokenSigner, load_secret
from synthstudio_libs.config import Settings
from synthstudio_libs.jobs.runner import Executor, InProcessExecutor, JobQueue, JobRegistry
from synthstudio_libs.jobs.service import JobOperations, WatchSlots
from synthstudio_libs.jobs.store import JobStore
from synthstudio_libs.storage.database import CORE, Component, check_schema, create_engine


@dataclass
class Runtime:
    settings: Settings
    engine: sa.Engine
    artifacts: ArtifactStore
    jobs: JobStore
    registry: JobRegistry
    executor: Executor
    queue: JobQueue
    operations: JobOperations
    identity: IdentityCore
    projects: projects.ProjectDirectory
    audit: AuditLog
    limits: RateLimits

    def close(self) -> None:
        self.executor.shutdown()
        self.engine.dispose()


def identity_core(settings: Settings, engine: sa.Engine) -> IdentityCore:
    signer = TokenSigner(
        load_secret(settings.jwt_secret, settings.data_dir), settings.access_token_ttl_seconds
    )
    return IdentityCore(
        engine,
        signer,
        settings.refresh_token_ttl_seconds,
        revocation_check_seconds=settings.revocation_check_seconds,
    )


def audit_anchor(settings: Settings, artifacts: ArtifactStore) -> ChainAnchor:
    """The audit chain's key (never stored in the database) and its signed head's store."""
    key = load_secret(settings.audit_key, settings.data_dir, filename="audit-key")
    return ChainAnchor(key, artifacts)


def rate_limits(settings: Settings) -> RateLimits:
    return RateLimits(
        make_counter(settings.redis_url),
        standard_per_minute=settings.rate_limit_standard_per_minute,
        expensive_per_minute=settings.rate_limit_expensive_per_minute,
        sign_in_per_client_per_minute=settings.sign_in_per_client_per_minute,
        sign_in_global_per_minute=settings.sign_in_global_per_minute,
    )


def open_runtime(settings: Settings, *components: Component) -> Runtime:
    """Connects to the database (failing fast if the schema of the core or of `components` is
    behind), opens the artifact store and starts the job executor the settings choose."""
    engine = create_engine(settings.resolved_database_url)
    check_schema(engine, list(dict.fromkeys([CORE, *components])))
    store = JobStore(engine)
    registry = JobRegistry()
    identity = identity_core(settings, engine)
    directory = projects.ProjectDirectory(
        engine, identity.owner_of, settings.revocation_check_seconds
    )
    projects.install(directory)
    executor = _executor(settings, store, registry, identity, directory)
    artifacts = ArtifactStore(settings.resolved_artifact_dir)
    return Runtime(
        settings=settings,
        engine=engine,
        artifacts=artifacts,
        jobs=store,
        registry=registry,
        executor=executor,
        queue=JobQueue(store, executor, settings.jobs_per_user),
        operations=JobOperations(
            store,
            WatchSlots(
                per_principal=settings.watch_streams_per_principal,
                total=settings.watch_streams_per_process,
            ),
        ),
        identity=identity,
        projects=directory,
        audit=AuditLog(engine, audit_anchor(settings, artifacts)),
        limits=rate_limits(settings),
    )


def _executor(
    settings: Settings,
    store: JobStore,
    registry: JobRegistry,
    identity: IdentityCore,
    directory: projects.ProjectDirectory,
) -> Executor:
    if settings.job_backend == "celery":
        from synthstudio_libs.jobs.celery_backend import CeleryExecutor

        return CeleryExecutor(settings, store)
    return InProcessExecutor(
        store,
        registry,
        workers=settings.job_workers,
        heartbeat_seconds=settings.job_heartbeat_seconds,
        delegate=identity.delegate,
        directory=directory,
    )
