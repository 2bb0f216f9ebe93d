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
ARM_JOINTS = tuple(JOINT[n] for n in ("left_elbow", "right_elbow", "left_wrist", "right_wrist"))
REACH_DIM = 2 * len(ARM_JOINTS) * 3


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


def arm_reach(features: torch.Tensor) -> torch.Tensor:
    """(..., T, 2, 262) raw features of a pair -> (..., T, REACH_DIM): each person's elbows and wrists in the other
    person's frame (origin at the other's pelvis, axes the other's forward, up and left; metres), i.e. where each
    reaches on the other's body: a handshake's hand at the partner's side, a hug's behind the back. Unchanged
    when the pair moves or turns as a whole."""
    joints = features_to_joints(features)  # (..., T, 2, 22, 3)
    forward = facing_direction(joints)  # (..., T, 2, 3), horizontal unit
    up = torch.zeros_like(forward)
    up[..., 1] = 1.0
    axes = torch.stack((forward, up, torch.cross(up, forward, dim=-1)), -2)  # (..., T, 2, 3, 3) rows
    arms = joints[..., list(ARM_JOINTS), :].flip(-3)  # person 2's arms first: read in person 1's frame
    local = arms - joints[..., 0:1, :]  # (..., T, 2, 4, 3) relative to the frame owner's pelvis
    return torch.einsum("...pij,...pkj->...pki", axes, local).flatten(-3)
