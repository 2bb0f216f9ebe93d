"""Golden tests: our MixerMDM Mixer (modes G, T, S, ST) against the official implementation
(pabloruizponce/MixerMDM 88f272c), run with ``align=False``: both frozen denoisers, de-normalisation, the
weight network, the official 23 -> 262 weight mapping and the mix; then the released ST Mixer with the
official alignment, and one whole step of the official sampler. Weights from a stored seed (see
scripts/make_official_goldens.py); agreement to 1e-4.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mixermdm_core.diffusion import NoiseSchedule, cfg_combine, ddim_step
from mixermdm_core.models.official import (DenoiserConfig, In2INDenoiser, Mixer, MixerConfig, MixerMDM,
                                           expand_joint_weights, official_alignment, randomize_,
                                           read_official_mixermdm)
from mixermdm_core.models.official.alignment import orthonormal_6d
from mixermdm_core.representation.interhuman import CONTACT, ROT, RigidTransform, features_to_joints
from mixermdm_core.representation.normalization import Normalizer
from mixermdm_core.rotations import yaw_matrix
from mixermdm_core.skeleton import JOINT

from official_goldens import FIXTURES, close, load, t

pytestmark = pytest.mark.usefixtures("one_thread")


def build(data: dict[str, np.ndarray]) -> Mixer:
    sizes = ("latent_dim", "ff_size", "num_layers", "num_heads")
    den = DenoiserConfig(**{k: int(data[f"denoiser_{k}"]) for k in sizes})
    cfg = MixerConfig(mixing_mode=int(data["mixing_mode"]), **{k: int(data[k]) for k in sizes})
    mixer = Mixer(In2INDenoiser("individual", den), In2INDenoiser("interaction", den), cfg)
    randomize_(mixer, int(data["seed"])).eval()
    return mixer.set_statistics(data["ind_mean"], data["ind_std"], data["int_mean"], data["int_std"])


@pytest.mark.parametrize("mode", ["g", "t", "s", "st"])
@torch.no_grad()
def test_mixer_matches_official(mode):
    data = load(f"mixer_{mode}.npz")
    mixer = build(data)
    for tag, mask in (("", None), ("_masked", t(data["mask"]))):
        mixed = mixer(t(data["x1"]), t(data["t"]), cond=t(data["cond"]), mask=mask, x2=t(data["x2"]))
        w1, w2 = mixer.last_weights
        assert w1.shape == data[f"weights1{tag}"].shape
        assert close(w1, t(data[f"weights1{tag}"]))
        assert close(w2, t(data[f"weights2{tag}"]))
        assert close(mixed, t(data[f"mixed{tag}"]))
    weights = t(data["weights1"])
    assert weights.min() > 0 and weights.max() < 1 and weights.std() > 1e-3  # not a constant by accident


def test_joint_weight_mapping_is_the_official_one():
    """Output j < 22 -> joint j's position and velocity; rotations of joints 1..21 <- outputs 0..20 (the
    official off-by-one); output 22 -> the four contacts."""
    raw = torch.arange(23, dtype=torch.float32)
    w = expand_joint_weights(raw)
    assert w.shape == (262,)
    assert torch.equal(w[:66].reshape(22, 3), raw[:22, None].expand(22, 3))
    assert torch.equal(w[66:132], w[:66])
    assert torch.equal(w[132:258].reshape(21, 6), raw[:21, None].expand(21, 6))
    assert torch.equal(w[258:], torch.full((4,), 22.0))


def test_full_size_names_and_shapes_match_official():
    """The whole released MixerMDM module (both in2IN models with CLIP, Mixer, discriminators, Mixer text
    head) at the released sizes: every official tensor name and shape."""
    reference = json.loads((FIXTURES / "names.json").read_text())["mixermdm"]
    with torch.device("meta"):
        model = MixerMDM()
    assert {k: list(v.shape) for k, v in model.state_dict().items()} == reference
    assert model.mixing.denoiser1 is model.model1.denoiser and model.denoiser2 is model.model2.denoiser
    assert model.model2.token_embedding is model.token_embedding
    assert model.model2.positional_embedding is not model.positional_embedding  # its own, as officially


@torch.no_grad()
def test_lightning_prefix_is_removed(tmp_path):
    """The released file prefixes keys with ``model.`` and carries non-tensor metadata."""
    state = {f"model.mixing.{k}": v for k, v in build(load("mixer_st.npz")).influence.state_dict().items()}
    torch.save({"state_dict": state, "epoch": 3, "hyper_parameters": {"lr": 1e-5}}, tmp_path / "MixerMDM.ckpt")
    read = read_official_mixermdm(tmp_path / "MixerMDM.ckpt")
    assert set(read) == {k.removeprefix("model.") for k in state}


@torch.no_grad()
def test_alignment_matches_official():
    """Individual x0 moved onto the interaction x0 (ih_to_smpl, align_motions, smpl_to_ih in the official code)."""
    data = load("alignment.npz")
    ind, inter = official_alignment(t(data["inter"]), t(data["ind"]), None)
    assert close(ind, t(data["aligned_ind"]))
    assert close(inter, t(data["roundtrip_inter"]))
    assert torch.all(ind[..., 258:262] == 0) and torch.all(ind[..., 520:] == 0)  # contacts dropped


@torch.no_grad()
def test_aligned_st_mixer_matches_official():
    """The released configuration: ST weights with the official alignment (no mask, as in sampling)."""
    data = load("mixer_st.npz")
    mixer = build(data)
    mixer.align = official_alignment
    mixed = mixer(t(data["x1"]), t(data["t"]), cond=t(data["cond"]), mask=None, x2=t(data["x2"]))
    assert close(mixer.last_weights[0], t(data["weights1_aligned"]))
    assert close(mixer.last_weights[1], t(data["weights2_aligned"]))
    assert close(mixed, t(data["mixed_aligned"]))


def official_centring(x: torch.Tensor) -> torch.Tensor:
    """One person's raw features (B, T, 262) centred as the official sampler centres the mix before the
    individual chain (``center_motion`` inside ``ih_to_smpl``/``smpl_to_ih``): floor at 0, frame-0 root at the
    xz origin, frame-0 facing from the hips alone turned to +Z; the round trip returns the rotations
    orthonormalised and the contacts zero. Our ``composition.centering`` faces by hips and shoulders
    (``kinematics.facing_direction``) and keeps rotations and contacts as they are."""
    joints = features_to_joints(x)
    across = joints[:, 0, JOINT["right_hip"]] - joints[:, 0, JOINT["left_hip"]]
    forward = torch.cross(torch.tensor([0.0, 1.0, 0.0]).expand_as(across), across, dim=-1)
    yaw = -torch.atan2(forward[:, 0], forward[:, 2])
    root = joints[:, 0, 0] * torch.tensor([1.0, 0.0, 1.0])
    shift = -(yaw_matrix(yaw) @ root.unsqueeze(-1)).squeeze(-1)
    moved = RigidTransform(yaw, shift, joints[..., 1].amin(dim=(1, 2))).apply(x)
    rotations = orthonormal_6d(moved[..., ROT].unflatten(-1, (21, 6))).flatten(-2)
    return torch.cat((moved[..., :ROT.start], rotations, torch.zeros_like(x[..., CONTACT])), dim=-1)


@torch.no_grad()
def test_sampler_step_matches_official():
    """One DDIM step of the official sampler (MixerDiffusion.ddim_sample, 88f272c) at t = 700 -> 680, rebuilt
    from our pieces: the Mixer with the official alignment run on the conditioned and the unconditioned
    (all eight sentences zeroed) inputs, guidance on the mixed x0, the mix normalised for the interaction chain
    and centred then normalised for the individual chain (the chain ``individual_chain="mix"`` names), and
    one deterministic DDIM update of each chain on the 1000-step cosine schedule. ``composed_sample`` is not
    this step even with ``individual_chain="mix"``: it guides each model before mixing, aligns and centres its
    own way and maps 22 joint weights (models/official/adapters.py, README "Design notes")."""
    data = load("mixer_step.npz")
    mixer = build(data)
    mixer.align = official_alignment
    x1, x2, cond = t(data["x1"]), t(data["x2"]), t(data["cond"])
    b, step, step_prev = x1.shape[0], int(data["t"]), int(data["t_prev"])
    both = lambda x: torch.cat((x, x))  # noqa: E731  (conditioned rows, then unconditioned)
    steps, conds = torch.full((2 * b,), step), torch.cat((cond, torch.zeros_like(cond)))
    ind, inter = mixer.predictions(both(x1), both(x2), steps, conds)
    assert close(ind, t(data["out1"]))
    assert close(inter, t(data["out2"]))
    mixed = mixer(both(x1), steps, cond=conds, x2=both(x2))
    columns = [*range(0, 66, 3), 258]  # one feature per ST head output (joint j's x position; the contacts)
    for ours, theirs in zip(mixer.last_weights, (data["weights1"], data["weights2"])):
        assert close(ours[..., columns], t(theirs))
    mix = cfg_combine(mixed[:b], mixed[b:], float(data["guidance"]))
    assert close(mix, t(data["mix"]))
    people = mix.unflatten(-1, (2, 262))
    norm_ind = Normalizer(data["ind_mean"], data["ind_std"])
    norm_int = Normalizer(data["int_mean"], data["int_std"])
    x0_ind = norm_ind.normalize(torch.stack([official_centring(people[:, :, k]) for k in range(2)], dim=2))
    assert close(x0_ind.flatten(-2), t(data["x0_individual"]))
    schedule = NoiseSchedule()
    next_x1 = ddim_step(x1, x0_ind.flatten(-2), step, step_prev, schedule)
    next_x2 = ddim_step(x2, norm_int.normalize(people).flatten(-2), step, step_prev, schedule)
    assert close(next_x1, t(data["next_x1"]))
    assert close(next_x2, t(data["next_x2"]))
    assert t(data["weights1"]).std() > 1e-3  # not a constant by accident
