"""The geometric training losses are zero on clean motion and grow with the fault they name."""
from __future__ import annotations

import math

import torch

from mixermdm_core.representation.interhuman import CONTACT, FEATURE_DIM, POS
from mixermdm_core.rotations import yaw_matrix
from mixermdm_core.skeleton import FOOT_JOINTS, JOINT, rest_joints
from mixermdm_core.training.losses import (affinity_loss, bone_length_loss, distance_map_loss, floor_loss,
                                           foot_contact_loss, foot_height_loss, joint_velocity_loss,
                                           relative_facing_loss, skating_loss, spacing_loss)


def standing(frames: int = 6, height: float = 0.0) -> torch.Tensor:
    """Raw features (1, T, 1, 262) of a still body whose joints sit at heights >= ``height``, all feet planted."""
    joints = torch.rand(22, 3, generator=torch.Generator().manual_seed(0)) + torch.tensor([0.0, height, 0.0])
    f = torch.zeros(1, frames, 1, FEATURE_DIM)
    f[..., POS] = joints.reshape(66)
    f[..., CONTACT] = 1.0
    return f


def test_losses_vanish_on_a_still_body_above_the_floor():
    f, w = standing(), torch.ones(1, 6)
    assert bone_length_loss(f, f, w) == 0 and foot_contact_loss(f, f, w) == 0 and floor_loss(f, w) == 0


def test_joint_velocity_loss_is_the_squared_displacement_error_in_cm_and_ignores_a_shift():
    """A body that should walk 2 cm a frame along x but stands still misses 2 cm/frame at every joint: 4 (cm/frame)^2;
    a still body moved as a whole (same displacements) costs nothing."""
    still, w = standing(), torch.ones(1, 6)
    walking = still.clone()
    walking[..., [k for k in range(66) if k % 3 == 0]] += 0.02 * torch.arange(6.0)[None, :, None, None]
    assert torch.isclose(joint_velocity_loss(still, walking, w), torch.tensor(4.0))
    assert joint_velocity_loss(still + 0.5, still, w) == 0
    assert joint_velocity_loss(still, walking, torch.zeros(1, 6)) == 0


def test_floor_loss_is_the_squared_depth_of_the_lowest_joint_in_cm():
    f = standing(height=0.0)
    f[..., 1] = -0.02  # joint 0 two centimetres below the floor, every frame
    assert torch.isclose(floor_loss(f, torch.ones(1, 6)), torch.tensor(4.0))
    assert floor_loss(f, torch.zeros(1, 6)) == 0  # masked frames do not count


def test_foot_contact_loss_grows_with_the_slide_of_planted_feet():
    still = standing()
    slides = []
    for speed in (0.01, 0.02):
        moving = still.clone()
        moving[..., 0:66:3] += speed * torch.arange(6.0)[None, :, None, None]  # whole body slides along x
        slides.append(foot_contact_loss(moving, still, torch.ones(1, 6)).item())
    assert abs(slides[0] - 1.0) < 1e-4 and abs(slides[1] - 4.0) < 1e-4  # (cm/frame)^2


def test_skating_loss_counts_only_low_feet_that_slide():
    """Feet on the floor sliding 1 cm a frame cost about 1 (cm/frame)^2 (no clip is read); the same slide 30 cm
    up (a swing), a still low foot, or a foot rising straight up cost nothing."""
    flat = standing()
    flat[..., 1:66:3] = 0.0  # every joint on the floor
    sliding = flat.clone()
    sliding[..., 0:66:3] += 0.01 * torch.arange(6.0)[None, :, None, None]
    w = torch.ones(1, 6)
    assert abs(skating_loss(sliding, w).item() - 1.0) < 0.01
    assert skating_loss(flat, w) == 0
    lifted = sliding.clone()
    lifted[..., 1:66:3] += 0.3
    assert skating_loss(lifted, w) < 1e-6
    rising = flat.clone()
    rising[..., 1:66:3] += 0.01 * torch.arange(6.0)[None, :, None, None]
    assert skating_loss(rising, w) == 0
    assert skating_loss(sliding, torch.zeros(1, 6)) == 0


def test_foot_height_loss_is_the_squared_lift_of_the_lowest_foot_in_cm():
    """Feet on the floor where the clip's are cost nothing; the whole body 2 cm up costs 4 cm^2."""
    floor = standing()
    floor[..., 1:66:3] = 0.3
    floor[..., [3 * j + 1 for j in FOOT_JOINTS]] = 0.0
    w = torch.ones(1, 6)
    assert foot_height_loss(floor, floor, w) == 0
    lifted = floor.clone()
    lifted[..., 1:66:3] += 0.02
    assert torch.isclose(foot_height_loss(lifted, floor, w), torch.tensor(4.0), atol=1e-3)
    assert foot_height_loss(lifted, floor, torch.zeros(1, 6)) == 0


def facing_pair(gap: float = 0.0, turn: float = 0.0, frames: int = 4) -> torch.Tensor:
    """Raw features (1, T, 2, 262) of two rest bodies face to face whose right wrists touch, person 2 then
    moved ``gap`` metres back along Z and turned ``turn`` radians about its pelvis."""
    body = torch.as_tensor(rest_joints(), dtype=torch.float32)
    body = body - body[0] * torch.tensor([1.0, 0.0, 1.0])
    wrist = body[JOINT["right_wrist"]]
    other = (yaw_matrix(torch.tensor(math.pi)) @ body.T).T  # faces -Z
    other = other + (wrist - other[JOINT["right_wrist"]])  # right wrists meet
    pelvis = other[0].clone()
    other = (yaw_matrix(torch.tensor(turn)) @ (other - pelvis).T).T + pelvis + torch.tensor([0.0, 0.0, gap])
    f = torch.zeros(1, frames, 2, FEATURE_DIM)
    f[..., 0, POS], f[..., 1, POS] = body.reshape(66), other.reshape(66)
    return f


def test_interaction_losses_vanish_on_the_target():
    target, w = facing_pair(), torch.ones(1, 4)
    for loss in (distance_map_loss, affinity_loss, relative_facing_loss):
        assert loss(target, target, w) == 0


def test_distance_and_affinity_losses_grow_as_the_contact_opens():
    target, w = facing_pair(), torch.ones(1, 4)
    dm = [distance_map_loss(facing_pair(gap), target, w).item() for gap in (0.05, 0.1, 0.2)]
    aff = [affinity_loss(facing_pair(gap), target, w).item() for gap in (0.05, 0.15, 0.2, 0.3)]
    assert 0 < dm[0] < dm[1] < dm[2]
    assert aff[0] == 0  # still within the 10 cm that counts as touching
    assert 0 < aff[1] < aff[2] < aff[3]
    assert abs(affinity_loss(facing_pair(0.3), target, w).item() - 20.0 ** 2) < 1.0  # wrists 30 cm apart: 20 cm over
    assert distance_map_loss(facing_pair(0.2), target, torch.zeros(1, 4)) == 0  # masked frames do not count


def test_relative_facing_loss_grows_with_the_turn_and_ignores_a_shift():
    target, w = facing_pair(), torch.ones(1, 4)
    turns = [relative_facing_loss(facing_pair(turn=a), target, w).item() for a in (0.2, 0.5, 1.0)]
    assert 0 < turns[0] < turns[1] < turns[2]
    assert abs(turns[2] - (2 - 2 * math.cos(1.0))) < 1e-4  # squared chord between the two facings
    assert relative_facing_loss(facing_pair(gap=0.5), target, w).item() < 1e-10


def test_spacing_loss_is_the_squared_pelvis_distance_error_whatever_the_direction():
    target, w = facing_pair(), torch.ones(1, 4)
    assert spacing_loss(target, target, w) == 0
    pelvis = POS.start + torch.tensor([0, 2])  # person 2's pelvis x and z
    apart = target[0, 0, 1, pelvis] - target[0, 0, 0, pelvis]
    moved = target.clone()
    moved[..., 1, 0:66:3] += 0.2 * apart[0] / apart.norm()  # person 2 steps 20 cm further away
    moved[..., 1, 2:66:3] += 0.2 * apart[1] / apart.norm()
    assert abs(spacing_loss(moved, target, w).item() - 20.0 ** 2) < 1e-2
    around = target.clone()  # person 2 carried around person 1 at the same distance
    rotated = (yaw_matrix(torch.tensor(1.0)) @ target[0, 0, 1, POS].reshape(22, 3).T).T
    around[..., 1, POS] = rotated.reshape(66)
    assert spacing_loss(around, target, w).item() < 1e-6
    assert spacing_loss(moved, target, torch.zeros(1, 4)) == 0  # masked frames do not count


def test_input_perturbation_adds_noise_of_the_asked_scale():
    from mixermdm_core.training.denoiser import perturbed_noise

    x = torch.zeros(200_000)
    torch.manual_seed(0)
    plain = perturbed_noise(x, 0.0)
    torch.manual_seed(0)
    assert torch.equal(plain, torch.randn_like(x))  # off: the plain draw, nothing else consumed
    assert abs(perturbed_noise(x, 0.5).std().item() - (1 + 0.5 ** 2) ** 0.5) < 0.01


def test_rollout_with_an_oracle_denoiser_is_plain_noising_and_otherwise_carries_its_mistakes():
    from mixermdm_core.diffusion import NoiseSchedule
    from mixermdm_core.training.denoiser import rollout_inputs

    torch.manual_seed(0)
    schedule = NoiseSchedule()
    x, noise = torch.randn(3, 8, 2, 262), torch.randn(3, 8, 2, 262)
    mask = torch.ones(3, 8)
    t = torch.tensor([0, 400, 980])  # the last one starts capped at step 999
    texts = (torch.randn(3, 384), torch.randn(3, 2, 384))
    oracle = lambda x_t, t_in, text, person, m: x.repeat(len(x_t) // len(x), 1, 1, 1)  # guided: both halves
    plain = schedule.q_sample(x, t, noise)
    rolled = rollout_inputs(oracle, "interaction", x, t, noise, *texts, mask, schedule, 3, 50, 1.5)
    assert torch.allclose(rolled, plain, atol=1e-4)  # DDIM on the true x0 keeps the noise it started from
    assert torch.equal(rollout_inputs(oracle, "interaction", x, t, noise, *texts, mask, schedule, 0, 50, 1.5), plain)
    wrong = lambda x_t, t_in, text, person, m: torch.zeros_like(x_t)
    drifted = rollout_inputs(wrong, "interaction", x, t, noise, *texts, mask, schedule, 2, 50, 1.0)
    moved = (drifted - plain).pow(2).mean((1, 2, 3))
    assert moved[0] > 1e-2 and moved[1] > 1e-2  # a denoiser that forgets the clip leaves a state that has lost it


def test_text_jitter_keeps_norms_and_empty_texts():
    from mixermdm_core.training.denoiser import jitter_texts

    torch.manual_seed(0)
    texts = torch.nn.functional.normalize(torch.randn(64, 2, 384), dim=-1)
    texts[3, 1] = 0  # a person without a text
    assert torch.equal(jitter_texts(texts, 0.0), texts)
    moved = jitter_texts(texts, 0.04)
    assert torch.equal(moved[3, 1], texts[3, 1])
    keep = texts.norm(dim=-1) > 0
    assert torch.allclose(moved.norm(dim=-1)[keep], torch.ones(int(keep.sum())), atol=1e-5)
    cos = (moved * texts).sum(-1)[keep]
    assert 0.7 < float(cos.mean()) < 0.85  # 1 / sqrt(1 + 0.04^2 * 384) = 0.79: a paraphrase's distance
