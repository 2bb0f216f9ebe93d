"""HumanML3D 263-d features: recovery against the official files, encoding, round trips, conversions."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from mixermdm_core.kinematics import forward_kinematics
from mixermdm_core.representation import humanml3d as hml
from mixermdm_core.representation import interhuman as ih
from mixermdm_core.rotations import axis_angle_to_matrix
from mixermdm_core.skeleton import PARENTS, rest_joints, rest_offsets

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "humanml3d"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"reference files not found at {FIXTURES}")
CLIPS = ["000000", "012314"]  # float64 and float32 features


def fixture(kind: str, clip: str) -> np.ndarray:
    return np.load(FIXTURES / kind / f"{clip}.npy", allow_pickle=False)


def max_mm(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float64) - b, axis=-1).max() * 1000)


def synthetic_motion(frames: int = 121, turns: float = 1.5, seed: int = 0) -> np.ndarray:
    """(frames, 22, 3) joints from smooth random joint angles, a wandering root and ``turns`` full turns
    of the body (so the heading passes through -Z), placed anywhere."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None] / 20.0
    angles = np.zeros((frames, 22, 3))
    for k in range(1, 22):
        amp, freq, phase = rng.uniform(0.1, 0.5, 3), rng.uniform(0.3, 1.5, 3), rng.uniform(0, 6, 3)
        angles[:, k] = amp * np.sin(2 * np.pi * freq * t + phase)
    angles[:, 0, 1] = 2 * np.pi * turns * t[:, 0] / t[-1, 0] + rng.uniform(-3, 3)
    root = np.concatenate((2 * np.cos(t) + 3, 0.95 + 0.03 * np.sin(5 * t), 1.5 * np.sin(0.7 * t) - 1), axis=1)
    return forward_kinematics(axis_angle_to_matrix(torch.from_numpy(angles)).numpy(), root)


@needs_fixtures
@pytest.mark.parametrize("clip", CLIPS)
def test_recovery_reproduces_official_joints(clip):
    features, joints = fixture("new_joint_vecs", clip), fixture("new_joints", clip)
    recovered = hml.features263_to_joints(features)
    assert recovered.shape == joints.shape and recovered.dtype == features.dtype
    assert max_mm(recovered, joints) < 0.01
    as_torch = hml.features263_to_joints(torch.from_numpy(features))
    assert isinstance(as_torch, torch.Tensor) and max_mm(as_torch.numpy(), joints) < 0.01
    batch = hml.features263_to_joints(np.stack((features, features)), append_last=True)
    assert batch.shape == (2, len(joints) + 1, 22, 3) and max_mm(batch[1, :-1], joints) < 0.01


@needs_fixtures
@pytest.mark.parametrize("clip", CLIPS)
def test_encoding_the_official_joints_gives_the_official_features(clip):
    """The official joints are the canonical positions the features were made from, less the last frame,
    which only the 20-frame heading smoothing near the end of the clip can see."""
    features, joints = fixture("new_joint_vecs", clip), fixture("new_joints", clip)
    ours = hml.joints_to_features263(joints, hml.humanml3d_rotations6d(joints))
    assert ours.shape == (len(joints) - 1, 263) and ours.dtype == np.float32
    away_from_end = len(joints) - 81
    np.testing.assert_allclose(ours[:away_from_end], features[:away_from_end], atol=1e-4)
    np.testing.assert_array_equal(ours[:, hml.CONTACT], features[:-1, hml.CONTACT])
    np.testing.assert_allclose(ours[:, hml.RIC], features[:-1, hml.RIC], atol=0.01)


@needs_fixtures
@pytest.mark.parametrize("clip", CLIPS)
def test_round_trip_on_official_joints(clip):
    joints = fixture("new_joints", clip)
    canonical = hml.humanml3d_canonicalize(joints)
    assert max_mm(canonical, joints) < 0.01  # the official joints are already canonical
    back = hml.features263_to_joints(hml.joints_to_features263(joints), append_last=True)
    assert max_mm(back, canonical) < 1.0


@pytest.mark.parametrize("seed", [0, 1])
def test_round_trip_on_turning_synthetic_motion(seed):
    joints = synthetic_motion(seed=seed)
    features = hml.joints_to_features263(joints)
    assert np.all(features[:, hml.ROT] == 0)
    back = hml.features263_to_joints(features, append_last=True)
    assert max_mm(back, hml.humanml3d_canonicalize(joints)) < 1.0
    # The body turns steadily towards +X, so the heading yaw (which undoes the facing) falls at every
    # step, also where the facing passes -Z (the official arcsin flips the sign there).
    assert np.all(features[1:, hml.ROOT_YAW_VEL] < 0)


def test_features_ignore_where_the_motion_is_placed():
    joints = synthetic_motion(frames=41)
    c, s = np.cos(1.2), np.sin(1.2)
    moved = joints @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]).T + np.array([4.0, 0.3, -2.0])
    np.testing.assert_allclose(hml.joints_to_features263(moved), hml.joints_to_features263(joints), atol=1e-5)
    with pytest.raises(ValueError, match="rotations6d"):
        hml.joints_to_features263(joints, np.zeros((40, 21, 6)))
    with pytest.raises(ValueError, match="263"):
        hml.features263_to_joints(np.zeros((5, 262)))


def test_resample_joints_interpolates_linearly():
    t = np.arange(21, dtype=np.float64)
    joints = np.broadcast_to((0.1 * t)[:, None, None], (21, 22, 3)).copy()
    up = hml.resample_joints(joints, 20, 30)
    assert up.shape == (31, 22, 3)
    np.testing.assert_allclose(up[:, 0, 0], 0.1 * np.arange(31) * 20 / 30)
    np.testing.assert_allclose(hml.resample_joints(up, 30, 20), joints)
    np.testing.assert_array_equal(hml.resample_joints(joints, 20, 20), joints)
    assert hml.resample_joints(np.zeros((2, 4, 22, 3)), 20, 10).shape == (2, 2, 22, 3)


def test_local_rotations_from_joints_reproduce_the_skeleton():
    assert torch.allclose(hml.local_rotations_from_joints(rest_joints()), torch.eye(3, dtype=torch.float64), atol=1e-6)
    joints = synthetic_motion(frames=30, seed=2)
    rots = hml.local_rotations_from_joints(joints)
    back = forward_kinematics(rots.numpy(), joints[:, 0], rest_offsets())
    assert max_mm(back, joints) < 1e-3  # joints of the same skeleton: exact, twist aside


def _bone_cosines(joints: torch.Tensor, rots: torch.Tensor) -> torch.Tensor:
    """Cosine between each bone and where the rotations point it, (T, 21)."""
    glob = [rots[:, 0]]
    for k in range(1, 22):
        glob.append(glob[PARENTS[k]] @ rots[:, k])
    offsets = torch.from_numpy(rest_offsets()).to(rots)
    cos = [torch.cosine_similarity(glob[PARENTS[k]] @ offsets[k], joints[:, k] - joints[:, PARENTS[k]], dim=-1)
           for k in range(1, 22)]
    return torch.stack(cos, dim=-1)


@needs_fixtures
@pytest.mark.parametrize("clip", CLIPS)
def test_humanml3d_to_interhuman(clip):
    features = fixture("new_joint_vecs", clip)
    out = hml.humanml3d_to_interhuman(features)
    assert out.shape == (len(features) * 3 // 2, 262) and out.dtype == np.float32
    pos = out[:, ih.POS].reshape(-1, 22, 3)
    np.testing.assert_allclose(pos[1:] - pos[:-1], out[:-1, ih.VEL].reshape(-1, 22, 3), atol=1e-6)
    assert abs(pos[..., 1].min()) < 0.01 and np.allclose(pos[0, 0, [0, 2]], 0, atol=1e-6)
    across = pos[0, 2] - pos[0, 1]  # right hip - left hip: facing +Z puts it on -X
    assert abs(across[2]) < 1e-5 and across[0] < 0
    # every third 30 fps frame is a 20 fps frame: same pose, up to where the person stands
    joints = hml.features263_to_joints(features)
    a = pos[::3]
    b = joints[::2][: len(a)]
    np.testing.assert_allclose(np.linalg.norm(a - a[:, :1], axis=-1), np.linalg.norm(b - b[:, :1], axis=-1), atol=1e-5)
    root_rot = hml.local_rotations_from_joints(pos)[:, :1]  # the 262 layout keeps no root rotation
    rots = torch.cat((root_rot, ih.features_to_rotations(torch.from_numpy(out)).double()), dim=1)
    cos = _bone_cosines(torch.from_numpy(pos).double(), rots)
    assert cos.min() > 0.98 and cos[:, [3, 4, 6, 7, 17, 18]].min() > 0.9999  # knees, ankles, elbows: exact


@needs_fixtures
@pytest.mark.parametrize("clip", CLIPS)
def test_round_trip_through_interhuman(clip):
    features = fixture("new_joint_vecs", clip)
    original = hml.humanml3d_canonicalize(hml.features263_to_joints(features, append_last=True))
    same_rate = hml.interhuman_to_humanml3d(hml.humanml3d_to_interhuman(features, 20, 20), 20, 20)
    assert same_rate.shape == features.shape
    assert max_mm(hml.features263_to_joints(same_rate, append_last=True), original) < 1.0
    resampled = hml.interhuman_to_humanml3d(hml.humanml3d_to_interhuman(features))
    assert resampled.shape == features.shape
    back = hml.features263_to_joints(resampled, append_last=True)
    assert max_mm(back[::2], original[::2]) < 1.0  # 20 fps frames that are also 30 fps frames
    assert np.linalg.norm(back - original, axis=-1).mean() < 0.003  # the others are interpolated
