"""The velocity read-out: real clips pass unchanged, damped positions get their movement back from the velocities."""
import numpy as np
import pytest
import torch

from mixermdm_core.corpus.generate import make_clip
from mixermdm_core.representation.interhuman import POS, features_to_joints
from mixermdm_core.representation.readout import fit_paths, velocity_consistent


@pytest.fixture(scope="module")
def walk() -> torch.Tensor:
    """4 s of a real walking clip (1, 120, 1, 262) in metres."""
    return torch.from_numpy(make_clip("individual", "val", 0, 0, action="walk_forward").features[None, :120]).float()


def damped(features: torch.Tensor, keep: float) -> torch.Tensor:
    """Positions pulled towards each joint's mean over the clip (movement scaled by ``keep``), velocities kept:
    what the denoisers' position features look like."""
    out = features.clone()
    pos = out[..., POS]
    out[..., POS] = pos.mean(dim=1, keepdim=True) + keep * (pos - pos.mean(dim=1, keepdim=True))
    return out


def test_a_real_clip_comes_back_unchanged(walk):
    assert torch.allclose(velocity_consistent(walk), walk, atol=2e-3)


def test_disabled_returns_the_input(walk):
    assert velocity_consistent(walk, enabled=False) is walk


def test_a_damped_walk_gets_its_distance_back(walk):
    travel = lambda f: float(features_to_joints(f)[0, -1, 0, 0, [0, 2]].sub(features_to_joints(f)[0, 0, 0, 0, [0, 2]]).norm())
    short = damped(walk, 0.5)
    assert travel(short) == pytest.approx(0.5 * travel(walk), rel=1e-3)
    assert 0.9 * travel(walk) < travel(velocity_consistent(short)) <= travel(walk)


def test_a_damped_pose_moves_more(walk):
    """Joints relative to the pelvis: the refit moves more than the damped input, towards the clip."""
    local = lambda f: features_to_joints(f)[0, :, 0] - features_to_joints(f)[0, :, 0, :1]
    short = damped(walk, 0.5)
    err_in = (local(short) - local(walk)).norm(dim=-1).mean()
    err_out = (local(velocity_consistent(short)) - local(walk)).norm(dim=-1).mean()
    assert err_out < 0.6 * err_in


def test_height_and_mean_place_are_kept(walk):
    """The pelvis height is the predicted one, and every joint's mean position over the clip is kept."""
    short = damped(walk, 0.5)
    out = velocity_consistent(short)
    j_in, j_out = features_to_joints(short), features_to_joints(out)
    assert torch.allclose(j_out[..., 0, 1], j_in[..., 0, 1])
    assert torch.allclose(j_out.mean(dim=1), j_in.mean(dim=1), atol=1e-4)


def test_a_rigid_shift_moves_the_output_the_same_way(walk):
    short = damped(walk, 0.7)
    shift = torch.zeros(262)
    shift[POS] = torch.tensor([1.5, 0.0, -2.0]).repeat(22)
    assert torch.allclose(velocity_consistent(short + shift), velocity_consistent(short) + shift, atol=1e-4)


def test_padded_frames_are_left_alone_and_valid_ones_fitted_alone(walk):
    short = damped(walk[:, :90], 0.6)
    batch = torch.cat((short, short))
    batch[1, 70:] = 5.0
    mask = torch.ones(2, 90, dtype=torch.bool)
    mask[1, 70:] = False
    out = velocity_consistent(batch, mask=mask)
    assert torch.allclose(out[0], velocity_consistent(short)[0])
    assert torch.allclose(out[1, :70], velocity_consistent(short[:, :70])[0], atol=1e-5)
    assert torch.equal(out[1, 70:], batch[1, 70:])


def test_fit_paths_weights_the_two_readings():
    """Weight 0 gives the positions; a large weight follows the velocities around the positions' mean."""
    t = torch.arange(30, dtype=torch.float64)[None, :, None]
    pos, vel = torch.zeros_like(t), torch.ones_like(t)  # positions say "still", velocities say "1 a frame"
    assert torch.equal(fit_paths(pos, vel, 0.0), pos)
    path = fit_paths(pos, vel, 1e6)
    assert np.allclose(np.diff(path[0, :, 0].numpy()), 1.0, atol=1e-3)
    assert abs(float(path.mean())) < 1e-6
