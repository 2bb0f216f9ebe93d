"""Training sources: the corpus, HumanML3D and InterHuman behind one interface; HumanML3D trains M^b."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from mixermdm_core.data.batching import ClipBatcher
from mixermdm_core.data.humanml3d_reader import HumanML3DReader
from mixermdm_core.models.pretrained import load_denoiser
from mixermdm_core.representation.interhuman import features_to_joints
from mixermdm_core.train import main as train_main
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
