"""Kinematic signatures: known answers on hand-made motions, the shipped rules on fresh corpus clips."""
from __future__ import annotations

import numpy as np
import pytest

from mixermdm_core.corpus import mixing_cases, mixing_prompts
from mixermdm_core.corpus.generate import make_clip
from mixermdm_core.evaluation.report import action_table
from mixermdm_core.evaluation.signatures import (
    FEATURES, Signatures, amplitude_kept, detail_transfer, facing_share, interaction_figures, makes_contact,
    pelvis_distance, penetration, shown_per_action, transfer_per_person, trunk_gap, youden_threshold,
)
from mixermdm_core.rotations import yaw_matrix
from mixermdm_core.skeleton import JOINT, rest_joints

import torch


def standing(frames: int = 60) -> np.ndarray:
    return np.repeat(rest_joints()[None], frames, axis=0)


def pair_of(kind: str, index: int = 0) -> np.ndarray:
    """A real corpus pair (T, 2, 22, 3) of ``kind`` from the validation split (the rules come from train)."""
    return make_clip("interaction", "val", 0, index, action=kind).joints.transpose(1, 0, 2, 3)


@pytest.fixture(scope="module")
def shipped() -> Signatures:
    return Signatures.load()


def test_features_have_known_answers():
    j = standing()
    assert FEATURES["pelvis_drop"](j) == pytest.approx(0.0)
    lowered = j.copy()
    lowered[30:, :, 1] -= 0.4  # the whole body sinks 40 cm: the floor is the lowest joint over the clip
    assert FEATURES["pelvis_drop"](lowered) == pytest.approx(0.4, abs=1e-6)
    up = j.copy()
    up[20, JOINT["right_wrist"], 1] = j[0, JOINT["head"], 1] + 0.25
    assert FEATURES["wrist_over_head"](up) == pytest.approx(0.25, abs=1e-6)
    yaw = np.linspace(0, 2 * np.pi, 60)
    spun = np.einsum("tij,tkj->tki", yaw_matrix(torch.from_numpy(yaw)).numpy(), j)
    assert FEATURES["heading_change"](spun) == pytest.approx(2 * np.pi, abs=1e-3)
    walked = j.copy()
    walked[:, :, 2] += np.linspace(0, 2.0, 60)[:, None]  # rest pose faces +Z
    assert FEATURES["forward_travel"](walked) == pytest.approx(2.0, abs=1e-6)
    assert FEATURES["backward_travel"](walked) == pytest.approx(-2.0, abs=1e-6)


def test_youden_threshold_separates_with_margin():
    t, j = youden_threshold(np.array([5.0, 6.0, 7.0]), np.array([0.0, 1.0, 3.0]))
    assert j == 1.0 and t == pytest.approx(4.0)


def test_shipped_rules_read_fresh_real_clips(shipped):
    for action in ("sit_down", "jump", "raise_arms", "kick", "spin", "clap"):
        assert shipped.reliable(action)
        clips = [make_clip("individual", "val", 0, i, action=action).joints[0, :120] for i in range(4)]
        assert sum(shipped.shows(c, action) for c in clips) >= 3, action
    standing_people = [pair_of("handshake", i)[:120, k] for i in range(3) for k in range(2)]
    assert not any(shipped.shows(p, "sit_down") or shipped.shows(p, "kick") for p in standing_people)
    assert not shipped.reliable("limp")  # its threshold (mm of step asymmetry) would read noise


def test_interaction_rules_on_a_real_pair_and_broken_ones(shipped):
    pair = pair_of("handshake")[:120]
    assert shipped.keeps(pair, "handshake") and makes_contact(pair, "handshake")
    apart = pair.copy()
    apart[:, 1, :, 2] += 3.0  # person 2 three metres further away
    assert not shipped.keeps(apart, "handshake") and not makes_contact(apart, "handshake")
    turned = pair.copy()
    centre = turned[:, 1, :1, :]
    turned[:, 1] = np.einsum("ij,tkj->tki", yaw_matrix(torch.tensor(np.pi)).numpy(), turned[:, 1] - centre) + centre
    assert facing_share(turned) < facing_share(pair) and not shipped.keeps(turned, "handshake")
    assert pelvis_distance(apart) > pelvis_distance(pair) + 2.5
    assert makes_contact(pair, "greet_wave") is None


def test_detail_transfer_counts_only_asked_people(shipped):
    pair = pair_of("handshake")[:120]
    sat = pair.copy()
    sat[40:, 1, :, 1] -= 0.8  # person 2 sinks: the pelvis drops as in a sit
    out = detail_transfer(np.stack([pair, sat]), ["handshake"] * 2, [(None, "sit_down"), (None, "sit_down")], shipped)
    assert out["people"] == 2 and out["action_shown"] == 0.5 and out["contact"] >= 0.5
    assert out["interaction_kept"] == 1.0 and out["detail_and_interaction"] == 0.5  # sinking keeps spacing and facing
    none = detail_transfer(pair[None], ["handshake"], [(None, "limp")], shipped)  # unreliable rule: not judged
    assert none["people"] == 0 and np.isnan(none["action_shown"])
    asked = [(None, "sit_down"), (None, "sit_down"), (None, "limp")]
    assert shown_per_action(np.stack([pair, sat, pair]), asked, shipped) == {"sit_down": (1, 2)}
    per = transfer_per_person(np.stack([pair, sat, pair]), ["handshake"] * 3, asked, shipped)
    assert per["detail_and_interaction"].tolist() == [False, True]  # in prompt order, the limp not judged
    assert per["contact"].size == 3


def test_the_per_action_table_has_a_line_per_action_and_a_column_per_method():
    rows = [{"method": "st", "per_action": {"sit_down": (1, 4), "wave": (0, 2)}},
            {"method": "blend:0.5", "per_action": {"sit_down": (3, 4)}}]
    lines = action_table(rows).splitlines()
    assert lines[0] == "| asked action | people | st | blend:0.5 |"
    assert lines[2:] == ["| sit_down | 4 | 0.25 | 0.75 |", "| wave | 2 | 0.00 | - |"]


def test_amplitude_kept_is_the_median_share():
    values = np.array([[0.0, 1.0, 0.0], [0.5, 2.0, 0.0], [1.0, 3.0, 0.0]])  # w = 0, 0.5, 1; third never acts
    assert amplitude_kept(values, 0.5).tolist() == pytest.approx([0.0, 0.5, 1.0])


def test_mixing_cases_name_the_asked_actions():
    cases = mixing_cases(20, seed=3)
    assert [c.texts for c in cases] == mixing_prompts(20, seed=3)
    for c in cases:
        assert all((a is None) == (t == "") for a, t in zip(c.actions, c.texts[1:]))
        assert any(a is not None for a in c.actions)


def test_penetration_of_overlapping_and_separate_bodies():
    person = standing(10)
    pair = np.stack([person, person + np.array([0.0, 0.0, 2.0])], axis=1)  # two metres apart
    assert penetration(pair) == 0.0
    inside = np.stack([person, person + np.array([0.05, 0.0, 0.0])], axis=1)  # five centimetres apart
    assert penetration(inside) > 0.2  # torsos (13 cm capsules) nearly coincide
    closer = [penetration(np.stack([person, person + np.array([0.0, 0.0, d])], axis=1)) for d in (0.5, 0.3, 0.1)]
    assert closer == sorted(closer) and closer[-1] > closer[0]


def test_body_contact_reads_the_trunk_surface():
    person = standing(10)
    other = person + np.array([0.0, 0.0, 1.0])  # a metre in front, along +z
    chest = other[:, JOINT["spine3"]]
    pair = np.stack([person, other], axis=1)
    for gap, touches in ((0.01, True), (0.05, True), (0.08, False), (0.30, False)):
        reached = pair.copy()
        reached[:, 0, JOINT["right_wrist"]] = chest - np.array([0.0, 0.0, 0.13 + gap])  # 13 cm trunk capsule
        assert trunk_gap(reached) == pytest.approx(gap, abs=1e-6)
        assert makes_contact(reached, "push") is touches and makes_contact(reached, "hug") is touches
    for i in range(3):  # every real push and hug touches, however far the hand is from the trunk's joints
        assert makes_contact(pair_of("push", i), "push") and makes_contact(pair_of("hug", i), "hug")
    apart = pair_of("push").copy()
    apart[:, 1, :, 2] += 0.5
    assert not makes_contact(apart, "push")


def test_interaction_figures_per_kind_and_overall():
    pairs = np.stack([pair_of("handshake", i)[:90] for i in range(2)] + [pair_of("greet_wave")[:90]])
    figures = interaction_figures(pairs, ["handshake", "handshake", "greet_wave"])
    assert set(figures) == {"handshake", "greet_wave", "all"}
    assert figures["handshake"]["clips"] == 2 and figures["all"]["clips"] == 3
    assert figures["handshake"]["contact_rate"] == 1.0 and "contact_rate" not in figures["greet_wave"]
    assert figures["greet_wave"]["pelvis_distance_cm"] > figures["handshake"]["pelvis_distance_cm"]
    assert 0.9 <= figures["all"]["facing"] <= 1.0
