"""Training sources: the corpus, HumanML3D and InterHuman behind one interface; HumanML3D trains M^b."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from mixermdm_core.data.batching import ClipBatcher
from mixermdm_core.data.humanml3d_reader import HumanML3DReader
from mixermdm_core.models.pretrained import load_denoiser
from mixermdm_core.representation.interhuman import features_to_joints, mirror_features
from mixermdm_core.train import main as train_main
from mixermdm_core.training.sources import pack, put_person2_on_right, swap_sides
from mixermdm_core.training import datasets
from mixermdm_core.training.recipe import DataConfig
from mixermdm_core.training.sources import MIN_CLIP_FRAMES, individual_clips, interaction_clips, parse_source

HUMANML3D = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "humanml3d"
needs_fixtures = pytest.mark.skipif(not HUMANML3D.is_dir(), reason=f"reference files not found at {HUMANML3D}")


@pytest.mark.parametrize("spec", ["nope:x", "corpus:x", "humanml3d", "humanml3d:"])
def test_bad_sources_say_what_is_accepted(spec):
    with pytest.raises(ValueError, match="'corpus', 'humanml3d:PATH' or 'interhuman:PATH'"):
        parse_source(spec)


def test_items_may_share_a_clip():
    features = np.arange(10, dtype=np.float32).reshape(10, 1, 1)
    batcher = ClipBatcher(features, np.array([0, 4, 10]), 8, clip_of=np.array([0, 0, 1]))
    x, mask = batcher.gather(torch.tensor([1, 2]))
    assert len(batcher) == 3 and mask.sum(1).tolist() == [4, 6]
    assert x[0, :4, 0, 0].tolist() == [0, 1, 2, 3] and x[1, :6, 0, 0].tolist() == [4, 5, 6, 7, 8, 9]


@needs_fixtures
def test_humanml3d_gives_one_centred_clip_per_caption():
    cfg = DataConfig(source=f"humanml3d:{HUMANML3D}")
    clips = individual_clips(cfg, "train")
    reader = HumanML3DReader(HUMANML3D)
    captions = [c.text for clip in sorted(p.stem for p in (HUMANML3D / "texts").glob("*.txt"))
                for c in reader.captions(clip)]
    assert clips.features.shape[1:] == (1, 262) and clips.features.dtype == np.float16
    assert 0 < len(clips) <= len(captions) and set(clips.texts) <= set(captions)
    for i in range(len(clips)):
        clip = clips.packed(i).astype(np.float32)
        assert len(clip) >= MIN_CLIP_FRAMES
        root = features_to_joints(torch.from_numpy(clip[0, 0]))[0]
        assert abs(float(root[0])) < 1e-2 and abs(float(root[2])) < 1e-2  # centred at frame 0
    with pytest.raises(ValueError, match="one person per clip"):
        interaction_clips(cfg, "train")


@needs_fixtures
@pytest.mark.slow
def test_train_individual_on_humanml3d(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "STATS_DIR", tmp_path / "stats")
    config = tmp_path / "tiny.toml"
    config.write_text(f'[data]\nmax_frames = 32\ntext_store = "{tmp_path / "text.npz"}"\n'
                      "[model]\nlatent = 32\nlayers = 1\nheads = 2\nff = 64\n"
                      "[train]\nsteps = 3\nbatch_size = 2\nwarmup = 1\nlog_every = 1\nval_every = 2\nsave_every = 2\n")
    out = tmp_path / "run"
    train_main(["individual", "--config", str(config), "--data", f"humanml3d:{HUMANML3D}", "--out", str(out)])
    net, norm = load_denoiser(out / "individual.safetensors", "individual")
    assert net.cfg.latent == 32 and norm.mean.shape == (262,)


def _pair_clip(x2: float, z2: float, frames: int = 6) -> np.ndarray:
    """A (frames, 2, 262) clip: person 1 at the origin, person 2's joints around (x2, z2)."""
    g = np.random.default_rng(int(10 * x2 + z2) % 7)
    clip = g.normal(size=(frames, 2, 262)).astype(np.float32) * 0.05
    clip[:, 1, 0:66:3] += x2
    clip[:, 1, 2:66:3] += z2
    return clip


def test_person2_beside_on_the_left_is_mirrored_to_the_right():
    clips = pack([_pair_clip(0.8, 0.1), _pair_clip(-0.8, 0.0), _pair_clip(0.3, 1.4)],
                 ["walk side by side", "walk side by side", "shake right hands"],
                 [("walks on the Left", "walks"), ("walks", "on the left"), ("a", "b")])
    out = put_person2_on_right(clips)
    assert out.packed(0)[0, 1, 0] == pytest.approx(-0.8 - float(clips.packed(0)[0, 1, 0] - 0.8), abs=1e-3)
    assert np.array_equal(out.packed(1), clips.packed(1)) and np.array_equal(out.packed(2), clips.packed(2))
    assert out.person_texts[0] == ("walks on the Right", "walks") and out.texts[2] == "shake right hands"
    mirrored = torch.from_numpy(clips.packed(0).astype(np.float32))
    assert torch.allclose(torch.from_numpy(out.packed(0).astype(np.float32)), mirror_features(mirrored), atol=1e-2)


def test_swap_sides_exchanges_whole_words_only():
    assert swap_sides("Left hand up, then the right; not outright") == "Right hand up, then the left; not outright"
