"""The body and its features: rotation conversions, forward kinematics, the 262-d round trip."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from mixermdm_core.kinematics import facing_angle, forward_kinematics
from mixermdm_core.representation.interhuman import (CONTACT, VEL, canonicalize_features, features_to_joints,
                                                     features_to_rotations, joints_to_features, mirror_features)
from mixermdm_core.representation.normalization import Normalizer
from mixermdm_core.rotations import (axis_angle_to_matrix, matrix_to_axis_angle, matrix_to_quaternion,
                                     matrix_to_rot6d, quaternion_to_matrix, rot6d_to_matrix, yaw_matrix)
from mixermdm_core.skeleton import MIRROR, PARENTS, bone_lengths, rest_joints, rest_offsets

from conftest import smooth_person


def random_rotations(n: int, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return axis_angle_to_matrix(torch.randn(n, 3, generator=g, dtype=torch.float64) * 1.5)


def test_rotation_round_trips():
    r = random_rotations(500)
    assert torch.allclose(rot6d_to_matrix(matrix_to_rot6d(r)), r, atol=1e-10)
    assert torch.allclose(quaternion_to_matrix(matrix_to_quaternion(r)), r, atol=1e-10)
    assert torch.allclose(axis_angle_to_matrix(matrix_to_axis_angle(r)), r, atol=1e-8)
    assert torch.allclose(r @ r.transpose(-1, -2), torch.eye(3, dtype=r.dtype).expand_as(r), atol=1e-10)


def test_rot6d_is_the_first_two_columns():
    r = random_rotations(4)
    assert torch.equal(matrix_to_rot6d(r)[:, [0, 2, 4]], r[:, :, 0])


def test_yaw_turns_forward_towards_left():
    z = torch.tensor([0.0, 0.0, 1.0])
    assert torch.allclose(yaw_matrix(torch.tensor(math.pi / 2)) @ z, torch.tensor([1.0, 0.0, 0.0]), atol=1e-6)


def test_fk_of_rest_pose_gives_the_rest_joints():
    joints = forward_kinematics(np.tile(np.eye(3), (22, 1, 1)), np.zeros(3))
    rest = rest_joints()
    assert np.allclose(joints - joints[0], rest - rest[0], atol=1e-12)
    assert facing_angle(joints) == pytest.approx(0.0, abs=1e-9)


def test_fk_keeps_bone_lengths_and_agrees_between_numpy_and_torch():
    rots = random_rotations(22 * 8, seed=3).reshape(8, 22, 3, 3)
    root = torch.randn(8, 3, dtype=torch.float64)
    joints = forward_kinematics(rots, root, rest_offsets(1.62))
    expected = np.linalg.norm(rest_offsets(1.62)[1:], axis=-1)
    assert np.allclose(bone_lengths(joints.numpy()), expected[None], atol=1e-10)
    assert np.allclose(forward_kinematics(rots.numpy(), root.numpy(), rest_offsets(1.62)), joints.numpy())
    assert torch.allclose(joints[:, 0], root)


def test_fk_rejects_wrong_shapes():
    with pytest.raises(ValueError, match="22, 3, 3"):
        forward_kinematics(torch.zeros(5, 21, 3, 3), torch.zeros(5, 3))


def test_facing_follows_the_root_yaw():
    rots = torch.eye(3).expand(22, 3, 3).clone()
    rots[0] = yaw_matrix(torch.tensor(0.7))
    assert float(facing_angle(forward_kinematics(rots, torch.zeros(3)))) == pytest.approx(0.7, abs=1e-5)


def test_features_round_trip():
    joints, rots = smooth_person(40, seed=5)
    feats = joints_to_features(joints, rots)
    assert feats.shape == (40, 262)
    assert torch.allclose(features_to_joints(feats), joints[:-1].float(), atol=1e-6)
    assert torch.allclose(features_to_rotations(feats), rots[:-1, 1:].float(), atol=1e-5)
    # features -> (joints, rotations) -> features, with the frame the velocities consumed put back
    back = joints_to_features(torch.cat((features_to_joints(feats), joints[-1:].float())),
                              torch.cat((features_to_rotations(feats), rots[-1:, 1:].float())))
    assert torch.allclose(back, feats, atol=1e-5)
    vel = feats[:, VEL].reshape(40, 22, 3)
    assert torch.allclose(vel, (joints[1:] - joints[:-1]).float(), atol=1e-6)
    assert set(feats[:, CONTACT].unique().tolist()) <= {0.0, 1.0}


def test_features_need_two_frames():
    joints, rots = smooth_person(3, seed=1)
    with pytest.raises(ValueError, match="2 frames"):
        joints_to_features(joints[:1], rots[:1])


def test_canonicalisation_is_rigid_and_invertible():
    joints, rots = smooth_person(30, seed=2, offset=(1.0, 2.0), yaw=2.0)
    feats = joints_to_features(joints, rots)
    centred, transform = canonicalize_features(feats)
    j = features_to_joints(centred)
    assert torch.allclose(j[0, 0, [0, 2]], torch.zeros(2), atol=1e-5)
    assert j[..., 1].min().abs() < 1e-5
    assert float(facing_angle(j[0])) == pytest.approx(0.0, abs=1e-4)
    lengths = lambda x: (x[..., 1:, :] - x[..., list(PARENTS[1:]), :]).norm(dim=-1)
    assert torch.allclose(lengths(j), lengths(features_to_joints(feats)), atol=1e-5)
    assert torch.allclose(transform.inverse().apply(centred), feats, atol=1e-5)
    assert torch.equal(centred[:, 132:], feats[:, 132:])  # local rotations and contacts do not move


def test_normalizer_round_trip_and_files(tmp_path):
    x = torch.randn(100, 262) * 3 + 1
    norm = Normalizer.fit(x)
    assert torch.allclose(norm.denormalize(norm.normalize(x)), x, atol=1e-4)
    norm.save(tmp_path / "stats")
    assert torch.equal(Normalizer.load(tmp_path / "stats").mean, norm.mean)
    with pytest.raises(FileNotFoundError, match="missing_mean.npy"):
        Normalizer.load(tmp_path / "missing")
    with pytest.raises(ValueError):
        Normalizer(np.zeros(262), np.ones(263))


def test_mirror_reflects_joints_and_rotations_consistently():
    joints, rots = smooth_person(20, seed=4, offset=(0.3, 0.5), yaw=0.6)
    flip = torch.diag(torch.tensor([-1.0, 1.0, 1.0]))
    mirrored_rots = flip @ rots[:, list(MIRROR)] @ flip
    mirrored_joints = forward_kinematics(mirrored_rots, joints[:, 0] * torch.tensor([-1.0, 1.0, 1.0]))
    # the rest skeleton is symmetric, so mirroring the rotations mirrors the joints
    assert torch.allclose(mirrored_joints, joints[:, list(MIRROR)] * torch.tensor([-1.0, 1.0, 1.0]), atol=1e-5)
    feats = joints_to_features(joints, rots)
    assert torch.allclose(mirror_features(feats), joints_to_features(mirrored_joints, mirrored_rots), atol=1e-5)
    assert torch.equal(mirror_features(mirror_features(feats)), feats)
