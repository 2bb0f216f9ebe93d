"""Closing near-contacts: hands the network brings close are made to touch, nothing else moves."""
from __future__ import annotations

import numpy as np
import torch

from mixermdm_core.representation.grounding import ground
from mixermdm_core.representation.interhuman import FEATURE_DIM, POS
from mixermdm_core.representation.touch import ARMS, HAND_GAP_M, close_contacts
from mixermdm_core.skeleton import JOINT, rest_joints

R_WRIST, R_ELBOW = JOINT["right_wrist"], JOINT["right_elbow"]


def bent_body() -> np.ndarray:
    """Rest joints (22, 3), pelvis over the origin, elbows bent so both forearms point forward (+Z)."""
    j = rest_joints().astype(np.float64)
    j -= j[0] * np.array([1.0, 0.0, 1.0])
    for shoulder, elbow, wrist in ARMS:
        j[elbow] = j[shoulder] + (0.0, -0.26, 0.05)
        j[wrist] = j[elbow] + (0.0, 0.02, 0.25)
    return j


def facing_pair(gaps: list[float]) -> np.ndarray:
    """(T, 2, 22, 3): two bent bodies face to face, right wrists ``gaps[t]`` metres apart along Z at frame t."""
    one = bent_body()
    turned = one * np.array([-1.0, 1.0, -1.0])  # person 2 faces -Z
    out = []
    for gap in gaps:
        other = turned + (one[R_WRIST] - turned[R_WRIST]) + (0.0, 0.0, gap)
        out.append(np.stack((one, other)))
    return np.stack(out)


def wrist_gap(pair: np.ndarray) -> np.ndarray:
    return np.linalg.norm(pair[:, 0, R_WRIST] - pair[:, 1, R_WRIST], axis=-1)


def arm_lengths(pair: np.ndarray) -> np.ndarray:
    return np.stack([np.linalg.norm(pair[:, :, b] - pair[:, :, a], axis=-1) for arm in ARMS for a, b in zip(arm, arm[1:])])


def test_hands_the_network_brings_close_meet_and_only_the_arms_move():
    pair = facing_pair([0.15] * 12)
    closed = close_contacts(pair)
    np.testing.assert_allclose(wrist_gap(closed), HAND_GAP_M, atol=1e-3)
    np.testing.assert_allclose(arm_lengths(closed), arm_lengths(pair), atol=1e-9)
    moved = np.abs(closed - pair).max(axis=(0, 1, 3)) > 1e-9
    assert set(np.flatnonzero(moved)) == {R_ELBOW, R_WRIST}


def test_far_hands_and_brief_approaches_are_left_alone():
    far = facing_pair([0.35] * 12)
    np.testing.assert_array_equal(close_contacts(far), far)
    brief = facing_pair([0.5] * 5 + [0.15] * 3 + [0.5] * 5)  # three frames: hands passing by
    np.testing.assert_array_equal(close_contacts(brief), brief)


def test_a_contact_eases_in_and_out():
    pair = facing_pair([0.6] * 6 + [0.15] * 8 + [0.6] * 6)
    shift = np.linalg.norm(close_contacts(pair)[:, 0, R_WRIST] - pair[:, 0, R_WRIST], axis=-1)
    assert shift[:2].max() < 1e-9 and shift[-2:].max() < 1e-9
    assert 0 < shift[4] < shift[5] < shift[6] and shift[13] > shift[14] > shift[16] > 0


def test_grounding_a_pair_closes_its_contact_and_a_person_alone_has_none():
    pair = facing_pair([0.15] * 12)
    f = torch.zeros(12, 2, FEATURE_DIM, dtype=torch.float64)
    f[..., POS] = torch.from_numpy(pair.reshape(12, 2, 66))
    grounded = ground(f)[..., POS].reshape(12, 2, 22, 3).numpy()
    np.testing.assert_allclose(wrist_gap(grounded)[1:-1], HAND_GAP_M, atol=2e-3)
    alone = ground(f[:, :1])[..., POS].reshape(12, 1, 22, 3).numpy()
    np.testing.assert_allclose(alone[:, 0, R_WRIST], pair[:, 0, R_WRIST], atol=1e-9)
