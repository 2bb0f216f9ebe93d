"""Known-answer tests of the metric suite, the physical figures and the alignment/adaptability formulas."""
import numpy as np
import pytest
import torch

from mixermdm_core.evaluation.composition_metrics import adaptability, overall_alignment, weight_spread
from mixermdm_core.evaluation.metrics import (bone_length_error, bootstrap_mean, diversity, fid, floor_penetration,
                                              foot_skating, min_hand_distance, mm_dist, multimodality, r_precision,
                                              replicate, text_groups)
from mixermdm_core.skeleton import JOINT, rest_joints


def unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.standard_normal((n, d))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# --- embedding metrics --------------------------------------------------------------------------------------

def test_fid_identical_sets_is_zero_and_known_for_scaled_sets():
    a = np.random.default_rng(0).standard_normal((500, 16))
    assert fid(a, a) == pytest.approx(0.0, abs=1e-8)
    assert fid(torch.from_numpy(a), a + 1.0) == pytest.approx(16.0, rel=1e-6)  # |mean shift|^2, same covariance
    # b = 2a: covariance 4C, so tr(C + 4C - 2 * 2C) = tr(C), plus the mean term |mu|^2
    expected = np.trace(np.cov(a, rowvar=False)) + (a.mean(0) ** 2).sum()
    assert fid(a, 2 * a) == pytest.approx(expected, rel=1e-6)


def test_fid_rejects_mismatched_widths():
    with pytest.raises(ValueError):
        fid(np.zeros((5, 3)), np.zeros((5, 4)))


def test_r_precision_perfect_and_chance():
    rng = np.random.default_rng(1)
    e = unit(rng, 300, 32)
    assert r_precision(e, e) == {1: 1.0, 2: 1.0, 3: 1.0}
    top = r_precision(unit(rng, 4000, 16), unit(rng, 4000, 16), seed=3)
    for k in (1, 2, 3):
        assert top[k] == pytest.approx(k / 32, abs=0.015)


def test_r_precision_groups_keep_shared_captions_out_of_the_pool():
    rng = np.random.default_rng(2)
    labels = np.repeat(np.arange(4), 25)  # 4 captions shared by 25 clips each
    sentence = unit(rng, 4, 8)[labels]
    groups = text_groups(sentence)
    assert np.array_equal(groups[:, None] == groups[None, :], labels[:, None] == labels[None, :])
    # projected copies of one caption differ in the last bits (different batches); motions sit near their caption
    t = sentence + 1e-9 * rng.standard_normal(sentence.shape)
    m = sentence + 0.05 * rng.standard_normal(sentence.shape)
    assert r_precision(m, t, groups=groups)[1] == 1.0
    assert r_precision(m, t)[1] < 0.9  # without groups, the copies compete with the true text


def test_mm_dist_diversity_multimodality():
    assert mm_dist(np.eye(3), np.eye(3)) == 0.0
    assert mm_dist([[1.0, 0.0]], [[0.0, 1.0]]) == pytest.approx(np.sqrt(2))
    assert diversity(np.ones((50, 4))) == 0.0
    assert diversity(np.array([[0.0, 0.0], [2.0, 0.0]]), pairs=40) == pytest.approx(2.0)
    assert multimodality(np.ones((6, 5, 3))) == 0.0
    two = np.zeros((4, 2, 3))
    two[:, 1, 0] = 1.0
    assert multimodality(two) == pytest.approx(1.0)


def test_replicate_mean_and_interval():
    mean, ci = replicate(float, n=4, seed=0)  # runs give 0, 1, 2, 3
    assert mean == 1.5 and ci == pytest.approx(1.96 * np.std([0, 1, 2, 3]) / 2)
    out = replicate(lambda s: {"a": 1.0, "b": float(s)}, n=2, seed=5)
    assert out["a"] == (1.0, 0.0) and out["b"][0] == 5.5


def test_bootstrap_mean_interval():
    assert bootstrap_mean(np.full(50, 0.3)) == (pytest.approx(0.3), 0.0)
    rng = np.random.default_rng(1)
    few = np.where(rng.random(200) < 0.03, 2.0, 0.0)  # a few sliding feet among planted ones
    mean, ci = bootstrap_mean(few)
    assert mean == pytest.approx(few.mean()) and ci > 1.96 * few.std() / np.sqrt(200) * 0.8
    assert bootstrap_mean(few) == (mean, ci)  # seeded
    assert bootstrap_mean(np.tile(few, 16))[1] < ci / 3  # 16x the people: about a quarter of the interval
    with pytest.raises(ValueError, match="at least one"):
        bootstrap_mean([])


# --- physical figures ---------------------------------------------------------------------------------------

def clip(frames: int = 10) -> np.ndarray:
    return np.repeat(rest_joints()[None], frames, axis=0)


def test_foot_skating_of_a_sliding_planted_body():
    j = clip()
    assert foot_skating(j) == 0.0
    j[:, :, 0] += 0.01 * np.arange(10)[:, None]  # slide 1 cm per frame with both feet on the floor
    assert foot_skating(j) == pytest.approx(1.0)
    j[:, :, 1] += 0.5  # lifted: no contact, no skating
    assert foot_skating(j) == 0.0


def test_floor_penetration_bone_error_and_hands():
    j = clip()
    assert floor_penetration(j) == 0.0
    assert floor_penetration(j - np.array([0.0, 0.02, 0.0])) == pytest.approx(2.0)
    assert bone_length_error(j) == pytest.approx(0.0, abs=1e-9)
    stretched = j.copy()
    stretched[3] *= 1.1  # one frame in ten with every bone 10% longer
    assert bone_length_error(stretched) == pytest.approx(1.0)
    assert bone_length_error(j * 1.1, reference=rest_joints()) == pytest.approx(10.0)
    wrist_x = rest_joints()[JOINT["left_wrist"], 0]
    pair = np.stack((clip(), clip() + np.array([2 * wrist_x + 0.3, 0.0, 0.0])), axis=1)
    assert min_hand_distance(pair) == pytest.approx(30.0)


# --- alignment and adaptability -----------------------------------------------------------------------------

@pytest.mark.parametrize("a,b,expected", [(0.5, 0.5, 0.5), (1.0, 0.0, 0.0), (0.0, 0.0, 0.0), (0.6, 0.3, 0.4)])
def test_overall_alignment_is_the_harmonic_mean(a, b, expected):
    assert overall_alignment(a, b) == pytest.approx(expected)


def test_adaptability_measures_spread_across_samples():
    rng = np.random.default_rng(4)
    shared = rng.random((1, 5, 12, 2, 22))
    assert adaptability(np.repeat(shared, 8, axis=0)) == pytest.approx(0.0, abs=1e-12)
    w = np.full((2, 5, 12, 2, 22), 0.2)
    w[1] = 0.6
    assert adaptability(torch.from_numpy(w)) == pytest.approx(0.2)
    g = np.array([0.1, 0.5, 0.9]).reshape(3, 1, 1, 1, 1) * np.ones((3, 5, 1, 2, 1))  # G weights, size-1 axes
    assert adaptability(g) == pytest.approx(np.std([0.1, 0.5, 0.9]))


def test_adaptability_ignores_padded_frames():
    w = np.full((2, 3, 6, 2, 22), 0.5)
    w[1, :, 4:] = 1.0  # sample 1 is only 4 frames long; its padding holds junk
    mask = np.ones((2, 6), dtype=bool)
    mask[1, 4:] = False
    assert adaptability(w, mask) == 0.0
    assert adaptability(w) > 0.0


def test_weight_spread_along_each_axis():
    frames = np.linspace(0, 1, 7)
    w = np.broadcast_to(frames[None, None, :, None, None], (3, 4, 7, 2, 22))
    assert weight_spread(w) == pytest.approx({"steps": 0.0, "frames": np.std(frames), "joints": 0.0})
    steps = np.broadcast_to(np.array([0.0, 1.0, 0.0, 1.0])[None, :, None, None, None], (3, 4, 7, 2, 22))
    assert weight_spread(steps)["steps"] == pytest.approx(0.5)
    joints = np.broadcast_to((np.arange(22) % 2)[None, None, None, None, :], (3, 4, 7, 2, 22))
    assert weight_spread(joints) == pytest.approx({"steps": 0.0, "frames": 0.0, "joints": 0.5})
    with pytest.raises(ValueError):
        weight_spread(np.zeros((3, 4, 7)))


def test_adaptability_ignores_people_who_are_not_mixed():
    w = np.full((6, 2, 4, 2, 22), 0.7)
    w[::2, :, :, 1] = 0.0  # person 2 has no text in every other sample: w forced to 0, not an adaptation
    people = np.ones((6, 2), dtype=bool)
    people[::2, 1] = False
    assert adaptability(w) > 0
    assert adaptability(w, people=people) == pytest.approx(0.0, abs=1e-12)
