"""MixerMDM's motion discriminators with the official names (``discriminator_i``: one person, 262-d;
``discriminator_I``: the pair, 524-d). Only training uses them; they are here so that a released MixerMDM
checkpoint loads strictly.

Each is a small AdaLN transformer: (step + projected sentence) conditions every block, a block is
self-attention then feed-forward (no cross-attention), and a Linear gives one logit per frame.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ...representation.interhuman import FEATURE_DIM
from .layers import FeedForward, SelfAttention, SinusoidTable, StepEmbedder, padding_mask, zero_
from .text import TEXT_DIM


@dataclass(frozen=True)
class DiscriminatorConfig:
    """Released sizes (configs/models/MixerMDM.yaml, DISCRIMINATOR); ``input_dim`` is per person."""

    input_dim: int = FEATURE_DIM
    latent_dim: int = 256
    ff_size: int = 512
    num_layers: int = 2
    num_heads: int = 4
    dropout: float = 0.1


class SimpleBlock(nn.Module):
    """AdaLN self-attention then AdaLN feed-forward, both residual, one condition."""

    def __init__(self, cfg: DiscriminatorConfig):
        super().__init__()
        self.sa_block = SelfAttention(cfg.latent_dim, cfg.num_heads, cfg.dropout)
        self.ffn = FeedForward(cfg.latent_dim, cfg.ff_size, cfg.dropout)
        zero_(self.sa_block.norm.emb_layers)
        zero_(self.ffn.norm.emb_layers)
        zero_(self.ffn.linear2)

    def forward(self, h: torch.Tensor, cond: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        h = h + self.sa_block(h, cond, pad)
        return h + self.ffn(h, cond)


class MotionDiscriminator(nn.Module):
    """Raw features (B, T, persons*262), step (B,), sentence (B, 768) -> per-frame logits (B, T, 1)."""

    def __init__(self, cfg: DiscriminatorConfig = DiscriminatorConfig(), persons: int = 1):
        super().__init__()
        self.sequence_pos_encoder = SinusoidTable(cfg.latent_dim)
        self.embed_timestep = StepEmbedder(cfg.latent_dim, self.sequence_pos_encoder)
        self.motion_embed = nn.Linear(cfg.input_dim * persons, cfg.latent_dim)
        self.text_embed = nn.Linear(TEXT_DIM, cfg.latent_dim)
        self.blocks = nn.ModuleList(SimpleBlock(cfg) for _ in range(cfg.num_layers))
        self.out = nn.Linear(cfg.latent_dim, 1)

    def forward(self, x: torch.Tensor, timesteps: torch.Tensor, mask: torch.Tensor | None = None,
                cond: torch.Tensor | None = None) -> torch.Tensor:
        cond = self.embed_timestep(timesteps) + self.text_embed(cond)
        h = self.sequence_pos_encoder(self.motion_embed(x))
        pad = padding_mask(mask, x.shape[0], x.shape[1], x.device)
        for block in self.blocks:
            h = block(h, cond, pad)
        return self.out(h)
