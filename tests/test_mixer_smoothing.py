"""Frame smoothing of T/ST weights: what it keeps, what it removes, and that checkpoints carry it."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core.models.io import save_checkpoint
from mixermdm_core.models.mixer import Mixer, smooth_over_frames
from mixermdm_core.models.pretrained import load_mixer

from test_app_fixtures import TINY, small_random


def roughness(w: torch.Tensor) -> float:
    return float((w[:, 1:] - w[:, :-1]).abs().mean())


def test_constant_weights_are_kept_and_window_one_is_the_identity():
    w = torch.full((3, 40, 22), 0.3)
    assert torch.allclose(smooth_over_frames(w, 9), w)
    jumpy = torch.rand(3, 40, 22, generator=torch.Generator().manual_seed(0))
    assert torch.allclose(smooth_over_frames(jumpy, 1), jumpy)


def test_smoothing_removes_frame_to_frame_jumps_but_keeps_a_slow_change():
    frames = torch.arange(60.0)
    slow = (frames / 59)[None, :, None]  # 0 -> 1 over two seconds
    jitter = 0.2 * (frames % 2 - 0.5)[None, :, None]
    smoothed = smooth_over_frames(slow + jitter, 9)
    assert roughness(smoothed) < roughness(slow + jitter) / 5
    assert torch.allclose(smoothed[:, 10:-10], slow[:, 10:-10], atol=0.03)
    assert ((smoothed >= slow.min() - 0.1) & (smoothed <= slow.max() + 0.1)).all()


def test_padded_frames_do_not_leak_into_valid_ones():
    w = torch.rand(2, 30, 1, generator=torch.Generator().manual_seed(1))
    valid = torch.ones(2, 30, 1)
    valid[1, 20:] = 0
    other = w.clone()
    other[1, 20:] = 1e3  # whatever the padded frames hold
    a, b = smooth_over_frames(w, 7, valid), smooth_over_frames(other, 7, valid)
    assert torch.allclose(a[1, :20], b[1, :20])
    assert torch.allclose(a[1, :20], smooth_over_frames(w[1:, :20], 7)[0])


@pytest.mark.parametrize("granularity", ["T", "ST"])
@torch.no_grad()
def test_smoothing_mixer_is_smoother_and_round_trips(granularity, tmp_path):
    raw = small_random(Mixer(TINY, granularity), 3, std=0.3).eval()
    smooth = Mixer(TINY, granularity, frame_smoothing=9).eval()
    smooth.load_state_dict(raw.state_dict())
    g = torch.Generator().manual_seed(2)
    x_a, x_b = torch.randn(2, 48, 2, 262, generator=g), torch.randn(2, 48, 2, 262, generator=g)
    args = (x_a, x_b, torch.tensor([900, 100]), torch.randn(2, 384, generator=g), torch.randn(2, 2, 384, generator=g))
    w_raw, w_smooth = raw(*args), smooth(*args)
    assert w_smooth.shape == w_raw.shape and ((w_smooth >= 0) & (w_smooth <= 1)).all()
    assert roughness(w_smooth) < roughness(w_raw)
    path = save_checkpoint(tmp_path / "m.safetensors", smooth, "mixer",
                           {**TINY.to_dict(), "granularity": granularity, "frame_smoothing": 9}, {},
                           dtype=torch.float32)
    loaded = load_mixer(path)
    assert loaded.frame_smoothing == 9
    assert torch.allclose(loaded(*args), w_smooth, atol=1e-5)


def test_frame_smoothing_must_be_an_odd_window():
    with pytest.raises(ValueError, match="odd"):
        Mixer(TINY, "ST", frame_smoothing=4)
