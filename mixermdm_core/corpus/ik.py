"""Analytic two-bone inverse kinematics (arm: shoulder-elbow-wrist, leg: hip-knee-ankle), frame-batched."""
from __future__ import annotations

import numpy as np

_EPS = 1e-9


def _normalize(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), _EPS)


def _frame(u: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Orthonormal basis (..., 3, 3) with columns u, m (made orthogonal to u), u x m."""
    u = _normalize(u)
    m = _normalize(m - (m * u).sum(-1, keepdims=True) * u)
    return np.stack((u, m, np.cross(u, m)), axis=-1)


def two_bone_ik(
    root: np.ndarray,
    target: np.ndarray,
    pole: np.ndarray,
    rest_upper: np.ndarray,
    rest_lower: np.ndarray,
    rest_bend: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """World rotations of the upper and lower bone that put the end joint on ``target``.

    Args:
        root: (n, 3) world position of the first joint (shoulder or hip).
        target: (n, 3) wanted world position of the end joint (wrist or ankle); clamped to the reach.
        pole: (n, 3) world direction the middle joint (elbow or knee) should point to.
        rest_upper, rest_lower: (3,) rest offsets of the middle joint and of the end joint.
        rest_bend: (3,) in the rest frame, the direction of upper x lower when the limb flexes naturally;
            it fixes the twist of the limb so the joint bends the anatomical way.
    Returns:
        Two (n, 3, 3) world rotations: applied to the rest offsets they give the posed bones.
    """
    l1, l2 = float(np.linalg.norm(rest_upper)), float(np.linalg.norm(rest_lower))
    to_target = target - root
    dist = np.linalg.norm(to_target, axis=-1, keepdims=True)
    t_hat = to_target / np.maximum(dist, _EPS)
    dist = np.clip(dist, abs(l1 - l2) + 1e-4, (l1 + l2) * 0.9995)
    # Direction towards the pole, perpendicular to the root->target line.
    normal = np.cross(t_hat, pole)
    degenerate = np.linalg.norm(normal, axis=-1, keepdims=True) < 1e-6
    fallback = np.cross(t_hat, np.array([0.0, 0.0, 1.0]) + np.array([0.3, 0.0, 0.0]))
    normal = _normalize(np.where(degenerate, fallback, normal))
    p_hat = np.cross(normal, t_hat)
    cos_a = np.clip((l1 * l1 + dist * dist - l2 * l2) / (2 * l1 * dist), -1.0, 1.0)
    sin_a = np.sqrt(1.0 - cos_a * cos_a)
    upper = cos_a * t_hat + sin_a * p_hat
    elbow = root + l1 * upper
    lower = _normalize(root + dist * t_hat - elbow)
    bend = -normal  # upper x lower points along -normal for this construction
    rest_u = _frame(rest_upper, rest_bend)
    rest_l = _frame(rest_lower, rest_bend)
    rot_upper = _frame(upper, bend) @ rest_u.T
    rot_lower = _frame(lower, bend) @ rest_l.T
    return rot_upper, rot_lower
