"""Losses for the denoisers: masked x0 regression plus geometric terms in centimetres.

The geometric terms (as in InterGen) keep bone lengths fixed, planted feet still and the body above the
floor, and for two people keep the distances, contacts and relative facing of the real clip; they only
apply at low noise (t <= 700), where the prediction is detailed enough for them to mean something.
"""
from __future__ import annotations

import torch

from ..kinematics import facing_direction
from ..representation.interhuman import CONTACT, CONTACT_HEIGHTS, features_to_joints
from ..skeleton import FOOT_JOINTS, PARENTS

GEOMETRY_MAX_T = 700
LOW_SOFTNESS_CM = 1.0  # skating term: how sharply a foot joint counts as low around its contact height
NEAR_M = 1.0  # distance-map term: joint pairs of the two people closer than this (metres)
TOUCH_M = 0.1  # affinity term: joint pairs the real clip has closer than this are in contact


def masked_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean squared error over valid frames. pred/target: (B, T, ...); mask: (B, T)."""
    err = ((pred - target) ** 2).flatten(2).mean(-1)
    return (err * mask).sum() / mask.sum().clamp_min(1)


def limb_lengths(raw: torch.Tensor) -> torch.Tensor:
    """Bone lengths (m) of raw features (..., 262): (..., 21), one per joint after the root."""
    j = features_to_joints(raw)
    return (j[..., 1:, :] - j[..., list(PARENTS[1:]), :]).norm(dim=-1)


def bone_length_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared bone-length error in cm^2. raw features (B, T, P, 262); weight (B, T) frame weights."""
    err = ((limb_lengths(pred_raw) - limb_lengths(target_raw)) * 100) ** 2
    return (err.flatten(2).mean(-1) * weight).sum() / weight.sum().clamp_min(1)


def joint_velocity_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared error (cm/frame)^2 of every predicted joint's frame-to-frame displacement against the real clip's
    (MDM's velocity term). In normalised features a position error costs little (the forward position's spread
    is metres), so without it the predicted positions move less than the clip does; weight (B, T) frames."""
    pred, target = features_to_joints(pred_raw), features_to_joints(target_raw)
    err = (((pred[:, 1:] - pred[:, :-1]) - (target[:, 1:] - target[:, :-1])) * 100) ** 2
    w = weight[:, 1:] * weight[:, :-1]
    return (err.sum(-1).flatten(2).mean(-1) * w).sum() / w.sum().clamp_min(1)


def foot_speed2(raw: torch.Tensor) -> torch.Tensor:
    """Squared speed (cm/frame)^2 of the four foot joints of raw features (B, T, P, 262): (B, T - 1, P, 4)."""
    feet = features_to_joints(raw)[..., list(FOOT_JOINTS), :]
    return (((feet[:, 1:] - feet[:, :-1]) * 100) ** 2).sum(-1)


def foot_contact_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared speed (cm/frame)^2 of predicted foot joints where the data says the foot is planted."""
    speed2 = foot_speed2(pred_raw)  # (B, T-1, P, 4)
    contact = target_raw[:, :-1, ..., CONTACT]
    w = weight[:, 1:] * weight[:, :-1]
    per_frame = (speed2 * contact).flatten(2).mean(-1)
    return (per_frame * w).sum() / w.sum().clamp_min(1)


def skating_loss(pred_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared horizontal speed (cm/frame)^2 of predicted foot joints where the prediction itself has them low
    (below the representation's contact heights, softly): what the skating metric measures, read from the
    prediction alone. Unlike the planted-foot term it does not ask the predicted gait to be in step with the
    clip's, so a runner out of phase with its clip is not asked to stop, only to lift or plant its feet."""
    feet = features_to_joints(pred_raw)[..., list(FOOT_JOINTS), :]  # (B, T, P, 4, 3)
    step2 = (((feet[:, 1:] - feet[:, :-1])[..., [0, 2]] * 100) ** 2).sum(-1)  # (B, T-1, P, 4)
    heights = torch.tensor(CONTACT_HEIGHTS, dtype=feet.dtype, device=feet.device) * 100
    height = torch.maximum(feet[:, 1:, ..., 1], feet[:, :-1, ..., 1]) * 100  # low at both ends of the step
    low = torch.sigmoid((heights - height) / LOW_SOFTNESS_CM)
    w = weight[:, 1:] * weight[:, :-1]
    per_frame = (step2 * low).flatten(2).mean(-1)
    return (per_frame * w).sum() / w.sum().clamp_min(1)


def foot_height_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared error (cm^2) of each person's lowest predicted foot joint height against the clip's, per frame:
    the skating term can be met by lifting the feet off the floor, this holds them down where the clip's are."""
    def lowest(raw: torch.Tensor) -> torch.Tensor:
        return features_to_joints(raw)[..., list(FOOT_JOINTS), 1].amin(-1)  # (B, T, P)
    err2 = ((lowest(pred_raw) - lowest(target_raw)) * 100) ** 2
    return (err2.mean(-1) * weight).sum() / weight.sum().clamp_min(1)


def floor_loss(pred_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared depth (cm^2) of each person's lowest predicted joint below the floor y = 0; 0 above it."""
    lowest = features_to_joints(pred_raw)[..., 1].amin(-1)  # (B, T, P)
    depth2 = (torch.relu(-lowest) * 100) ** 2
    return (depth2.mean(-1) * weight).sum() / weight.sum().clamp_min(1)


def _cross_distances(raw: torch.Tensor) -> torch.Tensor:
    """(B, T, 2, 262) -> (B, T, 22, 22) distances (m) from each joint of person 1 to each joint of person 2."""
    j = features_to_joints(raw)
    return torch.cdist(j[:, :, 0].contiguous(), j[:, :, 1].contiguous())


def _masked_mean(err: torch.Tensor, pair_mask: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Mean of ``err`` (B, T, 22, 22) over the selected joint pairs of the weighted frames (0 when none)."""
    m = pair_mask.to(err.dtype) * weight[..., None, None]
    return (err * m).sum() / m.sum().clamp_min(1)


def distance_map_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared error (cm^2) of the person-to-person joint distances, over joint pairs within NEAR_M in the
    prediction or the real clip, and the two pelvises at any distance: keeps the pair's spacing, and its
    detail where the two are near each other."""
    pred, target = _cross_distances(pred_raw), _cross_distances(target_raw)
    near = (pred.detach() < NEAR_M) | (target < NEAR_M)
    near[..., 0, 0] = True
    return _masked_mean(((pred - target) * 100) ** 2, near, weight)


def affinity_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared opening (cm^2) beyond TOUCH_M of the joint pairs that touch in the real clip: zero while the
    contact holds, growing as it opens."""
    pred, target = _cross_distances(pred_raw), _cross_distances(target_raw)
    return _masked_mean((torch.relu(pred - TOUCH_M) * 100) ** 2, target < TOUCH_M, weight)


def pelvis_gap(raw: torch.Tensor) -> torch.Tensor:
    """Floor-plane distance (m) between the two pelvises, per sample and frame of raw features (B, T, 2, 262)."""
    pelvis = features_to_joints(raw)[:, :, :, 0][..., [0, 2]]  # (B, T, 2, 2)
    return (pelvis[:, :, 0] - pelvis[:, :, 1]).norm(dim=-1)


def spacing_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared error (cm^2) of the floor-plane distance between the two pelvises, per frame. Unlike the x0 MSE,
    whose optimum at high noise is the mean position (which shrinks a spread of placements towards the middle),
    this asks for the right distance whatever the direction."""
    err = ((pelvis_gap(pred_raw) - pelvis_gap(target_raw)) * 100) ** 2
    return (err * weight).sum() / weight.sum().clamp_min(1)


def relative_facing_loss(pred_raw: torch.Tensor, target_raw: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Squared error of person 2's facing seen from person 1's (cosine and sine of the yaw between them)."""
    def relative(raw: torch.Tensor) -> torch.Tensor:
        f = facing_direction(features_to_joints(raw))  # (B, T, 2, 3)
        a, b = f[:, :, 0], f[:, :, 1]
        return torch.stack(((a * b).sum(-1), a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2]), dim=-1)

    err = ((relative(pred_raw) - relative(target_raw)) ** 2).sum(-1)
    return (err * weight).sum() / weight.sum().clamp_min(1)
