"""Discriminators for adversarial Mixer training: per-frame realism logits, averaged over valid frames.

``people=2`` judges two-person motions against the interaction model's own predictions (D^a);
``people=1`` judges one centred person against the individual model's own predictions (D^b).
:class:`PartDiscriminator` judges one person body part by body part, each part by a judge of its own.
"""
from __future__ import annotations

from dataclasses import replace

import torch
from torch import nn

from ..representation.interhuman import CONTACT, POS, ROT, VEL
from ..skeleton import BODY_PARTS, LOWER_BODY
from .blocks import SoloBlock, TextProjection, TimestepEmbedding, padding_mask, sinusoid
from .config import NetConfig

# The parts a part-wise judge reads: the lower body carries the trajectory and the foot contacts.
JUDGED_PARTS: dict[str, tuple[int, ...]] = {
    "lower_body": LOWER_BODY,
    "spine": BODY_PARTS["spine"],
    "arms": BODY_PARTS["left_arm"] + BODY_PARTS["right_arm"],
}


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


def part_feature_index(joints: tuple[int, ...]) -> list[int]:
    """Indices of the 262 per-person features that belong to ``joints``: their positions, velocities and (for
    joints other than the root) local rotations, and the foot contacts where the part holds the pelvis."""
    index = []
    for j in sorted(joints):
        index += [POS.start + 3 * j + c for c in range(3)] + [VEL.start + 3 * j + c for c in range(3)]
        if j > 0:
            index += [ROT.start + 6 * (j - 1) + c for c in range(6)]
    return index + (list(range(CONTACT.start, CONTACT.stop)) if 0 in joints else [])


class PartDiscriminator(nn.Module):
    """One person judged part by part (``JUDGED_PARTS``): each part's features go to a judge of its own, and the
    scores come back per part, (B, parts). A whole-body judge of the individual model's motion gives a mix no credit
    for taking the asked action's limbs from the individual model and the rest from the interaction model (the legs
    still walk as in the interaction); part-wise judges credit each part that moves as the individual model has it."""

    def __init__(self, cfg: NetConfig):
        super().__init__()
        self.judges = nn.ModuleDict()
        for name, joints in JUDGED_PARTS.items():
            index = part_feature_index(joints)
            self.register_buffer(f"index_{name}", torch.tensor(index), persistent=False)
            self.judges[name] = MotionDiscriminator(replace(cfg, feature_dim=len(index)), people=1)

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x: (B, T, 1, 262) normalised -> (B, parts) realism scores."""
        return torch.stack([judge(x.index_select(-1, getattr(self, f"index_{name}")), t, text, mask)
                            for name, judge in self.judges.items()], -1)
