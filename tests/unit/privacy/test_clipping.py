"""DP-SGD's per-sample clipping, checked where the noise is added: for each DP-SGD network
(DP-TVAE's VAE, DP-CTGAN's discriminator), the gradient that one row contributes to the update
has norm at most max_grad_norm, although the row's raw gradient is far larger. Without the
clipping in `_TrainingParts.backward`, these tests fail."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from synthstudio_privacy.accounting import AccountantKind
from synthstudio_privacy.models import TabularDiscriminator, TabularVAE
from synthstudio_privacy.planning import DPTrainingConfig, SynthesizerKind, plan_dp_training
from synthstudio_privacy.preprocessing import fit_encoder
from synthstudio_privacy.training import DPSGDSettings, _batch_of, _RowsDataset, _TrainingParts

from .conftest import PUBLIC_SCHEMA, ROWS

pytestmark = pytest.mark.usefixtures("one_torch_thread")
MAX_GRAD_NORM = 0.01
ROWS_CHECKED = 24


def _network_and_loss(kind: SynthesizerKind, blocks, width: int):
    """The privately trained network of `kind` and its per-row loss, as training uses them."""
    if kind == SynthesizerKind.DP_TVAE:
        return TabularVAE(blocks, (32, 32), 8), lambda module, rows: module(rows)
    discriminator = TabularDiscriminator(width, (32, 32))
    return discriminator, lambda module, rows: F.softplus(-module(rows))


def _gradient_norm(module: torch.nn.Module) -> float:
    squares = [p.grad.pow(2).sum() for p in module.parameters() if p.grad is not None]
    return float(torch.sqrt(torch.stack(squares).sum()))


@pytest.mark.parametrize("kind", [SynthesizerKind.DP_TVAE, SynthesizerKind.DP_CTGAN])
def test_every_rows_gradient_is_clipped_to_max_grad_norm_before_noise(kind, cps):
    torch.manual_seed(0)
    config = DPTrainingConfig(kind=kind, epsilon=3.0, delta=1e-5, epochs=1, batch_size=250)
    plan = plan_dp_training(config, PUBLIC_SCHEMA, ROWS)
    rng = np.random.default_rng(0)
    encoder = fit_encoder(cps, plan, rng)
    rows = torch.from_numpy(encoder.encode(cps, rng))[:ROWS_CHECKED]
    network, per_row_loss = _network_and_loss(kind, encoder.blocks, encoder.width)
    loader = DataLoader(_RowsDataset(rows), batch_size=8, collate_fn=_batch_of)
    # Noise 0: the gradient left for the optimizer is exactly the clipped sum it adds noise to.
    private = DPSGDSettings(
        noise_multiplier=0.0,
        max_grad_norm=MAX_GRAD_NORM,
        accountant=AccountantKind.RDP,
        delta=1e-5,
    )
    optimizer = torch.optim.SGD(network.parameters(), lr=0.0)
    parts = _TrainingParts(network, optimizer, loader, private)

    clipped, raw = [], []
    for index in range(ROWS_CHECKED):
        row = rows[index : index + 1].clone().requires_grad_(True)
        parts.optimizer.zero_grad(set_to_none=True)
        torch.manual_seed(index)  # the same dropout mask and VAE noise in both passes
        parts.backward(per_row_loss(parts.module, row), row)
        clipped.append(_gradient_norm(parts.module))
        parts.optimizer.zero_grad(set_to_none=True)
        torch.manual_seed(index)
        with parts.hooks_paused():
            per_row_loss(parts.module, rows[index : index + 1]).sum().backward()
        raw.append(_gradient_norm(parts.module))

    assert min(raw) > 10 * MAX_GRAD_NORM  # clipping has work to do on every row
    assert max(clipped) <= MAX_GRAD_NORM * (1 + 1e-4)
    assert min(clipped) > 0.5 * MAX_GRAD_NORM  # clipped to the bound, not zeroed
