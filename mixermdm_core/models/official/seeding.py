"""Seeded random weights for the official architectures, used by the golden tests.

Fresh official networks are zero at their outputs and AdaLN projections, so their outputs say nothing about
the wiring. ``randomize_`` fills every parameter (not the buffers) from one seed, in sorted-name order, with
values of a sensible scale; the golden-making script loads the same weights into the official classes, and the
tests rebuild them from the seed instead of storing them.
"""
from __future__ import annotations

import torch
from torch import nn


@torch.no_grad()
def randomize_(module: nn.Module, seed: int) -> nn.Module:
    """Overwrites every parameter of ``module`` deterministically from ``seed`` and returns the module.

    LayerNorm weights are 1 + N(0, 0.1^2); other vectors (biases, embeddings tables' rows are matrices) are
    N(0, 0.02^2); matrices are N(0, 1/fan_in) with fan_in the last dimension; the positional embedding is
    N(0, 0.01^2). Shared parameters are drawn once."""
    norms = {id(m.weight) for m in module.modules() if isinstance(m, nn.LayerNorm) and m.weight is not None}
    gen = torch.Generator().manual_seed(seed)
    for name, p in sorted(module.named_parameters(), key=lambda item: item[0]):
        noise = torch.randn(p.shape, generator=gen, dtype=torch.float32)
        if id(p) in norms:
            value = 1 + 0.1 * noise
        elif name.endswith("positional_embedding"):
            value = 0.01 * noise
        elif p.dim() >= 2:
            value = noise / p.shape[-1] ** 0.5
        else:
            value = 0.02 * noise
        p.copy_(value.to(p.dtype))
    return module
