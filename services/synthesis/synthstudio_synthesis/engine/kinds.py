"""The synthesizer kinds the platform trains and the data layout each one models."""

from __future__ import annotations

from enum import StrEnum

from synthstudio_libs.errors import InvalidInput


class DataLayout(StrEnum):
    """How the training tables hang together."""

    SINGLE_TABLE = "single_table"
    MULTI_TABLE = "multi_table"
    SEQUENTIAL = "sequential"


class SynthesizerKind(StrEnum):
    """A synthesizer algorithm, engine-neutral (an engine decides how it implements each)."""

    GAUSSIAN_COPULA = "gaussian_copula"
    CTGAN = "ctgan"
    TVAE = "tvae"
    COPULAGAN = "copulagan"
    HMA = "hma"
    PAR = "par"
    # TabularARGN (mostlyai-engine, Apache-2.0), single table; runs in its own engine host.
    TABULAR_ARGN = "tabular_argn"

    @property
    def layout(self) -> DataLayout:
        if self is SynthesizerKind.HMA:
            return DataLayout.MULTI_TABLE
        if self is SynthesizerKind.PAR:
            return DataLayout.SEQUENTIAL
        return DataLayout.SINGLE_TABLE

    @property
    def trains_in_epochs(self) -> bool:
        """Deep models report progress per epoch; the others per stage."""
        return self in _EPOCH_KINDS

    @property
    def takes_constraints(self) -> bool:
        """SDV's constraints; TabularARGN has none of its own."""
        return self is not SynthesizerKind.TABULAR_ARGN

    @property
    def reuses_prepared_data(self) -> bool:
        """Kinds whose costly data preparation (ctgan's DataTransformer) can be cached."""
        return self in _PREPARED_DATA_KINDS


_EPOCH_KINDS = frozenset(
    {SynthesizerKind.CTGAN, SynthesizerKind.TVAE, SynthesizerKind.COPULAGAN, SynthesizerKind.PAR}
)
_PREPARED_DATA_KINDS = frozenset(
    {SynthesizerKind.CTGAN, SynthesizerKind.TVAE, SynthesizerKind.COPULAGAN}
)


# Not a kind: asks the service to choose one for the dataset (see EngineRegistry.choose).
AUTO = "auto"


def parse_kind(value: str | SynthesizerKind, field: str = "kind") -> SynthesizerKind:
    """The kind named by `value`, or InvalidInput listing the kinds there are."""
    try:
        return SynthesizerKind(value)
    except ValueError:
        known = ", ".join(kind.value for kind in SynthesizerKind)
        raise InvalidInput(
            f"unknown synthesizer kind {value!r}: use one of {known}",
            field=field,
            metadata={"kind": value, "known": known},
        ) from None
