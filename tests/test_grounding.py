"""Grounding pins planted toes and lifts bodies above the floor without touching bone lengths."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from mixermdm_core.corpus.generate import make_clip
from mixermdm_core.evaluation.metrics import floor_penetration, foot_skating
from mixermdm_core.representation.grounding import LEGS, MAX_DROP, MAX_PIN_SHIFT, ground, lock_feet, planted_steps
from mixermdm_core.representation.limbs import MAX_EXTENSION
from mixermdm_core.representation.interhuman import CONTACT, POS, VEL, features_to_joints
from mixermdm_core.skeleton import bone_lengths


@pytest.fixture(scope="module")
def walk() -> torch.Tensor:
    """A corpus walk (T, 1, 262): feet planted by construction."""
    return torch.from_numpy(make_clip("individual", "train", 0, 0, "walk_forward").features).float()


def skated(features: torch.Tensor, cm_per_frame: float) -> torch.Tensor:
    """The same motion sliding forward along x, so that every planted foot skates."""
    out = features.clone()
    slide = cm_per_frame / 100 * torch.arange(len(out), dtype=out.dtype)
    out[..., POS.start:POS.stop:3] += slide[:, None, None]
    out[..., VEL.start:VEL.stop:3] += cm_per_frame / 100
    return out


def joints(features: torch.Tensor) -> np.ndarray:
    return features_to_joints(features).numpy()


def extension(j: np.ndarray) -> np.ndarray:
    """(T, 2) hip-to-ankle distance over leg length of both legs of joints (T, 22, 3)."""
    def dist(a: int, b: int) -> np.ndarray:
        return np.linalg.norm(j[:, a] - j[:, b], axis=-1)
    return np.stack([dist(h, a) / (dist(h, k) + dist(k, a)) for h, k, a, _, _ in LEGS], -1)


def leg_joints() -> list[int]:
    return sorted({j for leg in LEGS for j in leg[1:4]})


def assert_only_lowered(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """The joints off the legs (T, 22, 3) moved only down, all by the same amount per frame, at most
    MAX_DROP; returns that drop (T,)."""
    others = [j for j in range(22) if j not in leg_joints()]
    shift = after[:, others] - before[:, others]
    np.testing.assert_allclose(shift[..., [0, 2]], 0.0, atol=1e-6)
    drop = -shift[:, 0, 1]
    np.testing.assert_allclose(shift[..., 1], -drop[:, None].repeat(len(others), 1), atol=1e-6)
    assert (drop >= -1e-6).all() and (drop <= MAX_DROP + 1e-6).all()
    return drop


def test_a_clean_walk_keeps_its_path(walk):
    before, grounded = joints(walk)[:, 0], joints(ground(walk))[:, 0]
    assert_only_lowered(before, grounded)
    assert np.abs(grounded - before).max() < MAX_DROP + 0.03  # metres: toes held back a little at lift-off
    assert foot_skating(grounded) <= foot_skating(before) + 1e-6


def test_skating_feet_are_pinned_and_bones_keep_their_length(walk):
    slid = skated(walk, 0.5)
    before, grounded = joints(slid)[:, 0], joints(ground(slid))[:, 0]
    for _, _, _, toe, col in LEGS:
        planted = (walk[:-1, 0, CONTACT.start + col] > 0.5).numpy()
        inner = planted[1:] & planted[:-1]  # steps inside a planted stretch
        speed = np.linalg.norm(np.diff(grounded[:, toe, [0, 2]], axis=0), axis=-1)[:-1] * 100
        assert inner.sum() > 20 and np.median(speed[inner]) < 0.01 and speed[inner].mean() < 0.05  # cm/frame
    assert foot_skating(grounded) < foot_skating(before) / 2
    # IK never locks a knee straighter than the corpus's straightest legs, or than it was
    assert (extension(grounded) <= np.maximum(extension(before), MAX_EXTENSION) + 1e-6).all()
    np.testing.assert_allclose(bone_lengths(grounded), bone_lengths(before), atol=1e-5)
    assert_only_lowered(before, grounded)


def test_a_pin_out_of_reach_lowers_the_body_and_never_lifts_the_foot(walk):
    """Sliding 3 cm a frame, a planted toe falls far behind the hip: the body is lowered towards it, and where
    that is not enough the pin comes towards the hip, but no low toe is raised off the floor, and no pin holds
    a toe further than MAX_PIN_SHIFT from where the motion has it."""
    slid = skated(walk, 3.0)
    before, grounded = joints(slid)[:, 0], joints(ground(slid))[:, 0]
    drop = assert_only_lowered(before, grounded)
    assert drop.max() > 0.01
    toes = [leg[3] for leg in LEGS]
    low = before[:, toes, 1] < 0.05
    assert (grounded[:, toes, 1][low] < 0.05).all()
    assert foot_skating(grounded) < foot_skating(before) / 2
    np.testing.assert_allclose(bone_lengths(grounded), bone_lengths(before), atol=1e-5)
    shift = np.linalg.norm((grounded - before)[:, toes][..., [0, 2]], axis=-1)
    assert shift.max() <= MAX_PIN_SHIFT + 1e-6  # a longer drag slides instead of splaying the legs


def test_a_toe_low_for_several_steps_is_planted_however_fast(walk):
    """The stance rule: a low toe moving faster than the contact rule's speed is planted when it stays low for
    three steps or more, and left alone when it passes low only briefly."""
    j = joints(walk)[:, 0].astype(np.float64)
    toe, col = LEGS[0][3], LEGS[0][4]
    j[:, toe, 1] = 0.3  # every toe frame high: nothing planted by height
    no_flags = np.zeros((len(j), 4))
    for frames, planted in ((slice(20, 24), True), (slice(40, 42), False)):
        fast = j.copy()
        fast[frames, toe, 1] = 0.01
        fast[frames, toe, 0] += 0.05 * np.arange(frames.stop - frames.start)  # 5 cm a frame
        flags = planted_steps(fast, no_flags)
        assert (flags[frames.start:frames.stop - 1, col] == planted).all()
        moved = lock_feet(fast, flags)[frames, toe, 0]
        assert (np.ptp(moved) < 0.02) == planted


def test_velocities_follow_the_new_positions(walk):
    grounded = ground(skated(walk, 0.5))
    pos = grounded[..., POS]
    torch.testing.assert_close(grounded[:-1, ..., VEL], pos[1:] - pos[:-1], atol=1e-6, rtol=0)


def test_a_body_below_the_floor_is_lifted_onto_it(walk):
    sunk = walk.clone()
    sunk[..., POS.start + 1:POS.stop:3] -= 0.04
    assert floor_penetration(joints(sunk)[:, 0]) > 3.0
    lifted = joints(ground(sunk))[:, 0]
    assert floor_penetration(lifted) == 0.0
    np.testing.assert_allclose(lifted[..., 1].min(-1), 0.0, atol=1e-6)


def test_one_foot_through_the_floor_is_raised_by_its_leg(walk):
    """A left foot 8 cm into the floor is raised by the left leg's IK, onto the floor; the body is not lifted
    for it, which would take the right foot off the floor."""
    _, _, ankle, toe, _ = LEGS[0]
    right_toe = LEGS[1][3]
    sunk = walk.clone()
    for j in (ankle, toe):
        sunk[..., POS.start + 3 * j + 1] -= 0.08
    before = joints(sunk)[:, 0]
    through = before[:, [ankle, toe], 1].min(-1) < 0
    assert through.sum() > 10 and before[:, [ankle, toe], 1].min() < -0.05
    after = joints(ground(sunk))[:, 0]
    assert after[..., 1].min() >= -1e-6
    np.testing.assert_allclose(after[through][:, [ankle, toe], 1].min(-1), 0.0, atol=1e-6)
    assert (after[:, right_toe, 1] <= before[:, right_toe, 1] + 1e-6).all()  # the right foot is never lifted
    np.testing.assert_allclose(bone_lengths(after), bone_lengths(before), atol=1e-5)


def test_batches_of_pairs_match_one_by_one(walk):
    apart = walk.clone()
    apart[..., POS.start:POS.stop:3] += 3.0  # three metres away: no contact to close
    pair = torch.cat((walk, skated(apart, 0.3)), dim=1)  # (T, 2, 262)
    batch = torch.stack((pair, skated(pair, 0.2)))
    out = ground(batch)
    assert out.shape == batch.shape and out.dtype == batch.dtype
    torch.testing.assert_close(out[1], ground(batch[1]))
    torch.testing.assert_close(out[0, :, 1:], ground(pair[:, 1:]))


def test_without_contacts_only_the_floor_is_fixed(walk):
    lifted = walk.clone()
    lifted[..., POS.start + 1:POS.stop:3] += 0.5  # half a metre up: no foot is low enough to plant
    lifted[..., CONTACT] = 0.0
    moving = skated(lifted, 1.0)
    torch.testing.assert_close(ground(moving), moving.double().float())


def test_bad_shapes_are_refused_or_passed_through(walk):
    for shape in ((10, 2, 100), (10, 262)):
        with pytest.raises(ValueError, match="people, 262"):
            ground(torch.zeros(shape))
    one_frame = walk[:1]
    torch.testing.assert_close(ground(one_frame), one_frame)
