"""The Mixer: a small transformer that predicts how much of the individual model to use.

It reads both models' x0 predictions for each person (normalised in one shared space), the step and
the texts, and outputs weights in [0, 1] at one of four granularities:
G (one per person and sample), T (per frame), S (per joint), ST (per joint and frame).

With ``frame_stride`` s > 1 it reads the motions averaged over blocks of s frames (one token per block, at the
block's centre frame) and gives each frame its block's weight: s times fewer tokens, so a step's Mixer call
costs about 1/s as much, while T/ST weights are averaged over ``frame_smoothing`` frames anyway.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from ..representation.interhuman import FEATURE_JOINT
from ..skeleton import LOWER_BODY, NUM_JOINTS
from ..vocabulary import GRANULARITIES
from .blocks import (DuetBlock, TextProjection, TimestepEmbedding, people_first, people_last, sinusoid,
                     swap_people)
from .config import NetConfig


def smooth_over_frames(w: torch.Tensor, window: int, valid: torch.Tensor | None = None) -> torch.Tensor:
    """Mean of (N, T, J) weights over a centred window of ``window`` (odd) frames, counting valid frames only.

    Frame-wise weights that jump from frame to frame make feet slide: a joint mixed as p_a + w (p_b - p_a) moves
    by an extra (dw/dt)(p_b - p_a), tens of centimetres apart between the two predictions."""
    v = torch.ones_like(w[..., :1]) if valid is None else valid
    x = F.avg_pool1d(torch.cat((w * v, v), dim=-1).transpose(1, 2), window, stride=1, padding=window // 2)
    x = x.transpose(1, 2)
    return x[..., :-1] / x[..., -1:].clamp_min(1e-6)


def lower_body_as_one() -> torch.Tensor:
    """(22, 22) map that gives the root and the legs their mean weight and leaves the other joints alone: what
    stands on the floor and carries the trajectory moves as one, so under the mix's root-relative rule
    (``composition.sampler.mix``) a foot planted in both models stays planted under the mixed pelvis."""
    m = torch.eye(NUM_JOINTS)
    lower = torch.tensor(LOWER_BODY)
    m[lower[:, None], lower[None, :]] = 1.0 / len(LOWER_BODY)
    return m


def pool_frames(x: torch.Tensor, stride: int, valid: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, T, C) -> (N, ceil(T / stride), C): the mean of each block of ``stride`` frames over its valid ones,
    and (N, T', 1) which blocks hold any valid frame."""
    v = torch.ones_like(x[..., :1]) if valid is None else valid
    s = F.avg_pool1d(torch.cat((x * v, v), dim=-1).transpose(1, 2), stride, stride, ceil_mode=True).transpose(1, 2)
    return s[..., :-1] / s[..., -1:].clamp_min(1e-6), (s[..., -1:] > 0).to(x)


class Mixer(nn.Module):
    def __init__(self, cfg: NetConfig, granularity: str = "ST", frame_smoothing: int = 0, frame_stride: int = 1):
        """``frame_smoothing``: T/ST weights are averaged over this many frames (odd; 0 or 1 = as predicted; G and S
        have one weight for all frames and ignore it). ``frame_stride``: frames per token (module docstring)."""
        super().__init__()
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {GRANULARITIES}, got {granularity!r}")
        if frame_smoothing < 0 or (frame_smoothing > 1 and frame_smoothing % 2 == 0):
            raise ValueError(f"frame_smoothing must be 0 or an odd number of frames, got {frame_smoothing}")
        if frame_stride < 1:
            raise ValueError(f"frame_stride must be a positive number of frames, got {frame_stride}")
        self.cfg, self.granularity, self.frame_stride = cfg, granularity, frame_stride
        self.frame_smoothing = frame_smoothing if "T" in granularity else 0
        self.inp = nn.Linear(2 * cfg.feature_dim, cfg.latent)
        self.time = TimestepEmbedding(cfg.latent)
        self.text_interaction = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        self.text_individual = TextProjection(cfg.text_dim, cfg.latent, cfg.text_gain)
        self.blocks = nn.ModuleList(DuetBlock(cfg.latent, cfg.heads, cfg.ff, cfg.dropout) for _ in range(cfg.layers))
        self.head = nn.Sequential(nn.LayerNorm(cfg.latent), nn.Linear(cfg.latent, NUM_JOINTS if "S" in granularity else 1))

    def forward(self, x_a: torch.Tensor, x_b: torch.Tensor, t: torch.Tensor, text: torch.Tensor,
                person_text: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x_a, x_b: (B, T, 2, 262) interaction and aligned individual predictions.

        Returns weights (B, Tw, 2, Jw) in [0, 1], Tw = T for T/ST else 1, Jw = 22 for S/ST else 1; S/ST give the
        root and the legs one weight (``lower_body_as_one``).
        """
        frames = x_a.shape[1]
        time = self.time(t)
        shared = (time + self.text_interaction(text)).repeat(2, 1)
        own = time.repeat(2, 1) + self.text_individual(people_first(person_text))
        x = people_first(torch.cat((x_a, x_b - x_a), dim=-1))  # (2B, T, 2 * 262), person-major
        valid = None if mask is None else mask.repeat(2, 1)[..., None].to(x)
        positions = torch.arange(frames, device=x.device).float()
        tokens = valid
        if self.frame_stride > 1:
            x, tokens = pool_frames(x, self.frame_stride, valid)
            positions = positions[::self.frame_stride] + (self.frame_stride - 1) / 2  # each block's centre frame
        pad = None if mask is None else tokens[..., 0] == 0
        h = self.inp(x) + sinusoid(positions, self.cfg.latent).to(x.dtype)
        for block in self.blocks:
            h = block(h, swap_people(h), own, shared, pad)
        if "T" not in self.granularity:  # pool over valid tokens (ones_like: no size read, for the ONNX export)
            tokens = torch.ones_like(h[..., :1]) if tokens is None else tokens
            h = (h * tokens).sum(1, keepdim=True) / tokens.sum(1, keepdim=True).clamp_min(1)
        w = torch.sigmoid(self.head(h))  # (2B, Tw, Jw)
        if "T" in self.granularity and self.frame_stride > 1:  # each frame takes its block's weight
            w = w[:, torch.div(torch.arange(frames, device=w.device), self.frame_stride, rounding_mode="floor")]
        if self.frame_smoothing > 1:
            w = smooth_over_frames(w, self.frame_smoothing, valid)
        if "S" in self.granularity:
            w = w @ lower_body_as_one().to(w)
        return people_last(w)


def weights_to_features(w: torch.Tensor, frames: int) -> torch.Tensor:
    """Broadcast weights (B, Tw, 2, Jw) to (B, T, 2, 262): a joint's weight drives all its features."""
    w = w.expand(w.shape[0], frames, w.shape[2], w.shape[3])
    if w.shape[-1] == 1:
        return w.expand(*w.shape[:-1], len(FEATURE_JOINT))
    return w[..., torch.as_tensor(FEATURE_JOINT, device=w.device)]


def weights_per_joint(w: torch.Tensor, frames: int) -> torch.Tensor:
    """Broadcast weights (B, Tw, 2, Jw) to (B, T, 2, 22) for plots and metrics."""
    return w.expand(w.shape[0], frames, w.shape[2], NUM_JOINTS)
