"""The two pre-trained motion denoisers, both predicting the clean motion x0 from x_t.

* :class:`InteractionDenoiser` (M^a, in2IN style): one stream per person with shared weights; each
  stream attends to itself under (step + its individual text + its role) and to the other person under
  (step + interaction text). The role tells person 1, whom the canonical frame puts at the origin, from
  person 2: without it, from pure noise both streams predict the average of the two places and the
  pair is sampled on top of each other.
* :class:`IndividualDenoiser` (M^b, MDM style): one person, conditioned on step + that person's text.

Inputs and outputs are normalised features; text conditions are sentence embeddings (zeros = none).
"""
from __future__ import annotations

import torch
from torch import nn

from .blocks import (DuetBlock, SoloBlock, TextProjection, TimestepEmbedding, padding_mask, people_first, people_last,
                     sinusoid, swap_people)
from .config import NetConfig


class _MotionIO(nn.Module):
    """Feature <-> latent projections with frame position encoding; the output starts at zero."""

    def __init__(self, cfg: NetConfig):
        super().__init__()
        self.cfg = cfg
        self.inp = nn.Linear(cfg.feature_dim, cfg.latent)
        self.out = nn.Linear(cfg.latent, cfg.feature_dim)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        frames = torch.arange(x.shape[1], device=x.device)
        return self.inp(x) + sinusoid(frames, self.cfg.latent).to(x.dtype)


class IndividualDenoiser(nn.Module):
    people = 1

    def __init__(self, cfg: NetConfig):
        super().__init__()
        self.cfg = cfg
        self.io = _MotionIO(cfg)
        self.time = TimestepEmbedding(cfg.latent)
        self.text = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        self.blocks = nn.ModuleList(SoloBlock(cfg.latent, cfg.heads, cfg.ff, cfg.dropout) for _ in range(cfg.layers))

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, 262); t: (B,); text: (B, text_dim); mask: (B, T) valid frames -> x0 (B, T, 262)."""
        cond = self.time(t) + self.text(text)
        pad = padding_mask(mask)
        h = self.io.embed(x)
        for block in self.blocks:
            h = block(h, cond, pad)
        return self.io.out(h)


class InteractionDenoiser(nn.Module):
    people = 2

    def __init__(self, cfg: NetConfig):
        super().__init__()
        self.cfg = cfg
        self.io = _MotionIO(cfg)
        self.time = TimestepEmbedding(cfg.latent)
        self.text_interaction = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        self.text_individual = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        # Zero at first, so that a checkpoint trained without roles keeps its function when fine-tuned.
        self.role = nn.Parameter(torch.zeros(2, cfg.latent)) if cfg.person_roles else None
        self.blocks = nn.ModuleList(DuetBlock(cfg.latent, cfg.heads, cfg.ff, cfg.dropout) for _ in range(cfg.layers))

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, person_text: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, 2, 262); text: (B, text_dim) interaction text; person_text: (B, 2, text_dim)."""
        time = self.time(t)
        shared = (time + self.text_interaction(text)).repeat(2, 1)
        own = time.repeat(2, 1) + self.text_individual(people_first(person_text))
        if self.role is not None:
            own = (own.unflatten(0, (2, -1)) + self.role[:, None]).flatten(0, 1)
        pad = padding_mask(mask)
        pad = None if pad is None else pad.repeat(2, 1)
        h = self.io.embed(people_first(x))  # (2B, T, latent), person-major
        for block in self.blocks:
            h = block(h, swap_people(h), own, shared, pad)
        return people_last(self.io.out(h))
