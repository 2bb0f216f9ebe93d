"""The ONNX Runtime sampling backend computes what the PyTorch networks compute, at any batch and length."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.models.mixer import Mixer
from mixermdm_core.models.onnx_backend import ENV, OnnxNetwork, default_backend, on_onnxruntime

from test_app_fixtures import TINY, small_random

pytest.importorskip("onnxruntime")


def inputs(kind: str, batch: int, frames: int) -> tuple[torch.Tensor, ...]:
    g = torch.Generator().manual_seed(batch * 100 + frames)
    t = torch.randint(0, 1000, (batch,), generator=g)
    motion = torch.randn(batch, frames, 2, 262, generator=g)
    text, person = torch.randn(batch, 384, generator=g), torch.randn(batch, 2, 384, generator=g)
    if kind == "individual":
        return motion[:, :, 0], t, text
    if kind == "interaction":
        return motion, t, text, person
    return motion, torch.randn_like(motion), t, text, person


@pytest.mark.parametrize("kind,net", [("interaction", lambda: InteractionDenoiser(TINY)),
                                      ("individual", lambda: IndividualDenoiser(TINY)),
                                      ("mixer", lambda: Mixer(TINY, "ST")), ("mixer", lambda: Mixer(TINY, "G")),
                                      ("mixer", lambda: Mixer(TINY, "T", frame_smoothing=5))])
@torch.no_grad()
def test_same_outputs_at_other_batch_sizes_and_lengths(kind, net):
    net = small_random(net(), 3, std=0.05).eval()
    fast = on_onnxruntime(net, kind)
    assert isinstance(fast, OnnxNetwork) and fast.cfg is net.cfg  # attributes pass through
    for batch, frames in ((1, 30), (5, 97)):
        args = inputs(kind, batch, frames)
        ours, ref = fast(*args, None), net(*args, None)
        assert ours.shape == ref.shape, (batch, frames)
        assert torch.allclose(ours, ref, atol=1e-4), (batch, frames)


@torch.no_grad()
def test_padded_calls_and_gradients_go_to_pytorch():
    net = small_random(IndividualDenoiser(TINY), 4, std=0.05).eval()
    fast = on_onnxruntime(net, "individual")
    x, t, text = inputs("individual", 2, 20)
    mask = torch.ones(2, 20, dtype=torch.bool)
    mask[1, 12:] = False
    assert torch.equal(fast(x, t, text, mask), net(x, t, text, mask))  # the graph has no mask input
    with torch.enable_grad():
        x = x.requires_grad_()
        fast(x, t, text, None).sum().backward()
    assert x.grad is not None


def test_backend_choice(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert default_backend("cpu", "fp32") == "onnxruntime"
    assert default_backend("cpu", "bf16") == "torch"  # bfloat16 kernels are PyTorch's
    assert default_backend("cuda", "fp32") == "torch"
    monkeypatch.setenv(ENV, "torch")
    assert default_backend("cpu", "fp32") == "torch"
    monkeypatch.setenv(ENV, "tensorrt")
    with pytest.raises(ValueError, match=ENV):
        default_backend("cpu", "fp32")
