"""The in2IN denoisers (Ruiz-Ponce et al., CVPR-W 2024) with the official parameter names.

One network class serves both released models:

* ``mode="interaction"``: the two people share the weights; person k's stream runs AdaLN self-attention and
  AdaLN feed-forward conditioned on (step + person k's text), and AdaLN cross-attention to the other person's
  stream conditioned on (step + interaction text). Both streams read the *previous* block's output of the other.
  Input (B, T, 2*262), condition (B, 3*768) = [interaction, individual 1, individual 2] sentence vectors.
* ``mode="individual"``: one person; the cross-attention is skipped, but its weights exist (the official block
  always builds them, so they are in the checkpoint). Input (B, T, 262), condition (B, 768).

``In2IN`` wraps a denoiser the way the official top-level module does (``decoder.net_<mode>``, the trainable
text layers after CLIP, and optionally CLIP's own text tower), so a whole official checkpoint loads strictly.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ...representation.interhuman import FEATURE_DIM
from .layers import (CrossAttention, FeedForward, OutputLayer, SelfAttention, SinusoidTable, StepEmbedder,
                     padding_mask, zero_)
from .text import TEXT_DIM, ClipConfig, ClipTextTower, SentenceHead, TextConditioned

MODES = ("interaction", "individual")


@dataclass(frozen=True)
class DenoiserConfig:
    """Sizes of an in2IN denoiser; the defaults are the released models' (configs/models/in2IN.yaml and
    individual.yaml: 8 layers, 8 heads, latent 1024, feed-forward 2048, 262 features, dropout 0.1)."""

    input_dim: int = FEATURE_DIM
    latent_dim: int = 1024
    ff_size: int = 2048
    num_layers: int = 8
    num_heads: int = 8
    dropout: float = 0.1


class DoubleConditionBlock(nn.Module):
    """Self-attention on the person's own condition, cross-attention to the partner on the interaction
    condition, feed-forward on the person's own condition; each a residual branch."""

    def __init__(self, cfg: DenoiserConfig, use_cross: bool):
        super().__init__()
        d, h, p = cfg.latent_dim, cfg.num_heads, cfg.dropout
        self.use_cross = use_cross
        self.sa_block = SelfAttention(d, h, p)
        self.ca_block = CrossAttention(d, h, p)  # built even when unused (individual): its weights are saved
        self.ffn = FeedForward(d, cfg.ff_size, p)
        for adaln in (self.sa_block.norm, self.ca_block.norm, self.ca_block.xf_norm, self.ffn.norm):
            zero_(adaln.emb_layers)
        zero_(self.ffn.linear2)

    def forward(self, h: torch.Tensor, other: torch.Tensor | None, own: torch.Tensor,
                shared: torch.Tensor | None, pad: torch.Tensor) -> torch.Tensor:
        h = h + self.sa_block(h, own, pad)
        if self.use_cross:
            h = h + self.ca_block(h, other, shared, pad)
        return h + self.ffn(h, own)


class In2INDenoiser(nn.Module):
    """x_t (normalised features), integer step, sentence vectors -> predicted x_0 (see the module docstring)."""

    def __init__(self, mode: str = "interaction", cfg: DenoiserConfig = DenoiserConfig()):
        super().__init__()
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.mode, self.cfg = mode, cfg
        self.input_feats = cfg.input_dim
        self.text_dim = TEXT_DIM
        self.sequence_pos_encoder = SinusoidTable(cfg.latent_dim)
        self.embed_timestep = StepEmbedder(cfg.latent_dim, self.sequence_pos_encoder)
        self.motion_embed = nn.Linear(cfg.input_dim, cfg.latent_dim)
        self.text_embed = nn.Linear(TEXT_DIM, cfg.latent_dim)
        self.blocks = nn.ModuleList(DoubleConditionBlock(cfg, use_cross=mode == "interaction")
                                    for _ in range(cfg.num_layers))
        self.out = zero_(OutputLayer(cfg.latent_dim, cfg.input_dim))

    @property
    def persons(self) -> int:
        return 2 if self.mode == "interaction" else 1

    def conditions(self, steps: torch.Tensor, cond: torch.Tensor) -> list[torch.Tensor]:
        """One (B, latent) condition per 768-d slice of ``cond`` (step embedding + projected sentence)."""
        step = self.embed_timestep(steps)
        count = 3 if self.mode == "interaction" else 1
        return [step + self.text_embed(cond[:, i * TEXT_DIM:(i + 1) * TEXT_DIM]) for i in range(count)]

    def forward(self, x: torch.Tensor, timesteps: torch.Tensor, mask: torch.Tensor | None = None,
                cond: torch.Tensor | None = None) -> torch.Tensor:
        """x (B, T, persons*262), timesteps (B,), mask (B, T, 2) or None (1 = valid), cond (B, k*768)."""
        B, T = x.shape[:2]
        pad = padding_mask(mask, B, T, x.device)
        conds = self.conditions(timesteps, cond)
        streams = [self.sequence_pos_encoder(self.motion_embed(part))
                   for part in x.split(self.input_feats, dim=-1)[: self.persons]]
        if self.mode == "interaction":
            shared, own = conds[0], conds[1:]
            for block in self.blocks:
                a, b = streams
                streams = [block(a, b, own[0], shared, pad), block(b, a, own[1], shared, pad)]
        else:
            for block in self.blocks:
                streams = [block(streams[0], None, conds[0], None, pad)]
        return torch.cat([self.out(s) for s in streams], dim=-1)


class In2INDecoder(nn.Module):
    """Holds the denoiser under the attribute the official diffusion wrapper uses (``net_interaction`` or
    ``net_individual``); the official wrapper has no other weights."""

    def __init__(self, mode: str, cfg: DenoiserConfig):
        super().__init__()
        setattr(self, f"net_{mode}", In2INDenoiser(mode, cfg))


class In2IN(TextConditioned):
    """An official in2IN checkpoint as one module: ``decoder.net_<mode>``, the sentence head trained with it
    (``clipTransEncoder_<mode>``, ``clip_ln_<mode>``) and, with ``with_clip``, CLIP ViT-L/14's text tower
    (``token_embedding``, ``clip_transformer``, ``positional_embedding``, ``ln_final``).

    Without CLIP, load a checkpoint with ``load_official(strict=True)``, which sets the CLIP weights aside."""

    def __init__(self, mode: str = "interaction", cfg: DenoiserConfig = DenoiserConfig(), with_clip: bool = True,
                 clip: ClipConfig = ClipConfig()):
        super().__init__()
        self.mode = mode
        self.decoder = In2INDecoder(mode, cfg)
        head = SentenceHead()
        setattr(self, f"clipTransEncoder_{mode}", head.clipTransEncoder)
        setattr(self, f"clip_ln_{mode}", head.clip_ln)
        self.with_clip = with_clip
        if with_clip:
            ClipTextTower.attach(self, clip)

    @property
    def denoiser(self) -> In2INDenoiser:
        return getattr(self.decoder, f"net_{self.mode}")

    def text_head(self) -> tuple[nn.TransformerEncoder, nn.LayerNorm]:
        return getattr(self, f"clipTransEncoder_{self.mode}"), getattr(self, f"clip_ln_{self.mode}")
