"""The pair relation D^a can judge: unchanged by moving the pair as a whole, changed by what makes an interaction."""
from __future__ import annotations

import math

import pytest
import torch

from mixermdm_core.representation.interhuman import features_to_joints, joints_to_features
from mixermdm_core.representation.relation import KEY_JOINTS, REACH_DIM, RELATION_DIM, arm_reach, pair_relation
from mixermdm_core.rotations import yaw_matrix

from conftest import smooth_person


def pair(gap: float = 1.0, turn: float = 0.0, shift=(0.0, 0.0)) -> torch.Tensor:
    """(T, 2, 262): two people ``gap`` m apart facing each other, the whole pair turned by ``turn`` and shifted."""
    one, rots_one = smooth_person(20, seed=1)
    two, rots_two = smooth_person(20, seed=2, offset=(0.0, gap), yaw=math.pi)
    spin = yaw_matrix(torch.tensor(turn, dtype=one.dtype))
    move = torch.tensor([shift[0], 0.0, shift[1]], dtype=one.dtype)
    place = lambda j: j @ spin.T + move  # noqa: E731
    return torch.stack((joints_to_features(place(one), rots_one), joints_to_features(place(two), rots_two)), 1)


def test_moving_or_turning_the_pair_as_a_whole_changes_nothing():
    relation = pair_relation(pair())
    assert relation.shape == (20, RELATION_DIM)
    assert torch.allclose(pair_relation(pair(turn=1.3, shift=(2.0, -1.0))), relation, atol=1e-4)


def test_spacing_and_facing_read_as_expected():
    near, far = pair_relation(pair(gap=0.8)), pair_relation(pair(gap=2.0))
    k = len(KEY_JOINTS)
    assert (far[:, 0] - near[:, 0]).mean().item() == pytest.approx(1.2, abs=0.05)  # pelvis to pelvis
    assert (far[:, :k * k] > near[:, :k * k]).float().mean() > 0.9
    cos = near[:, k * k:k * k + 2]
    assert (cos > 0.8).all()  # both face the other


def test_the_gradient_is_finite_where_two_joints_meet():
    x = pair(gap=0.0).requires_grad_(True)
    pair_relation(x).sum().backward()
    assert torch.isfinite(x.grad).all()


def test_arm_reach_is_read_in_the_other_persons_frame():
    x = pair(gap=1.5)
    reach = arm_reach(x)
    assert reach.shape == (20, REACH_DIM)
    assert torch.allclose(arm_reach(pair(gap=1.5, turn=-0.7, shift=(1.0, 3.0))), reach, atol=1e-4)
    joints = features_to_joints(x)
    local = reach.reshape(20, 2, 4, 3)  # person 2's arms in person 1's frame, then person 1's in person 2's
    height = joints[:, 1, 21, 1] - joints[:, 0, 0, 1]  # person 2's right wrist above person 1's pelvis
    assert torch.allclose(local[:, 0, 3, 1], height, atol=1e-4)
    assert (local[:, :, :, 0] > 0.5).all()  # facing each other 1.5 m apart: every arm is ahead of the other
    assert (arm_reach(pair(gap=0.6))[:, 0::3] < reach[:, 0::3]).all()  # closer: every forward coordinate shrinks
