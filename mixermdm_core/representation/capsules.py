"""A simple capsule body: one capsule round each bone, for what touches what between two people.

The evaluation reads contact and inter-person penetration on it, and closing near-contacts (``touch.py``) moves
a hand to its surface, so the post-process and the figures that judge it agree on where a body is.
"""
from __future__ import annotations

import numpy as np

from ..skeleton import JOINT, PARENTS

# Capsule radius (m) of the bone ending at each joint.
RADIUS = {"spine1": 0.13, "spine2": 0.13, "spine3": 0.13, "neck": 0.06, "head": 0.10, "left_collar": 0.06,
          "right_collar": 0.06, "left_hip": 0.08, "right_hip": 0.08, "left_knee": 0.07, "right_knee": 0.07,
          "left_ankle": 0.05, "right_ankle": 0.05, "left_foot": 0.04, "right_foot": 0.04,
          "left_shoulder": 0.05, "right_shoulder": 0.05, "left_elbow": 0.045, "right_elbow": 0.045,
          "left_wrist": 0.04, "right_wrist": 0.04}
CHILD = np.array([JOINT[n] for n in RADIUS])
PARENT = np.array([PARENTS[j] for j in CHILD])
RADII = np.array(list(RADIUS.values()))
TRUNK = [i for i, name in enumerate(RADIUS) if name in ("spine1", "spine2", "spine3", "neck")]  # pelvis to neck


def segment_distance(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """Closest distance between segments p0-p1 and q0-q1 (broadcast over leading axes, last axis xyz)."""
    d1, d2, r = p1 - p0, q1 - q0, p0 - q0
    a, e, f = (d1 * d1).sum(-1), (d2 * d2).sum(-1), (d2 * r).sum(-1)
    c, b = (d1 * r).sum(-1), (d1 * d2).sum(-1)
    denom = np.maximum(a * e - b * b, 1e-12)
    s = np.clip((b * f - c * e) / denom, 0, 1)
    t = np.clip((b * s + f) / np.maximum(e, 1e-12), 0, 1)
    s = np.clip((b * t - c) / np.maximum(a, 1e-12), 0, 1)
    return np.linalg.norm(p0 + d1 * s[..., None] - q0 - d2 * t[..., None], axis=-1)


def nearest_on_segment(point: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> np.ndarray:
    """The point of segment q0-q1 nearest to ``point`` (broadcast over leading axes, last axis xyz)."""
    d = q1 - q0
    t = np.clip(((point - q0) * d).sum(-1) / np.maximum((d * d).sum(-1), 1e-12), 0, 1)
    return q0 + d * t[..., None]


def trunk_axes(person: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The trunk's capsules of one person's joints (..., 22, 3): start and end (..., 4, 3), and radii (4,)."""
    return person[..., PARENT[TRUNK], :], person[..., CHILD[TRUNK], :], RADII[TRUNK]
