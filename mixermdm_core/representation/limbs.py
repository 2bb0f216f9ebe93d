"""Analytic two-bone inverse kinematics (arm: shoulder-elbow-wrist, leg: hip-knee-ankle), frame-batched.

Two solvers, kept apart because they answer different questions and each caller's results are fixed:
``two_bone_ik_rotations`` gives the world rotations that pose a rig's rest bones (the procedural corpus
poses its clips with it, and the shipped networks were trained on those clips), and
``two_bone_ik_positions`` moves the joints of a given motion, keeping its own bone lengths (the clean-ups
of a generated motion: feet in grounding, hands in closing contacts). They clamp the reach differently
(0.9995 of the rest limb against MAX_EXTENSION or the motion's own extension) and take the bend direction
from different sources (a pole against the plane the limb already bends in).
"""
from __future__ import annotations

import numpy as np

_EPS = 1e-9
MAX_EXTENSION = 0.995  # root-to-end distance over limb length that IK may reach: the corpus's straightest legs


def two_bone_ik_rotations(
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


def two_bone_ik_positions(root: np.ndarray, middle: np.ndarray, end: np.ndarray, target: np.ndarray,
                          forward: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Middle and end joints (T, 3) of a limb (hip-knee-ankle, shoulder-elbow-wrist) that bring the end to
    ``target`` with the root fixed and both bone lengths kept; the limb bends in the plane it bent in (or
    towards ``forward`` where it was straight). A target out of reach is met as closely as a limb stretched
    to MAX_EXTENSION (or as far as it already was) allows: IK never straightens a limb more than the motion did."""
    upper = np.linalg.norm(middle - root, axis=-1)
    lower = np.linalg.norm(end - middle, axis=-1)
    reach = target - root
    dist = np.linalg.norm(reach, axis=-1)
    axis = reach / np.maximum(dist, _EPS)[:, None]
    dist = np.clip(dist, np.abs(upper - lower) + 1e-6, limb_reach(root, middle, end))
    along = (upper ** 2 - lower ** 2 + dist ** 2) / (2 * dist)
    height = np.sqrt(np.clip(upper ** 2 - along ** 2, 0, None))
    pole = _perpendicular(middle - root, axis)
    straight = np.linalg.norm(pole, axis=-1) < 1e-6
    pole[straight] = _perpendicular(forward, axis)[straight]
    pole = _normalize(pole)
    return root + axis * along[:, None] + pole * height[:, None], root + axis * dist[:, None]


def limb_reach(root: np.ndarray, middle: np.ndarray, end: np.ndarray) -> np.ndarray:
    """(T,) farthest root-to-end distance ``two_bone_ik_positions`` gives this limb: MAX_EXTENSION of its
    length, or its own extension where the motion already stretched it further (never the full length)."""
    upper = np.linalg.norm(middle - root, axis=-1)
    lower = np.linalg.norm(end - middle, axis=-1)
    longest = np.maximum(MAX_EXTENSION * (upper + lower), np.linalg.norm(end - root, axis=-1))
    return np.minimum(longest, upper + lower - 1e-6)


def _normalize(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), _EPS)


def _perpendicular(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """The part of ``v`` perpendicular to the unit vector ``axis``."""
    return v - (v * axis).sum(-1, keepdims=True) * axis


def _frame(u: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Orthonormal basis (..., 3, 3) with columns u, m (made orthogonal to u), u x m."""
    u = _normalize(u)
    m = _normalize(_perpendicular(m, u))
    return np.stack((u, m, np.cross(u, m)), axis=-1)
