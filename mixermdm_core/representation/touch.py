"""Closing near-contacts: where the network already brings a hand of one person close to a hand or the torso
of the other, the two are made to touch, as grounding pins the feet it already plants.

Read from the motion alone, never from the text. A wrist whose nearest partner (the other person's wrists,
or their torso joints) stays within NEAR_M for at least MIN_FRAMES frames is moved onto it: two wrists meet
HAND_GAP_M apart, each covering half the gap; a wrist on a torso stops BODY_GAP_M from the torso joint (the
body's surface). The move eases in and out over BLEND frames and the arm follows by two-bone IK from the
shoulder, so bone lengths do not change.
"""
from __future__ import annotations

import numpy as np

from ..kinematics import facing_direction
from ..skeleton import JOINT
from .limbs import ease_offsets, stretches, two_bone_ik

NEAR_M = 0.20  # a partner closer than this (beyond the touching gap) counts as a contact the network meant
HAND_GAP_M = 0.05  # wrist to wrist in a closed hand contact (the corpus's handshakes meet at about 4 cm)
BODY_GAP_M = 0.12  # wrist to the nearest torso joint in a closed body contact
MIN_FRAMES = 4  # shorter approaches are passing hands, left alone
BLEND = 3  # frames over which a move eases in before and out after a contact

ARMS = tuple((JOINT[f"{s}_shoulder"], JOINT[f"{s}_elbow"], JOINT[f"{s}_wrist"]) for s in ("left", "right"))
WRISTS = tuple(arm[2] for arm in ARMS)
TORSO = tuple(JOINT[n] for n in ("pelvis", "spine1", "spine2", "spine3", "neck"))


def wrist_moves(pair: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each frame, person and wrist: the displacement (T, 2, 2, 3) that closes its contact, and whether
    it is in a contact (T, 2, 2) at all."""
    T = len(pair)
    moves, held = np.zeros((T, 2, 2, 3)), np.zeros((T, 2, 2), bool)
    for k in range(2):
        other = pair[:, 1 - k]
        partners = np.concatenate((other[:, list(WRISTS)], other[:, list(TORSO)]), axis=1)  # (T, 7, 3)
        gaps = np.array([HAND_GAP_M] * len(WRISTS) + [BODY_GAP_M] * len(TORSO))
        share = np.array([0.5] * len(WRISTS) + [1.0] * len(TORSO))  # two hands each cover half the gap
        for w, wrist in enumerate(WRISTS):
            to = partners - pair[:, k, wrist][:, None]  # (T, 7, 3)
            dist = np.linalg.norm(to, axis=-1)
            excess = dist - gaps
            nearest = excess.argmin(-1)
            rows = np.arange(T)
            left = excess[rows, nearest]
            near = left < NEAR_M
            step = (to[rows, nearest] / np.maximum(dist[rows, nearest], 1e-9)[:, None]
                    * (np.clip(left, 0, None) * share[nearest])[:, None])
            for start, end in stretches(near):
                if end - start >= MIN_FRAMES:
                    moves[start:end, k, w], held[start:end, k, w] = step[start:end], True
    return moves, held


def close_contacts(pair: np.ndarray) -> np.ndarray:
    """Joints (T, 2, 22, 3) with the near contacts closed (see the module docstring)."""
    out = pair.copy()
    moves, held = wrist_moves(pair)
    for k in range(2):
        forward = facing_direction(pair[:, k])
        for w, (shoulder, elbow, wrist) in enumerate(ARMS):
            offset = ease_offsets(moves[:, k, w], held[:, k, w], BLEND)
            if not offset.any():
                continue
            new_elbow, new_wrist = two_bone_ik(pair[:, k, shoulder], pair[:, k, elbow], pair[:, k, wrist],
                                               pair[:, k, wrist] + offset, -forward)
            out[:, k, elbow], out[:, k, wrist] = new_elbow, new_wrist
    return out
