"""The official Mixer's alignment step (MixerMDM ``align=True``), reproduced for exact comparisons.

Before the weights are predicted, the official Mixer converts both models' x0 to an axis-angle layout and
back and moves each individual prediction onto the interaction prediction of the same person. Its effects on
the raw 262-d features, which this module reproduces directly:

* rotations (both models): the 6D pairs are Gram-Schmidt orthonormalised (the round trip through rotation
  matrices and axis-angles keeps only the orthonormal frame; the official 6D layout interleaves the two
  vectors, see ``orthonormal_6d``);
* contacts: kept for the interaction prediction, zero for the individual one (dropped in the round trip);
* individual positions: translated so the frame-0 root equals the interaction's (all three axes), rotated about
  the world origin by the yaw that turns the individual root displacement (first -> last valid frame, y
  ignored) onto the interaction's, then translated again so the frame-0 roots coincide; velocities get the
  same rotation. Antiparallel displacements give no rotation (the official quaternion degenerates there).

The official code finds the last valid frame with ``mask.squeeze().sum(dim=1)`` on a (B, T, 2) mask, which
pairs the wrong rows for batches of 2 and fails for other batch sizes; with a mask this module uses each
sample's own length (``mask[..., 0]``), the evident intent. Sampling passes no mask, where both agree.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ...representation.interhuman import FEATURE_DIM

EPS = 1e-8


def orthonormal_6d(r6: torch.Tensor) -> torch.Tensor:
    """(..., 6) 6D rotations in the InterHuman layout, which interleaves its two 3-vectors
    (a1 = entries 0, 2, 4; a2 = entries 1, 3, 5) -> a1 normalised, a2 made orthogonal to it and normalised,
    written back in the same interleaved layout."""
    a1, a2 = r6[..., 0::2], r6[..., 1::2]
    b1 = F.normalize(a1, dim=-1)
    b2 = F.normalize(a2 - (b1 * a2).sum(-1, keepdim=True) * b1, dim=-1)
    return torch.stack([b1, b2], dim=-1).flatten(-2)


def _rotations_orthonormal(x: torch.Tensor) -> torch.Tensor:
    shape = x.shape
    return orthonormal_6d(x[..., 132:258].reshape(*shape[:-1], 21, 6)).reshape(*shape[:-1], 126)


def _quat_between(v0: torch.Tensor, v1: torch.Tensor) -> torch.Tensor:
    """(B, 3) -> (B, 4) unit quaternion (w, xyz) turning v0 onto v1."""
    w = torch.sqrt((v0 ** 2).sum(-1, keepdim=True) * (v1 ** 2).sum(-1, keepdim=True)) \
        + (v0 * v1).sum(-1, keepdim=True) + EPS
    q = torch.cat([w, torch.cross(v0, v1, dim=-1)], dim=-1)
    return q / q.norm(dim=-1, keepdim=True)


def _quat_apply(q: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Rotate (B, ..., 3) vectors by one (B, 4) quaternion per sample."""
    q = q.reshape(q.shape[0], *([1] * (v.dim() - 2)), 4).expand(*v.shape[:-1], 4)
    u = q[..., 1:]
    uv = torch.cross(u, v, dim=-1)
    return v + 2 * (q[..., :1] * uv + torch.cross(u, uv, dim=-1))


def _heading(root: torch.Tensor, last: torch.Tensor) -> torch.Tensor:
    """Unit horizontal displacement of a (B, T, 3) root trajectory from frame 0 to frame ``last`` (B,)."""
    v = root[torch.arange(root.shape[0], device=root.device), last] - root[:, 0]
    v = v * torch.tensor([1.0, 0.0, 1.0], device=v.device, dtype=v.dtype)
    return v / torch.sqrt((v ** 2).sum(-1, keepdim=True) + EPS)


def align_person(reference: torch.Tensor, motion: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """One person's individual x0 (B, T, 262) placed onto the interaction x0 ``reference`` (see above)."""
    B, T = motion.shape[:2]
    ref_pos = reference[..., :66].reshape(B, T, 22, 3)
    pos = motion[..., :66].reshape(B, T, 22, 3)
    vel = motion[..., 66:132].reshape(B, T, 22, 3)
    pos = pos + (ref_pos[:, 0, 0] - pos[:, 0, 0])[:, None, None]
    if mask is None:
        last = torch.full((B,), T - 1, dtype=torch.long, device=motion.device)
    else:
        valid = mask[..., 0] if mask.dim() == 3 else mask
        last = valid.sum(dim=1).long() - 1
    q = _quat_between(_heading(pos[:, :, 0], last), _heading(ref_pos[:, :, 0], last))
    pos = _quat_apply(q, pos)
    pos = pos + (ref_pos[:, 0, 0] - pos[:, 0, 0])[:, None, None]
    vel = _quat_apply(q, vel)
    contacts = torch.zeros_like(motion[..., 258:])
    return torch.cat([pos.reshape(B, T, 66), vel.reshape(B, T, 66), _rotations_orthonormal(motion), contacts], -1)


def official_alignment(inter: torch.Tensor, ind: torch.Tensor, mask: torch.Tensor | None = None
                       ) -> tuple[torch.Tensor, torch.Tensor]:
    """Both persons side by side, (B, T, 524) raw x0 each -> (aligned individual, interaction with
    orthonormalised rotations), as the official Mixer hands them to its weight network and mix."""
    n = FEATURE_DIM
    people_ind, people_int = [], []
    for k in range(2):
        a, b = inter[..., k * n:(k + 1) * n], ind[..., k * n:(k + 1) * n]
        people_ind.append(align_person(a, b, mask))
        people_int.append(torch.cat([a[..., :132], _rotations_orthonormal(a), a[..., 258:]], dim=-1))
    return torch.cat(people_ind, dim=-1), torch.cat(people_int, dim=-1)
