"""Only released synthetic data leaves: downloads of synthetic datasets and sample streams are
refused, to everyone but admins, until the evaluation service says the data is released (a
report whose gate passed, or an admin's override, and a reviewer's sign-off).

Raw uploads are not affected. A synthesizer (a DP synthesizer too) streams rows only when one
of its samples is released: the stream is more of the same model, which that release vouched
for. The synthesis and privacy services both guard with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from synthstudio_libs.auth.principal import Role, current_principal
from synthstudio_libs.errors import FailedPrecondition


@dataclass(frozen=True)
class ReleaseStatus:
    released: bool
    missing: list[str] = field(default_factory=list)


class StoredDataset(Protocol):
    """What the guard reads of a dataset: its id and whether a synthesizer sampled it."""

    @property
    def id(self) -> str: ...

    @property
    def synthetic(self) -> bool: ...


class ReleaseChecker(Protocol):
    """Asks the evaluation service whether data is released."""

    def dataset(self, dataset_id: str) -> ReleaseStatus: ...

    def synthesizer(self, synthesizer_id: str) -> ReleaseStatus: ...


class ReleaseGuard:
    def __init__(self, checker: ReleaseChecker) -> None:
        self._checker = checker

    def check_download(self, dataset: StoredDataset) -> None:
        """FailedPrecondition naming what is missing when `dataset` is synthetic and not
        released (admins pass)."""
        if not dataset.synthetic or current_principal().role is Role.ADMIN:
            return
        status = self._checker.dataset(dataset.id)
        if not status.released:
            raise _refusal(f"synthetic dataset '{dataset.id}'", status, dataset_id=dataset.id)

    def check_stream(self, synthesizer_id: str) -> None:
        """FailedPrecondition unless a sample of the synthesizer is released (admins pass)."""
        if current_principal().role is Role.ADMIN:
            return
        status = self._checker.synthesizer(synthesizer_id)
        if not status.released:
            raise _refusal(
                f"rows of synthesizer '{synthesizer_id}'", status, synthesizer_id=synthesizer_id
            )


def _refusal(what: str, status: ReleaseStatus, **metadata: str) -> FailedPrecondition:
    missing = "; ".join(status.missing) or "a release"
    return FailedPrecondition(
        f"{what} cannot leave the platform before it is released; missing: {missing}. Evaluate "
        "it, request its release (synthstudio release request) and have a reviewer approve it "
        "(synthstudio release approve).",
        reason="NOT_RELEASED",
        metadata={**metadata, "missing": missing},
    )
