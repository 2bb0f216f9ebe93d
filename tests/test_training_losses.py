"""The geometric training losses are zero on clean motion and grow with the fault they name."""
from __future__ import annotations

import torch

from mixermdm_core.representation.interhuman import CONTACT, FEATURE_DIM, POS
from mixermdm_core.training.losses import bone_length_loss, floor_loss, foot_contact_loss


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
