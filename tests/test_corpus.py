"""Tests of the procedural motion corpus: determinism, layout, coverage, plausibility, texts and splits."""
from __future__ import annotations

import re

import numpy as np
import pytest

from mixermdm_core.corpus import (
    ACTIONS,
    INTERACTIONS,
    MotionCorpus,
    generate_corpus,
    load_or_generate,
    make_clip,
    mixing_prompts,
)
from mixermdm_core.corpus import plausibility as pl
from mixermdm_core.corpus.actions import HELDOUT_COMBOS, combo, sample_params
from mixermdm_core.corpus import texts as corpus_texts
from mixermdm_core.corpus.texts import (
    INDIVIDUAL,
    INDIVIDUAL_MORE,
    INTERACTION,
    INTERACTION_MORE,
    SPEED_WORDS,
    SUBJECTS,
    heldout_count,
)
from mixermdm_core.kinematics import facing_angle
from mixermdm_core.skeleton import JOINT


def test_clips_are_deterministic_per_seed():
    a, b = make_clip("interaction", "train", 5, 3), make_clip("interaction", "train", 5, 3)
    assert np.array_equal(a.features, b.features) and a.text == b.text and a.person_texts == b.person_texts
    c = make_clip("interaction", "train", 6, 3)
    assert a.features.shape != c.features.shape or not np.array_equal(a.features, c.features)


def test_corpus_same_with_any_worker_count():
    one = generate_corpus("individual", 60, seed=1, workers=1)
    two = generate_corpus("individual", 60, seed=1, workers=2)
    assert np.array_equal(one.features, two.features) and one.texts == two.texts


@pytest.mark.parametrize("kind, people", [("individual", 1), ("interaction", 2)])
def test_shapes_and_dtypes(kind, people):
    corpus = generate_corpus(kind, 8, split="val", seed=2, workers=1)
    assert len(corpus) == 8 and corpus.kind == kind
    assert corpus.features.dtype == np.float16 and corpus.features.shape[1:] == (people, 262)
    assert corpus.offsets.dtype == np.int64 and corpus.offsets[-1] == corpus.features.shape[0]
    for i in range(len(corpus)):
        clip = corpus.clip(i)
        assert clip.dtype == np.float32 and 60 <= clip.shape[0] <= 240 and np.isfinite(clip).all()
    assert len(corpus.actions) == len(corpus.texts) == 8
    assert len(corpus.person_texts) == (8 if kind == "interaction" else 0)


def test_canonical_frame():
    clip = make_clip("interaction", "train", 0, 1)
    first = clip.joints[0]
    assert np.allclose(first[0, 0, [0, 2]], 0.0, atol=1e-4)  # person 1 pelvis at the origin at frame 0
    assert abs(facing_angle(first[0])) < 1e-3  # facing +Z
    assert abs(first[..., 1].min()) < 1e-4 and abs(clip.joints[1][..., 1].min()) < 1e-4  # each on its floor


@pytest.mark.parametrize("name", list(ACTIONS) + list(INTERACTIONS))
def test_every_action_is_plausible(name):
    kind = "individual" if name in ACTIONS else "interaction"
    clip = make_clip(kind, "train", 11, 0, action=name)
    assert clip.action == name and np.isfinite(clip.features).all()
    for joints in clip.joints:
        assert pl.bone_length_variation(joints) < 1e-3
        assert pl.min_foot_height(joints) > -1e-3
        assert pl.foot_skating(joints)[0] < 0.02
    if kind == "interaction":
        assert pl.min_torso_distance(*clip.joints) > 0.2
        for ct in clip.contacts:
            assert ct.frames.any()
            assert pl.contact_distance(clip.joints[0], ct.joint_a, clip.joints[1], ct.joint_b, ct.frames).max() < 0.05


def _path(joints: np.ndarray, joint: str) -> float:
    return float(np.linalg.norm(np.diff(joints[:, JOINT[joint]], axis=0), axis=-1).sum())


@pytest.mark.parametrize("side, moving, still", [("left", "left_wrist", "right_wrist"), ("right", "right_wrist", "left_wrist")])
def test_wave_side_matches_text(side, moving, still, monkeypatch):
    spec = ACTIONS["wave"]
    monkeypatch.setitem(ACTIONS, "wave", spec.__class__(**{**spec.__dict__, "sides": (side,), "speeds": ("normal",)}))
    clip = make_clip("individual", "train", 0, 0, action="wave")
    assert f"{side} hand" in clip.text
    assert _path(clip.joints[0], moving) > 2 * _path(clip.joints[0], still)


def test_circle_and_sideways_directions_match_text():
    for i in range(12):
        clip = make_clip("individual", "train", 0, i, action="walk_circle")
        turn = np.unwrap(facing_angle(clip.joints[0]))
        expected = 1 if clip.params.direction == "counterclockwise" else -1  # counterclockwise = turning left
        assert np.sign(turn[-1] - turn[0]) == expected and clip.params.direction in clip.text
    for i in range(6):
        clip = make_clip("individual", "train", 0, i, action="walk_sideways")
        dx = clip.joints[0][-1, 0, 0] - clip.joints[0][0, 0, 0]
        assert np.sign(dx) == (1 if clip.params.direction == "left" else -1)  # the person's left is +X


def _template_regex(template: str) -> re.Pattern:
    speeds = "|".join(re.escape(w) for ws in SPEED_WORDS.values() for w in ws if w)
    parts = re.split(r"(\{\w+\})", template)
    out = []
    for p in parts:
        if p == "{subj}":
            out.append("(?:" + "|".join(SUBJECTS) + ")")
        elif p == "{speed}":
            out.append(f"(?:{speeds})?")
        elif p.startswith("{"):
            out.append(".+?")
        else:
            out.append(re.escape(p).replace(r"\ ", r"\s*"))
    return re.compile("".join(out).strip() + "$")


def test_heldout_templates_and_combos_never_in_train():
    held = [_template_regex(t) for ts in INDIVIDUAL.values() for t in ts[-heldout_count(ts):]]
    held += [_template_regex(t) for group in INTERACTION.values() for ts in group for t in ts[-heldout_count(ts):]]
    for kind in ("individual", "interaction"):
        corpus = generate_corpus(kind, 120, split="train", seed=0, workers=1)
        texts = corpus.texts + [t for pair in corpus.person_texts for t in pair]
        assert not [t for t in texts if any(r.match(t) for r in held)]
    rng = np.random.default_rng(0)
    for spec in list(ACTIONS.values()) + list(INTERACTIONS.values()):
        for _ in range(30):
            assert combo(spec.name, sample_params(spec, rng, heldout=False)) not in HELDOUT_COMBOS


def test_splits_differ_and_heldout_uses_reserved_wording():
    train = generate_corpus("individual", 10, split="train", seed=0, workers=1)
    val = generate_corpus("individual", 10, split="val", seed=0, workers=1)
    assert train.texts != val.texts and train.offsets.tolist() != val.offsets.tolist()
    held = generate_corpus("interaction", 10, split="heldout", seed=0, workers=1)
    reserved = [_template_regex(t) for group in INTERACTION.values() for t in group[0][-heldout_count(group[0]):]]
    assert all(any(r.match(t) for r in reserved) for t in held.texts)


def test_more_wordings_widen_training_only(monkeypatch):
    """The extra wordings are new, reach the training texts, and leave the heldout split exactly as it was."""
    assert set(INDIVIDUAL_MORE) == set(INDIVIDUAL) and set(INTERACTION_MORE) == set(INTERACTION)
    for base, more in [(INDIVIDUAL[a], INDIVIDUAL_MORE[a]) for a in INDIVIDUAL] + \
            [(b, m) for k in INTERACTION for b, m in zip(INTERACTION[k], INTERACTION_MORE[k])]:
        assert more and not set(more) & set(base)
    extra = [_template_regex(t) for group in INTERACTION_MORE.values() for t in group[0]]
    train = generate_corpus("interaction", 60, split="train", seed=0, workers=1)
    assert any(any(r.match(t) for r in extra) for t in train.texts)
    held = {kind: generate_corpus(kind, 12, split="heldout", seed=0, workers=1) for kind in ("individual", "interaction")}
    monkeypatch.setattr(corpus_texts, "INDIVIDUAL_MORE", {a: () for a in INDIVIDUAL})
    monkeypatch.setattr(corpus_texts, "INTERACTION_MORE", {k: ((), (), ()) for k in INTERACTION})
    for kind, corpus in held.items():
        before = generate_corpus(kind, 12, split="heldout", seed=0, workers=1)
        assert before.texts == corpus.texts and before.person_texts == corpus.person_texts
        assert np.array_equal(before.features, corpus.features)


def test_mixing_prompts():
    prompts = mixing_prompts(20, seed=0)
    assert len(prompts) == 20 and prompts == mixing_prompts(20, seed=0)
    for inter, p1, p2 in prompts:
        assert inter and (p1 or p2)
    assert prompts != mixing_prompts(20, seed=1)


def test_save_load_round_trip(tmp_path):
    corpus = generate_corpus("interaction", 5, seed=4, workers=1)
    corpus.save(tmp_path / "c.npz")
    back = MotionCorpus.load(tmp_path / "c.npz")
    assert back.kind == corpus.kind and back.actions == corpus.actions and back.texts == corpus.texts
    assert back.person_texts == corpus.person_texts and np.array_equal(back.features, corpus.features)
    assert np.array_equal(back.offsets, corpus.offsets)
    cached = load_or_generate("individual", 4, "test", 0, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("individual-test-*.npz"))) == 1
    again = load_or_generate("individual", 4, "test", 0, cache_dir=tmp_path)
    assert again.texts == cached.texts and again.person_texts == [] and np.array_equal(again.features, cached.features)


def _segments(mask: np.ndarray) -> int:
    """Number of runs of True in a boolean sequence."""
    return int(np.sum(mask[1:] & ~mask[:-1]) + mask[0])


@pytest.mark.parametrize("speed", ["slow", "fast"])
def test_all_announced_repetitions_happen(speed, monkeypatch):
    for name in ("jump", "squat"):
        spec = ACTIONS[name]
        monkeypatch.setitem(ACTIONS, name, spec.__class__(**{**spec.__dict__, "speeds": (speed,), "directions": spec.directions[:1]}))
        for i in range(4):
            clip = make_clip("individual", "train", 0, i, action=name)
            joints = clip.joints[0]
            if name == "jump":
                events = _segments(joints[:, [7, 8, 10, 11], 1].min(1) > 0.03)  # both feet off the floor
            else:
                events = _segments(joints[:, 0, 1] < joints[0, 0, 1] - 0.15)  # pelvis well below standing
            assert events == clip.params.reps, (name, clip.text)
