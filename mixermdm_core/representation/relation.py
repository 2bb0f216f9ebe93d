"""The relation of two people, frame by frame: how far apart their key joints are and how each faces the other.

This is what an interaction is made of (spacing, reach, touch, facing), apart from how each body moves: a squat
or a wave changes it only where it changes the pair's distances or facing. A discriminator that reads it judges
whether a mix keeps the interaction without objecting to the individual action itself.
"""
from __future__ import annotations

import torch

from ..kinematics import facing_direction
from ..skeleton import JOINT
from .interhuman import features_to_joints

KEY_JOINTS = tuple(JOINT[n] for n in ("pelvis", "head", "left_wrist", "right_wrist", "left_foot", "right_foot"))
RELATION_DIM = len(KEY_JOINTS) ** 2 + 4


def facing_the_other(joints: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(..., 2, 22, 3) joints of a pair -> cosine and sine (..., 2) of the angle between each person's facing and the
    horizontal direction to the other's pelvis (cosine 1: facing the other)."""
    facing = facing_direction(joints)[..., [0, 2]]  # (..., 2, 2) unit (x, z)
    towards = joints[..., 1, 0, [0, 2]] - joints[..., 0, 0, [0, 2]]
    towards = towards / towards.norm(dim=-1, keepdim=True).clamp_min(1e-6)
    towards = torch.stack((towards, -towards), -2)  # person 1 towards person 2, person 2 towards person 1
    cos = (facing * towards).sum(-1)
    sin = facing[..., 0] * towards[..., 1] - facing[..., 1] * towards[..., 0]
    return cos, sin


def pair_relation(features: torch.Tensor) -> torch.Tensor:
    """(..., T, 2, 262) raw features of a pair -> (..., T, RELATION_DIM): the distances (m) from each key joint of
    person 1 to each of person 2, then for each person the cosine and sine of the angle between their facing and the
    horizontal direction to the other's pelvis. Unchanged when the pair moves or turns as a whole."""
    joints = features_to_joints(features)  # (..., T, 2, 22, 3)
    key = joints[..., list(KEY_JOINTS), :]
    gap = key[..., 0, :, None, :] - key[..., 1, None, :, :]
    distances = (gap.pow(2).sum(-1) + 1e-8).sqrt().flatten(-2)  # finite gradient where two joints touch
    return torch.cat((distances, *facing_the_other(joints)), -1)
