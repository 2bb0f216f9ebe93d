"""The SMPL 22-joint body: names, parents, kinematic chains and a rest pose.

Conventions used everywhere in the project: Y up, metres, a person at rest faces +Z with their left
side on +X (SMPL's convention), 30 frames per second.
"""
from __future__ import annotations

import numpy as np

FPS = 30
NUM_JOINTS = 22

JOINT_NAMES: tuple[str, ...] = (
    "pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2",
    "left_ankle", "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar",
    "right_collar", "head", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
)
JOINT = {name: i for i, name in enumerate(JOINT_NAMES)}
PARENTS: tuple[int, ...] = (-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19)

# Chains as HumanML3D/InterGen list them: right leg, left leg, spine+head, right arm, left arm.
KINEMATIC_CHAINS: tuple[tuple[int, ...], ...] = (
    (0, 2, 5, 8, 11), (0, 1, 4, 7, 10), (0, 3, 6, 9, 12, 15), (9, 14, 17, 19, 21), (9, 13, 16, 18, 20),
)
# Joint index of the mirror image of each joint (left <-> right).
MIRROR: tuple[int, ...] = (0, 2, 1, 3, 5, 4, 6, 8, 7, 9, 11, 10, 12, 14, 13, 15, 17, 16, 19, 18, 21, 20)

# Body parts, as a hand-painted mix sets them and a part-wise discriminator judges them; every joint is in one part.
BODY_PARTS: dict[str, tuple[int, ...]] = {
    "root": (JOINT["pelvis"],),  # the root's position and velocity: the trajectory
    "legs": tuple(JOINT[f"{side}_{j}"] for side in ("left", "right") for j in ("hip", "knee", "ankle", "foot")),
    "spine": tuple(JOINT[j] for j in ("spine1", "spine2", "spine3", "neck", "head")),
    "left_arm": tuple(JOINT[f"left_{j}"] for j in ("collar", "shoulder", "elbow", "wrist")),
    "right_arm": tuple(JOINT[f"right_{j}"] for j in ("collar", "shoulder", "elbow", "wrist")),
}

# The root and the legs: what stands on the floor and carries the trajectory, so it moves as one when mixed.
LOWER_BODY = BODY_PARTS["root"] + BODY_PARTS["legs"]

FOOT_JOINTS = (JOINT["left_ankle"], JOINT["left_foot"], JOINT["right_ankle"], JOINT["right_foot"])
HIPS = (JOINT["left_hip"], JOINT["right_hip"])
SHOULDERS = (JOINT["left_shoulder"], JOINT["right_shoulder"])

REFERENCE_HEIGHT = 1.7

# Offsets of each joint from its parent in the T-pose, for a 1.7 m adult (SMPL neutral, symmetrised).
_HALF_OFFSETS = {
    "left_hip": (0.06, -0.09, 0.0), "spine1": (0.0, 0.11, -0.02), "left_knee": (0.005, -0.39, 0.0),
    "spine2": (0.0, 0.13, 0.01), "left_ankle": (-0.005, -0.41, -0.03), "spine3": (0.0, 0.055, 0.0),
    "left_foot": (0.0, -0.06, 0.12), "neck": (0.0, 0.21, -0.02), "left_collar": (0.075, 0.115, -0.015),
    "head": (0.0, 0.09, 0.05), "left_shoulder": (0.12, 0.045, -0.01), "left_elbow": (0.26, 0.0, -0.02),
    "left_wrist": (0.25, 0.0, 0.0),
}


def rest_offsets(height: float = REFERENCE_HEIGHT) -> np.ndarray:
    """(22, 3) parent-relative joint offsets of the T-pose, scaled to a person of ``height`` metres."""
    if not 0.5 <= height <= 2.5:
        raise ValueError(f"height must be between 0.5 and 2.5 m, got {height}")
    offsets = np.zeros((NUM_JOINTS, 3))
    for name, off in _HALF_OFFSETS.items():
        offsets[JOINT[name]] = off
        if name.startswith("left_"):
            offsets[JOINT["right_" + name[5:]]] = (-off[0], off[1], off[2])
    return offsets * (height / REFERENCE_HEIGHT)


def rest_joints(height: float = REFERENCE_HEIGHT) -> np.ndarray:
    """(22, 3) T-pose joint positions with the lowest joint on the floor (y = 0)."""
    offsets = rest_offsets(height)
    joints = np.zeros((NUM_JOINTS, 3))
    for j in range(1, NUM_JOINTS):
        joints[j] = joints[PARENTS[j]] + offsets[j]
    joints[:, 1] -= joints[:, 1].min()
    return joints


def bone_lengths(joints: np.ndarray) -> np.ndarray:
    """Lengths (..., 21) of the bones from each non-root joint to its parent."""
    joints = np.asarray(joints)
    child = np.arange(1, NUM_JOINTS)
    parent = np.asarray(PARENTS[1:])
    return np.linalg.norm(joints[..., child, :] - joints[..., parent, :], axis=-1)
