"""The InterHuman 262-d per-person feature vector, as InterGen/in2IN lay it out.

Per frame and person: [0:66] 22 joint positions (world, joint-major xyz), [66:132] 22 joint velocities
(pos[t+1] - pos[t], metres per frame), [132:258] the 21 non-root local joint rotations in 6D,
[258:262] foot contacts for left ankle, left foot, right ankle, right foot. A two-person motion is
(frames, 2, 262); person 1 starts at the origin facing +Z, person 2 keeps its pose relative to person 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..kinematics import facing_angle
from ..rotations import matrix_to_rot6d, rot6d_to_matrix, yaw_matrix
from ..skeleton import FOOT_JOINTS, MIRROR, NUM_JOINTS

FEATURE_DIM = 262
POS = slice(0, 66)
VEL = slice(66, 132)
ROT = slice(132, 258)
CONTACT = slice(258, 262)

CONTACT_SPEED2 = 0.001  # squared displacement per frame below which a foot can be in contact
CONTACT_HEIGHTS = (0.12, 0.05, 0.12, 0.05)  # ankle, foot, ankle, foot


def _feature_joint_index() -> np.ndarray:
    """Joint that owns each of the 262 features: used to apply per-joint mixing weights."""
    idx = np.zeros(FEATURE_DIM, dtype=np.int64)
    idx[POS] = np.repeat(np.arange(NUM_JOINTS), 3)
    idx[VEL] = np.repeat(np.arange(NUM_JOINTS), 3)
    idx[ROT] = np.repeat(np.arange(1, NUM_JOINTS), 6)  # rotation k belongs to joint k + 1
    idx[CONTACT] = FOOT_JOINTS
    return idx


FEATURE_JOINT = _feature_joint_index()


def _t(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else torch.from_numpy(np.asarray(x))


def foot_contacts(joints: torch.Tensor) -> torch.Tensor:
    """(..., T+1, 22, 3) -> (..., T, 4) contact flags (0/1) of the four foot joints."""
    feet = joints[..., list(FOOT_JOINTS), :]
    speed2 = ((feet[..., 1:, :, :] - feet[..., :-1, :, :]) ** 2).sum(-1)
    heights = torch.tensor(CONTACT_HEIGHTS, dtype=joints.dtype, device=joints.device)
    return ((speed2 < CONTACT_SPEED2) & (feet[..., :-1, :, 1] < heights)).to(joints.dtype)


def joints_to_features(joints: torch.Tensor | np.ndarray, local_rotations: torch.Tensor | np.ndarray) -> torch.Tensor:
    """Features (..., T, 262) from joints (..., T+1, 22, 3) and local rotations (..., T+1, 22 or 21, 3, 3).

    One frame is consumed by the velocities, as in InterGen. Joints are used as they are: call
    :func:`canonicalize_joints` first for the dataset convention.
    """
    joints, rots = _t(joints).float(), _t(local_rotations).float()
    if joints.shape[-2:] != (NUM_JOINTS, 3):
        raise ValueError(f"joints must end in (22, 3), got {tuple(joints.shape)}")
    if rots.shape[-3] == NUM_JOINTS:
        rots = rots[..., 1:, :, :]
    if joints.shape[-3] < 2:
        raise ValueError("need at least 2 frames of joints to compute velocities")
    pos = joints[..., :-1, :, :]
    vel = joints[..., 1:, :, :] - pos
    rot6 = matrix_to_rot6d(rots[..., :-1, :, :, :])
    contacts = foot_contacts(joints)
    lead = pos.shape[:-2]
    return torch.cat((pos.reshape(*lead, 66), vel.reshape(*lead, 66), rot6.reshape(*lead, 126), contacts), dim=-1)


def features_to_joints(features: torch.Tensor | np.ndarray) -> torch.Tensor:
    """(..., 262) -> (..., 22, 3) joint positions."""
    f = _t(features)
    return f[..., POS].reshape(*f.shape[:-1], NUM_JOINTS, 3)


def features_to_rotations(features: torch.Tensor | np.ndarray) -> torch.Tensor:
    """(..., 262) -> (..., 21, 3, 3) local rotations of the non-root joints."""
    f = _t(features)
    return rot6d_to_matrix(f[..., ROT].reshape(*f.shape[:-1], 21, 6))


_MIRROR_FEATURES = torch.cat((
    (torch.arange(66).reshape(NUM_JOINTS, 3)[list(MIRROR)]).reshape(-1),
    66 + (torch.arange(66).reshape(NUM_JOINTS, 3)[list(MIRROR)]).reshape(-1),
    132 + (torch.arange(126).reshape(21, 6)[[m - 1 for m in MIRROR[1:]]]).reshape(-1),
    258 + torch.tensor([2, 3, 0, 1]),
))
# Reflecting x (M = diag(-1, 1, 1)) negates x of positions and velocities and maps a local rotation R to M R M,
# whose first two columns (the 6D layout, row-major 3x2) change sign in this pattern.
_MIRROR_SIGNS = torch.cat((torch.tensor([-1.0, 1.0, 1.0]).repeat(2 * NUM_JOINTS),
                           torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0, 1.0]).repeat(21), torch.ones(4)))


def mirror_features(features: torch.Tensor | np.ndarray) -> torch.Tensor:
    """(..., 262) -> the same motion reflected left-to-right (x -> -x), left and right joints swapped.

    The mirror of a person is a person: with a left-right symmetric skeleton the mirrored rotations give the
    mirrored joints by forward kinematics. Applying it twice gives the input back.
    """
    f = _t(features)
    return f[..., _MIRROR_FEATURES.to(f.device)] * _MIRROR_SIGNS.to(f.device, f.dtype)


@dataclass
class RigidTransform:
    """A floor shift, then a yaw rotation about +Y and a horizontal translation, batched.

    ``apply`` maps p -> R(yaw) @ (p - (0, floor, 0)) + shift, with shift = (x, 0, z).
    """

    yaw: torch.Tensor  # (...,)
    shift: torch.Tensor  # (..., 3), y component 0
    floor: torch.Tensor  # (...,)

    def inverse(self) -> "RigidTransform":
        rot_inv = yaw_matrix(-self.yaw)
        back = -(rot_inv @ self.shift.unsqueeze(-1)).squeeze(-1)
        return _InverseTransform(self.yaw, back, self.floor)

    def apply_points(self, points: torch.Tensor) -> torch.Tensor:
        """points (..., F, J, 3), batch dims matching the transform's."""
        p = points.clone()
        p[..., 1] = p[..., 1] - self.floor[..., None, None]
        rot = yaw_matrix(self.yaw)[..., None, None, :, :]
        return (rot @ p.unsqueeze(-1)).squeeze(-1) + self.shift[..., None, None, :]

    def apply_vectors(self, vectors: torch.Tensor) -> torch.Tensor:
        rot = yaw_matrix(self.yaw)[..., None, None, :, :]
        return (rot @ vectors.unsqueeze(-1)).squeeze(-1)

    def apply(self, features: torch.Tensor) -> torch.Tensor:
        """Transform features (..., T, 262); rotations and contacts are frame-independent."""
        lead = features.shape[:-1]
        pos = self.apply_points(features[..., POS].reshape(*lead, NUM_JOINTS, 3))
        vel = self.apply_vectors(features[..., VEL].reshape(*lead, NUM_JOINTS, 3))
        return torch.cat((pos.reshape(*lead, 66), vel.reshape(*lead, 66), features[..., ROT.start:]), dim=-1)


class _InverseTransform(RigidTransform):
    """The inverse of a :class:`RigidTransform`: undo shift and yaw, then restore the floor."""

    def inverse(self) -> RigidTransform:
        rot = yaw_matrix(self.yaw)
        return RigidTransform(self.yaw, -(rot @ self.shift.unsqueeze(-1)).squeeze(-1), self.floor)

    def apply_points(self, points: torch.Tensor) -> torch.Tensor:
        rot_inv = yaw_matrix(-self.yaw)[..., None, None, :, :]
        p = (rot_inv @ points.unsqueeze(-1)).squeeze(-1) + self.shift[..., None, None, :]
        p[..., 1] = p[..., 1] + self.floor[..., None, None]
        return p

    def apply_vectors(self, vectors: torch.Tensor) -> torch.Tensor:
        rot_inv = yaw_matrix(-self.yaw)[..., None, None, :, :]
        return (rot_inv @ vectors.unsqueeze(-1)).squeeze(-1)


def canonical_transform(joints: torch.Tensor, mask: torch.Tensor | None = None) -> RigidTransform:
    """The transform that puts a person's lowest joint on the floor, frame-0 pelvis at the xz origin and
    frame-0 facing along +Z.

    joints: (..., T, 22, 3); mask: optional (..., T) bool of valid frames (the floor ignores the rest).
    """
    y = joints[..., 1]
    if mask is not None:
        y = torch.where(mask[..., None], y, torch.full_like(y, float("inf")))
    floor = y.amin(dim=(-1, -2))
    yaw = -facing_angle(joints[..., 0, :, :])
    root0 = joints[..., 0, 0, :] * torch.tensor([1.0, 0.0, 1.0], dtype=joints.dtype, device=joints.device)
    shift = -(yaw_matrix(yaw) @ root0.unsqueeze(-1)).squeeze(-1)
    return RigidTransform(yaw, shift, floor)


def canonicalize_features(features: torch.Tensor, mask: torch.Tensor | None = None) -> tuple[torch.Tensor, RigidTransform]:
    """Centre one person's features (..., T, 262): floor at 0, frame-0 root at origin, facing +Z.

    Returns the centred features and the transform used; ``transform.inverse().apply`` undoes it.
    """
    transform = canonical_transform(features_to_joints(features), mask)
    return transform.apply(features), transform


def canonicalize_pair(features: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """(..., T, 2, 262): express both people in person 1's canonical frame (each keeps its own floor)."""
    p1, p2 = features[..., 0, :], features[..., 1, :]
    t1 = canonical_transform(features_to_joints(p1), mask)
    y2 = features_to_joints(p2)[..., 1]
    if mask is not None:
        y2 = torch.where(mask[..., None], y2, torch.full_like(y2, float("inf")))
    t2 = RigidTransform(t1.yaw, t1.shift, y2.amin(dim=(-1, -2)))
    return torch.stack((t1.apply(p1), t2.apply(p2)), dim=-2)
