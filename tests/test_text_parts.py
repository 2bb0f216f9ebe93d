"""The text-to-body-parts map and the Mixer prior built on it: known answers on hand-made data."""
import numpy as np
import pytest
import torch

from mixermdm_core.representation.interhuman import POS, features_to_joints
from mixermdm_core.skeleton import BODY_PARTS, JOINT
from mixermdm_core.training.text_parts import (TextPartsMap, hands_at_partner, part_means, part_motion, part_target_gap,
                                               part_weights_per_joint)

from conftest import tiny_corpus


def test_part_motion_of_a_still_pose_and_a_bob():
    """A still pose moves nothing; a body bobbing rigidly 10 cm moves only its pelvis height (0.1 m); a wrist
    circling 20 cm around its place moves only that arm."""
    g = np.random.default_rng(0)
    pose = g.normal(size=(1, 22, 3))
    still = np.repeat(pose, 30, 0)
    assert part_motion(still) == pytest.approx(np.zeros(5))
    bob = still.copy()
    bob[..., 1] += 0.05 * np.sin(np.linspace(0, 2 * np.pi, 30, endpoint=False))[:, None]
    assert part_motion(bob) == pytest.approx([0.1, 0, 0, 0, 0], abs=1e-3)
    circle = still.copy()
    wrist = BODY_PARTS["left_arm"][-1]
    angle = np.linspace(0, 2 * np.pi, 30, endpoint=False)
    circle[:, wrist, 0] += 0.2 * np.cos(angle)
    circle[:, wrist, 2] += 0.2 * np.sin(angle)
    moved = part_motion(circle)
    assert moved[3] == pytest.approx(0.2 / 2, rel=1e-6)  # RMS over the arm's 4 joints: sqrt(0.2^2 / 4)
    assert moved[[0, 1, 2, 4]] == pytest.approx(np.zeros(4))


def test_map_recovers_a_linear_relation_and_thresholds_it():
    """Movement that is a linear function of the embedding is fitted exactly (R^2 = 1); shares lie in [0, 1]; whole
    parts are 1 exactly where the share passes the threshold."""
    g = torch.Generator().manual_seed(0)
    text = torch.randn(400, 8, generator=g)
    motion = text @ torch.randn(8, 5, generator=g) + 3.0
    parts = TextPartsMap.fit(text, motion, ridge=1e-6)
    assert parts.r2(text, motion) == pytest.approx(torch.ones(5, dtype=torch.float64), abs=1e-6)
    shares = parts.shares(text)
    assert shares.min() >= 0 and shares.max() <= 1
    whole = parts.whole_parts(text, 0.5)
    assert torch.equal(whole.bool(), shares > 0.5)
    assert whole.float().mean() == pytest.approx(0.5, abs=0.1)  # the median lies mid-way between the 10th and 90th


def test_part_target_gap_is_zero_on_target_and_grows_off_it():
    """Per-joint weights equal to each part's target cost nothing; moving one part's weight by d costs d^2 over the
    mixed people's parts; people without an individual text and padded frames do not count."""
    target = torch.tensor([[[0.0, 1.0, 0.0, 1.0, 1.0], [1.0, 0.0, 0.0, 0.0, 0.0]]])  # (1, 2, 5)
    w = torch.zeros(1, 6, 2, 22)
    for k, idx in enumerate(BODY_PARTS.values()):
        w[..., list(idx)] = target[:, None, :, k:k + 1]
    both = torch.tensor([[True, True]])
    assert torch.allclose(part_means(w), target)
    assert part_target_gap(w, target, both) == 0
    off = w.clone()
    off[:, :, 0, list(BODY_PARTS["legs"])] = 0.6  # person 1's legs at 0.6 instead of 1
    assert part_target_gap(off, target, both) == pytest.approx(0.4 ** 2 / 10)
    assert part_target_gap(off, target, torch.tensor([[False, True]])) == 0
    mask = torch.ones(1, 6)
    mask[:, 3:] = 0
    padded = w.clone()
    padded[:, 3:] = 0.5  # only padding differs from the target
    assert part_target_gap(padded, target, both, mask) == 0
    with pytest.raises(ValueError, match="per-joint"):
        part_target_gap(w[..., :1], target, both)


def test_part_weights_per_joint_gives_each_joint_its_part_and_inverts_part_means():
    parts = torch.tensor([[[0.1, 0.2, 0.3, 0.4, 0.5], [1.0, 0.0, 1.0, 0.0, 1.0]]])  # (B=1, 2 people, 5 parts)
    per_joint = part_weights_per_joint(parts)
    assert per_joint.shape == (1, 2, 22)
    for k, joints in enumerate(BODY_PARTS.values()):
        assert torch.all(per_joint[..., list(joints)] == parts[..., k:k + 1])
    w = per_joint[:, None].expand(1, 6, 2, 22)  # the same weights on 6 frames
    assert torch.allclose(part_means(w), parts)


def test_hands_at_partner_marks_the_arm_that_touches():
    """A pair standing 1 m apart touches nothing; person 1's right wrist moved onto person 2's pelvis in one valid
    frame marks person 1's right arm only, and not when that frame is padding."""
    clip = torch.from_numpy(tiny_corpus("interaction", 1).clip(0))[None].clone()  # (1, T, 2, 262)
    joints = features_to_joints(clip)
    apart = joints[:, :, 0, 0] - joints[:, :, 1, 0]
    clip[..., 1, POS] += (apart.norm(dim=-1, keepdim=True).clamp_min(1e-6) - 1.0).mul(
        apart / apart.norm(dim=-1, keepdim=True).clamp_min(1e-6)).repeat(1, 1, 22)  # person 2 1 m from person 1
    assert not hands_at_partner(clip).any()
    wrist = JOINT["right_wrist"]
    moved = clip.clone()
    target = features_to_joints(moved)[0, 3, 1, 0]
    moved[0, 3, 0, 3 * wrist:3 * wrist + 3] = target
    near = hands_at_partner(moved)
    expected = torch.zeros(1, 2, 5, dtype=torch.bool)
    expected[0, 0, list(BODY_PARTS).index("right_arm")] = True
    assert torch.equal(near, expected)
    mask = torch.ones(1, clip.shape[1])
    mask[:, 3] = 0
    assert not hands_at_partner(moved, mask).any()
    counted = ~near
    w = torch.zeros(1, clip.shape[1], 2, 22)
    target_parts = torch.ones(1, 2, 5)
    assert part_target_gap(w, target_parts, torch.tensor([[True, True]]), None, counted) == pytest.approx(1.0)
