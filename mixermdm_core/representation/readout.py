"""Joint positions read from a denoiser's prediction where it is precise: the body's place from the position
features, its movement from the velocity features.

The 262-d layout holds every joint twice: its world position and its velocity (pos[t+1] - pos[t]). The denoisers
regress both in normalised units, and the normaliser divides positions by their spread over the data (forward
position: about 2 m) and velocities by theirs (a few centimetres a frame), so the same normalised error is a
hundred times larger in metres for a position than for a movement. Given clean corpus clips at t = 0
(``scripts/probe_readout.py``), the shipped individual model's position features come out damped (30 % of the
movement lost, claps whose hands never meet, walks a third of their length) while its velocity features keep the
movement. The composed sampler and ``IndividualPipeline`` refit its positions with :func:`velocity_consistent`;
the interaction model is read as predicted, since its contact and distance terms train its position features
in centimetres (refitted, its hands stop further apart than in the clips).

:func:`velocity_consistent` refits the positions by least squares: each path stays close to the predicted
positions over the clip and to the predicted velocities from frame to frame, ``weight`` being the weight of a
velocity residual against a position residual (the position features then set the path's frequencies below
about 0.16 / sqrt(weight) cycles a frame). The pelvis's path on the floor is fitted with ``ROOT_WEIGHT`` (walks
follow the velocities), the other joints relative to the pelvis with ``LOCAL_WEIGHT`` (lower: integrated joint
by joint, velocities drift apart and stretch bones), and the pelvis height is kept as predicted (integrated
vertical velocities push feet through the floor). A real clip, whose two readings agree, comes back as it is; a
rigid move of the input moves the output the same way; each joint's mean position over the clip is kept.
"""
from __future__ import annotations

from functools import lru_cache

import torch

from .interhuman import NUM_JOINTS, POS, VEL

ROOT_WEIGHT = 1e4  # pelvis floor-plane path: the position features set only periods over about 20 s
LOCAL_WEIGHT = 100.0  # other joints relative to the pelvis: periods over about 2 s


@lru_cache(maxsize=16)
def _solver(frames: int, weight: float) -> torch.Tensor:
    """(frames, 2 frames - 1): the least-squares path from [positions of every frame; velocities of all but the
    last], as one matrix."""
    d = torch.zeros(frames - 1, frames, dtype=torch.float64)
    i = torch.arange(frames - 1)
    d[i, i], d[i, i + 1] = -1.0, 1.0
    inverse = torch.linalg.inv(torch.eye(frames, dtype=torch.float64) + weight * d.T @ d)
    return torch.cat((inverse, weight * inverse @ d.T), dim=1)


def fit_paths(pos: torch.Tensor, vel: torch.Tensor, weight: float) -> torch.Tensor:
    """Paths (B, T, ...) closest to positions ``pos`` and to velocities ``vel`` (both (B, T, ...)), as above."""
    frames = pos.shape[1]
    if weight <= 0 or frames < 2:
        return pos
    stacked = torch.cat((pos, vel[:, :-1]), dim=1).double()
    return torch.einsum("ts,bs...->bt...", _solver(frames, float(weight)).to(pos.device), stacked).to(pos.dtype)


def velocity_consistent(features: torch.Tensor, enabled: bool = True, mask: torch.Tensor | None = None,
                        root_weight: float = ROOT_WEIGHT, local_weight: float = LOCAL_WEIGHT) -> torch.Tensor:
    """Raw features (B, T, P, 262) in metres with the joint positions refitted to the velocities (see the module
    docstring); velocities, rotations and contacts are kept. ``mask`` (B, T): valid frames; a batch with padded
    frames is fitted one motion at a time over its valid frames. ``enabled=False`` returns the input."""
    if not enabled:
        return features
    if mask is not None and not bool(mask.all()):
        out = features.clone()
        for b, valid in enumerate(mask.sum(dim=1).long().tolist()):
            out[b, :valid] = velocity_consistent(features[b:b + 1, :valid], True, None, root_weight, local_weight)[0]
        return out
    pos = features[..., POS].unflatten(-1, (NUM_JOINTS, 3))
    vel = features[..., VEL].unflatten(-1, (NUM_JOINTS, 3))
    root, root_vel = pos[..., :1, :], vel[..., :1, :]
    local = fit_paths(pos - root, vel - root_vel, local_weight)
    floor = fit_paths(root[..., [0, 2]], root_vel[..., [0, 2]], root_weight)
    root = torch.cat((floor[..., :1], root[..., 1:2], floor[..., 1:]), dim=-1)
    out = features.clone()
    out[..., POS] = (root + local).flatten(-2)
    return out
