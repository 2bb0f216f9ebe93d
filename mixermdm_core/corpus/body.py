"""A body of a given height and numpy helpers to pose it: axis rotations and forward kinematics.

The corpus builds poses frame-batched in numpy (cheap for one clip); the final joints of every clip still
come from :func:`mixermdm_core.kinematics.forward_kinematics`, so the stored data follows the project's FK.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..skeleton import JOINT, NUM_JOINTS, PARENTS, REFERENCE_HEIGHT, rest_offsets


def rot_x(a: np.ndarray | float) -> np.ndarray:
    """(...,) angles -> (..., 3, 3) rotations about +X (positive tips +Y towards +Z: a forward bend)."""
    a = np.asarray(a, dtype=np.float64)
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack((o, z, z, z, c, -s, z, s, c), -1).reshape(*a.shape, 3, 3)


def rot_y(a: np.ndarray | float) -> np.ndarray:
    """(...,) angles -> (..., 3, 3) rotations about +Y (positive turns +Z towards +X: a turn to the left)."""
    a = np.asarray(a, dtype=np.float64)
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack((c, z, s, z, o, z, -s, z, c), -1).reshape(*a.shape, 3, 3)


def rot_z(a: np.ndarray | float) -> np.ndarray:
    """(...,) angles -> (..., 3, 3) rotations about +Z (positive turns +X towards +Y)."""
    a = np.asarray(a, dtype=np.float64)
    c, s, o, z = np.cos(a), np.sin(a), np.ones_like(a), np.zeros_like(a)
    return np.stack((c, -s, z, s, c, z, z, z, o), -1).reshape(*a.shape, 3, 3)


def body_rotation(angles: np.ndarray) -> np.ndarray:
    """(..., 3) [pitch (bend forward), roll (lean to the person's left), yaw (turn left)] -> (..., 3, 3)."""
    return rot_y(angles[..., 2]) @ rot_x(angles[..., 0]) @ rot_z(-angles[..., 1])


def apply(rot: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """Rotate vectors (..., 3) by matrices (..., 3, 3)."""
    return np.einsum("...ij,...j->...i", rot, vec)


def forward_kinematics_np(local: np.ndarray, root: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Global rotations (n, 22, 3, 3) and positions (n, 22, 3) from local rotations (n, 22, 3, 3)."""
    glob = np.empty_like(local)
    pos = np.empty(local.shape[:-2] + (3,))
    glob[:, 0], pos[:, 0] = local[:, 0], root
    for j in range(1, NUM_JOINTS):
        p = PARENTS[j]
        pos[:, j] = pos[:, p] + glob[:, p] @ offsets[j]
        glob[:, j] = glob[:, p] @ local[:, j]
    return glob, pos


@dataclass(frozen=True)
class Body:
    """Rest offsets of a person of ``height`` metres and the lengths the motion code needs."""

    height: float
    offsets: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offsets", rest_offsets(self.height))

    @property
    def scale(self) -> float:
        return self.height / REFERENCE_HEIGHT

    def length(self, joint: str) -> float:
        """Length of the bone from ``joint``'s parent to ``joint``."""
        return float(np.linalg.norm(self.offsets[JOINT[joint]]))

    @property
    def leg(self) -> tuple[float, float]:
        return self.length("left_knee"), self.length("left_ankle")

    @property
    def arm(self) -> tuple[float, float]:
        return self.length("left_elbow"), self.length("left_wrist")

    @property
    def ankle_height(self) -> float:
        """Height of the ankle joint above the floor when the foot is flat (toe joint on the floor)."""
        return float(-self.offsets[JOINT["left_foot"], 1])

    @property
    def hip_width(self) -> float:
        return float(self.offsets[JOINT["left_hip"], 0])

    @property
    def stand_height(self) -> float:
        """Pelvis height when standing with knees slightly unlocked."""
        o = self.offsets
        straight = -(o[JOINT["left_hip"], 1] + o[JOINT["left_knee"], 1] + o[JOINT["left_ankle"], 1]) + self.ankle_height
        return float(straight - 0.012 * self.scale)

    @property
    def shoulder_in_chest(self) -> np.ndarray:
        """(2, 3) left/right shoulder positions in the spine3 (chest) frame with level collars."""
        o = self.offsets
        left = o[JOINT["left_collar"]] + o[JOINT["left_shoulder"]]
        right = o[JOINT["right_collar"]] + o[JOINT["right_shoulder"]]
        return np.stack((left, right))

    @property
    def chest_height(self) -> float:
        """Height of spine3 above the pelvis when upright."""
        o = self.offsets
        return float(o[JOINT["spine1"], 1] + o[JOINT["spine2"], 1] + o[JOINT["spine3"], 1])
