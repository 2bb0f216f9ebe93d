"""Two-bone IK in joint positions, shared by the clean-ups of a generated motion (feet in grounding, hands in
closing contacts): moves a limb's end joint and keeps both bone lengths."""
from __future__ import annotations

import numpy as np

MAX_EXTENSION = 0.995  # root-to-end distance over limb length that IK may reach: the corpus's straightest legs


def two_bone_ik(root: np.ndarray, middle: np.ndarray, end: np.ndarray, target: np.ndarray,
                forward: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Middle and end joints (T, 3) of a limb (hip-knee-ankle, shoulder-elbow-wrist) that bring the end to
    ``target`` with the root fixed and both bone lengths kept; the limb bends in the plane it bent in (or
    towards ``forward`` where it was straight). A target out of reach is met as closely as a limb stretched
    to MAX_EXTENSION (or as far as it already was) allows: IK never straightens a limb more than the motion did."""
    upper = np.linalg.norm(middle - root, axis=-1)
    lower = np.linalg.norm(end - middle, axis=-1)
    reach = target - root
    dist = np.linalg.norm(reach, axis=-1)
    axis = reach / np.maximum(dist, 1e-9)[:, None]
    longest = np.maximum(MAX_EXTENSION * (upper + lower), np.linalg.norm(end - root, axis=-1))
    dist = np.clip(dist, np.abs(upper - lower) + 1e-6, np.minimum(longest, upper + lower - 1e-6))
    along = (upper ** 2 - lower ** 2 + dist ** 2) / (2 * dist)
    height = np.sqrt(np.clip(upper ** 2 - along ** 2, 0, None))
    pole = _perpendicular(middle - root, axis)
    straight = np.linalg.norm(pole, axis=-1) < 1e-6
    pole[straight] = _perpendicular(forward, axis)[straight]
    pole /= np.maximum(np.linalg.norm(pole, axis=-1, keepdims=True), 1e-9)
    return root + axis * along[:, None] + pole * height[:, None], root + axis * dist[:, None]


def _perpendicular(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    return v - (v * axis).sum(-1, keepdims=True) * axis
