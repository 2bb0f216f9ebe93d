"""Forward kinematics and facing directions on the 22-joint skeleton (torch, numpy accepted)."""
from __future__ import annotations

import numpy as np
import torch

from .skeleton import HIPS, NUM_JOINTS, PARENTS, SHOULDERS, rest_offsets


def _as_tensor(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    return torch.from_numpy(np.asarray(x)) if not isinstance(x, torch.Tensor) else x


def forward_kinematics(
    local_rotations: torch.Tensor | np.ndarray,
    root_position: torch.Tensor | np.ndarray,
    offsets: torch.Tensor | np.ndarray | None = None,
) -> torch.Tensor | np.ndarray:
    """Joint positions from local rotations.

    Args:
        local_rotations: (..., 22, 3, 3) rotation of each joint relative to its parent; joint 0 is the
            global orientation of the body.
        root_position: (..., 3) world position of the pelvis.
        offsets: (22, 3) or (..., 22, 3) rest offsets from each joint's parent (default: 1.7 m adult).
    Returns:
        (..., 22, 3) world joint positions, numpy if the rotations came as numpy.
    """
    as_numpy = isinstance(local_rotations, np.ndarray)
    rots = _as_tensor(local_rotations)
    root = _as_tensor(root_position).to(rots)
    offs = _as_tensor(rest_offsets() if offsets is None else offsets).to(rots)
    if rots.shape[-3:] != (NUM_JOINTS, 3, 3):
        raise ValueError(f"local_rotations must end in (22, 3, 3), got {tuple(rots.shape)}")
    glob: list[torch.Tensor] = [rots[..., 0, :, :]]
    pos: list[torch.Tensor] = [root]
    for j in range(1, NUM_JOINTS):
        p = PARENTS[j]
        pos.append(pos[p] + (glob[p] @ offs[..., j, :].unsqueeze(-1)).squeeze(-1))
        glob.append(glob[p] @ rots[..., j, :, :])
    joints = torch.stack(pos, dim=-2)
    return joints.numpy() if as_numpy else joints


def global_rotations(local_rotations: torch.Tensor) -> torch.Tensor:
    """(..., 22, 3, 3) local -> world rotations of every joint."""
    glob = [local_rotations[..., 0, :, :]]
    for j in range(1, NUM_JOINTS):
        glob.append(glob[PARENTS[j]] @ local_rotations[..., j, :, :])
    return torch.stack(glob, dim=-3)


def facing_direction(joints: torch.Tensor | np.ndarray) -> torch.Tensor | np.ndarray:
    """(..., 22, 3) -> (..., 3) unit horizontal forward vector from the hips and shoulders.

    Forward is up x (right - left), so a rest pose (left on +X) faces +Z.
    """
    as_numpy = isinstance(joints, np.ndarray)
    j = _as_tensor(joints)
    across = (j[..., HIPS[1], :] - j[..., HIPS[0], :]) + (j[..., SHOULDERS[1], :] - j[..., SHOULDERS[0], :])
    up = torch.zeros_like(across)
    up[..., 1] = 1.0
    fwd = torch.cross(up, across, dim=-1)
    fwd = fwd * torch.tensor([1.0, 0.0, 1.0], dtype=fwd.dtype, device=fwd.device)
    fwd = fwd / fwd.norm(dim=-1, keepdim=True).clamp_min(1e-8)
    return fwd.numpy() if as_numpy else fwd


def facing_angle(joints: torch.Tensor | np.ndarray) -> torch.Tensor | np.ndarray:
    """(..., 22, 3) -> (...,) yaw of the facing direction, 0 when facing +Z, positive towards +X."""
    f = facing_direction(joints)
    if isinstance(f, np.ndarray):
        return np.arctan2(f[..., 0], f[..., 2])
    return torch.atan2(f[..., 0], f[..., 2])
