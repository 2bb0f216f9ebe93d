"""Losses for the denoisers: masked x0 regression plus geometric terms in centimetres.

The geometric terms (as in InterGen) keep bone lengths fixed, planted feet still and the body above the
floor; they only apply
at low noise (t <= 700), where the prediction is detailed enough for them to mean something.
"""
from __future__ import annotations

import torch

from ..representation.interhuman import CONTACT, features_to_joints
from ..skeleton import FOOT_JOINTS, PARENTS

GEOMETRY_MAX_T = 700


def masked_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean squared error over valid frames. pred/target: (B, T, ...); mask: (B, T)."""
    err = ((pred - target) ** 2).flatten(2).mean(-1)
    return (err * mask).sum() / mask.sum().clamp_min(1)


def bone_length_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared bone-length error in cm^2. raw features (B, T, P, 262); weight (B, T) frame weights."""
    def lengths(f: torch.Tensor) -> torch.Tensor:
        j = features_to_joints(f)
        return (j[..., 1:, :] - j[..., list(PARENTS[1:]), :]).norm(dim=-1)

    err = ((lengths(pred_raw) - lengths(target_raw)) * 100) ** 2
    return (err.flatten(2).mean(-1) * weight).sum() / weight.sum().clamp_min(1)


def foot_contact_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared speed (cm/frame)^2 of predicted foot joints where the data says the foot is planted."""
    feet = features_to_joints(pred_raw)[..., list(FOOT_JOINTS), :]
    speed2 = (((feet[:, 1:] - feet[:, :-1]) * 100) ** 2).sum(-1)  # (B, T-1, P, 4)
    contact = target_raw[:, :-1, ..., CONTACT]
    w = weight[:, 1:] * weight[:, :-1]
    per_frame = (speed2 * contact).flatten(2).mean(-1)
    return (per_frame * w).sum() / w.sum().clamp_min(1)


def floor_loss(pred_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared depth (cm^2) of each person's lowest predicted joint below the floor y = 0; 0 above it."""
    lowest = features_to_joints(pred_raw)[..., 1].amin(-1)  # (B, T, P)
    depth2 = (torch.relu(-lowest) * 100) ** 2
    return (depth2.mean(-1) * weight).sum() / weight.sum().clamp_min(1)
