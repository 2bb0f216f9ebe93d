"""Physical plausibility measures over joint arrays (Y up, metres, one frame per row), reusable on generated
motions: bone-length constancy, floor penetration, foot skating, hand contact distance, torso clearance."""
from __future__ import annotations

import numpy as np

from ..representation.interhuman import CONTACT_HEIGHTS
from ..skeleton import FOOT_JOINTS, JOINT, bone_lengths

TORSO = (JOINT["pelvis"], JOINT["spine1"], JOINT["spine2"], JOINT["spine3"], JOINT["neck"])


def bone_length_variation(joints: np.ndarray) -> float:
    """Largest relative change of any bone's length over time: (max - min) / mean, for (T, 22, 3)."""
    lengths = bone_lengths(joints)
    return float(((lengths.max(0) - lengths.min(0)) / np.maximum(lengths.mean(0), 1e-6)).max())


def min_foot_height(joints: np.ndarray, floor: float = 0.0) -> float:
    """Lowest height of any foot joint above ``floor`` (negative = below the floor), for (T, 22, 3)."""
    return float(joints[:, list(FOOT_JOINTS), 1].min() - floor)


def foot_contact_mask(joints: np.ndarray, floor: float = 0.0, heights: tuple[float, ...] = CONTACT_HEIGHTS) -> np.ndarray:
    """(T-1, 4) frames where each foot joint (L ankle, L toe, R ankle, R toe) is near the floor at t and t+1.

    Contact is decided by height alone (the InterHuman thresholds), so a sliding foot still counts as in contact.
    """
    h = joints[:, list(FOOT_JOINTS), 1] - floor
    low = h < np.asarray(heights)
    return low[:-1] & low[1:]


def foot_skating(joints: np.ndarray, floor: float = 0.0) -> tuple[float, int]:
    """Mean horizontal speed (metres/frame) of foot joints while in contact, and the number of contact samples."""
    feet = joints[:, list(FOOT_JOINTS)]
    speed = np.linalg.norm(np.diff(feet[..., [0, 2]], axis=0), axis=-1)
    mask = foot_contact_mask(joints, floor)
    count = int(mask.sum())
    return (float(speed[mask].mean()) if count else 0.0), count


def contact_distance(joints_a: np.ndarray, joint_a: int, joints_b: np.ndarray, joint_b: int, frames: np.ndarray) -> np.ndarray:
    """Distances between joint ``joint_a`` of person A and ``joint_b`` of person B at the ``frames`` mask."""
    return np.linalg.norm(joints_a[frames, joint_a] - joints_b[frames, joint_b], axis=-1)


def min_torso_distance(joints_a: np.ndarray, joints_b: np.ndarray) -> float:
    """Smallest distance between any torso joint (pelvis, spine, neck) of A and of B over all frames."""
    ta, tb = joints_a[:, list(TORSO)], joints_b[:, list(TORSO)]
    return float(np.linalg.norm(ta[:, :, None] - tb[:, None], axis=-1).min())
