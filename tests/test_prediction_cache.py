"""The prediction cache for Mixer training: same losses as the live path, resumable, refuses stale caches."""
from __future__ import annotations

import copy
import json
import math
from dataclasses import replace

import pytest
import torch

from mixermdm_core.composition.loading import load_pair
from mixermdm_core.data.batching import ClipBatcher
from mixermdm_core.models.discriminator import MotionDiscriminator, PartDiscriminator
from mixermdm_core.models.mixer import Mixer
from mixermdm_core.models.io import read_checkpoint
from mixermdm_core.representation.interhuman import POS
from mixermdm_core.skeleton import JOINT, PARENTS
from mixermdm_core.representation.relation import REACH_DIM, RELATION_DIM
from mixermdm_core.training.recipe import DataConfig, MixerOptimConfig, TrainConfig
from mixermdm_core.training.datasets import TrainingSet
from mixermdm_core.training.adversarial import (
    adversarial_step, bone_stretch, indecision, live_batch, planted_slide, roughness, train_mixer,
)
from mixermdm_core.training.text_parts import TextPartsMap
from mixermdm_core.training.prediction_cache import (
    CachedPredictions, CacheSpec, StaleCacheError, build_cache, denoiser_hashes, shard_path,
)

from conftest import tiny_corpus
from test_app_fixtures import TINY, FakeEncoder, make_tiny_checkpoints, small_random

FRAMES = 24


def tiny_mixing_inputs(folder, frames: int = FRAMES):
    """Tiny denoisers written to ``folder``, six interaction clips cropped to ``frames`` with random text embeddings,
    and a pool of five swap texts: what a prediction cache is built from."""
    ckpt = make_tiny_checkpoints(folder, ())
    corpus = tiny_corpus("interaction", 6)
    g = torch.Generator().manual_seed(0)
    data = TrainingSet(ClipBatcher(corpus.features, corpus.offsets, frames), torch.randn(6, 384, generator=g),
                       torch.randn(6, 2, 384, generator=g), corpus.texts, corpus.person_texts)
    return load_pair(ckpt), data, torch.randn(5, 384, generator=g), ckpt


@pytest.fixture
def setup(tmp_path):
    pair, data, pool, ckpt = tiny_mixing_inputs(tmp_path / "ckpt")
    spec = CacheSpec(samples=8, frames=FRAMES, guidance=2.0, swap_person_text=0.5, seed=3, shard_size=4,
                     denoisers=denoiser_hashes(ckpt), individual_guidance=4.0, velocity_readout=pair.velocity_readout)
    return pair, data, pool, spec, ckpt


def test_cached_batch_gives_the_live_losses(setup, tmp_path):
    pair, data, pool, spec, _ = setup
    assert build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4) == 2
    cached = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    # The first shard's batch, drawn live with the seed build_cache gives it.
    g = torch.Generator().manual_seed(spec.seed * 100_003)
    torch.manual_seed(int(torch.randint(2**31 - 1, (1,), generator=g)))
    oc = MixerOptimConfig(batch_size=4, guidance=spec.guidance, individual_guidance=spec.individual_guidance,
                          swap_person_text=spec.swap_person_text)
    live = live_batch(pair, data, pool, oc)
    assert torch.equal(cached["t"], live["t"]) and torch.equal(cached["mask"], live["mask"])
    assert torch.allclose(cached["x_a"], live["x_a"], atol=2e-3)  # float16 storage: about a millimetre
    nets = [small_random(Mixer(TINY, "ST"), 5), small_random(MotionDiscriminator(TINY, people=2), 6),
            small_random(MotionDiscriminator(TINY, people=1), 7)]
    losses = []
    for batch in (live, cached):
        mixer, d_a, d_b = copy.deepcopy(nets)
        opt_g = torch.optim.AdamW(mixer.parameters(), lr=1e-4)
        opt_d = torch.optim.AdamW(list(d_a.parameters()) + list(d_b.parameters()), lr=1e-4)
        losses.append(adversarial_step(pair, mixer, d_a, d_b, opt_g, opt_d, batch, oc)[0])
    for key in losses[0]:
        assert losses[0][key] == pytest.approx(losses[1][key], abs=1e-3), key


class Recording(torch.nn.Module):
    """A discriminator that keeps every input it judges."""

    def __init__(self, net: torch.nn.Module):
        super().__init__()
        self.net, self.inputs = net, []

    def forward(self, x, *args):
        self.inputs.append(x.detach().clone())
        return self.net(x, *args)


@pytest.mark.parametrize("d_noise", [0.0, 0.5])
def test_instance_noise_reaches_every_discriminator_input(setup, tmp_path, d_noise):
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["person_text"] = torch.randn(4, 2, 384)  # everyone mixed, so D^b judges every person
    mixer = small_random(Mixer(TINY, "ST"), 5)
    d_a = Recording(small_random(MotionDiscriminator(TINY, people=2), 6))
    d_b = Recording(small_random(MotionDiscriminator(TINY, people=1), 7))
    opt_g = torch.optim.AdamW(mixer.parameters(), lr=1e-4)
    opt_d = torch.optim.AdamW(list(d_a.parameters()) + list(d_b.parameters()), lr=1e-4)
    adversarial_step(pair, mixer, d_a, d_b, opt_g, opt_d, batch, MixerOptimConfig(batch_size=4, d_noise=d_noise))
    real_a = pair.norm_a.normalize(batch["x_a"])
    assert len(d_a.inputs) == 3 and len(d_b.inputs) == 6  # real and fake for D, fake for the Mixer; per person for D^b
    offset = (d_a.inputs[0] - real_a).std().item()
    assert offset == pytest.approx(d_noise, rel=0.1, abs=1e-6)
    for x in d_a.inputs[1:] + d_b.inputs:
        assert torch.isfinite(x).all()
    if d_noise:  # the D and the Mixer passes draw their own noise
        assert not torch.allclose(d_a.inputs[1], d_a.inputs[2])
    else:
        assert torch.allclose(d_a.inputs[1], d_a.inputs[2])


def test_cache_samples_the_individual_model_with_the_spec_taper(setup, tmp_path):
    """The taper recorded in a cache's spec is the one its predictions were made with, whatever the pair holds: a
    cache asking for M^b unguided at every step (taper share 0 up to t = 999) equals a live batch of a pair with
    that taper, and differs from the pair's own (the shipped taper)."""
    pair, data, pool, spec, _ = setup
    assert pair.individual_taper != (999, 0.0)
    tapered = CacheSpec(**{**spec.__dict__, "individual_taper": [999, 0.0]})
    build_cache(pair, data, pool, tapered, tmp_path / "cache", batch_size=4)
    cached = CachedPredictions(tmp_path / "cache", replace(pair, individual_taper=(999, 0.0))).batch(torch.arange(4))
    oc = MixerOptimConfig(batch_size=4, guidance=spec.guidance, individual_guidance=spec.individual_guidance,
                          swap_person_text=spec.swap_person_text)

    def live(with_pair) -> dict[str, torch.Tensor]:  # the first shard's batch, with the seed build_cache gives it
        g = torch.Generator().manual_seed(spec.seed * 100_003)
        torch.manual_seed(int(torch.randint(2**31 - 1, (1,), generator=g)))
        return live_batch(with_pair, data, pool, oc)

    same, own = live(replace(pair, individual_taper=(999, 0.0))), live(pair)
    assert torch.allclose(cached["x_b_c"], same["x_b_c"], atol=2e-3)  # float16 storage
    assert not torch.allclose(cached["x_b_c"], own["x_b_c"], atol=2e-3)


def test_d_a_max_t_judges_only_the_low_noise_samples(setup, tmp_path):
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["t"] = torch.tensor([10, 900, 20, 950])
    nets = [small_random(Mixer(TINY, "ST"), 5), small_random(MotionDiscriminator(TINY, people=2), 6),
            small_random(MotionDiscriminator(TINY, people=1), 7)]

    def losses(max_t: int, rows) -> dict[str, float]:
        mixer, d_a, d_b = copy.deepcopy(nets)
        opt_g = torch.optim.AdamW(mixer.parameters(), lr=1e-4)
        opt_d = torch.optim.AdamW(list(d_a.parameters()) + list(d_b.parameters()), lr=1e-4)
        part = {k: v[rows] for k, v in batch.items()}
        return adversarial_step(pair, mixer, d_a, d_b, opt_g, opt_d, part, MixerOptimConfig(batch_size=4, d_a_max_t=max_t))[0]

    low = torch.tensor([0, 2])
    for key in ("d_a", "g_a"):  # D^a and the Mixer's loss against it: the low-noise half alone
        assert losses(500, torch.arange(4))[key] == pytest.approx(losses(0, low)[key], abs=1e-5), key
    assert losses(500, torch.arange(4))["d_b"] == pytest.approx(losses(0, torch.arange(4))["d_b"], abs=1e-6)


def one_step(pair, batch: dict[str, torch.Tensor], update_mixer: bool = True, **options):
    """One adversarial step of small seeded nets (the same every call) with these ``MixerOptimConfig`` options;
    returns the losses, the Mixer, D^a and D^b after it."""
    mixer = small_random(Mixer(TINY, "ST"), 5)
    d_b = PartDiscriminator(TINY) if options.get("d_b_parts") else MotionDiscriminator(TINY, people=1)
    d_a, d_b = small_random(MotionDiscriminator(TINY, people=2), 6), small_random(d_b, 7)
    opt_g = torch.optim.AdamW(mixer.parameters(), lr=1e-3)
    opt_d = torch.optim.AdamW(list(d_a.parameters()) + list(d_b.parameters()), lr=1e-3)
    every_part = TextPartsMap(torch.cat((torch.zeros(384, 5), torch.ones(1, 5))), torch.zeros(5), torch.ones(5))
    losses, _, _ = adversarial_step(pair, mixer, d_a, d_b, opt_g, opt_d, batch, MixerOptimConfig(batch_size=4, **options),
                                    update_mixer, parts=every_part)
    return losses, mixer, d_a, d_b


@pytest.mark.parametrize("prior,logged", [("planted_feet", "planted_slide"), ("bone_range", "bone_stretch"),
                                          ("decisiveness", "indecision"), ("text_parts", "text_parts_gap"),
                                          ("contact_affinity", "contact_opening")])
def test_physical_priors_move_only_the_mixer(setup, tmp_path, prior, logged):
    """The planted-feet, bone-range, decisiveness, text-parts and contact-affinity priors are Mixer losses: the
    discriminators' update is the same with one on or off, its value is logged only when the term is on, and the
    Mixer's step changes."""
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["t"] = torch.tensor([10, 200, 400, 600])  # all below GEOMETRY_MAX_T
    (off, mixer_off, d_off, _), (on, mixer_on, d_on, _) = (one_step(pair, batch, **{prior: w}) for w in (0.0, 10.0))
    assert off[logged] == 0 and on[logged] > 0
    assert on["d_a"] == pytest.approx(off["d_a"]) and on["d_b"] == pytest.approx(off["d_b"])
    for p_off, p_on in zip(d_off.parameters(), d_on.parameters()):
        assert torch.equal(p_off, p_on)
    assert any(not torch.equal(a, b) for a, b in zip(mixer_off.parameters(), mixer_on.parameters()))


def test_text_parts_prior_asks_for_no_part_above_its_step(setup, tmp_path):
    """With ``text_parts_below`` the text's parts are asked for only at steps t at or below it: a gate above every
    sample's t changes nothing, a gate below every t asks every part of the interaction model (a different gap)."""
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["t"] = torch.tensor([10, 200, 400, 600])
    gap = {below: one_step(pair, batch, text_parts=10.0, text_parts_below=below)[0]["text_parts_gap"]
           for below in (1000, 600, 5)}
    assert gap[600] == pytest.approx(gap[1000])
    assert gap[5] != pytest.approx(gap[1000])


def test_indecision_of_known_weights():
    """w (1 - w) averaged over the mixed people only: 0 for weights of 0 and 1, 0.25 for 0.5 everywhere."""
    w = torch.zeros(2, 3, 2, 22)
    w[0, :, 0, :11] = 1.0
    both, first = torch.tensor([[True, True], [True, True]]), torch.tensor([[True, False], [True, False]])
    assert indecision(w, both) == 0
    assert indecision(torch.full_like(w, 0.5), both) == pytest.approx(0.25)
    w[:, :, 1] = 0.5  # only person 2 halfway: half the judged weights at 0.25, or none when person 2 is not mixed
    assert indecision(w, both) == pytest.approx(0.125)
    assert indecision(w, first) == 0


def test_bone_stretch_of_a_limb_mixed_apart_from_its_parent():
    """Known answers: a mix that moves the whole body keeps every bone (0); weight 1 on the left wrist alone, with
    the individual body 1 m further along x, stretches the forearm to |forearm + 1 m x|; samples noised above
    GEOMETRY_MAX_T and people without an individual text do not count."""
    clip = torch.from_numpy(tiny_corpus("interaction", 1).clip(0))  # (20, 2, 262)
    frames = len(clip)
    x_a = clip[None]
    x_b = x_a.clone()
    x_b[..., POS] += torch.tensor([1.0, 0.0, 0.0]).repeat(22)
    active, t = torch.tensor([[True, False]]), torch.tensor([100])
    whole = torch.lerp(x_a, x_b, 0.3)
    assert bone_stretch(whole, x_a, x_b, active, t, None) == pytest.approx(0, abs=1e-9)  # float rounding only
    assert bone_stretch(x_a, x_a, x_b, active, t, None) == 0 and bone_stretch(x_b, x_a, x_b, active, t, None) == 0
    wrist = JOINT["left_wrist"]
    x_m = x_a.clone()
    x_m[..., 0, 3 * wrist:3 * wrist + 3] = x_b[..., 0, 3 * wrist:3 * wrist + 3]
    joints = x_a[0, :, 0, POS].reshape(frames, 22, 3)
    forearm = joints[:, wrist] - joints[:, PARENTS[wrist]]
    stretched = (forearm + torch.tensor([1.0, 0.0, 0.0])).norm(dim=-1)
    expected = ((stretched - forearm.norm(dim=-1)) * 100).pow(2).sum() / (frames * 21)
    assert bone_stretch(x_m, x_a, x_b, active, t, None) == pytest.approx(float(expected), rel=1e-4)
    assert bone_stretch(x_m, x_a, x_b, active, torch.tensor([900]), None) == 0
    assert bone_stretch(x_m, x_a, x_b, torch.tensor([[False, True]]), t, None) == 0
    mask = torch.zeros(1, frames)
    mask[:, :5] = 1  # only the first five frames are the clip's
    expected5 = ((stretched - forearm.norm(dim=-1))[:5] * 100).pow(2).sum() / (5 * 21)
    assert bone_stretch(x_m, x_a, x_b, active, t, mask) == pytest.approx(float(expected5), rel=1e-4)


def test_cache_resumes_and_refuses_a_stale_one(setup, tmp_path):
    pair, data, pool, spec, ckpt = setup
    folder = tmp_path / "cache"
    assert build_cache(pair, data, pool, spec, folder, batch_size=4, time_budget_s=1e-9) == 1  # stops after a shard
    first = shard_path(folder, 0).read_bytes()
    assert build_cache(pair, data, pool, spec, folder, batch_size=4) == 2
    assert shard_path(folder, 0).read_bytes() == first  # a finished shard is never made again
    assert len(CachedPredictions(folder, pair)) == 8
    for field, other in (("guidance", 3.0), ("individual_guidance", 3.0), ("individual_taper", [200, 0.5]),
                         ("velocity_readout", not spec.velocity_readout)):
        with pytest.raises(StaleCacheError, match=field):
            build_cache(pair, data, pool, CacheSpec(**{**spec.__dict__, field: other}), folder)
    with pytest.raises(StaleCacheError, match="other denoiser checkpoints"):
        CachedPredictions(folder, pair, denoisers={"interaction.safetensors": "0" * 64})
    with pytest.raises(FileNotFoundError, match="no prediction cache"):
        CachedPredictions(tmp_path / "nothing", pair)


def test_mixer_trains_from_the_cache(setup, tmp_path, monkeypatch):
    import mixermdm_core.text

    monkeypatch.setattr(mixermdm_core.text, "default_encoder", FakeEncoder)
    pair, data, pool, spec, ckpt = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    cfg = TrainConfig(data=DataConfig(text_store=str(tmp_path / "text.npz")), model=TINY, discriminator=TINY,
                      train=MixerOptimConfig(steps=3, batch_size=4, warmup=1, log_every=1, val_every=2))
    final = train_mixer("T", pair, cfg, tmp_path / "run", device="cpu", cache=tmp_path / "cache",
                        denoisers=denoiser_hashes(ckpt))
    info = read_checkpoint(final, "mixer")[2]
    assert info["steps"] == 3 and info["cache"] == str(tmp_path / "cache")
    assert {"d_a", "g_b", "w_std"} <= set(info["curve"][-1])
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    checks = [entry["step"] for entry in log if "val_action_shown" in entry]
    assert checks == [2, 3]  # every val_every steps, and once at the end
    with pytest.raises(StaleCacheError):
        train_mixer("T", pair, cfg, tmp_path / "run2", device="cpu", cache=tmp_path / "cache", denoisers={})


@pytest.mark.parametrize("reach", [False, True])
def test_relation_discriminator_trains_from_the_cache(setup, tmp_path, reach):
    pair, data, pool, spec, ckpt = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    cfg = TrainConfig(model=TINY, discriminator=TINY, train=MixerOptimConfig(
        steps=2, batch_size=4, warmup=1, log_every=1, val_every=0, d_a_relation=True, d_a_reach=reach))
    train_mixer("ST", pair, cfg, tmp_path / "run", device="cpu", cache=tmp_path / "cache")
    state = torch.load(tmp_path / "run" / "state.pt", weights_only=True)
    # D^a reads the pair's relation (and the arms' reach), not two bodies
    assert state["module.d_a"]["inp.weight"].shape[1] == RELATION_DIM + reach * REACH_DIM
    losses = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert all(math.isfinite(entry["d_a"]) and math.isfinite(entry["g_a"]) for entry in losses if "d_a" in entry)


def test_command_line_builds_then_resumes_a_cache(tmp_path, tiny_corpora, monkeypatch):
    import mixermdm_core.text
    from mixermdm_core import train

    monkeypatch.setattr(mixermdm_core.text, "default_encoder", FakeEncoder)
    ckpt = make_tiny_checkpoints(tmp_path / "ckpt", ())
    config = tmp_path / "cache.toml"
    config.write_text(f'[data]\ntext_store = "{tmp_path / "text.npz"}"\n'
                      "[train]\ncache_samples = 6\ncache_frames = 16\ncache_shard = 4\n")
    args = ["mixer-cache", "--config", str(config), "--checkpoints", str(ckpt), "--out", str(tmp_path / "cache")]
    train.main(args)
    assert sorted(p.name for p in (tmp_path / "cache").glob("shard_*")) == ["shard_00000.safetensors", "shard_00001.safetensors"]
    assert len(CachedPredictions(tmp_path / "cache", load_pair(ckpt))) == 6
    train.main(args)  # nothing left to make: the same command returns at once


def test_temporal_prior_measures_flicker_between_valid_frames_only():
    steady = torch.full((2, 5, 2, 22), 0.3)
    assert roughness(steady, None) == 0 and roughness(torch.rand(2, 1, 2, 22), None) == 0  # G and S have no frames
    flicker = steady.clone()
    flicker[:, 1::2] = 0.7  # 0.3, 0.7, 0.3, ... : every step changes by 0.4
    assert roughness(flicker, None) == pytest.approx(0.16)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 0, 0, 0]], dtype=torch.bool)
    padded = flicker.clone()
    padded[:, 3:] = 5.0  # padded frames are never judged
    assert roughness(padded, mask) == pytest.approx(0.16)


def test_planted_feet_prior_measures_only_planted_feet_of_mixed_people_at_low_noise():
    """1 cm/frame of sliding on every foot joint that the mix marks planted costs 1 (cm/frame)^2; feet in the air,
    people without an individual text, padded frames and samples noised beyond GEOMETRY_MAX_T cost nothing."""
    frames = 6
    x = torch.zeros(1, frames, 2, 262)
    pos = x[..., :66].view(1, frames, 2, 22, 3)
    pos[:, :, :, :, 0] = torch.arange(frames, dtype=torch.float)[None, :, None, None] / 100  # everything slides 1 cm/frame
    x[..., 258:262] = 1.0  # both people's feet marked planted
    first, second = torch.tensor([[True, False]]), torch.tensor([[False, True]])
    low, high = torch.tensor([100]), torch.tensor([900])
    assert planted_slide(x, first, low, None).item() == pytest.approx(1.0, rel=1e-4)
    assert planted_slide(x, first, high, None) == 0
    lifted = x.clone()
    lifted[:, :, 0, 258:262] = 0.0
    assert planted_slide(lifted, first, low, None) == 0
    still = x.clone()
    still[:, :, 1, :66] = 0.0  # only person 2 is mixed, and stands still: person 1's sliding feet are not counted
    assert planted_slide(still, second, low, None) == 0
    mask = torch.tensor([[True, True, True, False, False, False]])
    padded = x.clone()
    padded[:, 3:, :, :66] = 5.0  # a jump into the padding is never judged
    assert planted_slide(padded, first, low, mask).item() == pytest.approx(1.0, rel=1e-4)


def test_planted_feet_prior_by_height_reads_the_feet_not_the_contact_channels():
    """With ``by_height`` a foot joint below its contact height at both ends of a step counts as planted whatever
    the contact channels say, and a lifted one does not, even where the channels mark it planted."""
    frames = 6
    x = torch.zeros(1, frames, 2, 262)
    pos = x[..., :66].view(1, frames, 2, 22, 3)
    pos[:, :, :, :, 0] = torch.arange(frames, dtype=torch.float)[None, :, None, None] / 100  # 1 cm/frame, at y = 0
    mixed, low = torch.tensor([[True, False]]), torch.tensor([100])
    assert planted_slide(x, mixed, low, None) == 0  # no contact channel set
    assert planted_slide(x, mixed, low, None, by_height=True).item() == pytest.approx(1.0, rel=1e-4)
    lifted = x.clone()
    lifted[..., 1:66:3] = 0.2  # every joint 20 cm up
    lifted[..., 258:262] = 1.0  # and marked planted
    assert planted_slide(lifted, mixed, low, None).item() == pytest.approx(1.0, rel=1e-4)
    assert planted_slide(lifted, mixed, low, None, by_height=True) == 0


def test_rollout_cache_holds_the_samplers_own_states(setup, tmp_path):
    """Rollouts: every DDIM step of a prompt is one sample, holding what the two-chain sampler gave the strategy
    at that step (here replayed with a plain DiffusionBlending at the weight and seed the rollout drew)."""
    from dataclasses import replace

    from mixermdm_core.composition.sampler import Conditions, composed_sample
    from mixermdm_core.composition.strategies import DiffusionBlending
    from mixermdm_core.training.prediction_cache import rollout_samples

    pair, data, pool, spec, _ = setup
    spec = replace(spec, source="rollouts", steps=4, samples=12, shard_size=12)
    assert build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4) == 1
    cached = CachedPredictions(tmp_path / "cache", pair)
    assert len(cached) == 12 and set(cached.tensors["t"].tolist()) == {999, 666, 333, 0}
    with pytest.raises(ValueError, match="'clips' or 'rollouts'"):
        build_cache(pair, data, pool, replace(spec, source="dreams"), tmp_path / "other")

    text, person_text = data.texts[:2], data.person_texts[:2]
    got = rollout_samples(pair, text, person_text, spec, torch.Generator().manual_seed(0))
    assert got["x_a"].shape == (8, FRAMES, 2, 262) and got["t"].tolist() == [999, 999, 666, 666, 333, 333, 0, 0]
    g = torch.Generator().manual_seed(0)
    weight, seed = torch.rand(2, generator=g)[1].item(), torch.randint(2**31 - 1, (2,), generator=g)[1].item()
    replay = composed_sample(pair, [DiffusionBlending(weight)], Conditions(text[1:], person_text[1:]), FRAMES,
                             spec.steps, (spec.guidance, spec.individual_guidance), [seed])
    assert torch.allclose(got["x_a"][-1], pair.norm_a.normalize(replay.interaction[0]), atol=1e-4)
    # blend_max = 0: each chain follows its own model, so x_a is the interaction model's own sample at that step.
    own = rollout_samples(pair, text, person_text, replace(spec, blend_max=0.0), torch.Generator().manual_seed(0))
    alone = composed_sample(pair, [DiffusionBlending(0.0)], Conditions(text[1:], person_text[1:]), FRAMES,
                            spec.steps, (spec.guidance, spec.individual_guidance), [seed])
    assert torch.allclose(own["x_a"][-1], pair.norm_a.normalize(alone.interaction[0]), atol=1e-4)
    assert not torch.allclose(own["x_a"][-1], got["x_a"][-1], atol=1e-2)


@pytest.mark.parametrize("readout", [False, True])
def test_d_b_reads_motions_as_the_pair_reads_the_individual_model(setup, tmp_path, readout):
    """With the pair's velocity read-out on, D^b's real input is the centred x_b with its positions refitted to its
    velocities (as the sampler reads M^b), so a mix cannot be told from x_b by whether its positions agree with its
    velocities; off, it is x_b as stored."""
    from mixermdm_core.representation.readout import velocity_consistent

    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    pair = replace(pair, velocity_readout=readout)
    batch["person_text"] = torch.randn(4, 2, 384)  # everyone mixed
    batch["x_b_c"][..., POS] += 0.05 * torch.randn_like(batch["x_b_c"][..., POS])  # positions off their velocities
    mixer = small_random(Mixer(TINY, "ST"), 5)
    d_b = Recording(small_random(MotionDiscriminator(TINY, people=1), 7))
    d_a = small_random(MotionDiscriminator(TINY, people=2), 6)
    opt_g = torch.optim.AdamW(mixer.parameters(), lr=1e-4)
    opt_d = torch.optim.AdamW(list(d_a.parameters()) + list(d_b.parameters()), lr=1e-4)
    adversarial_step(pair, mixer, d_a, d_b, opt_g, opt_d, batch, MixerOptimConfig(batch_size=4))
    expected = pair.norm_b.normalize(velocity_consistent(batch["x_b_c"], readout, batch["mask"]))
    assert torch.allclose(d_b.inputs[0], expected[:, :, :1], atol=1e-5)
    as_stored = torch.allclose(d_b.inputs[0], pair.norm_b.normalize(batch["x_b_c"])[:, :, :1], atol=1e-3)
    assert as_stored == (not readout)


def test_r1_penalty_known_answer():
    """For a linear judge x -> sum(a * x) the gradient is a everywhere: the penalty is |a|^2 / 2, weighted by sample."""
    from mixermdm_core.training.adversarial import r1_penalty

    a = torch.randn(6, 3, 2)
    judge = lambda x: (x * a).flatten(1).sum(1)  # noqa: E731
    real = torch.randn(4, 6, 3, 2)
    expected = 0.5 * a.pow(2).sum()
    assert r1_penalty(judge, real, torch.ones(4)).item() == pytest.approx(expected.item(), rel=1e-5)
    quadratic = r1_penalty(lambda x: x.pow(2).flatten(1).sum(1), real, torch.tensor([1.0, 0, 0, 0]))
    assert quadratic.item() == pytest.approx(2 * real[0].pow(2).sum().item(), rel=1e-5)  # grad 2x, half its square


def test_part_wise_d_b_trains_and_a_warm_up_step_leaves_the_mixer(setup, tmp_path):
    """With ``d_b_parts`` D^b scores each body part and is trained on every part; a step with the Mixer's update off
    (``d_warmup``) trains the discriminators exactly as a full step does and leaves the Mixer as it was."""
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["person_text"] = torch.randn(4, 2, 384)
    losses, mixer, _, d_b = one_step(pair, batch, d_b_parts=True)
    untouched = small_random(PartDiscriminator(TINY), 7)
    assert all(math.isfinite(v) for v in losses.values())
    for name in d_b.judges:
        assert any(not torch.equal(p, q) for p, q in zip(d_b.judges[name].parameters(), untouched.judges[name].parameters()))
    warm, still, _, d_warm = one_step(pair, batch, update_mixer=False, d_b_parts=True)
    assert warm["d_b"] == pytest.approx(losses["d_b"])
    assert all(torch.equal(p, q) for p, q in zip(d_warm.parameters(), d_b.parameters()))
    assert all(torch.equal(p, q) for p, q in zip(still.parameters(), small_random(Mixer(TINY, "ST"), 5).parameters()))
    assert any(not torch.equal(p, q) for p, q in zip(mixer.parameters(), still.parameters()))


def test_d_b_r1_enters_the_discriminator_update(setup, tmp_path):
    """The R1 penalty is logged only when on, and it changes D^b's update."""
    pair, data, pool, spec, _ = setup
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=4)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(4))
    batch["person_text"] = torch.randn(4, 2, 384)
    (off, _, _, d_off), (on, _, _, d_on) = (one_step(pair, batch, d_b_r1=w) for w in (0.0, 10.0))
    assert off["d_b_r1"] == 0 and on["d_b_r1"] > 0
    assert any(not torch.equal(p, q) for p, q in zip(d_off.parameters(), d_on.parameters()))
