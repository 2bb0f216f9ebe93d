"""Grounding: the clean-up a generated motion gets before it is shown, like the foot-skate removal of the
HumanML3D tools. For two people, the hand contacts the network nearly makes are closed first (``touch.py``).
Planted toes stop sliding (held still in the floor plane; their height stays as generated) and the legs
follow by two-bone IK (hip fixed, bone lengths kept); then each frame is lifted so that no joint is below the
floor.

A toe counts as planted on a step where the motion's own contact flag says so, or where it is as low and
slow as the representation's contact rule asks. The pin is the toe's mean ground position over the planted
stretch, eased in and out over ``BLEND`` frames on either side. Only positions and velocities change: the
local rotations stay as generated (exporters take only the twist from them).
"""
from __future__ import annotations

import numpy as np
import torch

from ..kinematics import facing_direction
from ..skeleton import JOINT
from .interhuman import CONTACT, FEATURE_DIM, POS, VEL, features_to_joints, foot_contacts
from .limbs import two_bone_ik_positions
from .touch import close_contacts

# (hip, knee, ankle, toe, contact column of the toe) for the left and the right leg
LEGS = tuple((JOINT[f"{s}_hip"], JOINT[f"{s}_knee"], JOINT[f"{s}_ankle"], JOINT[f"{s}_foot"], col)
             for s, col in (("left", 1), ("right", 3)))
BLEND = 2  # frames over which a pin eases in before and out after a planted stretch
CONTACT_FLAG = 0.5  # a generated contact value above this plants the foot


def ground(features: torch.Tensor) -> torch.Tensor:
    """Grounded copy of raw features (..., T, P, 262): near contacts closed, planted toes still, no joint
    below y = 0."""
    if features.ndim < 3 or features.shape[-1] != FEATURE_DIM:
        raise ValueError(f"features must be (..., frames, people, {FEATURE_DIM}), got {tuple(features.shape)}")
    if features.shape[-3] < 2:
        return features.clone()
    f = features.detach().cpu().double().numpy().copy()
    lead, (T, P) = f.shape[:-3], f.shape[-3:-1]
    flat = f.reshape(-1, T, P, FEATURE_DIM)
    joints = features_to_joints(torch.from_numpy(flat)).numpy()  # (N, T, P, 22, 3)
    for n in range(flat.shape[0]):
        if P == 2:
            joints[n] = close_contacts(joints[n])
        for p in range(P):
            j = lift_above_floor(lock_feet(joints[n, :, p], planted_steps(joints[n, :, p], flat[n, :, p, CONTACT])))
            flat[n, :, p, POS] = j.reshape(T, -1)
            flat[n, :-1, p, VEL] = (j[1:] - j[:-1]).reshape(T - 1, -1)
    out = torch.from_numpy(flat.reshape(*lead, T, P, FEATURE_DIM))
    return out.to(features.dtype).to(features.device)


def planted_steps(joints: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """(T-1, 4) flags of the foot joints planted on the step t -> t+1: the generated contact flag, or the
    representation's own low-and-slow rule on the generated joints."""
    rule = foot_contacts(torch.from_numpy(joints)).numpy() > 0.5
    return (contacts[:-1] > CONTACT_FLAG) | rule


def lock_feet(joints: np.ndarray, planted: np.ndarray) -> np.ndarray:
    """Joints (T, 22, 3), given ``planted`` steps (T-1, 4), with each planted toe held at its mean ground
    position over its planted stretch; the ankle moves with the toe and the knee is placed by two-bone IK, so
    bone lengths do not change."""
    out = joints.copy()
    T = len(joints)
    forward = facing_direction(joints)
    for hip, knee, ankle, toe, col in LEGS:
        frames = np.zeros(T, bool)  # both ends of a planted step
        frames[:-1] |= planted[:, col]
        frames[1:] |= planted[:, col]
        offset = pin_offsets(joints[:, toe], frames)
        if not offset.any():
            continue
        new_knee, new_ankle = two_bone_ik_positions(joints[:, hip], joints[:, knee], joints[:, ankle],
                                                    joints[:, ankle] + offset, forward)
        out[:, toe] += new_ankle - joints[:, ankle]
        out[:, knee], out[:, ankle] = new_knee, new_ankle
    return out


def pin_offsets(toe: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """(T, 3) displacement that holds ``toe`` (T, 3) still over each stretch of ``frames``, eased to 0
    over BLEND frames on both sides."""
    held = np.zeros_like(toe)
    for start, end in _stretches(frames):
        held[start:end] = toe[start:end].mean(0) - toe[start:end]
    held[:, 1] = 0.0
    return ease_offsets(held, frames, BLEND)


def ease_offsets(offset: np.ndarray, frames: np.ndarray, blend: int) -> np.ndarray:
    """(T, 3) ``offset`` kept on each stretch of ``frames`` and eased to 0 over ``blend`` frames on both
    sides (averaged where two eases meet); 0 elsewhere."""
    T = len(offset)
    out, weight = np.zeros((T, 3)), np.zeros(T)
    for start, end in _stretches(frames):
        out[start:end] += offset[start:end]
        weight[start:end] += 1
        for k in range(1, blend + 1):
            share = 1 - k / (blend + 1)
            for t, edge in ((end - 1 + k, offset[end - 1]), (start - k, offset[start])):
                if 0 <= t < T and not frames[t]:
                    out[t] += share * edge
                    weight[t] += share
    shared = weight > 1
    out[shared] /= weight[shared, None]
    return out


def _stretches(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-D bool array."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def lift_above_floor(joints: np.ndarray) -> np.ndarray:
    """Joints (T, 22, 3) raised, frame by frame, by how far the lowest joint is below y = 0."""
    out = joints.copy()
    out[..., 1] += np.clip(-joints[..., 1].min(-1), 0, None)[:, None]
    return out
