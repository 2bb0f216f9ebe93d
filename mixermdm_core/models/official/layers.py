"""Layers of the official in2IN / MixerMDM networks, rebuilt with the attribute names their checkpoints use.

The official repositories (pabloruizponce/in2IN and pabloruizponce/MixerMDM, both descended from InterGen) share
one set of building blocks: a sinusoid table kept as a buffer ``pe`` (5000 rows), a timestep MLP that reads rows
of that table, AdaLN (LayerNorm without affine, eps 1e-6, scaled and shifted from a condition vector; the
condition passes SiLU then one Linear to ``2 * latent``: scale first, then shift), self- and cross-attention
with ``add_zero_attn`` and a GELU feed-forward. Everything here is named so that ``load_state_dict(strict=True)``
accepts their weights; the computation is written from the papers' description and checked by the golden tests
(tests/test_official_*.py).
"""
from __future__ import annotations

import math

import torch
from torch import nn

PE_ROWS = 5000  # rows of the official sinusoid table (its buffer is saved in every checkpoint)


class SinusoidTable(nn.Module):
    """Adds a fixed sinusoid (sin on even, cos on odd channels) per frame; the table is the buffer ``pe``.

    The same instance is also the source of timestep features, so in a state dict its buffer appears under
    both owners' names, as in the official checkpoints."""

    def __init__(self, dim: int, rows: int = PE_ROWS):
        super().__init__()
        position = torch.arange(rows, dtype=torch.float32)[:, None]
        rate = torch.exp(torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        table = torch.zeros(rows, dim)
        table[:, 0::2] = torch.sin(position * rate)
        table[:, 1::2] = torch.cos(position * rate)
        self.register_buffer("pe", table)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        """(B, T, D) -> (B, T, D) with the first T rows of the table added."""
        return h + self.pe[: h.shape[1]].unsqueeze(0)


class StepEmbedder(nn.Module):
    """Integer diffusion step -> latent vector: a row of the shared sinusoid table through Linear-SiLU-Linear."""

    def __init__(self, dim: int, table: SinusoidTable):
        super().__init__()
        self.sequence_pos_encoder = table  # shared, not a copy: the official state dicts list it twice
        self.time_embed = nn.Sequential(nn.Linear(dim, dim), nn.SiLU(), nn.Linear(dim, dim))

    def forward(self, steps: torch.Tensor) -> torch.Tensor:
        """(B,) integer steps -> (B, D)."""
        return self.time_embed(self.sequence_pos_encoder.pe[steps.long()])


class AdaptiveNorm(nn.Module):
    """LayerNorm (no affine, eps 1e-6) scaled by ``1 + scale`` and shifted by ``shift``, both from a condition."""

    def __init__(self, dim: int, cond_dim: int | None = None):
        super().__init__()
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(cond_dim or dim, 2 * dim))
        self.norm = nn.LayerNorm(dim, elementwise_affine=False, eps=1e-6)

    def forward(self, h: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        """h (B, T, D), cond (B, C) -> (B, T, D)."""
        scale, shift = self.emb_layers(cond).unsqueeze(1).chunk(2, dim=-1)
        return self.norm(h) * (1 + scale) + shift


def _attention(dim: int, heads: int, dropout: float) -> nn.MultiheadAttention:
    # add_zero_attn: a zero key/value is appended, so a query can attend to "nothing" (it also keeps a fully
    # padded row finite).
    return nn.MultiheadAttention(dim, heads, dropout=dropout, batch_first=True, add_zero_attn=True)


class SelfAttention(nn.Module):
    """AdaLN then multi-head self-attention; returns the residual branch only."""

    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.norm = AdaptiveNorm(dim)
        self.attention = _attention(dim, heads, dropout)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, pad: torch.Tensor | None = None) -> torch.Tensor:
        q = self.norm(h, cond)
        return self.attention(q, q, q, key_padding_mask=pad, need_weights=False)[0]


class CrossAttention(nn.Module):
    """AdaLN on both streams (same condition), queries from ``h``, keys/values from ``other``.

    The padding mask is applied to ``other``'s frames: both streams always have the same length here."""

    def __init__(self, dim: int, heads: int, dropout: float):
        super().__init__()
        self.norm = AdaptiveNorm(dim)
        self.xf_norm = AdaptiveNorm(dim)
        self.attention = _attention(dim, heads, dropout)

    def forward(self, h: torch.Tensor, other: torch.Tensor, cond: torch.Tensor,
                pad: torch.Tensor | None = None) -> torch.Tensor:
        q = self.norm(h, cond)
        kv = self.xf_norm(other, cond)
        return self.attention(q, kv, kv, key_padding_mask=pad, need_weights=False)[0]


class FeedForward(nn.Module):
    """AdaLN then Linear-GELU-(dropout)-Linear; returns the residual branch only."""

    def __init__(self, dim: int, hidden: int, dropout: float):
        super().__init__()
        self.norm = AdaptiveNorm(dim)
        self.linear1 = nn.Linear(dim, hidden)
        self.linear2 = nn.Linear(hidden, dim)
        self.activation = nn.GELU()
        self.dropout = nn.Dropout(dropout)

    def forward(self, h: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        return self.linear2(self.dropout(self.activation(self.linear1(self.norm(h, cond)))))


class OutputLayer(nn.Module):
    """The final projection, kept in a wrapper so its weights are named ``out.linear.*``."""

    def __init__(self, dim: int, out_dim: int):
        super().__init__()
        self.linear = nn.Linear(dim, out_dim)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.linear(h)


def padding_mask(mask: torch.Tensor | None, batch: int, frames: int, device: torch.device) -> torch.Tensor:
    """The key padding mask the official nets derive from a (B, T, 2) or (B, T) validity mask: True = padded.

    The official code reads ``mask[..., 0]`` (person 1's column) and treats values <= 0.5 as padding; no mask
    means every frame is valid."""
    if mask is None:
        return torch.zeros(batch, frames, dtype=torch.bool, device=device)
    if mask.dim() == 3:
        mask = mask[..., 0]
    return ~(mask > 0.5)


def zero_(module: nn.Module) -> nn.Module:
    """Zeroes a module's parameters (the official init of output layers and AdaLN projections)."""
    with torch.no_grad():
        for p in module.parameters():
            p.zero_()
    return module
