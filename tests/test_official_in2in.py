"""Golden tests: our in2IN networks against the official implementation (pabloruizponce/in2IN 7185b30).

The fixtures hold inputs and the official outputs computed on weights drawn by ``randomize_`` from a stored
seed (scripts/make_official_goldens.py); each test rebuilds the same weights and must agree to 1e-4.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from mixermdm_core.models.official import ClipConfig, ClipTextTower, DenoiserConfig, In2IN, In2INDenoiser, randomize_

from official_goldens import FIXTURES, close, load, t

pytestmark = pytest.mark.usefixtures("one_thread")


def small_config(data: dict[str, np.ndarray], prefix: str = "") -> DenoiserConfig:
    return DenoiserConfig(**{k: int(data[prefix + k]) for k in ("latent_dim", "ff_size", "num_layers", "num_heads")})


@pytest.mark.parametrize("mode", ["interaction", "individual"])
@torch.no_grad()
def test_denoiser_matches_official(mode):
    data = load(f"in2in_{mode}.npz")
    net = randomize_(In2INDenoiser(mode, small_config(data)), int(data["seed"])).eval()
    free = net(t(data["x"]), t(data["t"]), mask=None, cond=t(data["cond"]))
    masked = net(t(data["x"]), t(data["t"]), mask=t(data["mask"]), cond=t(data["cond"]))
    assert free.shape == data["out"].shape
    assert close(free, t(data["out"]))
    assert close(masked, t(data["out_masked"]))
    assert (t(data["out"]) - t(data["out_masked"])).abs().max() > 1e-3  # the padding mask matters


@torch.no_grad()
def test_text_path_matches_official():
    """CLIP tower (openai/CLIP's classes, 2 layers, small vocabulary) + the trainable head + end-of-text pick."""
    data = load("in2in_text.npz")
    clip = ClipConfig(layers=int(data["clip_layers"]), vocab=int(data["clip_vocab"]))
    for mode in ("interaction", "individual"):
        model = randomize_(In2IN(mode, small_config(data), clip=clip), int(data[f"seed_{mode}"])).eval()
        cond = model.encode_tokens(t(data["tokens"]))
        assert close(cond, t(data[f"cond_{mode}"]))


@torch.no_grad()
def test_text_head_runs_past_clip():
    """Without CLIP's weights, CLIP's output can be fed straight to the head (and CLIP keys are set aside)."""
    data = load("in2in_text.npz")
    clip = ClipConfig(layers=int(data["clip_layers"]), vocab=int(data["clip_vocab"]))
    full = randomize_(In2IN("individual", small_config(data), clip=clip), 5).eval()
    bare = In2IN("individual", small_config(data), with_clip=False).eval()
    bare.load_official(full.state_dict(), strict=True)
    tokens = t(data["tokens"])
    clip_out = ClipTextTower.run(full, tokens)
    assert torch.allclose(bare.sentence(clip_out, tokens), full.encode_tokens(tokens))
    assert not any(ClipTextTower.is_clip_key(k) for k in bare.state_dict())


@pytest.mark.parametrize("mode", ["interaction", "individual"])
def test_full_size_names_and_shapes_match_official(mode):
    """At the released sizes (and full CLIP ViT-L/14 text tower) every official tensor name and shape."""
    reference = json.loads((FIXTURES / "names.json").read_text())[f"in2in_{mode}"]
    with torch.device("meta"):
        model = In2IN(mode)
    ours = {k: list(v.shape) for k, v in model.state_dict().items()}
    assert ours == reference
    assert len(ours) == 346
