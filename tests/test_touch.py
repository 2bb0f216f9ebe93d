"""Closing near-contacts: hands the network brings close are made to touch, nothing else moves."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from mixermdm_core.representation.grounding import ground
from mixermdm_core.representation.interhuman import FEATURE_DIM, POS
from mixermdm_core.evaluation.signatures import trunk_gap
from mixermdm_core.representation.touch import (ARMS, BODY_GAP_M, CLOSE_M, HAND_GAP_M, NEAR_M, close_contacts,
                                                closed_excess)
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


def reaching_pair(gap: float) -> np.ndarray:
    """(4, 2, 22, 3): a bent body reaching towards the chest of a body in the rest pose that faces it, the
    nearer wrist ``gap`` metres from the surface of the other's trunk capsules."""
    one = bent_body()
    other = rest_joints().astype(np.float64) * np.array([-1.0, 1.0, -1.0])
    other -= other[0] * np.array([1.0, 0.0, 1.0])
    near, far = 0.2, 2.0  # the gap grows with the distance along Z: bisect for it
    for _ in range(40):
        shift = (near + far) / 2
        pair = np.stack((one, other + (0.0, 0.0, shift)))[None].repeat(4, 0)
        near, far = (shift, far) if trunk_gap(pair) < gap else (near, shift)
    return pair


def wrist_gap(pair: np.ndarray) -> np.ndarray:
    return np.linalg.norm(pair[:, 0, R_WRIST] - pair[:, 1, R_WRIST], axis=-1)


def arm_lengths(pair: np.ndarray) -> np.ndarray:
    return np.stack([np.linalg.norm(pair[:, :, b] - pair[:, :, a], axis=-1) for arm in ARMS for a, b in zip(arm, arm[1:])])


def test_hands_the_network_brings_close_meet_and_only_the_arms_move():
    pair = facing_pair([0.12] * 12)
    closed = close_contacts(pair)
    np.testing.assert_allclose(wrist_gap(closed), HAND_GAP_M, atol=1e-3)
    np.testing.assert_allclose(arm_lengths(closed), arm_lengths(pair), atol=1e-9)
    moved = np.abs(closed - pair).max(axis=(0, 1, 3)) > 1e-9
    assert set(np.flatnonzero(moved)) == {R_ELBOW, R_WRIST}


def test_a_hand_the_network_brings_near_a_chest_rests_on_it():
    for gap in (-0.03, 0.0, CLOSE_M):  # inside, on, and taken to touch: laid on the surface
        assert trunk_gap(close_contacts(reaching_pair(gap))) == pytest.approx(BODY_GAP_M, abs=2e-3)
    far = reaching_pair(BODY_GAP_M + NEAR_M + 0.01)
    np.testing.assert_array_equal(close_contacts(far), far)


def test_far_hands_are_left_alone():
    far = facing_pair([HAND_GAP_M + NEAR_M + 0.01] * 12)
    np.testing.assert_array_equal(close_contacts(far), far)


def test_closing_is_continuous_in_the_distance():
    excess = np.linspace(-0.05, 0.3, 351)
    closed = closed_excess(excess)
    assert (closed[excess <= CLOSE_M] == 0).all() and (closed[excess >= NEAR_M] == excess[excess >= NEAR_M]).all()
    assert (np.diff(closed) >= 0).all() and np.abs(np.diff(closed)).max() < 0.01  # monotone, no jump
    assert (closed <= np.maximum(excess, 0)).all()  # never pushes hands apart


def test_an_approach_is_pulled_in_smoothly():
    gaps = np.concatenate((np.linspace(0.6, 0.1, 10), np.full(4, 0.1), np.linspace(0.1, 0.6, 10)))
    pair = facing_pair(list(gaps))
    closed = wrist_gap(close_contacts(pair))
    far = gaps - HAND_GAP_M >= NEAR_M
    np.testing.assert_allclose(closed[far], gaps[far], atol=1e-9)
    np.testing.assert_allclose(closed[gaps <= HAND_GAP_M + CLOSE_M], HAND_GAP_M, atol=1e-3)
    steepest = NEAR_M / (NEAR_M - CLOSE_M)  # the ramp speeds an approach up by at most this: no snapping
    assert np.abs(np.diff(closed)).max() <= np.abs(np.diff(gaps)).max() * steepest + 1e-9


def test_grounding_a_pair_closes_its_contact_and_a_person_alone_has_none():
    pair = facing_pair([0.12] * 12)
    f = torch.zeros(12, 2, FEATURE_DIM, dtype=torch.float64)
    f[..., POS] = torch.from_numpy(pair.reshape(12, 2, 66))
    grounded = ground(f)[..., POS].reshape(12, 2, 22, 3).numpy()
    np.testing.assert_allclose(wrist_gap(grounded)[1:-1], HAND_GAP_M, atol=2e-3)
    alone = ground(f[:, :1])[..., POS].reshape(12, 1, 22, 3).numpy()
    np.testing.assert_allclose(alone[:, 0, R_WRIST], pair[:, 0, R_WRIST], atol=1e-9)
