"""Discriminators for adversarial Mixer training: per-frame realism logits, averaged over valid frames.

``people=2`` judges two-person motions against the interaction model's own predictions (D^a);
``people=1`` judges one centred person against the individual model's own predictions (D^b).
"""
from __future__ import annotations

import torch
from torch import nn

from .blocks import SoloBlock, TextProjection, TimestepEmbedding, padding_mask, sinusoid
from .config import NetConfig


class MotionDiscriminator(nn.Module):
    def __init__(self, cfg: NetConfig, people: int):
        super().__init__()
        self.cfg, self.people = cfg, people
        self.inp = nn.Linear(people * cfg.feature_dim, cfg.latent)
        self.time = TimestepEmbedding(cfg.latent)
        self.text = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        self.blocks = nn.ModuleList(SoloBlock(cfg.latent, cfg.heads, cfg.ff, cfg.dropout) for _ in range(cfg.layers))
        self.head = nn.Sequential(nn.LayerNorm(cfg.latent), nn.Linear(cfg.latent, 1))

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, people, 262) normalised -> (B,) realism score."""
        b, frames = x.shape[:2]
        h = self.inp(x.reshape(b, frames, -1)) + sinusoid(torch.arange(frames, device=x.device), self.cfg.latent).to(x.dtype)
        cond = self.time(t) + self.text(text)
        pad = padding_mask(mask)
        for block in self.blocks:
            h = block(h, cond, pad)
        logits = self.head(h).squeeze(-1)
        valid = torch.ones_like(logits) if mask is None else mask.to(logits)
        return (logits * valid).sum(1) / valid.sum(1).clamp_min(1)
