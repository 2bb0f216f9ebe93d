"""The HumanML3D 263-d feature vector, and conversion to and from the InterHuman 262-d layout.

Per frame (20 fps), as the official ``process_file`` lays it out:
[0] root yaw velocity (half of the heading change, radians per frame), [1:3] root xz velocity in the
heading frame, [3] root height, [4:67] joints 1..21 relative to the root's xz and turned into the heading
frame, [67:193] 21 rotations from HumanML3D's own inverse kinematics in its 6D (the first two *columns*
of the matrix, concatenated), [193:259] the 22 joint velocities in the heading frame, [259:263] contacts
of the left ankle, left foot, right ankle, right foot. ``T + 1`` frames of joints give ``T`` rows.

The heading of every frame is the official IK's: the facing of ``(l_hip - r_hip) + (r_shoulder - l_shoulder)``
(the original swaps the hip indices there, so it mostly follows the shoulders; HumanML3D issue #119),
smoothed over time by a Gaussian of sigma 20 frames, with frame 0 forced to identity (issue #74). Both are
kept because the released data and every model trained on it have them. One deliberate difference: the
official yaw velocity (``arcsin`` of a quaternion component) takes the wrong sign on the frame where the
heading passes through -Z (issue #156); here the wrapped angle difference is used, which equals the
official value everywhere else and keeps the recovery exact.
The official retargeting to one reference skeleton (``uniform_skeleton``) is not done: joints keep their
own bone lengths.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from ..kinematics import facing_angle
from ..rotations import quaternion_to_matrix, yaw_matrix
from ..skeleton import KINEMATIC_CHAINS, NUM_JOINTS, PARENTS, rest_offsets
from .interhuman import VEL as IH_VEL
from .interhuman import RigidTransform, features_to_joints, joints_to_features

FEATURE_DIM = 263
FPS = 20
ROOT_YAW_VEL = 0
ROOT_XZ_VEL = slice(1, 3)
ROOT_HEIGHT = 3
RIC = slice(4, 67)
ROT = slice(67, 193)
VEL = slice(193, 259)
CONTACT = slice(259, 263)

CONTACT_SPEED2 = 0.002  # squared displacement per frame below which a foot is in contact (no height test)
CONTACT_JOINTS = (7, 10, 8, 11)
HEADING_SIGMA = 20.0  # frames, the official smoothing of the IK forward direction
# Rest direction of the bone that ends at each joint, in HumanML3D's IK (arms hang down).
IK_REST_DIRECTIONS = np.array([
    [0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, -1, 0], [0, 1, 0], [0, -1, 0],
    [0, -1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 0], [-1, 0, 0], [0, 0, 1],
    [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0],
], dtype=np.float64)


def _f64(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(np.asarray(x.detach().cpu() if isinstance(x, torch.Tensor) else x), dtype=torch.float64)


def _rotate(vectors: torch.Tensor, yaw: torch.Tensor) -> torch.Tensor:
    """Turn (..., 3) vectors about +Y by ``yaw`` (broadcast over the leading dimensions)."""
    return (yaw_matrix(yaw) @ vectors.unsqueeze(-1)).squeeze(-1)


# --- 263 -> joints ---------------------------------------------------------------------------------

def _heading_and_root(f: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Integrate the root: heading yaw (..., T) and root position (..., T, 3); frame 0 at the xz origin."""
    half = torch.zeros_like(f[..., 0])
    half[..., 1:] = torch.cumsum(f[..., :-1, ROOT_YAW_VEL], dim=-1)
    yaw = 2.0 * half
    step = torch.zeros(*f.shape[:-1], 3, dtype=f.dtype, device=f.device)
    step[..., 1:, 0] = f[..., :-1, 1]
    step[..., 1:, 2] = f[..., :-1, 2]
    root = torch.cumsum(_rotate(step, -yaw), dim=-2)
    root[..., 1] = f[..., ROOT_HEIGHT]
    return yaw, root


def features263_to_joints(features: np.ndarray | torch.Tensor, append_last: bool = False) -> np.ndarray | torch.Tensor:
    """(..., T, 263) -> (..., T, 22, 3) joint positions, as HumanML3D's ``recover_from_ric``.

    With ``append_last`` the frame after the last row is added from the joint velocities, giving
    (..., T+1, 22, 3): the frames the features were made from. Numpy in, numpy out; dtype is kept.
    """
    as_numpy = not isinstance(features, torch.Tensor)
    f = torch.as_tensor(np.asarray(features)) if as_numpy else features
    if f.shape[-1] != FEATURE_DIM:
        raise ValueError(f"HumanML3D features must end in 263, got {tuple(f.shape)}")
    yaw, root = _heading_and_root(f)
    ric = f[..., RIC].reshape(*f.shape[:-1], NUM_JOINTS - 1, 3)
    joints = _rotate(ric, -yaw[..., None]) + (root * root.new_tensor([1.0, 0.0, 1.0])).unsqueeze(-2)
    joints = torch.cat((root.unsqueeze(-2), joints), dim=-2)
    if append_last:
        vel = f[..., -1, VEL].reshape(*f.shape[:-2], NUM_JOINTS, 3)
        last = joints[..., -1, :, :] + _rotate(vel, -yaw[..., -1:])
        joints = torch.cat((joints, last.unsqueeze(-3)), dim=-3)
    return joints.numpy() if as_numpy else joints


# --- joints -> 263 ---------------------------------------------------------------------------------

def humanml3d_canonicalize(joints: np.ndarray | torch.Tensor) -> np.ndarray:
    """(T, 22, 3) -> float64 joints as HumanML3D puts them before encoding: lowest joint on the floor,
    frame-0 pelvis at the xz origin, frame-0 facing (hips and shoulders) along +Z."""
    j = _f64(joints).clone()
    if j.ndim != 3 or j.shape[1:] != (NUM_JOINTS, 3):
        raise ValueError(f"joints must be (T, 22, 3), got {tuple(j.shape)}")
    j[..., 1] -= j[..., 1].min()
    j -= j[0, 0] * j.new_tensor([1.0, 0.0, 1.0])
    return _rotate(j, -facing_angle(j[0])).numpy()


def _gaussian_smooth(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian filter along axis 0 with edge padding (scipy's ``gaussian_filter1d``, mode 'nearest')."""
    radius = int(4.0 * sigma + 0.5)
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.concatenate((np.repeat(x[:1], radius, 0), x, np.repeat(x[-1:], radius, 0)), axis=0)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1, axis=0)
    return windows @ kernel


def _ik_heading(joints: np.ndarray) -> np.ndarray:
    """(T, 22, 3) -> (T,) yaw that turns each frame's smoothed IK forward direction to +Z; frame 0 is 0."""
    across = (joints[:, 1] - joints[:, 2]) + (joints[:, 17] - joints[:, 16])
    across /= np.linalg.norm(across, axis=-1, keepdims=True)
    forward = np.stack((across[:, 2], np.zeros(len(across)), -across[:, 0]), axis=-1)  # up x across
    forward = _gaussian_smooth(forward, HEADING_SIGMA)
    yaw = -np.arctan2(forward[:, 0], forward[:, 2])
    yaw[0] = 0.0
    return yaw


def _between(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """(..., 3) unit vectors -> (..., 3, 3) shortest rotation taking u to v (a half turn if opposite)."""
    w = 1.0 + (u * v).sum(-1, keepdim=True)
    axis = torch.cross(u, v, dim=-1)
    opposite = w[..., 0] < 1e-8
    if opposite.any():
        helper = torch.where(u[..., :1].abs() < 0.9, u.new_tensor([1.0, 0, 0]), u.new_tensor([0, 1.0, 0]))
        ortho = torch.nn.functional.normalize(torch.cross(u, helper.expand_as(u), dim=-1), dim=-1)
        axis = torch.where(opposite[..., None], ortho, axis)
        w = torch.where(opposite[..., None], torch.zeros_like(w), w)
    return quaternion_to_matrix(torch.cat((w, axis), dim=-1))


def humanml3d_rotations6d(joints: np.ndarray | torch.Tensor) -> np.ndarray:
    """(T, 22, 3) -> (T, 21, 6) rotations of joints 1..21 as HumanML3D's IK derives them.

    The joints are canonicalised first (as :func:`joints_to_features263` does). Each bone's rotation is
    the shortest turn from its rest direction (:data:`IK_REST_DIRECTIONS`) to the bone, made relative to
    the previous bone of its chain; the first bone of a chain is made relative to the root heading.
    Stored at the bone's end joint, in HumanML3D's 6D (columns 0 and 1 of the matrix, concatenated).
    """
    j = torch.from_numpy(humanml3d_canonicalize(joints))
    heading = yaw_matrix(torch.from_numpy(_ik_heading(j.numpy())))
    rest = torch.from_numpy(IK_REST_DIRECTIONS)
    local = torch.zeros(len(j), NUM_JOINTS, 3, 3, dtype=torch.float64)
    for chain in KINEMATIC_CHAINS:
        previous = heading
        for parent, child in zip(chain[:-1], chain[1:]):
            bone = torch.nn.functional.normalize(j[:, child] - j[:, parent], dim=-1)
            turn = _between(rest[child].expand_as(bone), bone)
            local[:, child] = previous.transpose(-1, -2) @ turn
            previous = turn
    return torch.cat((local[:, 1:, :, 0], local[:, 1:, :, 1]), dim=-1).numpy()


def joints_to_features263(joints: np.ndarray | torch.Tensor, rotations6d: np.ndarray | None = None) -> np.ndarray:
    """(T+1, 22, 3) joints -> (T, 263) float32 features, HumanML3D's ``process_file``.

    The joints are canonicalised (:func:`humanml3d_canonicalize`), so :func:`features263_to_joints` gives
    back ``humanml3d_canonicalize(joints)[:-1]``. ``rotations6d`` (T+1, 21, 6) fills [67:193] in HumanML3D's
    6D (e.g. :func:`humanml3d_rotations6d`); without it those features are zero.
    """
    j = torch.from_numpy(humanml3d_canonicalize(joints))
    if len(j) < 2:
        raise ValueError("need at least 2 frames of joints")
    n = len(j) - 1
    if rotations6d is None:
        rot = np.zeros((n, (NUM_JOINTS - 1) * 6))
    else:
        rotations6d = np.asarray(rotations6d)
        if rotations6d.shape != (n + 1, NUM_JOINTS - 1, 6):
            raise ValueError(f"rotations6d must be ({n + 1}, 21, 6), got {rotations6d.shape}")
        rot = rotations6d[:-1].reshape(n, -1)
    yaw = torch.from_numpy(_ik_heading(j.numpy()))
    dyaw = yaw[1:] - yaw[:-1]
    dyaw = torch.remainder(dyaw + math.pi, 2 * math.pi) - math.pi
    root_vel = _rotate(j[1:, 0] - j[:-1, 0], yaw[1:])[:, [0, 2]]
    ric = _rotate(j[:-1, 1:] - (j[:-1, :1] * j.new_tensor([1.0, 0.0, 1.0])), yaw[:-1, None])
    vel = _rotate(j[1:] - j[:-1], yaw[:-1, None])
    feet = j[:, list(CONTACT_JOINTS)]
    contacts = (((feet[1:] - feet[:-1]) ** 2).sum(-1) < CONTACT_SPEED2).double()
    out = torch.cat((
        (dyaw / 2)[:, None], root_vel, j[:-1, 0, 1:2], ric.reshape(n, -1), torch.from_numpy(rot),
        vel.reshape(n, -1), contacts,
    ), dim=-1)
    return out.numpy().astype(np.float32)


# --- conversion between the layouts ------------------------------------------------------------------

def resample_joints(joints: np.ndarray | torch.Tensor, src_fps: float, dst_fps: float) -> np.ndarray:
    """(..., T, 22, 3) -> (..., T', 22, 3) by linear interpolation in time; T' = floor((T-1) dst/src) + 1.

    Frame k of the output is at time k / dst_fps, so the first frame is kept and the clip's duration is
    kept up to less than one output frame.
    """
    j = np.asarray(joints.detach().cpu() if isinstance(joints, torch.Tensor) else joints)
    if src_fps <= 0 or dst_fps <= 0:
        raise ValueError(f"frame rates must be positive, got {src_fps} and {dst_fps}")
    frames = j.shape[-3]
    if frames < 2 or src_fps == dst_fps:
        return j.copy()
    count = int(math.floor((frames - 1) * dst_fps / src_fps + 1e-9)) + 1
    t = np.arange(count) * (src_fps / dst_fps)
    lo = np.minimum(np.floor(t).astype(np.int64), frames - 2)
    w = (t - lo)[:, None, None]
    return (1.0 - w) * j[..., lo, :, :] + w * j[..., lo + 1, :, :]


def intergen_canonical_transform(joints: torch.Tensor) -> RigidTransform:
    """The transform InterGen's ``process_motion_np`` applies to one person (..., T, 22, 3), Y up.

    Lowest joint of all frames on the floor, frame-0 pelvis xz at the origin, and frame-0 forward,
    up x (right hip - left hip) from the hips alone, turned to +Z.
    """
    floor = joints[..., 1].amin(dim=(-1, -2))
    across = joints[..., 0, 2, :] - joints[..., 0, 1, :]
    yaw = -torch.atan2(across[..., 2], -across[..., 0])  # forward = (across_z, 0, -across_x)
    root0 = joints[..., 0, 0, :] * joints.new_tensor([1.0, 0.0, 1.0])
    return RigidTransform(yaw, -_rotate(root0, yaw), floor)


def _kabsch(rest: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Rotation (..., 3, 3) best taking the rest vectors (K, 3) onto the target vectors (..., K, 3)."""
    cov = target.transpose(-1, -2) @ rest
    u, _, vt = torch.linalg.svd(cov)
    fix = torch.ones(*cov.shape[:-2], 3, dtype=cov.dtype)
    fix[..., 2] = torch.linalg.det(u @ vt).sign()
    return u @ torch.diag_embed(fix) @ vt


def local_rotations_from_joints(joints: np.ndarray | torch.Tensor) -> torch.Tensor:
    """(..., 22, 3) -> (..., 22, 3, 3) local rotations of the project's skeleton (SMPL rest T-pose) whose
    forward kinematics points every bone along the given joints.

    Pelvis and spine3 (three children each) take the best fit of their child bones; every other joint
    takes the shortest turn of its one bone from where its parent leaves it, so no twist is invented.
    Leaves (feet, head, wrists) keep the identity.
    """
    j = _f64(joints)
    rest = torch.from_numpy(rest_offsets())
    children = [[c for c in range(NUM_JOINTS) if PARENTS[c] == p] for p in range(NUM_JOINTS)]
    glob: list[torch.Tensor] = []
    for p in range(NUM_JOINTS):
        kids = children[p]
        parent_rot = glob[PARENTS[p]] if p else torch.eye(3, dtype=j.dtype).expand(*j.shape[:-2], 3, 3)
        if len(kids) > 1:
            glob.append(_kabsch(rest[kids], j[..., kids, :] - j[..., p : p + 1, :]))
        elif kids:
            now = torch.nn.functional.normalize((parent_rot @ rest[kids[0]].unsqueeze(-1)).squeeze(-1), dim=-1)
            bone = torch.nn.functional.normalize(j[..., kids[0], :] - j[..., p, :], dim=-1)
            glob.append(_between(now, bone) @ parent_rot)
        else:
            glob.append(parent_rot)
    local = [glob[0]] + [glob[PARENTS[k]].transpose(-1, -2) @ glob[k] for k in range(1, NUM_JOINTS)]
    return torch.stack(local, dim=-3)


def humanml3d_to_interhuman(
    features263: np.ndarray | torch.Tensor, src_fps: float = FPS, dst_fps: float = 30
) -> np.ndarray:
    """(T, 263) -> (T', 262) float32 InterHuman features of the same motion.

    Joints (with the frame after the last row, from the velocities) are resampled linearly to
    ``dst_fps``, canonicalised as InterGen does, and encoded with rotations re-derived from the joints
    (:func:`local_rotations_from_joints`): HumanML3D's own rotations use another rest pose and carry no
    more than the joint positions do. T' = floor(T dst/src).
    """
    joints = features263_to_joints(_f64(features263).numpy(), append_last=True)
    joints = torch.from_numpy(resample_joints(joints, src_fps, dst_fps))
    joints = intergen_canonical_transform(joints).apply_points(joints)
    return joints_to_features(joints, local_rotations_from_joints(joints)).numpy()


def interhuman_to_humanml3d(
    features262: np.ndarray | torch.Tensor, src_fps: float = 30, dst_fps: float = FPS
) -> np.ndarray:
    """(T, 262) one person -> (T', 263) float32 HumanML3D features of the same motion.

    Joints (with the frame after the last row, from the velocities) are resampled linearly to
    ``dst_fps`` and encoded by :func:`joints_to_features263`, rotations re-derived by HumanML3D's IK
    (:func:`humanml3d_rotations6d`). T' = floor(T dst/src).
    """
    f = _f64(features262)
    pos = features_to_joints(f)
    last = pos[-1] + f[-1, IH_VEL].reshape(NUM_JOINTS, 3)
    joints = resample_joints(torch.cat((pos, last[None]), dim=0), src_fps, dst_fps)
    return joints_to_features263(joints, humanml3d_rotations6d(joints))
