"""Training a DP synthesizer end to end, sampling it, and (de)serialising it.

The (epsilon, delta) in `DPSynthesizer.guarantee` covers everything derived from the data: the
encoder's statistics (DP preprocessing), the network weights (DP-SGD), and so every sample
(post-processing). The public schema and the row count are not protected.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from synthstudio_libs.errors import InvalidInput
from synthstudio_libs.jobs.progress import NullProgress, Progress
from synthstudio_privacy.accounting import AimBudget, PrivacyGuarantee, account_events
from synthstudio_privacy.aim import fit_aim
from synthstudio_privacy.encoding import TableEncoder
from synthstudio_privacy.marginals import MarginalModel, bins_for, discretise, fit_mst
from synthstudio_privacy.models import TabularGenerator, TabularVAE
from synthstudio_privacy.planning import DPTrainingPlan, SynthesizerKind
from synthstudio_privacy.preprocessing import fit_encoder
from synthstudio_privacy.schema import TableSchema
from synthstudio_privacy.training import DPSGDSettings, fit_networks

MODEL_FORMAT = "synthstudio.privacy.dp_synthesizer"
MODEL_FORMAT_VERSION = 1
MAX_SAMPLE_ROWS = 10_000_000
_SAMPLE_CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class TrainingSummary:
    """What training did: epochs, optimizer steps (MST: measurement rounds; AIM: its rounds,
    the 1-way measurements counted as one) and wall time.
    No loss: a DP model's training loss is computed on the raw rows, outside the guarantee."""

    epochs: int
    steps: int
    seconds: float

    @classmethod
    def from_dict(cls, data: dict) -> TrainingSummary:
        return cls(epochs=int(data["epochs"]), steps=int(data["steps"]), seconds=data["seconds"])


@dataclass
class DPSynthesizer:
    """A trained DP generator with its encoder, public schema and privacy guarantee."""

    kind: SynthesizerKind
    schema: TableSchema
    encoder: TableEncoder
    guarantee: PrivacyGuarantee
    hidden_dims: tuple[int, ...]
    latent_dim: int
    network: TabularVAE | TabularGenerator
    training: TrainingSummary

    def sample(self, num_rows: int, seed: int | None = None) -> pd.DataFrame:
        """`num_rows` synthetic rows in the training frame's columns and dtypes; the same seed
        gives the same rows. Raises InvalidInput for a bad count or seed."""
        _validate_sample_request(num_rows, seed)
        generator = torch.Generator()
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(seed)
        chunks = []
        remaining = num_rows
        while remaining > 0:
            size = min(remaining, _SAMPLE_CHUNK_ROWS)
            continuous, codes = self.network.sample(size, generator)
            chunks.append(self.encoder.decode(continuous.numpy(), [c.numpy() for c in codes]))
            remaining -= size
        frame = pd.concat(chunks, ignore_index=True)
        return frame[self.schema.names]

    def to_bytes(self) -> bytes:
        """The model as bytes (torch's zip format holding only tensors and plain values, so
        `from_bytes` loads it with `weights_only=True`)."""
        payload = {
            "format": MODEL_FORMAT,
            "version": MODEL_FORMAT_VERSION,
            "kind": self.kind.value,
            "schema": self.schema.to_dict(),
            "encoder": self.encoder.to_dict(),
            "guarantee": self.guarantee.to_dict(),
            "hidden_dims": list(self.hidden_dims),
            "latent_dim": self.latent_dim,
            "state": self.network.state_dict(),
            "training": {
                "epochs": self.training.epochs,
                "steps": self.training.steps,
                "seconds": self.training.seconds,
            },
        }
        buffer = io.BytesIO()
        torch.save(payload, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> DPSynthesizer | MarginalSynthesizer:
        """Load a model written by either kind's `to_bytes`. Raises InvalidInput for anything
        else."""
        try:
            payload = torch.load(io.BytesIO(data), weights_only=True)
        except Exception as error:
            raise InvalidInput(
                f"The model bytes are not a saved DP synthesizer ({error.__class__.__name__}).",
                field="model",
            ) from error
        if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
            raise InvalidInput("The model bytes are not a saved DP synthesizer.", field="model")
        if payload.get("version") != MODEL_FORMAT_VERSION:
            raise InvalidInput(
                f"The model file has format version {payload.get('version')}; this service "
                f"reads version {MODEL_FORMAT_VERSION}. Retrain the synthesizer.",
                field="model",
                metadata={"version": payload.get("version")},
            )
        kind = SynthesizerKind(payload["kind"])
        if "marginal" in payload:
            return MarginalSynthesizer(
                kind=kind,
                schema=TableSchema.from_dict(payload["schema"]),
                guarantee=PrivacyGuarantee.from_dict(payload["guarantee"]),
                model=MarginalModel.from_state(payload["marginal"]),
                training=TrainingSummary.from_dict(payload["training"]),
            )
        encoder = TableEncoder.from_dict(payload["encoder"])
        hidden_dims = tuple(int(d) for d in payload["hidden_dims"])
        latent_dim = int(payload["latent_dim"])
        network = _build_network(kind, encoder, hidden_dims, latent_dim)
        network.load_state_dict(payload["state"])
        network.eval()
        return cls(
            kind=kind,
            schema=TableSchema.from_dict(payload["schema"]),
            encoder=encoder,
            guarantee=PrivacyGuarantee.from_dict(payload["guarantee"]),
            hidden_dims=hidden_dims,
            latent_dim=latent_dim,
            network=network,
            training=TrainingSummary.from_dict(payload["training"]),
        )


def train_dp_synthesizer(
    frame: pd.DataFrame, plan: DPTrainingPlan, *, progress: Progress | None = None
) -> DPSynthesizer | MarginalSynthesizer:
    """Train the plan's DP synthesizer on `frame`.

    Call only after the plan's (epsilon, delta) is recorded in the budget ledger: this is where
    the data is first read. Raises InvalidInput when the frame does not match the plan's schema
    or row count, FailedPrecondition when the data contradicts a stated public category set,
    and JobCancelled (from `progress`) when cancelled.
    """
    progress = progress or NullProgress()
    _check_frame(frame, plan)
    progress.update(0.0, "estimating encoder statistics under DP", epsilon_spent=0.0)
    # Fresh OS entropy: DP noise must never be reproducible from a user-supplied seed.
    rng = np.random.default_rng()
    encoder = fit_encoder(frame, plan, rng)
    if not plan.uses_dp_sgd:
        return _train_marginal(frame, plan, encoder, rng, progress)
    preprocessing_epsilon = plan.preprocessing_epsilon
    progress.update(0.0, "encoder ready; training", epsilon_spent=preprocessing_epsilon)
    rows = torch.from_numpy(encoder.encode(frame, rng))
    config = plan.config
    result = fit_networks(
        config,
        encoder.blocks,
        rows,
        batch_size=plan.batch_size,
        private=DPSGDSettings(
            noise_multiplier=plan.noise_multiplier,
            max_grad_norm=config.max_grad_norm,
            accountant=config.accountant,
            delta=plan.training_delta,
            epsilon_offset=preprocessing_epsilon,
        ),
        progress=progress,
    )
    ((noise_multiplier, sample_rate, steps),) = result.accountant_history
    if not (
        steps == plan.steps
        and math.isclose(noise_multiplier, plan.noise_multiplier)
        and math.isclose(sample_rate, plan.sample_rate)
    ):
        raise RuntimeError(
            f"DP-SGD ran {steps} steps at rate {sample_rate} and noise {noise_multiplier}, not "
            "the plan's: the recorded spend would not cover it"
        )
    return DPSynthesizer(
        kind=config.kind,
        schema=plan.schema,
        encoder=encoder,
        guarantee=plan_guarantee(plan),
        hidden_dims=config.hidden_dims,
        latent_dim=config.latent_dim,
        network=result.network,
        training=TrainingSummary(epochs=config.epochs, steps=result.steps, seconds=result.seconds),
    )


@dataclass
class MarginalSynthesizer:
    """A trained MST or AIM model (`marginals`) with its public schema and privacy guarantee."""

    kind: SynthesizerKind
    schema: TableSchema
    guarantee: PrivacyGuarantee
    model: MarginalModel
    training: TrainingSummary

    @property
    def encoder(self) -> TableEncoder:
        return self.model.encoder

    def sample(self, num_rows: int, seed: int | None = None) -> pd.DataFrame:
        """`num_rows` synthetic rows in the training frame's columns and dtypes; the same seed
        gives the same rows."""
        _validate_sample_request(num_rows, seed)
        frame = self.model.sample(num_rows, np.random.default_rng(seed))
        return frame[self.schema.names]

    def to_bytes(self) -> bytes:
        payload = {
            "format": MODEL_FORMAT,
            "version": MODEL_FORMAT_VERSION,
            "kind": self.kind.value,
            "schema": self.schema.to_dict(),
            "guarantee": self.guarantee.to_dict(),
            "training": {
                "epochs": self.training.epochs,
                "steps": self.training.steps,
                "seconds": self.training.seconds,
            },
            "marginal": self.model.state(),
        }
        buffer = io.BytesIO()
        torch.save(payload, buffer)
        return buffer.getvalue()


def _train_marginal(
    frame: pd.DataFrame,
    plan: DPTrainingPlan,
    encoder: TableEncoder,
    rng: np.random.Generator,
    progress: Progress,
) -> MarginalSynthesizer:
    budget = plan.marginal_budget()
    progress.update(0.1, "encoder ready; measuring marginals", epsilon_spent=0.0)
    if isinstance(budget, AimBudget):
        max_bins = bins_for(plan.n_rows, budget.typical_sigma)
        codes, sizes = discretise(encoder, frame, max_bins)
        aim = fit_aim(codes, sizes, budget, rng, progress, seconds=plan.config.max_seconds)
        model, steps, seconds = aim.model, 1 + len(aim.rounds), aim.seconds
    else:
        max_bins = bins_for(plan.n_rows, budget.two_way_sigma)
        codes, sizes = discretise(encoder, frame, max_bins)
        mst = fit_mst(codes, sizes, budget, rng, progress)
        model, steps, seconds = mst.model, len(budget.events()), mst.seconds
    return MarginalSynthesizer(
        kind=plan.config.kind,
        schema=plan.schema,
        guarantee=plan_guarantee(plan),
        model=MarginalModel(encoder=encoder, max_bins=max_bins, tree=model),
        training=TrainingSummary(epochs=1, steps=steps, seconds=seconds),
    )


def plan_guarantee(plan: DPTrainingPlan) -> PrivacyGuarantee:
    """What a model trained to `plan` guarantees: the plan's events, accounted by
    dp-accounting's PLD and RDP accountants, the larger epsilon taken (as the ledger charged)."""
    events = plan.events()
    epsilons = account_events(events, plan.delta)
    return PrivacyGuarantee(
        epsilon=epsilons.charged,
        delta=plan.delta,
        accountant=plan.config.accountant,
        noise_multiplier=plan.noise_multiplier,
        sample_rate=plan.sample_rate,
        steps=plan.steps,
        max_grad_norm=plan.config.max_grad_norm if plan.uses_dp_sgd else 0.0,
        training_epsilon=plan.training_epsilon,
        training_delta=plan.training_delta,
        preprocessing_epsilon=plan.preprocessing_epsilon,
        preprocessing_delta=plan.preprocessing_delta,
        preprocessing=plan.preprocessing,
        events=events,
        pld_epsilon=epsilons.pld,
        rdp_epsilon=epsilons.rdp,
    )


def _build_network(
    kind: SynthesizerKind, encoder: TableEncoder, hidden_dims: tuple[int, ...], latent_dim: int
) -> TabularVAE | TabularGenerator:
    if kind == SynthesizerKind.DP_TVAE:
        return TabularVAE(encoder.blocks, hidden_dims, latent_dim)
    return TabularGenerator(encoder.blocks, hidden_dims, latent_dim)


def _check_frame(frame: pd.DataFrame, plan: DPTrainingPlan) -> None:
    missing = [name for name in plan.schema.names if name not in frame.columns]
    if missing:
        raise InvalidInput(
            f"The training data lacks the schema's columns {missing}.",
            field="schema.columns",
            metadata={"missing_columns": ",".join(missing)},
        )
    if len(frame) != plan.n_rows:
        raise InvalidInput(
            f"The plan was made for {plan.n_rows} rows but the data has {len(frame)}: the "
            "sample rate and delta check depend on the row count, so plan again with it.",
            field="n_rows",
            metadata={"n_rows": plan.n_rows, "data_rows": len(frame)},
        )


def _validate_sample_request(num_rows: int, seed: int | None) -> None:
    if (
        not isinstance(num_rows, int)
        or isinstance(num_rows, bool)
        or not (1 <= num_rows <= MAX_SAMPLE_ROWS)
    ):
        raise InvalidInput(
            f"num_rows must be a whole number from 1 to {MAX_SAMPLE_ROWS}, got {num_rows}.",
            field="num_rows",
            metadata={"num_rows": num_rows, "max_rows": MAX_SAMPLE_ROWS},
        )
    if seed is not None and (
        not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63
    ):
        raise InvalidInput(
            f"seed must be a whole number from 0 to 2^63 - 1, got {seed}.",
            field="seed",
            metadata={"seed": seed},
        )
