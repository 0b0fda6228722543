"""A project's release policy: the thresholds a report must meet before its synthetic dataset
may leave the platform. Projects without a stored policy get the shipped defaults."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from synthstudio_evaluation.storage import release_policies
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.auth.projects import require_access
from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.storage.util import as_utc, utcnow

DEFAULT_PROJECT = "default"
MAX_PROJECT_LENGTH = 64
MAX_COLUMNS = 1000
MAX_COLUMN_NAME = 255

#: Every check a gate makes, in the order reports show them.
CHECK_NAMES = (
    "fidelity_ratio",
    "utility_ratio",
    "dcr_share_upper",
    "identical_match_share",
    "anonymeter_upper",
    "membership_auc",
    "differential_privacy",
    "pii_free_columns",
)


@dataclass(frozen=True)
class ReleasePolicy:
    """Thresholds of a release gate. A check the report did not measure blocks the release
    unless it is named in `optional_checks`. `pii_free_columns` names the columns in which the
    PII scan of the synthetic output must find nothing (`*`: every column)."""

    project: str = DEFAULT_PROJECT
    min_fidelity_ratio: float = 0.85
    min_utility_ratio: float = 0.8
    max_dcr_share_upper: float = 0.6
    max_identical_match_share: float = 0.01
    max_anonymeter_upper: float = 0.10
    max_membership_auc: float = 0.55
    require_differential_privacy: bool = False
    max_epsilon: float = 10.0
    pii_free_columns: list[str] = field(default_factory=list)
    optional_checks: list[str] = field(default_factory=list)
    updater: str = ""
    update_time: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values["update_time"] = None if self.update_time is None else self.update_time.isoformat()
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ReleasePolicy:
        known = {item.name for item in dataclasses.fields(cls)}
        chosen = {key: value for key, value in values.items() if key in known}
        stamp = chosen.get("update_time")
        chosen["update_time"] = None if not stamp else datetime.fromisoformat(stamp)
        return cls(**chosen)


def check_project(project: str) -> str:
    """The project id, `default` when empty; InvalidInput when too long."""
    if len(project) > MAX_PROJECT_LENGTH:
        raise InvalidInput(
            f"project has {len(project)} characters; use at most {MAX_PROJECT_LENGTH}.",
            field="project",
        )
    return project or DEFAULT_PROJECT


_SHARES = ("max_dcr_share_upper", "max_identical_match_share", "max_anonymeter_upper")


def check_policy(policy: ReleasePolicy) -> None:
    """InvalidInput naming the first threshold out of its range or an unknown check name."""
    for name in ("min_fidelity_ratio", "min_utility_ratio", *_SHARES, "max_membership_auc"):
        value = getattr(policy, name)
        if not math.isfinite(value) or not 0.0 <= value <= 2.0 or (name in _SHARES and value > 1):
            raise InvalidInput(
                f"policy.{name} must be a number in [0, 1] (ratios up to 2); got {value}.",
                field=f"policy.{name}",
            )
    if not math.isfinite(policy.max_epsilon) or policy.max_epsilon <= 0:
        raise InvalidInput(
            f"policy.max_epsilon must be positive; got {policy.max_epsilon}.",
            field="policy.max_epsilon",
        )
    unknown = sorted(set(policy.optional_checks) - set(CHECK_NAMES))
    if unknown:
        raise InvalidInput(
            f"policy.optional_checks names unknown checks {unknown}; known: {list(CHECK_NAMES)}.",
            field="policy.optional_checks",
        )
    columns = policy.pii_free_columns
    if len(columns) > MAX_COLUMNS or any(
        not column.strip() or len(column) > MAX_COLUMN_NAME for column in columns
    ):
        raise InvalidInput(
            f"policy.pii_free_columns takes at most {MAX_COLUMNS} column names of 1 to "
            f"{MAX_COLUMN_NAME} characters (`*`: every column).",
            field="policy.pii_free_columns",
        )


class PolicyStore:
    """Release policies by project, in `evaluation_release_policies`."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    def read(self, project: str) -> ReleasePolicy:
        """The project's policy, for a member of it (GetReleasePolicy)."""
        require_access(check_project(project), Role.VIEWER)
        return self.get(project)

    def get(self, project: str) -> ReleasePolicy:
        """The project's policy, else the shipped defaults."""
        project = check_project(project)
        with self._engine.connect() as connection:
            row = connection.execute(
                release_policies.select().where(release_policies.c.project == project)
            ).first()
        if row is None:
            return ReleasePolicy(project=project)
        stored = ReleasePolicy.from_dict(row.policy)
        return dataclasses.replace(
            stored, project=project, updater=row.updater, update_time=as_utc(row.update_time)
        )

    def put(self, project: str, policy: ReleasePolicy, updater: str) -> ReleasePolicy:
        """Replaces the project's policy after checking it."""
        project = check_project(project)
        check_policy(policy)
        now = utcnow()
        chosen = dataclasses.replace(policy, project=project, updater=updater, update_time=None)
        values = {"policy": chosen.to_dict(), "updater": updater, "update_time": now}
        with self._engine.begin() as connection:
            updated = connection.execute(
                release_policies.update()
                .where(release_policies.c.project == project)
                .values(**values)
            ).rowcount
            if not updated:
                connection.execute(release_policies.insert().values(project=project, **values))
        return self.get(project)
