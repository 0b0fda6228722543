"""Compact torch networks for DP tabular synthesis, over an encoder's block layout.

Only layers Opacus' ghost clipping computes per-sample gradient norms for (Linear) carry
parameters in the privately trained networks (the VAE, the GAN's discriminator); the GAN's
generator never touches real data and may use BatchNorm.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from synthstudio_privacy.encoding import Block, BlockKind

# Decoder log-variances are kept in a range where the Gaussian likelihood stays well behaved.
_LOGVAR_MIN, _LOGVAR_MAX = -8.0, 2.0
# Gumbel-softmax temperature for the generator's categorical outputs (as in CTGAN).
GUMBEL_TAU = 0.2


def _mlp(in_dim: int, hidden_dims: tuple[int, ...], activation: type[nn.Module]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for width in hidden_dims:
        layers += [nn.Linear(in_dim, width), activation()]
        in_dim = width
    return nn.Sequential(*layers)


class BlockLayout:
    """Index helpers over the encoded matrix's blocks."""

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks
        self.continuous = [b for b in blocks if b.kind == BlockKind.CONTINUOUS]
        self.categorical = [b for b in blocks if b.kind == BlockKind.CATEGORICAL]
        self.continuous_index = torch.tensor([b.start for b in self.continuous], dtype=torch.long)
        self.width = sum(b.width for b in blocks)

    def categorical_targets(self, rows: torch.Tensor) -> list[torch.Tensor]:
        return [rows[:, b.start : b.stop].argmax(dim=1) for b in self.categorical]


class TabularVAE(nn.Module):
    """A VAE whose forward pass returns each row's negative ELBO (the DP-SGD per-sample loss).

    Continuous blocks get a Gaussian likelihood with a predicted mean and log-variance,
    categorical blocks a softmax likelihood.
    """

    def __init__(
        self, blocks: tuple[Block, ...], hidden_dims: tuple[int, ...], latent_dim: int
    ) -> None:
        super().__init__()
        self.layout = BlockLayout(blocks)
        self.latent_dim = latent_dim
        self.encoder = _mlp(self.layout.width, hidden_dims, nn.ReLU)
        self.to_latent = nn.Linear(hidden_dims[-1], 2 * latent_dim)
        self.decoder = _mlp(latent_dim, tuple(reversed(hidden_dims)), nn.ReLU)
        n_continuous = len(self.layout.continuous)
        self.to_continuous = nn.Linear(hidden_dims[0], 2 * n_continuous) if n_continuous else None
        n_logits = sum(b.width for b in self.layout.categorical)
        self.to_logits = nn.Linear(hidden_dims[0], n_logits) if n_logits else None

    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        mu, logvar = self.to_latent(self.encoder(rows)).chunk(2, dim=1)
        latent = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        hidden = self.decoder(latent)
        loss = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(dim=1)
        if self.to_continuous is not None:
            mean, out_logvar = self._continuous_parameters(hidden)
            squared_error = (rows[:, self.layout.continuous_index] - mean).pow(2)
            loss = loss + 0.5 * (squared_error * torch.exp(-out_logvar) + out_logvar).sum(dim=1)
        if self.to_logits is not None:
            logits = self.to_logits(hidden)
            targets = self.layout.categorical_targets(rows)
            for block_logits, target in zip(self._split_logits(logits), targets, strict=True):
                loss = loss + F.cross_entropy(block_logits, target, reduction="none")
        return loss

    @torch.no_grad()
    def sample(
        self, num_rows: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Continuous values (one column per continuous block) and categorical codes."""
        latent = torch.randn(num_rows, self.latent_dim, generator=generator)
        hidden = self.decoder(latent)
        continuous = torch.empty(num_rows, 0)
        if self.to_continuous is not None:
            mean, logvar = self._continuous_parameters(hidden)
            noise = torch.randn(mean.shape, generator=generator)
            continuous = mean + noise * torch.exp(0.5 * logvar)
        codes: list[torch.Tensor] = []
        if self.to_logits is not None:
            codes = [
                _sample_codes(block_logits, generator)
                for block_logits in self._split_logits(self.to_logits(hidden))
            ]
        return continuous, codes

    def _continuous_parameters(self, hidden: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean, logvar = self.to_continuous(hidden).chunk(2, dim=1)
        return mean, logvar.clamp(_LOGVAR_MIN, _LOGVAR_MAX)

    def _split_logits(self, logits: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return logits.split([b.width for b in self.layout.categorical], dim=1)


class _Residual(nn.Module):
    """CTGAN's generator layer: Linear, BatchNorm, ReLU, concatenated with its input."""

    def __init__(self, in_dim: int, out_dim: int) -> None:
        super().__init__()
        self.fc = nn.Linear(in_dim, out_dim)
        self.bn = nn.BatchNorm1d(out_dim)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.cat([F.relu(self.bn(self.fc(inputs))), inputs], dim=1)


class TabularGenerator(nn.Module):
    """Maps noise to encoded rows: raw values for continuous blocks, softmax over categories."""

    def __init__(
        self, blocks: tuple[Block, ...], hidden_dims: tuple[int, ...], latent_dim: int
    ) -> None:
        super().__init__()
        self.layout = BlockLayout(blocks)
        self.latent_dim = latent_dim
        layers: list[nn.Module] = []
        width = latent_dim
        for hidden in hidden_dims:
            layers.append(_Residual(width, hidden))
            width += hidden
        self.body = nn.Sequential(*layers, nn.Linear(width, self.layout.width))

    def forward(self, noise: torch.Tensor) -> torch.Tensor:
        """Rows in the encoder's layout, with Gumbel-softmax relaxed one-hot blocks."""
        raw = self.body(noise)
        parts = []
        for block in self.layout.blocks:
            piece = raw[:, block.start : block.stop]
            if block.kind == BlockKind.CATEGORICAL:
                piece = F.gumbel_softmax(piece, tau=GUMBEL_TAU)
            parts.append(piece)
        return torch.cat(parts, dim=1)

    @torch.no_grad()
    def sample(
        self, num_rows: int, generator: torch.Generator
    ) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Continuous values (one column per continuous block) and categorical codes."""
        raw = self.body(torch.randn(num_rows, self.latent_dim, generator=generator))
        continuous = raw[:, self.layout.continuous_index]
        codes = [
            _sample_codes(raw[:, block.start : block.stop], generator)
            for block in self.layout.categorical
        ]
        return continuous, codes


class TabularDiscriminator(nn.Module):
    """Scores encoded rows (a logit per row); Linear layers only, for ghost clipping."""

    def __init__(self, width: int, hidden_dims: tuple[int, ...]) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_dim = width
        for hidden in hidden_dims:
            layers += [nn.Linear(in_dim, hidden), nn.LeakyReLU(0.2), nn.Dropout(0.25)]
            in_dim = hidden
        self.body = nn.Sequential(*layers, nn.Linear(in_dim, 1))

    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        return self.body(rows).squeeze(1)


def _sample_codes(logits: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    return torch.multinomial(torch.softmax(logits, dim=1), 1, generator=generator).squeeze(1)
