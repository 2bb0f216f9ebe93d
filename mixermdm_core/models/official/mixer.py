"""The MixerMDM Mixer (Ruiz-Ponce et al., CVPR 2025) with the official parameter names (``mixing.*``).

Per person k, the frozen individual denoiser's x0 (query stream) and the interaction denoiser's x0 for that
person (key/value stream), both de-normalised to raw 262-d features, are embedded (Linear + sinusoid) and run
through ``num_layers`` blocks: AdaLN self-attention on (step + Mixer's sentence of person k), AdaLN
cross-attention to the interaction stream on (step + Mixer's interaction sentence), AdaLN feed-forward on that
interaction condition too. A Linear and a sigmoid give the weights (``MIXING_MODE``):

====  =====  =================================  ==========================
mode  name   raw head output per person         weight applied (official)
====  =====  =================================  ==========================
1     G      (B, 1) after a mean over frames    (B, T, 1)
2     T      (B, T, 1)                          (B, T, 1)
3     S      (B, 23) after a mean over frames   (B, T, 262) via ``expand``
4     ST     (B, T, 23)                         (B, T, 262) via ``expand``
====  =====  =================================  ==========================

The frame mean of G and S includes padded frames, as in the official code. The 23 outputs map onto the 262
features as the official code does (``expand_joint_weights``): output j (j < 22) weights joint j's position and
velocity; rotations of the 21 non-root joints take outputs 0..20 (shifted by one against the joints they
rotate); output 22 weights all four foot contacts. The mix is ``x = x_inter + w * (x_indiv - x_inter)``.

The official Mixer also aligns each individual prediction to the interaction one before embedding it (its
default ``align=True``): pass ``alignment.official_alignment`` as ``align`` for that, None for ``align=False``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from ...representation.interhuman import FEATURE_DIM
from ...skeleton import NUM_JOINTS
from .in2in import In2INDenoiser
from .layers import CrossAttention, FeedForward, SelfAttention, SinusoidTable, StepEmbedder, padding_mask, zero_
from .text import TEXT_DIM

MODES = {"g": 1, "t": 2, "s": 3, "st": 4}  # the official MIXING_MODE of each granularity
JOINTS = NUM_JOINTS

# (interaction x0, individual x0, mask) -> (individual x0, interaction x0), raw (B, T, 524) each
AlignFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor | None], tuple[torch.Tensor, torch.Tensor]]


@dataclass(frozen=True)
class MixerConfig:
    """Sizes of the Mixer; the defaults are the released ones (configs/models/MixerMDM.yaml, GENERATOR)."""

    input_dim: int = FEATURE_DIM
    latent_dim: int = 512
    ff_size: int = 1024
    num_layers: int = 4
    num_heads: int = 8
    dropout: float = 0.1
    mixing_mode: int = 4


class InfluenceBlock(nn.Module):
    """Self-attention (own condition), cross-attention to the interaction stream and feed-forward (both on
    the interaction condition); residual branches."""

    def __init__(self, dim: int, heads: int, ff: int, dropout: float):
        super().__init__()
        self.sa_block = SelfAttention(dim, heads, dropout)
        self.ca_block = CrossAttention(dim, heads, dropout)
        self.ffn = FeedForward(dim, ff, dropout)
        for adaln in (self.sa_block.norm, self.ca_block.norm, self.ca_block.xf_norm, self.ffn.norm):
            zero_(adaln.emb_layers)
        zero_(self.ffn.linear2)

    def forward(self, h: torch.Tensor, inter: torch.Tensor, own: torch.Tensor, shared: torch.Tensor,
                pad: torch.Tensor) -> torch.Tensor:
        h = h + self.sa_block(h, own, pad)
        h = h + self.ca_block(h, inter, shared, pad)
        return h + self.ffn(h, shared)


class Influence(nn.Module):
    """The blocks and the head: embedded streams -> raw weights in (0, 1) of the mode's shape."""

    def __init__(self, cfg: MixerConfig):
        super().__init__()
        # The official blocks are built with their default dropout (0), whatever the config says.
        self.mode = cfg.mixing_mode
        self.blocks = nn.ModuleList(InfluenceBlock(cfg.latent_dim, cfg.num_heads, cfg.ff_size, 0.0)
                                    for _ in range(cfg.num_layers))
        if self.mode not in (1, 2, 3, 4):
            raise ValueError(f"mixing mode must be 1 (G), 2 (T), 3 (S) or 4 (ST), got {self.mode}")
        self.out = nn.Linear(cfg.latent_dim, 1 if self.mode in (1, 2) else JOINTS + 1)

    def forward(self, m_ind: torch.Tensor, m_int: torch.Tensor, own: torch.Tensor, shared: torch.Tensor,
                pad: torch.Tensor) -> torch.Tensor:
        h = m_ind
        for block in self.blocks:
            h = block(h, m_int, own, shared, pad)
        if self.mode in (1, 3):
            h = h.mean(dim=1)
        return torch.sigmoid(self.out(h))


def expand_joint_weights(raw: torch.Tensor) -> torch.Tensor:
    """(..., 23) weights -> (..., 262) per-feature weights, the official mapping (see the module docstring)."""
    joints = raw[..., :JOINTS].repeat_interleave(3, dim=-1)
    rotations = raw[..., : JOINTS - 1].repeat_interleave(6, dim=-1)
    contacts = raw[..., JOINTS:].expand(*raw.shape[:-1], 4)
    return torch.cat([joints, joints, rotations, contacts], dim=-1)


def feature_weights(raw: torch.Tensor, mode: int, frames: int) -> torch.Tensor:
    """The raw head output of one person -> the weight tensor the official code multiplies with: (B, T, 1)
    for G and T, (B, T, 262) for S and ST."""
    if mode in (1, 3):
        raw = raw.unsqueeze(1).expand(-1, frames, -1)
    return raw if mode in (1, 2) else expand_joint_weights(raw)


class Mixer(nn.Module):
    """The official ``Mixer``: runs both frozen denoisers, de-normalises, (optionally) aligns, predicts the
    weights and mixes. ``denoiser1`` is the in2IN individual net, ``denoiser2`` the interaction net; they are
    submodules, as in the official checkpoint (``mixing.denoiser1.*``, ``mixing.denoiser2.*``)."""

    def __init__(self, denoiser1: In2INDenoiser, denoiser2: In2INDenoiser, cfg: MixerConfig = MixerConfig(),
                 align: AlignFn | None = None):
        super().__init__()
        self.cfg, self.nfeats, self.text_dim = cfg, cfg.input_dim, TEXT_DIM
        self.mixing_mode = cfg.mixing_mode
        self.denoiser1, self.denoiser2 = denoiser1, denoiser2
        self.influence = Influence(cfg)
        self.sequence_pos_encoder = SinusoidTable(cfg.latent_dim)
        self.embed_timestep = StepEmbedder(cfg.latent_dim, self.sequence_pos_encoder)
        self.motion_embed = nn.Linear(cfg.input_dim, cfg.latent_dim)
        self.text_embed = nn.Linear(TEXT_DIM, cfg.latent_dim)
        self.align = align
        # Normalisation statistics (individual model's, interaction model's); not saved in the state dict.
        for name in ("ind_mean", "int_mean"):
            self.register_buffer(name, torch.zeros(cfg.input_dim), persistent=False)
        for name in ("ind_std", "int_std"):
            self.register_buffer(name, torch.ones(cfg.input_dim), persistent=False)
        self.last_weights: tuple[torch.Tensor, torch.Tensor] | None = None

    def set_statistics(self, ind_mean, ind_std, int_mean, int_std) -> "Mixer":
        """The 262-d mean/std each denoiser was trained with (individual first, then interaction)."""
        for name, value in zip(("ind_mean", "ind_std", "int_mean", "int_std"),
                               (ind_mean, ind_std, int_mean, int_std)):
            getattr(self, name).copy_(torch.as_tensor(value, dtype=torch.float32))
        return self

    def conditions(self, steps: torch.Tensor, cond: torch.Tensor) -> list[torch.Tensor]:
        """The Mixer's three latent conditions from the last three 768-d slices of the packed condition:
        [interaction, person 1, person 2], each step embedding + projected sentence."""
        step = self.embed_timestep(steps)
        return [step + self.text_embed(cond[:, (5 + i) * TEXT_DIM:(6 + i) * TEXT_DIM]) for i in range(3)]

    def mixing_weights(self, x_ind: torch.Tensor, x_int: torch.Tensor, steps: torch.Tensor, cond: torch.Tensor,
                       mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Raw 262-d x0 of both models, (B, T, 524) each (already aligned) -> the two persons' raw head outputs.
        ``cond`` is the packed (B, 8*768) condition (see ``forward``)."""
        B, T = x_ind.shape[:2]
        pad = padding_mask(mask, B, T, x_ind.device)
        shared, own1, own2 = self.conditions(steps, cond)
        embed = lambda x: self.sequence_pos_encoder(self.motion_embed(x))  # noqa: E731
        n = self.nfeats
        return tuple(self.influence(embed(x_ind[..., k * n:(k + 1) * n]), embed(x_int[..., k * n:(k + 1) * n]),
                                    own, shared, pad) for k, own in ((0, own1), (1, own2)))

    def predictions(self, x1: torch.Tensor, x2: torch.Tensor, steps: torch.Tensor, cond: torch.Tensor,
                    mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Both denoisers' x0, de-normalised to raw features: (individual (B, T, 524), interaction (B, T, 524)).

        ``x1`` is the individual chain's normalised input (both persons side by side), ``x2`` the interaction
        chain's. The packed condition is [interaction, person 1, person 2 (interaction model's sentences),
        person 1, person 2 (individual model's), interaction, person 1, person 2 (Mixer's)], 768 each."""
        n, d = self.nfeats, TEXT_DIM
        ind = [self.denoiser1(x1[..., k * n:(k + 1) * n], steps, mask=mask, cond=cond[:, (3 + k) * d:(4 + k) * d])
               for k in range(2)]
        ind = torch.cat([o * self.ind_std + self.ind_mean for o in ind], dim=-1)
        inter = self.denoiser2(x2, steps, mask=mask, cond=cond[:, : 3 * d])
        B, T = inter.shape[:2]
        inter = (inter.reshape(B, T, 2, n) * self.int_std + self.int_mean).reshape(B, T, 2 * n)
        if self.align is not None:
            ind, inter = self.align(inter, ind, mask)
        return ind, inter

    def forward(self, x1: torch.Tensor, timesteps: torch.Tensor, cond: torch.Tensor,
                mask: torch.Tensor | None = None, x2: torch.Tensor | None = None) -> torch.Tensor:
        """The mixed raw x0 (B, T, 524); the per-person weights are kept in ``last_weights``."""
        ind, inter = self.predictions(x1.float(), x2.float(), timesteps, cond, mask)
        raw = self.mixing_weights(ind, inter, timesteps, cond, mask)
        T, n = ind.shape[1], self.nfeats
        weights = tuple(feature_weights(r, self.mixing_mode, T) for r in raw)
        self.last_weights = weights
        mixed = [inter[..., k * n:(k + 1) * n] + w * (ind[..., k * n:(k + 1) * n] - inter[..., k * n:(k + 1) * n])
                 for k, w in enumerate(weights)]
        return torch.cat(mixed, dim=-1)
