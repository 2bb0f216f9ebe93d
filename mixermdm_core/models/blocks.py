"""Transformer building blocks shared by every network: timestep embedding and AdaLN attention layers.

Conditions (step + text) enter through adaptive layer norm with zero-initialised gates (as in DiT and
InterGen), so a freshly initialised block is the identity and training starts stable.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def sinusoid(positions: torch.Tensor, dim: int, max_period: float = 10000.0) -> torch.Tensor:
    """(...,) float positions -> (..., dim) sinusoidal features."""
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, device=positions.device, dtype=torch.float32) / half)
    args = positions.float()[..., None] * freqs
    return torch.cat((torch.cos(args), torch.sin(args)), dim=-1)


class TimestepEmbedding(nn.Module):
    """Diffusion step t -> latent vector (sinusoid then a two-layer MLP)."""

    def __init__(self, latent: int):
        super().__init__()
        self.latent = latent
        self.mlp = nn.Sequential(nn.Linear(latent, latent), nn.SiLU(), nn.Linear(latent, latent))

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        return self.mlp(sinusoid(t, self.latent))


class TextProjection(nn.Linear):
    """Sentence embedding -> latent condition; the input is scaled by ``gain`` so that unit-norm embeddings
    enter with unit-variance entries, on the scale of the step embedding they are added to."""

    def __init__(self, text_dim: int, latent: int, gain: float):
        super().__init__(text_dim, latent)
        self.gain = gain

    def forward(self, text: torch.Tensor) -> torch.Tensor:
        return super().forward(text * self.gain)


class AdaLN(nn.Module):
    """LayerNorm whose scale, shift and output gate are predicted from a condition vector."""

    def __init__(self, latent: int):
        super().__init__()
        self.norm = nn.LayerNorm(latent, elementwise_affine=False)
        self.mod = nn.Sequential(nn.SiLU(), nn.Linear(latent, 3 * latent))
        nn.init.zeros_(self.mod[1].weight)
        nn.init.zeros_(self.mod[1].bias)

    def forward(self, h: torch.Tensor, cond: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns the modulated input and the gate for the residual branch. cond: (B, latent)."""
        shift, scale, gate = self.mod(cond).unsqueeze(1).chunk(3, dim=-1)
        return self.norm(h) * (1 + scale) + shift, gate


def attend(attn: nn.MultiheadAttention, x: torch.Tensor, kv: torch.Tensor, pad: torch.Tensor | None) -> torch.Tensor:
    """What ``attn(x, kv, kv, key_padding_mask=pad)`` computes, with its weights, kept batch-first.

    For queries other than the keys, nn.MultiheadAttention leaves its fused kernel for a path that turns the
    batch sequence-first and projects strided views, one matrix product per frame; here every projection is
    one contiguous matrix product and the attention is ``scaled_dot_product_attention``. Self-attention goes
    through it too: the fused kernel has no ONNX form (``models/onnx_backend.py``)."""
    e, heads = attn.embed_dim, attn.num_heads
    w, b = attn.in_proj_weight, attn.in_proj_bias
    # No sizes are read from the inputs, so an exported graph keeps free batch and frame dimensions.
    q = F.linear(x, w[:e], b[:e]).unflatten(-1, (heads, -1)).transpose(1, 2)
    k, v = F.linear(kv, w[e:], b[e:]).unflatten(-1, (2, heads, -1)).permute(2, 0, 3, 1, 4).unbind(0)
    mask = None if pad is None else ~pad[:, None, None, :]  # True = attend
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=attn.dropout if attn.training else 0.0)
    return attn.out_proj(out.transpose(1, 2).flatten(2))


class SelfAttentionLayer(nn.Module):
    def __init__(self, latent: int, heads: int, dropout: float):
        super().__init__()
        self.ada = AdaLN(latent)
        self.attn = nn.MultiheadAttention(latent, heads, dropout=dropout, batch_first=True)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, pad: torch.Tensor | None) -> torch.Tensor:
        x, gate = self.ada(h, cond)
        return h + gate * attend(self.attn, x, x, pad)


class CrossAttentionLayer(nn.Module):
    def __init__(self, latent: int, heads: int, dropout: float):
        super().__init__()
        self.ada = AdaLN(latent)
        self.norm_kv = nn.LayerNorm(latent)
        self.attn = nn.MultiheadAttention(latent, heads, dropout=dropout, batch_first=True)

    def forward(self, h: torch.Tensor, other: torch.Tensor, cond: torch.Tensor, pad: torch.Tensor | None) -> torch.Tensor:
        x, gate = self.ada(h, cond)
        return h + gate * attend(self.attn, x, self.norm_kv(other), pad)


class FeedForwardLayer(nn.Module):
    def __init__(self, latent: int, ff: int, dropout: float):
        super().__init__()
        self.ada = AdaLN(latent)
        self.net = nn.Sequential(nn.Linear(latent, ff), nn.GELU(), nn.Dropout(dropout), nn.Linear(ff, latent))

    def forward(self, h: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        x, gate = self.ada(h, cond)
        return h + gate * self.net(x)


class SoloBlock(nn.Module):
    """Self-attention and feed-forward, both conditioned on one vector (MDM-style encoder block)."""

    def __init__(self, latent: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.self_attn = SelfAttentionLayer(latent, heads, dropout)
        self.ffn = FeedForwardLayer(latent, ff, dropout)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, pad: torch.Tensor | None) -> torch.Tensor:
        return self.ffn(self.self_attn(h, cond, pad), cond)


class DuetBlock(nn.Module):
    """in2IN's double-conditioned block: self-attention and feed-forward on the person's own condition,
    cross-attention to another stream (the other person, or the interaction stream) on a shared one."""

    def __init__(self, latent: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.self_attn = SelfAttentionLayer(latent, heads, dropout)
        self.cross_attn = CrossAttentionLayer(latent, heads, dropout)
        self.ffn = FeedForwardLayer(latent, ff, dropout)

    def forward(self, h: torch.Tensor, other: torch.Tensor, own_cond: torch.Tensor, shared_cond: torch.Tensor,
                pad: torch.Tensor | None) -> torch.Tensor:
        h = self.self_attn(h, own_cond, pad)
        h = self.cross_attn(h, other, shared_cond, pad)
        return self.ffn(h, own_cond)


def people_first(x: torch.Tensor) -> torch.Tensor:
    """(B, ..., 2, D) per-person tensors -> (2B, ..., D), person 1's batch then person 2's (person-major)."""
    return x.movedim(x.dim() - 2, 0).flatten(0, 1)  # positive dims: the ONNX exporter mistranslates negative ones


def people_last(h: torch.Tensor) -> torch.Tensor:
    """Inverse of :func:`people_first`: (2B, ..., D) -> (B, ..., 2, D)."""
    return h.unflatten(0, (2, -1)).movedim(0, h.dim() - 1)


def swap_people(h: torch.Tensor) -> torch.Tensor:
    """(2B, ...) person-major -> the same with the two people's halves exchanged (each stream sees the other).
    Written without the batch size, so an exported graph keeps a free batch dimension."""
    return h.unflatten(0, (2, -1)).flip(0).flatten(0, 1)


def padding_mask(mask: torch.Tensor | None) -> torch.Tensor | None:
    """Valid-frame mask (B, T) bool -> attention key padding mask (True = ignore)."""
    return None if mask is None else ~mask.bool()
