"""DP-SGD training of the tabular generators with Opacus.

DP-TVAE: the whole VAE is one Opacus module; each row's negative ELBO is its per-sample loss.
DP-CTGAN: only the discriminator is private. It scores a Poisson-sampled batch of real rows
together with a FIXED number of generated rows (the expected batch size, so that the fake
rows' count never depends on the data); every row's gradient is clipped and one Gaussian noise
draw is added to the sum, so a real row's presence changes the sum by at most the clipping
norm. The generator is trained only through the discriminator's released parameters, so it
inherits the guarantee by post-processing.

Per-sample clipping uses Opacus' ghost clipping (`grad_sample_mode="ghost"`): per-sample
gradient norms of Linear layers come from activations and backpropagated gradients without
materialising per-sample gradients, which keeps DP-SGD within a small factor of plain training.
Batches come from Opacus' Poisson sampler over an in-memory tensor dataset that serves a whole
batch in one indexing call. Randomness (sampling, noise) comes from torch's default generator,
as in Opacus without `secure_mode` (torchcsprng is not part of the stack).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from opacus import PrivacyEngine
from torch import nn
from torch.utils.data import DataLoader, Dataset

from synthstudio_libs.jobs.progress import Progress
from synthstudio_privacy.accounting import AccountantKind
from synthstudio_privacy.encoding import Block
from synthstudio_privacy.models import TabularDiscriminator, TabularGenerator, TabularVAE
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind

# Opacus warns at every PrivacyEngine that secure RNG (torchcsprng) is off; that choice is
# documented above. Filtered by message: process-wide and thread-safe, unlike catch_warnings.
warnings.filterwarnings("ignore", message="Secure RNG turned off", category=UserWarning)

# Within an epoch, progress (and so cancellation) is checked at most this often.
_PROGRESS_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True)
class DPSGDSettings:
    """How DP-SGD runs: noise, clipping, accounting. `epsilon_offset` (the preprocessing
    epsilon) is added to the epsilon reported in progress."""

    noise_multiplier: float
    max_grad_norm: float
    accountant: AccountantKind
    delta: float
    epsilon_offset: float = 0.0


@dataclass(frozen=True)
class FitResult:
    """A trained sampling network and what its training did.

    `accountant_history` is Opacus' (noise multiplier, sample rate, steps) list; empty when
    trained without DP. There is deliberately no loss: computed on the raw rows, it is not
    covered by the DP guarantee, so it never leaves `fit_networks`.
    """

    network: nn.Module
    steps: int
    accountant_history: tuple[tuple[float, float, int], ...]
    seconds: float


class _RowsDataset(Dataset):
    """Encoded rows in memory; `__getitems__` serves a batch with one indexing operation."""

    def __init__(self, rows: torch.Tensor) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> tuple[torch.Tensor]:
        return (self.rows[index],)

    def __getitems__(self, indices: list[int]) -> list[torch.Tensor]:
        return [self.rows[torch.as_tensor(indices, dtype=torch.long)]]


def _batch_of(items: list[torch.Tensor]) -> torch.Tensor:
    return items[0]


def _adam(module: nn.Module, learning_rate: float, kind: SynthesizerKind) -> torch.optim.Adam:
    if kind == SynthesizerKind.DP_CTGAN:
        return torch.optim.Adam(
            module.parameters(), lr=learning_rate, betas=(0.5, 0.9), weight_decay=1e-6
        )
    return torch.optim.Adam(module.parameters(), lr=learning_rate)


class _TrainingParts:
    """The module, optimizer and loader of one network, made private (DP-SGD) or not."""

    def __init__(
        self,
        module: nn.Module,
        optimizer: torch.optim.Optimizer,
        loader: DataLoader,
        private: DPSGDSettings | None,
    ) -> None:
        self.engine: PrivacyEngine | None = None
        if private is None:
            self.module, self.optimizer, self.loader = module, optimizer, loader
            return
        self.engine = PrivacyEngine(accountant=private.accountant.value)
        # Opacus' loss wrapper for ghost clipping is not used: `backward` below does its work.
        self.module, self.optimizer, _, self.loader = self.engine.make_private(
            module=module,
            optimizer=optimizer,
            data_loader=loader,
            noise_multiplier=private.noise_multiplier,
            max_grad_norm=private.max_grad_norm,
            poisson_sampling=True,
            grad_sample_mode="ghost",
        )

    @property
    def private(self) -> bool:
        return self.engine is not None

    def backward(self, per_row: torch.Tensor, inputs: torch.Tensor) -> None:
        """Backpropagate the mean of `per_row` (plain training) or, under DP, the sum of each
        row's gradient clipped to the norm bound.

        Under DP this is Opacus' ghost-clipping backward (`DPTensorFastGradientClipping`)
        with one saving: the first pass, which only feeds the hooks that record each row's
        gradient norm, asks autograd for the gradient of `inputs` (which must require grad)
        instead of every parameter's, so no parameter gradient is built and thrown away.
        The second pass backpropagates sum(clip coefficient x row loss) with hooks off; the
        DP optimizer then adds the noise.
        """
        mean = per_row.mean()
        if not self.private:
            mean.backward()
            return
        torch.autograd.grad(mean, inputs, retain_graph=True)
        coefficients = self.module.get_clipping_coef()
        self.module.disable_hooks()
        try:
            (coefficients * per_row).sum().backward()
        finally:
            self.module.enable_hooks()

    def release(self) -> None:
        """Detach Opacus' hooks and per-parameter buffers from the trained network."""
        if self.private:
            self.module.cleanup()

    def history(self) -> tuple[tuple[float, float, int], ...]:
        if self.engine is None:
            return ()
        return tuple(
            (float(sigma), float(rate), int(steps))
            for sigma, rate, steps in self.engine.accountant.history
        )

    def noise_only_step(self) -> None:
        """An empty Poisson batch still releases a noisy (all-noise) update, as the accountant
        assumes; skipping it would reveal that the batch was empty."""
        for group in self.optimizer.param_groups:
            for parameter in group["params"]:
                parameter.grad = torch.zeros_like(parameter)
        self.optimizer.step()

    @contextmanager
    def hooks_paused(self) -> Iterator[None]:
        """Run the module outside DP-SGD (the generator's step through the discriminator)."""
        if not self.private:
            yield
            return
        self.module.disable_hooks()
        try:
            yield
        finally:
            self.module.enable_hooks()


class _VAETrainer:
    def __init__(
        self,
        config: DPTrainingConfig,
        blocks: tuple[Block, ...],
        loader: DataLoader,
        private: DPSGDSettings | None,
    ) -> None:
        self.model = TabularVAE(blocks, config.hidden_dims, config.latent_dim)
        optimizer = _adam(self.model, config.effective_learning_rate, config.kind)
        self.parts = _TrainingParts(self.model, optimizer, loader, private)

    def step(self, batch: torch.Tensor) -> None:
        parts = self.parts
        parts.optimizer.zero_grad(set_to_none=True)
        if len(batch) == 0:
            parts.noise_only_step()
            return
        batch.requires_grad_(parts.private)
        parts.backward(parts.module(batch), batch)
        parts.optimizer.step()

    @property
    def sampling_network(self) -> nn.Module:
        return self.model


class _GANTrainer:
    def __init__(
        self,
        config: DPTrainingConfig,
        blocks: tuple[Block, ...],
        loader: DataLoader,
        private: DPSGDSettings | None,
        fake_rows: int,
    ) -> None:
        self.generator = TabularGenerator(blocks, config.hidden_dims, config.latent_dim)
        width = sum(block.width for block in blocks)
        discriminator = TabularDiscriminator(width, config.hidden_dims)
        learning_rate = config.effective_learning_rate
        self.generator_optimizer = _adam(self.generator, learning_rate, config.kind)
        optimizer = _adam(discriminator, learning_rate, config.kind)
        self.parts = _TrainingParts(discriminator, optimizer, loader, private)
        self.fake_rows = fake_rows
        self.latent_dim = config.latent_dim

    def step(self, real: torch.Tensor) -> None:
        parts = self.parts
        with torch.no_grad():
            fake = self.generator(torch.randn(self.fake_rows, self.latent_dim))
        parts.optimizer.zero_grad(set_to_none=True)
        rows = torch.cat([real, fake]).requires_grad_(parts.private)
        scores = parts.module(rows)
        count = len(real)
        per_row = torch.cat([F.softplus(-scores[:count]), F.softplus(scores[count:])])
        parts.backward(per_row, rows)
        parts.optimizer.step()
        self._generator_step()

    def _generator_step(self) -> None:
        with self.parts.hooks_paused():
            self.generator_optimizer.zero_grad(set_to_none=True)
            fake = self.generator(torch.randn(self.fake_rows, self.latent_dim))
            loss = F.softplus(-self.parts.module(fake)).mean()
            loss.backward(inputs=list(self.generator.parameters()))
            self.generator_optimizer.step()

    @property
    def sampling_network(self) -> nn.Module:
        return self.generator


class _ProgressReporter:
    """Reports steps at most every half second and each finished epoch with epsilon spent."""

    def __init__(self, progress: Progress, total_steps: int, epochs: int) -> None:
        self.progress = progress
        self.total_steps = max(total_steps, 1)
        self.epochs = epochs
        self.steps = 0
        self.last_report = time.monotonic()

    def step(self, epoch: int) -> None:
        self.steps += 1
        now = time.monotonic()
        if now - self.last_report >= _PROGRESS_INTERVAL_SECONDS:
            self.last_report = now
            self.progress.update(
                min(self.steps / self.total_steps, 1.0),
                f"training epoch {epoch}/{self.epochs}",
                epoch=epoch,
                step=self.steps,
            )

    def epoch_done(self, epoch: int, epsilon_spent: float | None) -> None:
        details: dict[str, float | int] = {"epoch": epoch, "step": self.steps}
        if epsilon_spent is not None:
            details["epsilon_spent"] = epsilon_spent
        self.last_report = time.monotonic()
        self.progress.update(
            min(self.steps / self.total_steps, 1.0),
            f"finished epoch {epoch}/{self.epochs}",
            **details,
        )


def fit_networks(
    config: DPTrainingConfig,
    blocks: tuple[Block, ...],
    rows: torch.Tensor,
    *,
    batch_size: int,
    private: DPSGDSettings | None,
    progress: Progress,
) -> FitResult:
    """Train the network of `config.kind` on encoded `rows` for `config.epochs` epochs.

    With `private` set, DP-SGD runs with Poisson sampling at rate 1/ceil(n / batch_size);
    without it, the same model trains on shuffled batches of `batch_size` (the non-DP baseline
    the benchmark compares against). Raises JobCancelled when `progress` says so.
    """
    loader = DataLoader(
        _RowsDataset(rows), batch_size=batch_size, shuffle=True, collate_fn=_batch_of
    )
    if config.kind == SynthesizerKind.DP_TVAE:
        trainer: _VAETrainer | _GANTrainer = _VAETrainer(config, blocks, loader, private)
    else:
        trainer = _GANTrainer(config, blocks, loader, private, fake_rows=batch_size)
    parts = trainer.parts
    reporter = _ProgressReporter(progress, len(parts.loader) * config.epochs, config.epochs)
    started = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        for batch in parts.loader:
            trainer.step(batch)
            reporter.step(epoch)
        reporter.epoch_done(epoch, _epsilon_so_far(parts, private))
    seconds = time.perf_counter() - started
    parts.release()
    network = trainer.sampling_network
    network.eval()
    return FitResult(
        network=network,
        steps=reporter.steps,
        accountant_history=parts.history(),
        seconds=seconds,
    )


def _epsilon_so_far(parts: _TrainingParts, private: DPSGDSettings | None) -> float | None:
    if parts.engine is None or private is None:
        return None
    return private.epsilon_offset + float(parts.engine.accountant.get_epsilon(delta=private.delta))
