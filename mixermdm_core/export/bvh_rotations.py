"""Local joint rotations that reproduce observed joint positions on a fixed skeleton (numpy, batched).

Used to turn joint positions into BVH channels. Joint j's rotation places its children, so joints are
solved root first: one child -> the minimal (swing) rotation taking the rest bone onto the observed one,
optionally twisted about the bone towards a given rotation (positions say nothing about twist); several
children (pelvis, upper spine) -> the least-squares rotation of the rest offsets onto the observed ones
(Kabsch). Each bone is aimed from the *reconstructed* parent position, so errors do not accumulate.
"""
from __future__ import annotations

import numpy as np

from ..skeleton import NUM_JOINTS, PARENTS

CHILDREN: tuple[tuple[int, ...], ...] = tuple(
    tuple(c for c in range(NUM_JOINTS) if PARENTS[c] == j) for j in range(NUM_JOINTS))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _skew(v: np.ndarray) -> np.ndarray:
    """(..., 3) -> (..., 3, 3) cross-product matrices."""
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    zero = np.zeros_like(x)
    return np.stack((zero, -z, y, z, zero, -x, -y, x, zero), -1).reshape(*v.shape, 3)


def axis_angle_matrix(axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotations (..., 3, 3) about unit axes (..., 3) by angles (...,) in radians (Rodrigues)."""
    k = _skew(axis)
    s, c = np.sin(angle)[..., None, None], np.cos(angle)[..., None, None]
    return np.eye(3) + s * k + (1 - c) * (k @ k)


def rotation_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The smallest rotations (..., 3, 3) taking unit vectors u (..., 3) onto unit vectors v (..., 3)."""
    u, v = np.broadcast_arrays(u, v)
    k = _skew(np.cross(u, v))
    c = (u * v).sum(-1)[..., None, None]
    near_opposite = c[..., 0, 0] < -1 + 1e-9
    rot = np.eye(3) + k + (k @ k) / np.maximum(1 + c, 1e-9)
    if near_opposite.any():  # half turn about any axis perpendicular to u
        helper = np.where(np.abs(u[..., :1]) < 0.9, [1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
        n = _unit(np.cross(u, helper))
        half_turn = 2 * n[..., :, None] * n[..., None, :] - np.eye(3)
        rot = np.where(near_opposite[..., None, None], half_turn, rot)
    return rot


def kabsch(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Rotations (..., 3, 3) R minimising sum_k |R src_k - dst_k|^2 for point sets (..., K, 3)."""
    h = np.swapaxes(src, -1, -2) @ dst  # sum_k src_k dst_k^T
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.swapaxes(vt, -1, -2) @ np.swapaxes(u, -1, -2)))
    fix = np.broadcast_to(np.eye(3), d.shape + (3, 3)).copy()
    fix[..., 2, 2] = d
    return np.swapaxes(vt, -1, -2) @ fix @ np.swapaxes(u, -1, -2)


def twist_towards(swing: np.ndarray, target: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """swing @ twist(axis, angle) with the angle that brings it closest (Frobenius) to ``target``.

    The result maps ``axis`` where ``swing`` does, so bone directions are unchanged.
    """
    q = np.swapaxes(swing, -1, -2) @ target
    a = np.broadcast_to(axis, q.shape[:-1])
    sin_part = (a[..., 0] * (q[..., 2, 1] - q[..., 1, 2]) + a[..., 1] * (q[..., 0, 2] - q[..., 2, 0])
                + a[..., 2] * (q[..., 1, 0] - q[..., 0, 1]))
    cos_part = np.trace(q, axis1=-2, axis2=-1) - np.einsum("...i,...ij,...j->...", a, q, a)
    return swing @ axis_angle_matrix(a, np.arctan2(sin_part, cos_part))


def solve_local_rotations(
    joints: np.ndarray, offsets: np.ndarray, twist_hint: np.ndarray | None = None,
) -> np.ndarray:
    """Local rotations (T, 22, 3, 3) such that FK with ``offsets`` (22, 3) and root ``joints[:, 0]``
    reproduces ``joints`` (T, 22, 3) as closely as the skeleton allows.

    ``twist_hint`` (T, 22, 3, 3), optional: local rotations to take the twist about each bone from (for
    example the 6D rotations of InterHuman features); leaf joints, which place nothing, copy it.
    Without it the twist is the minimal one and leaf joints get the identity.
    """
    frames = len(joints)
    local = np.broadcast_to(np.eye(3), (frames, NUM_JOINTS, 3, 3)).copy()
    glob = np.empty_like(local)
    pos = np.empty_like(joints)
    pos[:, 0] = joints[:, 0]
    identity = np.broadcast_to(np.eye(3), (frames, 3, 3))
    for j in range(NUM_JOINTS):
        parent_glob = glob[:, PARENTS[j]] if j else identity
        if j:
            pos[:, j] = pos[:, PARENTS[j]] + parent_glob @ offsets[j]
        kids = list(CHILDREN[j])
        if not kids:
            if twist_hint is not None:
                local[:, j] = twist_hint[:, j]
        else:
            # Observed child offsets, seen from the reconstructed joint in the parent's frame.
            seen = np.einsum("tji,tkj->tki", parent_glob, joints[:, kids] - pos[:, j, None])
            if len(kids) == 1:
                rest = _unit(offsets[kids[0]])
                local[:, j] = rotation_between(rest, _unit(seen[:, 0]))
                if twist_hint is not None:
                    local[:, j] = twist_towards(local[:, j], twist_hint[:, j], rest)
            else:
                local[:, j] = kabsch(np.broadcast_to(offsets[kids], seen.shape), seen)
        glob[:, j] = parent_glob @ local[:, j]
    return local
