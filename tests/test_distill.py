"""A Mixer that reads blocks of frames (frame_stride), and distilling a trained Mixer into one."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core.models.io import read_checkpoint, save_checkpoint
from mixermdm_core.models.mixer import Mixer, pool_frames
from mixermdm_core.models.onnx_backend import on_onnxruntime
from mixermdm_core.models.pretrained import load_mixer
from mixermdm_core.training.distill import distill_mixer, weight_gap
from mixermdm_core.training.prediction_cache import CachedPredictions, CacheSpec, build_cache, denoiser_hashes
from mixermdm_core.training.recipe import MixerOptimConfig, TrainConfig

from test_app_fixtures import TINY, small_random
from test_prediction_cache import tiny_mixing_inputs

FRAMES = 22  # not a multiple of the stride: the last block is short


def _inputs(batch: int = 2, frames: int = FRAMES, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    x = lambda *shape: torch.randn(*shape, generator=g)  # noqa: E731
    return x(batch, frames, 2, 262), x(batch, frames, 2, 262), torch.tensor([10, 700])[:batch], x(batch, 384), x(batch, 2, 384)


def test_pooled_frames_average_valid_frames_per_block():
    x = torch.arange(10.0).reshape(1, 5, 2)  # frames 0..4, two channels
    valid = torch.tensor([1.0, 1, 1, 1, 0]).reshape(1, 5, 1)
    pooled, any_valid = pool_frames(x, 2, valid)
    assert torch.equal(pooled[0, :, 0], torch.tensor([1.0, 5.0, 0.0]))  # (0+2)/2, (4+6)/2, an empty block
    assert torch.equal(any_valid[0, :, 0], torch.tensor([1.0, 1.0, 0.0]))


@pytest.mark.parametrize("granularity", ["G", "T", "S", "ST"])
def test_strided_mixer_gives_every_frame_its_blocks_weight(granularity):
    mixer = small_random(Mixer(TINY, granularity, frame_stride=4), 1).eval()
    with torch.no_grad():
        w = mixer(*_inputs())
    frames = FRAMES if "T" in granularity else 1
    assert w.shape == (2, frames, 2, 22 if "S" in granularity else 1)
    if "T" in granularity:  # constant within each block of 4 frames, the short last one included
        blocks = torch.arange(FRAMES) // 4
        assert all(torch.equal(w[:, f], w[:, 4 * b]) for f, b in enumerate(blocks.tolist()))
    # Padded frames change nothing: a masked batch row equals the same row cropped to its valid frames (whole blocks).
    mask = torch.ones(2, FRAMES, dtype=torch.bool)
    mask[1, 16:] = False
    x_a, x_b, t, text, person = _inputs()
    with torch.no_grad():
        masked = mixer(x_a, x_b, t, text, person, mask)[1:, :16 if "T" in granularity else 1]
        cropped = mixer(x_a[1:, :16], x_b[1:, :16], t[1:], text[1:], person[1:])
    assert torch.allclose(masked, cropped, atol=1e-5)
    with pytest.raises(ValueError, match="frame_stride"):
        Mixer(TINY, granularity, frame_stride=0)


def test_strided_mixer_runs_the_same_on_onnxruntime():
    mixer = small_random(Mixer(TINY, "ST", frame_smoothing=5, frame_stride=4), 2).eval()
    onnx = on_onnxruntime(mixer, "mixer")
    with torch.no_grad():
        for frames in (FRAMES, 61):
            args = _inputs(frames=frames)
            assert torch.allclose(onnx(*args), mixer(*args), atol=1e-5)


def test_distilled_mixer_moves_towards_its_teacher_and_records_its_stride(tmp_path):
    pair, data, pool, ckpt = tiny_mixing_inputs(tmp_path / "ckpt", FRAMES)
    spec = CacheSpec(samples=16, frames=FRAMES, guidance=2.0, swap_person_text=0.0, seed=3, shard_size=8,
                     denoisers=denoiser_hashes(ckpt))
    build_cache(pair, data, pool, spec, tmp_path / "cache", batch_size=8)
    teacher_path = tmp_path / "mixer_st.safetensors"  # default initialisation: weights that vary, unlike small_random's
    save_checkpoint(teacher_path, Mixer(TINY, "ST", frame_smoothing=3), "mixer",
                    {**TINY.to_dict(), "granularity": "ST", "frame_smoothing": 3}, {})
    teacher = load_mixer(teacher_path)
    batch = CachedPredictions(tmp_path / "cache", pair).batch(torch.arange(16))
    assert weight_gap(teacher, teacher, pair, batch) == 0

    cfg = TrainConfig(train=MixerOptimConfig(steps=40, batch_size=16, lr=3e-3, warmup=1, ema=0.0, log_every=10,
                                             frame_stride=4))
    final = distill_mixer(teacher_path, pair, cfg, tmp_path / "run", tmp_path / "cache", "cpu")
    config, _, info = read_checkpoint(final, "mixer")
    assert config["frame_stride"] == 4 and info["steps"] == 40 and info["distilled_from"] == str(teacher_path)
    student = load_mixer(final)
    start = Mixer(teacher.cfg, "ST", teacher.frame_smoothing, frame_stride=4)
    start.load_state_dict(teacher.state_dict())  # where distillation began
    assert student.frame_stride == 4
    # Random inputs vary from frame to frame, which one weight per block cannot follow: the gap shrinks, not vanishes.
    assert weight_gap(student, teacher, pair, batch) < 0.8 * weight_gap(start, teacher, pair, batch)
