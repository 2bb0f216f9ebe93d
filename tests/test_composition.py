"""Invariants of the composition: what w = 0 and w = 1 mean, centring/alignment, shapes, seeds."""
from __future__ import annotations

from dataclasses import replace

import pytest
import torch

from mixermdm_core.composition.centering import align_people, center_people
from mixermdm_core.composition.pipeline import ComposedPipeline, IndividualPipeline, InteractionPipeline, frames_for
from mixermdm_core.composition.sampler import Conditions, DenoiserPair, composed_sample, mix
from mixermdm_core.composition.strategies import DiffusionBlending, DualMDM, MixerStrategy, parse_strategy
from mixermdm_core.diffusion import NoiseSchedule, ddim_timesteps, guided_x0, tapered_scale
from mixermdm_core.kinematics import facing_angle
from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.models.mixer import GRANULARITIES, Mixer, weights_to_features
from mixermdm_core.representation.interhuman import (POS, VEL, canonicalize_pair, features_to_joints,
                                                     joints_to_features)
from mixermdm_core.representation.normalization import Normalizer
from mixermdm_core.skeleton import BODY_PARTS, LOWER_BODY, NUM_JOINTS, bone_lengths

from conftest import smooth_person
from test_app_fixtures import TINY, FakeEncoder, small_random


@pytest.fixture
def pair() -> DenoiserPair:
    mean, std = torch.zeros(262), torch.full((262,), 0.5)
    return DenoiserPair(small_random(InteractionDenoiser(TINY), 1, std=0.05), small_random(IndividualDenoiser(TINY), 2, std=0.05),
                        Normalizer(mean, std), Normalizer(mean + 0.1, std), NoiseSchedule())


def real_pair(frames: int = 30) -> torch.Tensor:
    j1, r1 = smooth_person(frames, 1)
    j2, r2 = smooth_person(frames, 2, offset=(0.3, 1.2), yaw=2.5)
    return canonicalize_pair(torch.stack((joints_to_features(j1, r1), joints_to_features(j2, r2)), dim=1))[None]


def test_centering_then_alignment_is_identity():
    x = real_pair()
    assert torch.allclose(align_people(center_people(x), x), x, atol=1e-5)


def test_centred_person_is_at_origin_facing_forward():
    c = center_people(real_pair())
    joints = c[..., :66].reshape(*c.shape[:-1], 22, 3)
    assert torch.allclose(joints[:, 0, :, 0, [0, 2]], torch.zeros(1, 2, 2), atol=1e-5)
    assert torch.allclose(joints[..., 1].amin(dim=(1, 3)), torch.zeros(1, 2), atol=1e-5)


def test_mix_endpoints():
    x_a, x_b = torch.randn(2, 10, 2, 262), torch.randn(2, 10, 2, 262)
    active = torch.ones(2, 2, dtype=torch.bool)
    assert torch.equal(mix(x_a, x_b, torch.zeros(2, 1, 2, 1), active)[0], x_a)
    assert torch.equal(mix(x_a, x_b, torch.ones(2, 10, 2, 22), active)[0], x_b)
    # A person without an individual text follows the interaction model whatever the weight.
    out, w = mix(x_a, x_b, torch.ones(2, 1, 2, 1), torch.tensor([[True, False]] * 2))
    assert torch.equal(out[:, :, 1], x_a[:, :, 1]) and (w[:, :, 1] == 0).all()


def translated(x: torch.Tensor, offset: torch.Tensor) -> torch.Tensor:
    """Features (B, T, P, 262) with every joint moved by offset (B, T, P, 3): positions shifted, velocities
    (pos[t + 1] - pos[t]) shifted by the offset's own step."""
    out = x.clone()
    out[..., POS] += offset.repeat(1, 1, 1, NUM_JOINTS)
    out[..., :-1, :, VEL] += (offset[:, 1:] - offset[:, :-1]).repeat(1, 1, 1, NUM_JOINTS)
    return out


def test_per_joint_mix_keeps_limbs_on_the_mixed_body():
    """x_b is x_a walked elsewhere (the same body, another trajectory): whatever each joint's weight, the mix
    is that body again, on the trajectory its root's weight gives. A plain world-space mix tears it apart."""
    x_a = real_pair()
    walk = torch.cumsum(torch.full((1, x_a.shape[1], 2, 3), 0.04) * torch.tensor([1.0, 0.0, 0.5]), dim=1)
    x_b = translated(x_a, walk)
    w = torch.rand(1, 1, 2, NUM_JOINTS, generator=torch.Generator().manual_seed(0))
    x_m, used = mix(x_a, x_b, w, torch.ones(1, 2, dtype=torch.bool))
    bones = lambda x: torch.from_numpy(bone_lengths(features_to_joints(x).numpy()))  # noqa: E731
    assert torch.allclose(bones(x_m), bones(x_a), atol=1e-5)
    assert torch.allclose(x_m, translated(x_a, w[..., :1] * walk), atol=1e-5)  # velocities follow the positions
    assert torch.equal(used, w.expand(1, x_a.shape[1], 2, NUM_JOINTS))
    plain = torch.lerp(x_a, x_b, weights_to_features(w, x_a.shape[1]))
    assert (bones(plain) - bones(x_a)).abs().max() > 0.1  # the arms stay behind a body that walked away


def test_one_weight_for_the_whole_body_is_the_plain_formula():
    x_a, x_b = torch.randn(2, 10, 2, 262), torch.randn(2, 10, 2, 262)
    active = torch.ones(2, 2, dtype=torch.bool)
    for w in (torch.rand(2, 10, 2, 1), torch.rand(2, 10, 2, 1).expand(-1, -1, -1, NUM_JOINTS)):
        assert torch.equal(mix(x_a, x_b, w, active)[0], torch.lerp(x_a, x_b, w[..., :1]))


def test_w0_is_exactly_the_interaction_models_path(pair):
    enc = FakeEncoder()
    alone = InteractionPipeline(pair, enc)("two people hug", ("the person waves", "the person jumps"), seconds=1, steps=6, seed=5)
    composed = ComposedPipeline(pair, {}, enc)("two people hug", ("the person waves", "the person jumps"),
                                               ["interaction"], seconds=1, steps=6, seed=5)
    assert (composed["interaction"].features == alone.features).all()


def test_w1_is_the_individual_motion_aligned_onto_the_interaction(pair):
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))
    out = composed_sample(pair, [DiffusionBlending(1.0)], cond, frames=20, steps=4, seed=0)
    assert torch.equal(out.mixed, out.individual)
    # The individual prediction sits where the interaction prediction puts each person at frame 0.
    root_m = out.mixed[0, 0, :, [0, 2]]
    root_a = out.interaction[0, 0, :, [0, 2]]
    assert torch.allclose(root_m, root_a, atol=1e-4)
    facing = lambda f: facing_angle(f[0, 0, :, :66].reshape(2, 22, 3))
    assert torch.allclose(facing(out.mixed), facing(out.interaction), atol=1e-4)


def test_own_individual_chain_ignores_the_mix_and_mix_chain_follows_it(pair):
    """By default the individual model's chain runs as if alone, whatever the weight; the official sampler's
    chain ("mix") takes the centred mix as its x0, so its prediction depends on the weight."""
    cond = Conditions(torch.randn(1, 384), torch.cat((torch.zeros(1, 1, 384), torch.randn(1, 1, 384)), dim=1))
    strategies = [DiffusionBlending(0.3), DiffusionBlending(0.8)]
    own = composed_sample(pair, strategies, cond, frames=12, steps=4, seed=2)
    official = composed_sample(pair, strategies, cond, frames=12, steps=4, seed=2, individual_chain="mix")
    person2 = lambda out: center_people(out.individual)[:, :, 1]  # noqa: E731
    assert torch.allclose(person2(own)[0], person2(own)[1], atol=1e-5)
    assert not torch.allclose(person2(official)[0], person2(official)[1], atol=1e-3)
    # At w = 0 the two samplers agree: the interaction chain is the same either way.
    zero = [composed_sample(pair, [DiffusionBlending(0.0)], cond, 12, 4, seed=2, individual_chain=c).mixed for c in ("own", "mix")]
    assert torch.equal(*zero)
    with pytest.raises(ValueError, match="individual_chain"):
        composed_sample(pair, strategies, cond, 12, 4, individual_chain="both")


@pytest.mark.parametrize("granularity", GRANULARITIES)
def test_weight_shapes(granularity, pair):
    mixer = small_random(Mixer(TINY, granularity), 3, std=0.05)
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))
    out = composed_sample(pair, [MixerStrategy(mixer), DualMDM(), DiffusionBlending(0.3)], cond, frames=16, steps=3, seed=0)
    assert out.weights.shape == (3, 3, 16, 2, 22)
    w = out.weights[:, 0]
    assert ((w >= 0) & (w <= 1)).all()
    if "T" not in granularity:
        assert torch.allclose(w, w[:, :1].expand_as(w))
    if "S" not in granularity:
        assert torch.allclose(w, w[..., :1].expand_as(w))
    else:  # the root and the legs move as one; the other joints keep their own weights
        lower = w[..., list(LOWER_BODY)]
        assert torch.allclose(lower, lower[..., :1].expand_as(lower), atol=1e-6)
        assert w[..., list(BODY_PARTS["left_arm"])].std() > 1e-4


def test_batched_strategies_equal_separate_runs(pair):
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))
    both = composed_sample(pair, [DiffusionBlending(0.2), DualMDM()], cond, frames=12, steps=3, seed=1)
    alone = composed_sample(pair, [DualMDM()], cond, frames=12, steps=3, seed=1)
    assert torch.allclose(both.mixed[1], alone.mixed[0], atol=1e-5)


def test_batched_prompts_equal_separate_runs(pair):
    cond = Conditions(torch.randn(2, 384), torch.randn(2, 2, 384))
    strategies = [DiffusionBlending(0.2), DualMDM()]
    both = composed_sample(pair, strategies, cond, frames=12, steps=3, seed=[4, 9])
    second = composed_sample(pair, strategies, Conditions(cond.text[1:], cond.person_text[1:]), frames=12, steps=3, seed=9)
    assert both.mixed.shape == (4, 12, 2, 262) and both.weights.shape == (3, 4, 12, 2, 22)
    assert torch.allclose(both.mixed[2:], second.mixed, atol=1e-4)  # batched BLAS rounds differently
    with pytest.raises(ValueError, match="2 prompts need as many seeds"):
        composed_sample(pair, strategies, cond, frames=12, steps=3, seed=1)


def test_pipelines_sample_lists_of_prompts_as_one_request_each(pair):
    """``sample`` over a list gives each prompt what a single call with its seed gives (before grounding)."""
    pipe = ComposedPipeline(pair, {}, FakeEncoder())
    prompts = [("two people hug", "", "the person waves"), ("two people bow", "the person jumps", "")]
    cond = pipe.conditions(prompts)
    many = pipe.sample(cond, ["blend:0.5", "dualmdm"], frames=30, steps=3, seeds=[3, 4])
    one = pipe(*prompts[1][:1], texts=prompts[1][1:], strategies=["blend:0.5", "dualmdm"], seconds=1, steps=3,
               seed=4, ground=False)
    assert torch.allclose(many.mixed[3], torch.as_tensor(one["dualmdm"].features), atol=1e-5)
    alone = pipe.interaction_pipeline()
    motions = alone.sample(cond, frames=30, steps=3, seeds=[3, 4])
    assert torch.allclose(motions[1], torch.as_tensor(alone(*prompts[1][:1], texts=prompts[1][1:], seconds=1, steps=3,
                                                              seed=4, ground=False).features), atol=1e-5)
    solo = pipe.individual_pipeline()
    motions = solo.sample(cond.person_text[:, 1], frames=30, steps=3, seeds=[3, 4])
    assert motions.shape == (2, 30, 1, 262)
    # the velocity read-out sums velocities over frames, so batched BLAS rounding adds up along the clip
    assert torch.allclose(motions[0], torch.as_tensor(solo("the person waves", seconds=1, steps=3, seed=3,
                                                            ground=False).features), atol=1e-4)
    with pytest.raises(ValueError, match="2 prompts need as many seeds"):
        alone.sample(cond, frames=30, steps=3, seeds=[1])


def test_seeded_runs_are_identical_and_seeds_differ(pair):
    pipe = ComposedPipeline(pair, {}, FakeEncoder())
    a = pipe("two people hug", ("", "the person waves"), ["blend:0.5"], seconds=1, steps=3, seed=7)
    b = pipe("two people hug", ("", "the person waves"), ["blend:0.5"], seconds=1, steps=3, seed=7)
    c = pipe("two people hug", ("", "the person waves"), ["blend:0.5"], seconds=1, steps=3, seed=8)
    assert (a["blend:0.5"].features == b["blend:0.5"].features).all()
    assert not (a["blend:0.5"].features == c["blend:0.5"].features).all()


def test_body_part_mix_sets_each_part_within_its_step_range(pair):
    mix_ = parse_strategy("parts:legs=1,arms=0.3@1000-500,root=0.5")
    assert set().union(*map(set, BODY_PARTS.values())) == set(range(22))  # every joint is in one part
    early, late = mix_.joint_weights(800), mix_.joint_weights(100)
    assert early[list(BODY_PARTS["legs"])].eq(1).all() and late[list(BODY_PARTS["legs"])].eq(1).all()
    assert torch.allclose(early[list(BODY_PARTS["left_arm"] + BODY_PARTS["right_arm"])], torch.tensor(0.3))
    assert late[list(BODY_PARTS["left_arm"])].eq(0).all() and early[0] == 0.5 and early[list(BODY_PARTS["spine"])].eq(0).all()
    pipe = ComposedPipeline(pair, {}, FakeEncoder())
    # One call, so every strategy runs in the same batch (a batch of another size may round differently).
    out = pipe("two people hug", ("", "the person waves"), [mix_, "individual", "parts:all=1"], seconds=1, steps=3,
               seed=7, ground=False)
    w = out[mix_.name].weights  # (steps, T, 2, 22): person 1 has no text, so only person 2 is mixed
    assert (w[:, :, 0] == 0).all() and (w[:, :, 1, list(BODY_PARTS["legs"])] == 1).all()
    assert (out["parts:all=1"].features == out["individual"].features).all()  # all parts at 1 = the individual model
    nothing = pipe("two people hug", ("", "the person waves"), ["parts:all=0", "interaction"], seconds=1, steps=3, seed=7,
                   ground=False)
    assert (nothing["parts:all=0"].features == nothing["interaction"].features).all()  # all at 0 = the interaction model


@pytest.mark.parametrize("spec, message", [
    ("parts:", "at least one part=weight"), ("parts:legs", "needs a weight"), ("parts:tail=1", "body parts are"),
    ("parts:legs=2", "must be in \\[0, 1\\]"), ("parts:legs=1@1000", "two steps"), ("parts:legs=x", "cannot read"),
    ("parts:legs=1@2000-0", "0 <= low <= high <= 1000"),
])
def test_bad_body_part_specs_are_refused_clearly(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_strategy(spec)


def test_strategies_may_be_names_or_objects(pair):
    pipe = ComposedPipeline(pair, {}, FakeEncoder())
    by_name = pipe("two people hug", ("", "the person waves"), ["blend:0.3", "dualmdm"], seconds=1, steps=3, seed=7)
    mixed = pipe("two people hug", ("", "the person waves"), [DiffusionBlending(0.3), "dualmdm"], seconds=1, steps=3,
                 seed=7)
    assert list(mixed.strategies) == ["blend:0.3", "dualmdm"]
    assert (mixed["blend:0.3"].features == by_name["blend:0.3"].features).all()


@pytest.mark.parametrize("steps", [1, 2, 7, 20, 50, 1000])
def test_ddim_chain_starts_at_pure_noise_and_ends_at_zero(steps):
    ts = ddim_timesteps(steps)
    assert len(ts) == steps and ts[0] == 999 and ts == sorted(set(ts), reverse=True)
    assert steps == 1 or ts[-1] == 0
    with pytest.raises(ValueError, match="steps must be in 1..1000"):
        ddim_timesteps(0)


def test_tapered_guidance_lowers_the_scale_only_at_the_low_noise_steps():
    t = torch.tensor([999, 111, 110, 0])
    assert tapered_scale(6.0, t, (110, 0.4)).tolist() == [6.0, 6.0, 3.0, 3.0]
    assert tapered_scale(1.0, t, (110, 0.4)).tolist() == [1.0] * 4  # unguided stays unguided
    assert tapered_scale(6.0, t, None) == 6.0


def test_per_row_guidance_equals_each_row_guided_alone(pair):
    net, x = pair.individual, torch.randn(3, 20, 262)
    t, text = torch.tensor([900, 100, 50]), torch.randn(3, 384)
    scales = tapered_scale(6.0, t, (110, 0.4))
    rows = guided_x0(net, x, t, (text,), None, scales)
    for i, s in enumerate(scales.tolist()):
        alone = guided_x0(net, x[i:i + 1], t[i:i + 1], (text[i:i + 1],), None, s)
        assert torch.allclose(rows[i:i + 1], alone, atol=1e-5)
    assert torch.equal(guided_x0(net, x, t, (text,), None, torch.ones(3)), net(x, t, text, None))


def test_both_samplers_taper_the_individual_models_guidance(pair):
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))

    def composed(taper):
        return composed_sample(replace(pair, individual_taper=taper), [DiffusionBlending(1.0)], cond, 20, steps=4).mixed

    assert torch.equal(composed((110, 1.0)), composed(None))  # a share of 1 is no taper
    assert not torch.allclose(composed((110, 0.4)), composed(None))  # t = 0 is guided less
    text = cond.person_text[:, 0]
    alone = [IndividualPipeline(pair.individual, pair.norm_b, FakeEncoder(), taper=taper).sample(text, 20, steps=4)
             for taper in ((110, 1.0), None, (110, 0.4))]
    assert torch.equal(alone[0], alone[1]) and not torch.allclose(alone[1], alone[2])


def test_dualmdm_schedule_matches_in2in():
    s = DualMDM()
    assert s.at(980) == pytest.approx(0.843, abs=1e-3)
    assert s.at(500) == pytest.approx(0.0143, abs=1e-3)
    assert s.at(0) < 3e-4


@pytest.mark.parametrize("bad, message", [("blend:x", "needs a number"), ("blend:1.5", r"in \[0, 1\]"),
                                          ("nonsense", "unknown strategy"), ("st", "no trained ST mixer")])
def test_bad_strategy_names(bad, message):
    with pytest.raises(ValueError, match=message):
        parse_strategy(bad, {})


@pytest.mark.parametrize("seconds", [0.2, 30, "abc", float("nan")])
def test_bad_lengths(seconds):
    with pytest.raises(ValueError):
        frames_for(seconds)


def test_odd_lengths_round_to_frames():
    assert frames_for(4.37) == 131
    assert frames_for("2") == 60


def test_bad_requests_are_refused(pair):
    pipe = ComposedPipeline(pair, {}, FakeEncoder())
    with pytest.raises(ValueError, match="type an interaction text"):
        pipe("  ", ("", ""), ["dualmdm"], seconds=1, steps=2)
    with pytest.raises(ValueError, match="steps"):
        pipe("two people hug", ("", ""), ["dualmdm"], seconds=1, steps=0)
    # A huge prompt is cut to a bounded length, not an error.
    out = pipe("two people hug " * 500, ("", ""), ["dualmdm"], seconds=1, steps=2)
    assert len(out.texts[0]) <= 1000


@pytest.mark.parametrize("net", ["interaction", "mixer"])
def test_batch_rows_are_independent(net):
    """Each sample's output depends only on its own inputs (people and batch rows are not mixed up)."""
    x, t, e, pe = torch.randn(3, 8, 2, 262), torch.tensor([5, 500, 900]), torch.randn(3, 384), torch.randn(3, 2, 384)
    model = small_random(InteractionDenoiser(TINY) if net == "interaction" else Mixer(TINY, "ST"), 4, std=0.05)
    args = (x, t, e, pe) if net == "interaction" else (x, x.flip(0), t, e, pe)
    full = model(*args)
    for k in range(3):
        one = model(*[a[k:k + 1] for a in args])
        assert torch.allclose(full[k:k + 1], one, atol=1e-5)


def test_the_package_root_is_the_front_door():
    import mixermdm_core

    assert mixermdm_core.ComposedPipeline is ComposedPipeline and mixermdm_core.GRANULARITIES == GRANULARITIES
    assert set(mixermdm_core.__all__) >= {"ComposedPipeline", "InteractionPipeline", "IndividualPipeline"}
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        mixermdm_core.Nope  # noqa: B018


def test_only_the_individual_model_is_read_through_its_velocities(pair):
    """With the read-out on, M^b's predicted positions are refitted to its velocities (``representation.readout``),
    M^a's are as predicted; off, both are the networks' own."""
    from mixermdm_core.representation.readout import velocity_consistent

    x_t, t = torch.randn(2, 12, 2, 262), torch.tensor([500, 20])
    text, person = torch.randn(2, TINY.text_dim), torch.randn(2, 2, TINY.text_dim)
    active = torch.tensor([[True, False], [True, True]])
    raw = replace(pair, velocity_readout=False)
    assert pair.velocity_readout
    x_b, x_b_raw = (p.predict_individual(x_t, t, person, None, 2.0, active) for p in (pair, raw))
    assert torch.allclose(x_b, velocity_consistent(x_b_raw), atol=1e-5)
    assert not torch.allclose(x_b, x_b_raw, atol=1e-3)
    assert torch.equal(pair.predict_interaction(x_t, t, text, person, None, 2.0),
                       raw.predict_interaction(x_t, t, text, person, None, 2.0))
