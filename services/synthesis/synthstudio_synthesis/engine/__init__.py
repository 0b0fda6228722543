"""The synthesis domain core: metadata, typed hyperparameters, constraints, training with
progress and cancellation, integrity-checked persistence and reproducible parallel sampling.

Plain Python over pandas; no gRPC or protobuf, and no SDV: the SDV engine is the package
`synthstudio_engine_sdv` (engines/sdv), installed only in the default profile.
"""

from synthstudio_synthesis.engine.columns import ColumnDomain, FixedColumn
from synthstudio_synthesis.engine.constraints import (
    Constraint,
    FixedCombinations,
    FixedIncrements,
    Inequality,
    OneHotEncoding,
    Range,
    constraint_to_dict,
    parse_constraint,
)
from synthstudio_synthesis.engine.hyperparameters import (
    CopulaGANHyperparameters,
    CTGANHyperparameters,
    GaussianCopulaHyperparameters,
    HMAHyperparameters,
    Hyperparameters,
    PARHyperparameters,
    TVAEHyperparameters,
    parse_hyperparameters,
)
from synthstudio_synthesis.engine.interface import (
    Condition,
    ExactCondition,
    PreparedDataUse,
    RangeCondition,
    SampleRequest,
    SampleResult,
    SampleStream,
    SynthesizerEngine,
    TableProfile,
    TrainedModel,
    TrainingReport,
    TrainingSpec,
)
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind, parse_kind
from synthstudio_synthesis.engine.metadata import TableMetadata
from synthstudio_synthesis.engine.persistence import load_model, save_model, seal, unseal

__all__ = [
    "ColumnDomain",
    "Condition",
    "Constraint",
    "CopulaGANHyperparameters",
    "CTGANHyperparameters",
    "DataLayout",
    "ExactCondition",
    "FixedColumn",
    "FixedCombinations",
    "FixedIncrements",
    "GaussianCopulaHyperparameters",
    "HMAHyperparameters",
    "Hyperparameters",
    "Inequality",
    "OneHotEncoding",
    "PARHyperparameters",
    "PreparedDataUse",
    "Range",
    "RangeCondition",
    "SampleRequest",
    "SampleResult",
    "SampleStream",
    "SynthesizerEngine",
    "SynthesizerKind",
    "TVAEHyperparameters",
    "TableMetadata",
    "TableProfile",
    "TrainedModel",
    "TrainingReport",
    "TrainingSpec",
    "constraint_to_dict",
    "load_model",
    "parse_constraint",
    "parse_hyperparameters",
    "parse_kind",
    "save_model",
    "seal",
    "unseal",
]
