"""Golden tests: our InterGen network against the official implementation (tr3e/InterGen b1750df).

The fixture holds inputs and the official outputs computed on weights drawn by ``randomize_`` from a stored
seed (scripts/make_official_goldens.py --intergen); each test rebuilds the same weights and must agree to 1e-4.
"""
from __future__ import annotations

import json

import pytest
import torch

from mixermdm_core.models.official import ClipConfig, DenoiserConfig, In2INDenoiser, InterGen, InterGenDenoiser, randomize_

from official_goldens import FIXTURES, close, load, t

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module")
def data():
    return load("intergen.npz")


def small_config(data) -> DenoiserConfig:
    return DenoiserConfig(**{k: int(data[k]) for k in ("latent_dim", "ff_size", "num_layers", "num_heads")})


@torch.no_grad()
def test_denoiser_matches_official(data):
    net = randomize_(InterGenDenoiser(small_config(data)), int(data["seed"])).eval()
    free = net(t(data["x"]), t(data["t"]), mask=None, cond=t(data["cond"]))
    masked = net(t(data["x"]), t(data["t"]), mask=t(data["mask"]), cond=t(data["cond"]))
    assert free.shape == data["out"].shape == (2, 16, 524)
    assert close(free, t(data["out"]))
    assert close(masked, t(data["out_masked"]))
    assert (t(data["out"]) - t(data["out_masked"])).abs().max() > 1e-3  # the padding mask matters


@torch.no_grad()
def test_one_condition_drives_every_block(data):
    """InterGen is in2IN's interaction network fed the interaction sentence in all three condition slots."""
    cfg = small_config(data)
    ours = randomize_(InterGenDenoiser(cfg), 3).eval()
    in2in = In2INDenoiser("interaction", cfg).eval()
    in2in.load_state_dict(ours.state_dict(), strict=True)
    x, steps, cond = t(data["x"]), t(data["t"]), t(data["cond"])
    assert torch.allclose(ours(x, steps, cond=cond), in2in(x, steps, cond=cond.repeat(1, 3)), atol=1e-6)


@torch.no_grad()
def test_text_path_matches_official(data):
    """CLIP tower (openai/CLIP's classes, small) + InterGen's own sentence head, through the whole module."""
    clip = ClipConfig(layers=int(data["clip_layers"]), vocab=int(data["clip_vocab"]))
    model = randomize_(InterGen(small_config(data), clip=clip), int(data["text_seed"])).eval()
    assert close(model.encode_tokens(t(data["tokens"])), t(data["cond_text"]))
    bare = InterGen(small_config(data), with_clip=False)
    bare.load_official(model.state_dict(), strict=True)  # CLIP's weights set aside
    assert torch.equal(bare.denoiser.out.linear.weight, model.denoiser.out.linear.weight)


def test_full_size_names_and_shapes_match_official():
    """At the released size (configs/model.yaml) and with CLIP ViT-L/14's text tower: every official name and shape."""
    reference = json.loads((FIXTURES / "names.json").read_text())["intergen"]
    with torch.device("meta"):
        model = InterGen()
    assert {k: list(v.shape) for k, v in model.state_dict().items()} == reference
