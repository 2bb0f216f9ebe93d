"""Rotation conversions (torch, batched over leading dimensions).

The 6D representation is the one InterGen/in2IN store: the first two *columns* of the rotation
matrix, flattened row by row, i.e. ``R[..., :, :2].reshape(..., 6)``. Quaternions are (w, x, y, z).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F


def matrix_to_rot6d(matrix: torch.Tensor) -> torch.Tensor:
    """(..., 3, 3) -> (..., 6)."""
    return matrix[..., :, :2].reshape(*matrix.shape[:-2], 6)


def rot6d_to_matrix(d6: torch.Tensor) -> torch.Tensor:
    """(..., 6) -> (..., 3, 3), orthonormalising the two columns by Gram-Schmidt."""
    cols = d6.reshape(*d6.shape[:-1], 3, 2)
    a1, a2 = cols[..., 0], cols[..., 1]
    b1 = F.normalize(a1, dim=-1)
    b2 = F.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1)
    b3 = torch.cross(b1, b2, dim=-1)
    return torch.stack((b1, b2, b3), dim=-1)


def axis_angle_to_matrix(axis_angle: torch.Tensor) -> torch.Tensor:
    """(..., 3) rotation vectors -> (..., 3, 3) by Rodrigues' formula."""
    angle = axis_angle.norm(dim=-1, keepdim=True).unsqueeze(-1)
    axis = axis_angle / axis_angle.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    x, y, z = axis.unbind(-1)
    zero = torch.zeros_like(x)
    k = torch.stack((zero, -z, y, z, zero, -x, -y, x, zero), dim=-1).reshape(*axis.shape[:-1], 3, 3)
    eye = torch.eye(3, dtype=axis_angle.dtype, device=axis_angle.device).expand_as(k)
    return eye + torch.sin(angle) * k + (1 - torch.cos(angle)) * (k @ k)


def matrix_to_axis_angle(matrix: torch.Tensor) -> torch.Tensor:
    """(..., 3, 3) -> (..., 3) rotation vectors (through quaternions, stable near 0 and pi)."""
    q = matrix_to_quaternion(matrix)
    q = torch.where(q[..., :1] < 0, -q, q)
    sin_half = q[..., 1:].norm(dim=-1, keepdim=True)
    angle = 2 * torch.atan2(sin_half, q[..., :1])
    scale = torch.where(sin_half > 1e-8, angle / sin_half.clamp_min(1e-12), torch.full_like(angle, 2.0))
    return q[..., 1:] * scale


def quaternion_to_matrix(q: torch.Tensor) -> torch.Tensor:
    """(..., 4) (w, x, y, z), normalised here -> (..., 3, 3)."""
    w, x, y, z = F.normalize(q, dim=-1).unbind(-1)
    m = torch.stack((
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ), dim=-1)
    return m.reshape(*q.shape[:-1], 3, 3)


def matrix_to_quaternion(m: torch.Tensor) -> torch.Tensor:
    """(..., 3, 3) -> (..., 4) unit quaternions (w, x, y, z) with w >= 0."""
    m00, m11, m22 = m[..., 0, 0], m[..., 1, 1], m[..., 2, 2]
    candidates = torch.stack((
        torch.stack((1 + m00 + m11 + m22, m[..., 2, 1] - m[..., 1, 2], m[..., 0, 2] - m[..., 2, 0], m[..., 1, 0] - m[..., 0, 1]), -1),
        torch.stack((m[..., 2, 1] - m[..., 1, 2], 1 + m00 - m11 - m22, m[..., 0, 1] + m[..., 1, 0], m[..., 0, 2] + m[..., 2, 0]), -1),
        torch.stack((m[..., 0, 2] - m[..., 2, 0], m[..., 0, 1] + m[..., 1, 0], 1 - m00 + m11 - m22, m[..., 1, 2] + m[..., 2, 1]), -1),
        torch.stack((m[..., 1, 0] - m[..., 0, 1], m[..., 0, 2] + m[..., 2, 0], m[..., 1, 2] + m[..., 2, 1], 1 - m00 - m11 + m22), -1),
    ), dim=-2)
    # Each row is 4*q*q_k for one k; the row with the largest diagonal term is the best conditioned.
    diag = torch.stack((1 + m00 + m11 + m22, 1 + m00 - m11 - m22, 1 - m00 + m11 - m22, 1 - m00 - m11 + m22), -1)
    best = diag.argmax(-1, keepdim=True)
    q = torch.gather(candidates, -2, best.unsqueeze(-1).expand(*best.shape[:-1], 1, 4)).squeeze(-2)
    q = F.normalize(q, dim=-1)
    return torch.where(q[..., :1] < 0, -q, q)


def yaw_matrix(angle: torch.Tensor) -> torch.Tensor:
    """(...,) angles in radians -> (..., 3, 3) rotations about +Y (right-handed: +Z turns towards +X)."""
    c, s = torch.cos(angle), torch.sin(angle)
    one, zero = torch.ones_like(angle), torch.zeros_like(angle)
    return torch.stack((c, zero, s, zero, one, zero, -s, zero, c), dim=-1).reshape(*angle.shape, 3, 3)


def euler_to_matrix(angles: torch.Tensor, order: str = "XYZ") -> torch.Tensor:
    """(..., 3) intrinsic Euler angles (radians), applied in ``order`` -> (..., 3, 3)."""
    mats = []
    for k, axis in enumerate(order):
        vec = torch.zeros(*angles.shape[:-1], 3, dtype=angles.dtype, device=angles.device)
        vec[..., "XYZ".index(axis)] = angles[..., k]
        mats.append(axis_angle_to_matrix(vec))
    return mats[0] @ mats[1] @ mats[2]
