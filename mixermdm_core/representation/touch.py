"""Closing near-contacts: where the network already brings a hand of one person close to a hand or the trunk
of the other, the two are made to touch, as grounding pins the feet it already plants.

Read from the motion alone, never from the text. For each wrist, frame by frame, the nearest partner is the
other person's wrists (touching at HAND_GAP_M) or the surface of their trunk capsules (``capsules.py``, the body
the evaluation reads contact and penetration on; touching at BODY_GAP_M), and ``excess`` is how far the wrist is
from touching it. Within CLOSE_M of touching, the contact is closed; from there up to NEAR_M the excess is
shrunk linearly, so the motion is unchanged at NEAR_M and the move is continuous in time (no snapping as a hand
comes and goes). Two hands each cover half the move; the arm follows by two-bone IK from the shoulder, so bone
lengths do not change.
"""
from __future__ import annotations

import numpy as np

from ..kinematics import facing_direction
from ..skeleton import JOINT
from .capsules import nearest_on_segment, trunk_axes
from .limbs import two_bone_ik_positions

CLOSE_M = 0.08  # a hand this near to touching is taken to touch
NEAR_M = 0.20  # beyond this from touching the motion is left as it is
HAND_GAP_M = 0.05  # wrist to wrist in a closed hand contact (the corpus's handshakes meet at about 4 cm)
BODY_GAP_M = 0.02  # wrist joint to the trunk's surface in a closed body contact (the corpus's pushes: 1-3 cm)

ARMS = tuple((JOINT[f"{s}_shoulder"], JOINT[f"{s}_elbow"], JOINT[f"{s}_wrist"]) for s in ("left", "right"))
WRISTS = tuple(arm[2] for arm in ARMS)


def closed_excess(excess: np.ndarray) -> np.ndarray:
    """How far from touching a hand ends up: 0 within CLOSE_M, then rising linearly to meet ``excess`` at
    NEAR_M, unchanged beyond (and never further than it was)."""
    ramp = (excess - CLOSE_M) * NEAR_M / (NEAR_M - CLOSE_M)
    return np.where(excess >= NEAR_M, excess, np.clip(ramp, 0.0, np.maximum(excess, 0.0)))


def wrist_moves(pair: np.ndarray) -> np.ndarray:
    """(T, 2, 2, 3): for each frame, person and wrist, the displacement that closes its near contact."""
    T = len(pair)
    moves = np.zeros((T, 2, 2, 3))
    rows = np.arange(T)
    for k in range(2):
        start, end, radii = trunk_axes(pair[:, 1 - k])  # (T, 4, 3) x 2, (4,)
        gaps = np.concatenate(([HAND_GAP_M] * len(WRISTS), radii + BODY_GAP_M))
        share = np.array([0.5] * len(WRISTS) + [1.0] * len(radii))  # two hands each cover half the move
        for w, wrist in enumerate(WRISTS):
            at = pair[:, k, wrist][:, None]
            partners = np.concatenate((pair[:, 1 - k, list(WRISTS)], nearest_on_segment(at, start, end)), axis=1)
            to = partners - at
            dist = np.linalg.norm(to, axis=-1)
            nearest = (dist - gaps).argmin(-1)
            excess = dist[rows, nearest] - gaps[nearest]
            shift = (excess - closed_excess(excess)) * share[nearest]
            moves[:, k, w] = to[rows, nearest] / np.maximum(dist[rows, nearest], 1e-9)[:, None] * shift[:, None]
    return moves


def close_contacts(pair: np.ndarray) -> np.ndarray:
    """Joints (T, 2, 22, 3) with the near contacts closed (see the module docstring)."""
    out = pair.copy()
    moves = wrist_moves(pair)
    for k in range(2):
        forward = facing_direction(pair[:, k])
        for w, (shoulder, elbow, wrist) in enumerate(ARMS):
            if not moves[:, k, w].any():
                continue
            new_elbow, new_wrist = two_bone_ik_positions(pair[:, k, shoulder], pair[:, k, elbow],
                                                         pair[:, k, wrist], pair[:, k, wrist] + moves[:, k, w],
                                                         -forward)
            out[:, k, elbow], out[:, k, wrist] = new_elbow, new_wrist
    return out
