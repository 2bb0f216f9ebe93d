"""Golden tests: our MixerMDM Mixer (modes G, T, S, ST) against the official implementation
(pabloruizponce/MixerMDM 88f272c), run with ``align=False``: both frozen denoisers, de-normalisation, the
weight network, the official 23 -> 262 weight mapping and the mix. Weights from a stored seed (see
scripts/make_official_goldens.py); agreement to 1e-4.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mixermdm_core.models.official import (DenoiserConfig, In2INDenoiser, Mixer, MixerConfig, MixerMDM,
                                           expand_joint_weights, official_alignment, randomize_,
                                           read_official_mixermdm)

from official_goldens import FIXTURES, TOL, load, t

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
        assert (w1 - t(data[f"weights1{tag}"])).abs().max() < TOL
        assert (w2 - t(data[f"weights2{tag}"])).abs().max() < TOL
        assert (mixed - t(data[f"mixed{tag}"])).abs().max() < TOL
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
    assert (ind - t(data["aligned_ind"])).abs().max() < TOL
    assert (inter - t(data["roundtrip_inter"])).abs().max() < TOL
    assert torch.all(ind[..., 258:262] == 0) and torch.all(ind[..., 520:] == 0)  # contacts dropped


@torch.no_grad()
def test_aligned_st_mixer_matches_official():
    """The released configuration: ST weights with the official alignment (no mask, as in sampling)."""
    data = load("mixer_st.npz")
    mixer = build(data)
    mixer.align = official_alignment
    mixed = mixer(t(data["x1"]), t(data["t"]), cond=t(data["cond"]), mask=None, x2=t(data["x2"]))
    assert (mixer.last_weights[0] - t(data["weights1_aligned"])).abs().max() < TOL
    assert (mixer.last_weights[1] - t(data["weights2_aligned"])).abs().max() < TOL
    assert (mixed - t(data["mixed_aligned"])).abs().max() < TOL
