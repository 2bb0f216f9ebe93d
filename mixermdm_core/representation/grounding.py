"""Grounding: the clean-up a generated motion gets before it is shown, like the foot-skate removal of the
HumanML3D tools. Planted toes stop sliding (held still in the floor plane; their height stays as generated)
and the legs follow by two-bone IK (bone lengths kept); for two people, the hand contacts the network nearly
makes are then closed (``touch.py``); last, each frame is lifted so that no joint is below the floor.

A toe counts as planted on a step where the motion's own contact flag says so, where it is as low and slow
as the representation's contact rule asks, or where it stays that low for STANCE_STEPS steps in a row
however fast it moves (a swinging toe passes that low only briefly). The pin is the toe's mean ground
position over the planted stretch, no further than MAX_PIN_SHIFT from the toe (a foot the network drags
further slides the rest: holding it would splay the legs), eased in and out over BLEND frames on either
side, which fall on the swing, where a foot moves anyway. Where a leg cannot reach its pin, the pelvis is
lowered (at most MAX_DROP, eased over DROP_EASE frames), as in footskate clean-up (Kovar et al. 2002); what
is still out of reach moves the pin towards the hip at its height, so a foot may slide there but is never
lifted off the floor by a stretched leg. A foot that passes further through the floor than the other is raised
onto it by its own leg, so that lifting the body out of the floor never takes the other foot off it. Only
positions and velocities change: the local rotations stay as generated (exporters take only the twist from
them).
"""
from __future__ import annotations

import numpy as np
import torch

from ..kinematics import facing_direction
from ..skeleton import FOOT_JOINTS, JOINT
from .interhuman import CONTACT, CONTACT_HEIGHTS, FEATURE_DIM, POS, VEL, features_to_joints, foot_contacts
from .limbs import limb_reach, two_bone_ik_positions
from .touch import close_contacts

# (hip, knee, ankle, toe, contact column of the toe) for the left and the right leg
LEGS = tuple((JOINT[f"{s}_hip"], JOINT[f"{s}_knee"], JOINT[f"{s}_ankle"], JOINT[f"{s}_foot"], col)
             for s, col in (("left", 1), ("right", 3)))
BLEND = 4  # frames over which a pin eases in before and out after a planted stretch
MAX_PIN_SHIFT = 0.25  # metres a pin may hold a toe from where the motion has it; a longer drag slides
CONTACT_FLAG = 0.5  # a generated contact value above this plants the foot
STANCE_STEPS = 3  # a foot joint below its contact height on this many steps in a row is planted
MAX_DROP = 0.05  # metres the pelvis may be lowered so that a leg reaches its pin: about a walking pelvis's bob
DROP_EASE = 4  # frames over which that lowering eases in and out


def ground(features: torch.Tensor) -> torch.Tensor:
    """Grounded copy of raw features (..., T, P, 262): planted toes still, near contacts closed, no joint
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
        for p in range(P):
            joints[n, :, p] = lock_feet(joints[n, :, p], planted_steps(joints[n, :, p], flat[n, :, p, CONTACT]))
        if P == 2:  # after the feet, which may lower a body
            joints[n] = close_contacts(joints[n])
        for p in range(P):
            j = lift_above_floor(joints[n, :, p])
            flat[n, :, p, POS] = j.reshape(T, -1)
            flat[n, :-1, p, VEL] = (j[1:] - j[:-1]).reshape(T - 1, -1)
    out = torch.from_numpy(flat.reshape(*lead, T, P, FEATURE_DIM))
    return out.to(features.dtype).to(features.device)


def planted_steps(joints: np.ndarray, contacts: np.ndarray) -> np.ndarray:
    """(T-1, 4) flags of the foot joints planted on the step t -> t+1: the generated contact flag, the
    representation's own low-and-slow rule on the generated joints, or a stance: low on STANCE_STEPS or more
    steps in a row."""
    flags = (contacts[:-1] > CONTACT_FLAG) | (foot_contacts(torch.from_numpy(joints)).numpy() > 0.5)
    low = joints[:, list(FOOT_JOINTS), 1] < np.asarray(CONTACT_HEIGHTS)
    steady = low[1:] & low[:-1]
    for col in range(steady.shape[1]):
        for start, end in _stretches(steady[:, col]):
            if end - start >= STANCE_STEPS:
                flags[start:end, col] = True
    return flags


def lock_feet(joints: np.ndarray, planted: np.ndarray) -> np.ndarray:
    """Joints (T, 22, 3), given ``planted`` steps (T-1, 4), with each planted toe held at its pin
    (``pin_offsets``); the ankle moves with the toe and the knee is placed by two-bone IK, so
    bone lengths do not change. A foot deeper in the floor than the other is raised to its depth
    (``foot_raises``). Where a pin is out of the leg's reach the whole body is lowered first (``pelvis_drop``)
    and the rest of the gap is closed horizontally (``within_reach``)."""
    T = len(joints)
    offsets = []
    for *_, toe, col in LEGS:
        frames = np.zeros(T, bool)  # both ends of a planted step
        frames[:-1] |= planted[:, col]
        frames[1:] |= planted[:, col]
        offsets.append(pin_offsets(joints[:, toe], frames))
    for offset, raise_ in zip(offsets, foot_raises(joints)):
        offset[:, 1] = raise_
    if not any(offset.any() for offset in offsets):
        return joints.copy()
    targets = [joints[:, leg[2]] + offset for leg, offset in zip(LEGS, offsets)]  # the ankles' targets
    reaches = [limb_reach(joints[:, hip], joints[:, knee], joints[:, ankle]) for hip, knee, ankle, _, _ in LEGS]
    drop = pelvis_drop(joints, targets, reaches)
    out = joints.copy()
    out[..., 1] -= drop[:, None]  # lowering the whole body leaves each leg's reach as it was
    forward = facing_direction(joints)
    for (hip, knee, ankle, toe, _), target, reach, offset in zip(LEGS, targets, reaches, offsets):
        reachable = within_reach(out[:, hip], reach, target)
        new_knee, new_ankle = two_bone_ik_positions(out[:, hip], out[:, knee], out[:, ankle], reachable, forward)
        moved = offset.any(-1) | (drop > 0)
        out[moved, toe] += new_ankle[moved] - out[moved, ankle]
        out[moved, knee], out[moved, ankle] = new_knee[moved], new_ankle[moved]
    return out


def foot_raises(joints: np.ndarray) -> list[np.ndarray]:
    """(T,) per leg, in LEGS order: how far to raise that foot so that it is no lower in the floor than the
    other. A body sunk into the floor is lifted whole afterwards (``lift_above_floor``); a foot that alone
    passes through the floor is raised by its leg, so that lifting the body for it does not raise the other,
    planted foot."""
    sunk = [np.clip(-joints[:, [ankle, toe], 1].min(-1), 0, None) for _, _, ankle, toe, _ in LEGS]
    common = np.minimum(*sunk)
    return [depth - common for depth in sunk]


def pelvis_drop(joints: np.ndarray, targets: list[np.ndarray], reaches: list[np.ndarray]) -> np.ndarray:
    """(T,) how far to lower each frame of ``joints`` (T, 22, 3), at most MAX_DROP, so that every leg's hip
    comes within its reach (T,) in ``reaches`` of its ankle target (T, 3) in ``targets`` (both in LEGS order);
    widened and eased over DROP_EASE frames on either side, never below what a frame needs."""
    need = np.zeros(len(joints))
    for (hip, _, _, _, _), target, reach in zip(LEGS, targets, reaches):
        gap = target - joints[:, hip]
        across = np.linalg.norm(gap[:, [0, 2]], axis=-1)
        below = -gap[:, 1]  # how far the target lies below the hip
        need = np.maximum(need, below - np.sqrt(np.clip(reach ** 2 - across ** 2, 0, None)))
    need = np.clip(need, 0, MAX_DROP)
    if not need.any():
        return need
    width = 2 * DROP_EASE + 1
    padded = np.pad(need, DROP_EASE, mode="edge")
    widest = np.lib.stride_tricks.sliding_window_view(padded, width).max(-1)  # a frame's need over +-DROP_EASE
    # the mean over a window of those maxima is at least each frame's own need
    return np.convolve(np.pad(widest, DROP_EASE, mode="edge"), np.ones(width) / width, mode="valid")


def within_reach(root: np.ndarray, reach: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``target`` (T, 3) moved horizontally towards ``root`` (T, 3) until it lies within ``reach`` (T,) of it,
    its height kept (straight below or above the root where even that is out of reach)."""
    gap = target - root
    radius = np.sqrt(np.clip(reach ** 2 - gap[:, 1] ** 2, 0, None))
    across = np.linalg.norm(gap[:, [0, 2]], axis=-1)
    scale = np.minimum(1.0, radius / np.maximum(across, 1e-9))
    out = target.copy()
    out[:, [0, 2]] = root[:, [0, 2]] + gap[:, [0, 2]] * scale[:, None]
    return out


def pin_offsets(toe: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """(T, 3) displacement that holds ``toe`` (T, 3) still over each stretch of ``frames``, at most
    MAX_PIN_SHIFT from where the motion has it, eased to 0 over BLEND frames on both sides."""
    held = np.zeros_like(toe)
    for start, end in _stretches(frames):
        held[start:end] = toe[start:end].mean(0) - toe[start:end]
    held[:, 1] = 0.0
    length = np.linalg.norm(held, axis=-1, keepdims=True)
    held *= np.minimum(1.0, MAX_PIN_SHIFT / np.maximum(length, 1e-9))
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
