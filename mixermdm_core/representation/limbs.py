"""Position-space helpers shared by the clean-ups of a generated motion (grounding, closing contacts):
runs of flagged frames, offsets eased in and out around them, and two-bone IK that keeps bone lengths."""
from __future__ import annotations

import numpy as np

MAX_EXTENSION = 0.995  # root-to-end distance over limb length that IK may reach: the corpus's straightest legs


def ease_offsets(offset: np.ndarray, frames: np.ndarray, blend: int) -> np.ndarray:
    """(T, 3) ``offset`` kept on each stretch of ``frames`` and eased to 0 over ``blend`` frames on both
    sides (averaged where two eases meet); 0 elsewhere."""
    T = len(offset)
    out, weight = np.zeros((T, 3)), np.zeros(T)
    for start, end in stretches(frames):
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


def stretches(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True in a 1-D bool array."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


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
