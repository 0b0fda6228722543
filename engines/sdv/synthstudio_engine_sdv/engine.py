"""The SDV 2.0 implementation of `SynthesizerEngine`."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import cloudpickle
import pandas as pd
import sdv
from sdv.cag._errors import ConstraintNotMetError
from sdv.errors import (
    ConstraintsNotMetError,
    InvalidDataError,
    InvalidDataTypeError,
    SynthesizerInputError,
)
from sdv.metadata import Metadata
from sdv.metadata.errors import InvalidMetadataError
from sdv.single_table import GaussianCopulaSynthesizer

from synthstudio_engine_sdv.metadata import (
    check_layout,
    check_matches_tables,
    detect_metadata,
    load_metadata,
    plain_message,
    validate_metadata,
)
from synthstudio_engine_sdv.prepared_data import PreparedDataCache
from synthstudio_engine_sdv.sampling import (
    BLOCK_ROWS,
    CONDITION_ATTEMPTS,
    KeySequence,
    ParallelSampler,
    block_sizes,
    derive_seed,
    run_in_process,
    sample_block,
    sample_sequences,
    sample_tables,
)
from synthstudio_engine_sdv.training import (
    FitObserver,
    ObservedCopulaGANSynthesizer,
    ObservedCTGANSynthesizer,
    ObservedHMASynthesizer,
    ObservedPARSynthesizer,
    ObservedTVAESynthesizer,
)
from synthstudio_libs.errors import FailedPrecondition, InvalidInput
from synthstudio_libs.jobs.progress import Progress
from synthstudio_synthesis.engine.columns import (
    find_fixed_columns,
    normalise_frame,
    profile_domains,
    protected_columns,
    restore_columns,
)
from synthstudio_synthesis.engine.conditions import UNSATISFIABLE, ConditionPlan, plan_conditions
from synthstudio_synthesis.engine.constraints import Constraint, check_constraints
from synthstudio_synthesis.engine.hyperparameters import (
    HYPERPARAMETER_TYPES,
    Hyperparameters,
    check_hyperparameters_kind,
)
from synthstudio_synthesis.engine.interface import (
    SampleRequest,
    SampleResult,
    SampleStream,
    TableProfile,
    TrainedModel,
    TrainingReport,
    TrainingSpec,
    check_count,
    check_seed,
)
from synthstudio_synthesis.engine.kinds import DataLayout, SynthesizerKind, parse_kind
from synthstudio_synthesis.engine.metadata import check_tables

MODEL_INCOMPATIBLE = "MODEL_INCOMPATIBLE"
MAX_SCALE = 1000.0
MAX_SEQUENCES = 10_000_000
MAX_SEQUENCE_LENGTH = 1_000_000
# ctgan's Bayesian mixtures need two rows to fit.
_DEEP_MIN_ROWS = 2
_SDV_INPUT_ERRORS = (
    SynthesizerInputError,
    InvalidMetadataError,
    ConstraintNotMetError,
    ConstraintsNotMetError,
    InvalidDataTypeError,
)


SDV_KINDS = frozenset(
    {
        SynthesizerKind.GAUSSIAN_COPULA,
        SynthesizerKind.CTGAN,
        SynthesizerKind.TVAE,
        SynthesizerKind.COPULAGAN,
        SynthesizerKind.HMA,
        SynthesizerKind.PAR,
    }
)


class SdvEngine:
    """Trains, persists and samples SDV 2.0 synthesizers.

    `sampler` runs sampling in worker processes on every core (reproducible and memory-flat);
    without it sampling runs in-process, one request at a time. `prepared_data` lets CTGAN,
    TVAE and CopulaGAN reuse their prepared training data across trainings on the same data.
    Rows are generated in blocks of `block_rows`; a seed gives the same rows for the same block
    size, whatever the sampler.
    """

    name = "sdv"
    version = f"sdv {sdv.__version__}"
    # SDV, RDT, CTGAN, Copulas and DeepEcho: no commercial synthetic-data service for others.
    licence = "BUSL-1.1"

    def __init__(
        self,
        *,
        sampler: ParallelSampler | None = None,
        prepared_data: PreparedDataCache | None = None,
        block_rows: int = BLOCK_ROWS,
    ) -> None:
        self.sampler = sampler
        self.prepared_data = prepared_data
        self.block_rows = block_rows

    def kinds(self) -> frozenset[SynthesizerKind]:
        return SDV_KINDS

    def detect_metadata(
        self,
        tables: Mapping[str, pd.DataFrame],
        layout: DataLayout | None = None,
        *,
        sequence_key: str | None = None,
        sequence_index: str | None = None,
    ) -> dict[str, Any]:
        return detect_metadata(
            tables, layout, sequence_key=sequence_key, sequence_index=sequence_index
        )

    def validate_metadata(
        self, metadata: Mapping[str, Any], tables: Mapping[str, pd.DataFrame] | None = None
    ) -> dict[str, Any]:
        return validate_metadata(metadata, tables)

    # Training.
    def train(
        self, tables: Mapping[str, pd.DataFrame], spec: TrainingSpec, progress: Progress
    ) -> TrainedModel:
        """A fitted model; InvalidInput for bad input, JobCancelled when progress says so."""
        started = time.monotonic()
        kind, hyperparameters, metadata = _checked_request(tables, spec)
        progress.update(0.0, "checking the data")
        described = metadata.to_dict()
        frames = {name: normalise_frame(frame) for name, frame in tables.items()}
        _check_enough_rows(kind, frames)
        profiles, warnings = _leave_out_fixed_columns(kind, metadata, frames)
        frames = {
            name: frame[list(profiles[name].modelled_columns)] for name, frame in frames.items()
        }
        constraints = _sdv_constraints(spec.constraints, metadata, frames, profiles, kind)
        if kind is SynthesizerKind.PAR:
            _check_context_columns(hyperparameters.context_columns, metadata, frames)
        if all(not profile.modelled_columns for profile in profiles.values()):
            synthesizer, observer = None, FitObserver(progress)
        else:
            arguments = _synthesizer_arguments(kind, hyperparameters, profiles, warnings)
            observer = self._observer(kind, hyperparameters, progress)
            synthesizer = self._fit(kind, metadata, arguments, constraints, frames, observer)
        progress.update(1.0, "trained")
        report = TrainingReport(
            rows={name: len(frame) for name, frame in tables.items()},
            warnings=tuple(warnings),
            epochs_completed=observer.epochs_completed if kind.trains_in_epochs else None,
            prepared_data=observer.prepared_data_use,
            seconds=time.monotonic() - started,
        )
        return TrainedModel(
            engine=self.name,
            engine_version=self.version,
            kind=kind,
            metadata=described,
            hyperparameters=hyperparameters,
            constraints=tuple(spec.constraints),
            tables=profiles,
            report=report,
            synthesizer=synthesizer,
        )

    def _observer(
        self, kind: SynthesizerKind, hyperparameters: Hyperparameters, progress: Progress
    ) -> FitObserver:
        cache = self.prepared_data if kind.reuses_prepared_data else None
        start = 0.15 if kind.reuses_prepared_data else 0.1
        epochs = getattr(hyperparameters, "epochs", None)
        return FitObserver(progress, epochs=epochs, prepared_data=cache, training_from=start)

    def _fit(
        self,
        kind: SynthesizerKind,
        metadata: Metadata,
        arguments: dict[str, Any],
        constraints: list[Any],
        frames: dict[str, pd.DataFrame],
        observer: FitObserver,
    ) -> Any:
        with _sdv_input_errors("hyperparameters"):
            synthesizer = _SYNTHESIZERS[kind](metadata, **arguments)
        if kind is SynthesizerKind.HMA:
            _set_hma_table_parameters(synthesizer, arguments)
        if constraints:
            with _sdv_input_errors("constraints"):
                synthesizer.add_constraints(constraints)
        if hasattr(type(synthesizer), "_observer"):
            synthesizer._observer = observer
        try:
            observer.stage(0.02, "checking and transforming the data")
            with _sdv_input_errors("tables"):
                processed = synthesizer.preprocess(frames)
            observer.stage(0.05, "learning the data")
            with _sdv_input_errors("tables"):
                synthesizer.fit_processed_data(processed)
        finally:
            synthesizer = observer.release(synthesizer)
        return synthesizer

    # Persistence.
    def serialize(self, model: TrainedModel) -> bytes:
        """The model as bytes; seal them (`save_model`) before they leave the process."""
        return cloudpickle.dumps(model)

    def deserialize(self, payload: bytes) -> TrainedModel:
        """The model from `serialize`'s bytes, which must come from a verified (unsealed) file."""
        try:
            model = cloudpickle.loads(payload)
        except Exception as error:  # a verified file that this build cannot read
            why = f"it cannot be read by this version ({type(error).__name__})"
            raise _incompatible(why) from None
        if not isinstance(model, TrainedModel) or model.engine != self.name:
            raise _incompatible("it was not made by the sdv engine")
        return model

    # Sampling.
    def sample(self, model: TrainedModel, request: SampleRequest) -> SampleResult:
        """`request.num_rows` rows of a single-table model, all in one DataFrame."""
        with self.iter_sample(model, request) as stream:
            chunks = list(stream)
        data = pd.concat(chunks) if chunks else _empty(model.table())
        return SampleResult(data, stream.warnings)

    def iter_sample(
        self,
        model: TrainedModel,
        request: SampleRequest,
        progress: Progress | None = None,
        chunk_rows: int | None = None,
    ) -> SampleStream:
        """The rows of `sample`, as DataFrame chunks made in parallel; same seed, same rows.

        Chunks hold at most `chunk_rows` rows (default: one generation block); neither the
        chunk size nor the number of workers changes the rows. Conditions are checked now, so a
        bad condition raises here rather than when iterating.
        """
        if chunk_rows is not None and (isinstance(chunk_rows, bool) or chunk_rows < 1):
            raise InvalidInput(
                f"chunk_rows must be a positive number of rows, got {chunk_rows!r}",
                field="chunk_rows",
            )
        _require_layout(model, DataLayout.SINGLE_TABLE, "row sampling")
        plan = plan_conditions(
            request.conditions,
            model.table(),
            bounded=model.hyperparameters.enforce_min_max_values,
            rounded=model.hyperparameters.enforce_rounding,
        )
        warnings: list[str] = []
        chunks = self._chunks(model, request, plan, warnings, progress)
        if chunk_rows is not None:
            chunks = _sliced(chunks, chunk_rows)
        return SampleStream(chunks, warnings)

    def _chunks(
        self,
        model: TrainedModel,
        request: SampleRequest,
        plan: ConditionPlan,
        warnings: list[str],
        progress: Progress | None,
    ) -> Iterator[pd.DataFrame]:
        table = model.table()
        sizes = block_sizes(request.num_rows, self.block_rows)
        work = [
            {"rows": size, "seed": derive_seed(request.seed, index), "plan": plan}
            for index, size in enumerate(sizes)
        ]
        made = 0
        with self._blocks(model.synthesizer, work) as blocks:
            for index, (size, block) in enumerate(zip(sizes, blocks, strict=True)):
                if index == 0 and size and not len(block) and not plan.empty:
                    raise _unsatisfiable(request)
                block.index = pd.RangeIndex(made, made + len(block))
                block = restore_columns(block, table.fixed_columns, table.columns)
                made += len(block)
                if progress is not None:
                    progress.update(made / request.num_rows, f"sampled {made:,} rows", rows=made)
                yield block
        if made < request.num_rows:
            warnings.append(
                f"{made:,} of {request.num_rows:,} rows met the conditions; the rest were "
                "rarely or never generated, so fewer rows were returned"
            )

    @contextlib.contextmanager
    def _blocks(self, synthesizer: Any, work: list[dict]) -> Iterator[Iterator[pd.DataFrame]]:
        """Finished blocks in order: keys numbered and fixed columns restored by the caller."""
        if synthesizer is None:
            yield (pd.DataFrame(index=range(item["rows"])) for item in work)
            return
        keys = KeySequence(synthesizer)
        if self.sampler is None:
            raw = (run_in_process(sample_block, synthesizer, **item) for item in work)
            yield (keys.fill(block) for block in raw)
            return
        with self.sampler.lease(synthesizer) as spooled:
            raw = self.sampler.imap(spooled, sample_block, work)
            try:
                yield (keys.fill(block) for block in raw)
            finally:
                raw.close()

    def sample_tables(
        self, model: TrainedModel, scale: float, seed: int = 0
    ) -> dict[str, pd.DataFrame]:
        """Every table of a multi-table model, `scale` times its training size."""
        _require_layout(model, DataLayout.MULTI_TABLE, "multi-table sampling")
        valid = isinstance(scale, int | float) and not isinstance(scale, bool)
        if not valid or not math.isfinite(scale) or not 0 < scale <= MAX_SCALE:
            raise InvalidInput(
                f"scale must be a number above 0 and at most {MAX_SCALE:g}, got {scale!r}",
                field="scale",
                metadata={"value": scale},
            )
        seed = check_seed(seed)
        sampled = self._run(model.synthesizer, sample_tables, scale=float(scale), seed=seed)
        return {name: _finish(sampled[name], profile) for name, profile in model.tables.items()}

    def sample_sequences(
        self,
        model: TrainedModel,
        num_sequences: int,
        seed: int = 0,
        sequence_length: int | None = None,
    ) -> pd.DataFrame:
        """`num_sequences` new sequences (entities) of a sequential model."""
        _require_layout(model, DataLayout.SEQUENTIAL, "sequence sampling")
        check_count(num_sequences, "num_sequences", MAX_SEQUENCES)
        if sequence_length is not None:
            check_count(sequence_length, "sequence_length", MAX_SEQUENCE_LENGTH)
            if sequence_length == 0:
                raise InvalidInput(
                    "sequence_length must be at least 1, or left out to use learned lengths",
                    field="sequence_length",
                )
        table = model.table()
        if num_sequences == 0:
            return _empty(table)
        sampled = self._run(
            model.synthesizer,
            sample_sequences,
            num_sequences=num_sequences,
            sequence_length=sequence_length,
            seed=check_seed(seed),
        )
        return _finish(sampled, table)

    def _run(self, synthesizer: Any, work: Callable[..., Any], **arguments: Any) -> Any:
        if self.sampler is None:
            return run_in_process(work, synthesizer, **arguments)
        with self.sampler.lease(synthesizer) as spooled:
            return self.sampler.run(spooled, work, **arguments)


def _hma(metadata: Metadata, locales: list[str], **table_parameters: Any) -> Any:
    # HMA takes only locales; the rest is set per table by `_set_hma_table_parameters`.
    return ObservedHMASynthesizer(metadata, locales=locales, verbose=False)


_SYNTHESIZERS: dict[SynthesizerKind, Callable[..., Any]] = {
    SynthesizerKind.GAUSSIAN_COPULA: GaussianCopulaSynthesizer,
    SynthesizerKind.CTGAN: ObservedCTGANSynthesizer,
    SynthesizerKind.TVAE: ObservedTVAESynthesizer,
    SynthesizerKind.COPULAGAN: ObservedCopulaGANSynthesizer,
    SynthesizerKind.HMA: _hma,
    SynthesizerKind.PAR: ObservedPARSynthesizer,
}


def _checked_request(
    tables: Mapping[str, pd.DataFrame], spec: TrainingSpec
) -> tuple[SynthesizerKind, Hyperparameters, Metadata]:
    """The request's parts, each checked on its own and against the others."""
    kind = parse_kind(spec.kind)
    hyperparameters = spec.hyperparameters or HYPERPARAMETER_TYPES[kind]()
    check_hyperparameters_kind(kind, hyperparameters)
    check_constraints(spec.constraints)
    check_tables(tables)
    metadata = load_metadata(spec.metadata)
    check_layout(kind, metadata)
    check_matches_tables(metadata, tables)
    return kind, hyperparameters, metadata


def _check_enough_rows(kind: SynthesizerKind, frames: Mapping[str, pd.DataFrame]) -> None:
    if kind.layout is not DataLayout.SINGLE_TABLE or not kind.trains_in_epochs:
        return
    ((name, frame),) = frames.items()
    if len(frame) < _DEEP_MIN_ROWS:
        raise InvalidInput(
            f"table '{name}' has {len(frame)} row(s); a {kind.value} synthesizer needs at least "
            f"{_DEEP_MIN_ROWS} (use gaussian_copula for a single row)",
            field=f"tables.{name}",
            reason="TOO_FEW_ROWS",
            metadata={"table": name, "rows": len(frame), "minimum": _DEEP_MIN_ROWS},
        )


def _key_columns(metadata: Metadata, table: str) -> set[str]:
    """Columns that identify rows or link tables: never left out, never conditioned on."""
    keys = protected_columns(metadata.to_dict()["tables"][table])
    for relationship in metadata.relationships:
        if relationship["parent_table_name"] == table:
            keys.add(relationship["parent_primary_key"])
        if relationship["child_table_name"] == table:
            keys.add(relationship["child_foreign_key"])
    return keys


def _leave_out_fixed_columns(
    kind: SynthesizerKind, metadata: Metadata, frames: Mapping[str, pd.DataFrame]
) -> tuple[dict[str, TableProfile], list[str]]:
    """Profiles of the tables, with constant and empty columns taken out of `metadata`."""
    profiles, warnings = {}, []
    for name, frame in frames.items():
        keys = _key_columns(metadata, name)
        fixed = find_fixed_columns(name, frame, keys)
        everything_fixed = len(fixed) == len(frame.columns)
        # Linked and sequential tables keep at least their modelled shape; SDV copes with
        # constants there, and an empty table definition would not validate.
        if everything_fixed and kind.layout is not DataLayout.SINGLE_TABLE:
            fixed = ()
        for column in fixed:
            metadata.remove_column(column.name, name)
            warnings.append(column.warning())
        left_out = {column.name for column in fixed}
        modelled = frame[[c for c in frame.columns if c not in left_out]]
        profiles[name] = TableProfile(
            name=name,
            columns=tuple(frame.columns),
            rows=len(frame),
            fixed_columns=fixed,
            domains=profile_domains(modelled),
            keys=tuple(sorted(keys)),
        )
    return profiles, warnings


def _sdv_constraints(
    constraints: Sequence[Constraint],
    metadata: Metadata,
    frames: Mapping[str, pd.DataFrame],
    profiles: Mapping[str, TableProfile],
    kind: SynthesizerKind,
) -> list[Any]:
    """SDV constraint objects, each checked against the metadata and data on its own."""
    built = []
    for index, constraint in enumerate(constraints):
        path = f"constraints[{index}]"
        table = _constraint_table(path, constraint, profiles, kind)
        fixed = {column.name: column for column in profiles[table].fixed_columns}
        for field, column in constraint.column_fields().items():
            if column not in profiles[table].columns:
                raise InvalidInput(
                    f"{path}.{field} '{column}' is not a column of table '{table}': use one of "
                    f"{list(profiles[table].columns)}",
                    field=f"{path}.{field}",
                    metadata={"column": column, "table": table},
                )
            if column in fixed:
                raise InvalidInput(
                    f"{path}.{field}: {fixed[column].warning()}, so a constraint on it has "
                    "nothing to hold: remove the constraint",
                    field=f"{path}.{field}",
                    metadata={"column": column, "table": table},
                )
        with _sdv_input_errors(path, ValueError):
            sdv_constraint = constraint.to_sdv()
            sdv_constraint.validate(data={table: frames[table]}, metadata=metadata)
        built.append(sdv_constraint)
    return built


def _constraint_table(
    path: str, constraint: Constraint, profiles: Mapping[str, TableProfile], kind: SynthesizerKind
) -> str:
    named = constraint.table_name
    if kind.layout is not DataLayout.MULTI_TABLE:
        (only,) = profiles
        if named not in (None, only):
            raise InvalidInput(
                f"{path}.table_name '{named}' is not the table being trained ('{only}')",
                field=f"{path}.table_name",
                metadata={"table": named},
            )
        return only
    if named not in profiles:
        raise InvalidInput(
            f"{path}.table_name must name one of {sorted(profiles)} for linked tables, "
            f"got {named!r}",
            field=f"{path}.table_name",
            metadata={"table": named},
        )
    return named


def _synthesizer_arguments(
    kind: SynthesizerKind,
    hyperparameters: Hyperparameters,
    profiles: Mapping[str, TableProfile],
    warnings: list[str],
) -> dict[str, Any]:
    """SDV constructor arguments, with column-naming hyperparameters checked against the data."""
    arguments = hyperparameters.to_dict()
    arguments["locales"] = list(arguments.get("locales", ())) or None
    if arguments["locales"] is None:
        del arguments["locales"]
    if kind.layout is DataLayout.MULTI_TABLE:
        return arguments
    (profile,) = profiles.values()
    if "numerical_distributions" in arguments:
        arguments["numerical_distributions"] = _modelled_only(
            "numerical_distributions", arguments["numerical_distributions"], profile, warnings
        )
    if kind is SynthesizerKind.PAR:
        context = _modelled_only("context_columns", arguments["context_columns"], profile, warnings)
        arguments["context_columns"] = list(context)
        arguments["cuda"] = arguments.pop("enable_gpu")
    return arguments


def _modelled_only(
    name: str, columns: Mapping[str, Any] | Sequence[str], profile: TableProfile, warnings: list
) -> Any:
    """`columns` (names or a name mapping) without left-out columns; unknown ones refused."""
    fixed = {column.name for column in profile.fixed_columns}
    for position, column in enumerate(columns):
        if column not in profile.columns or column in profile.keys:
            suffix = f".{column}" if isinstance(columns, Mapping) else f"[{position}]"
            raise InvalidInput(
                f"hyperparameters.{name}{suffix}: '{column}' is not a modelled column of table "
                f"'{profile.name}'",
                field=f"hyperparameters.{name}{suffix}",
                metadata={"column": column, "table": profile.name},
            )
    for column in fixed.intersection(columns):
        warnings.append(f"hyperparameters.{name} entry '{column}' was ignored: it is not modelled")
    if isinstance(columns, Mapping):
        return {column: value for column, value in columns.items() if column not in fixed}
    return [column for column in columns if column not in fixed]


def _check_context_columns(
    context_columns: Sequence[str], metadata: Metadata, frames: Mapping[str, pd.DataFrame]
) -> None:
    """Context columns describe an entity, so they hold one value per sequence."""
    ((name, frame),) = frames.items()
    entity = metadata.tables[name].sequence_key
    for position, column in enumerate(context_columns):
        if column not in frame.columns or column == entity:
            continue  # reported with the other column checks
        values = frame.groupby(entity, sort=False)[column].nunique(dropna=False)
        if (values > 1).any():
            example = values[values > 1].index[0]
            path = f"hyperparameters.context_columns[{position}]"
            raise InvalidInput(
                f"{path}: '{column}' changes within sequences (for {entity} {example!r}, say); "
                "a context column holds one value per sequence",
                field=path,
                metadata={"column": column, "sequence": example},
            )


def _set_hma_table_parameters(synthesizer: Any, arguments: Mapping[str, Any]) -> None:
    """Every table's copula gets the rounding, bounds and (if given) distribution asked for."""
    for table in synthesizer.metadata.tables:
        parameters = dict(synthesizer.get_table_parameters(table)["synthesizer_parameters"])
        for name in ("enforce_min_max_values", "enforce_rounding", "locales"):
            if name in arguments:
                parameters[name] = arguments[name]
        if arguments.get("default_distribution") is not None:
            parameters["default_distribution"] = arguments["default_distribution"]
        with _sdv_input_errors("hyperparameters"):
            synthesizer.set_table_parameters(table, parameters)


@contextlib.contextmanager
def _sdv_input_errors(field: str, *also: type[Exception]) -> Iterator[None]:
    """SDV's complaints about the request as InvalidInput naming `field`."""
    try:
        yield
    except InvalidDataError as error:
        raise InvalidInput(
            f"the data does not fit: {plain_message(error)}",
            field=field,
            metadata={"detail": plain_message(error)},
        ) from None
    except (*_SDV_INPUT_ERRORS, *also) as error:
        raise InvalidInput(
            f"{field} is not valid: {plain_message(error)}",
            field=field,
            metadata={"detail": plain_message(error)},
        ) from None


def _require_layout(model: TrainedModel, layout: DataLayout, operation: str) -> None:
    if not isinstance(model, TrainedModel):
        raise TypeError("expected a TrainedModel")
    if model.layout is not layout:
        raise InvalidInput(
            f"{operation} needs a {layout.value} model, but this is a {model.kind.value} "
            f"({model.layout.value}) model",
            field="synthesizer",
            metadata={"kind": model.kind.value, "layout": model.layout.value},
        )


def _sliced(chunks: Iterator[pd.DataFrame], rows: int) -> Iterator[pd.DataFrame]:
    try:
        for chunk in chunks:
            for start in range(0, len(chunk), rows):
                yield chunk.iloc[start : start + rows]
    finally:
        chunks.close()


def _finish(frame: pd.DataFrame, profile: TableProfile) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    return restore_columns(frame, profile.fixed_columns, profile.columns)


def _empty(profile: TableProfile) -> pd.DataFrame:
    return pd.DataFrame(columns=list(profile.columns))


def _unsatisfiable(request: SampleRequest) -> InvalidInput:
    described = ", ".join(repr(condition) for condition in request.conditions)
    return InvalidInput(
        f"no generated row met the conditions ({described}) in {CONDITION_ATTEMPTS} attempts: "
        "condition on values that are common in the data, or widen the ranges",
        field="conditions",
        reason=UNSATISFIABLE,
        metadata={"conditions": described, "attempts": CONDITION_ATTEMPTS},
    )


def _incompatible(why: str) -> FailedPrecondition:
    return FailedPrecondition(
        f"the model cannot be used because {why}; retrain the synthesizer",
        reason=MODEL_INCOMPATIBLE,
        metadata={"why": why},
    )
