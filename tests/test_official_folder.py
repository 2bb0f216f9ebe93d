"""A folder of official-format files (in2IN / MixerMDM Lightning checkpoints, statistics, CLIP's tokenizer file),
made here from seeded random weights at a small size, runs in the pipelines, the CLI and the app."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from mixermdm_core.composition.pipeline import ComposedPipeline, IndividualPipeline, InteractionPipeline
from mixermdm_core.models.io import CheckpointError
from mixermdm_core.models.official import (ClipConfig, DenoiserConfig, DiscriminatorConfig, In2IN, MixerConfig,
                                           MixerMDM, randomize_)
from mixermdm_core.models.official.folder import OfficialFiles, is_official_folder
from mixermdm_core.text.clip_tokenizer import ClipTokenizer

from official_goldens import FIXTURES

SMALL = DenoiserConfig(latent_dim=32, ff_size=64, num_layers=1, num_heads=8)


def lightning(path, module: torch.nn.Module) -> None:
    """Save as PyTorch Lightning does: the state dict under ``state_dict``, keys prefixed with ``model.``."""
    torch.save({"epoch": 1, "state_dict": {f"model.{k}": v for k, v in module.state_dict().items()}}, path)


def make_official_folder(folder, separate_denoisers: bool = True, mode: int = 4):
    folder.mkdir()
    shutil.copy(FIXTURES / "bpe_small.txt.gz", folder / "bpe_simple_vocab_16e6.txt.gz")
    clip = ClipConfig(layers=1, vocab=len(ClipTokenizer(FIXTURES / "bpe_small.txt.gz")))
    whole = randomize_(MixerMDM(MixerConfig(latent_dim=32, ff_size=64, num_layers=1, mixing_mode=mode), SMALL, SMALL,
                                DiscriminatorConfig(latent_dim=32, ff_size=64, num_layers=1), clip=clip), 3)
    lightning(folder / "MixerMDM.ckpt", whole)
    if separate_denoisers:
        lightning(folder / "in2IN.ckpt", randomize_(In2IN("interaction", SMALL, clip=clip), 1))
        lightning(folder / "individual.ckpt", randomize_(In2IN("individual", SMALL, clip=clip), 2))
    rng = np.random.default_rng(0)
    for prefix, name in (("interhuman", "interhuman"), ("hml3d", "hml3d")):
        np.save(folder / f"{name}_mean.npy", rng.normal(0, 0.1, 262).astype(np.float32))
        np.save(folder / f"{prefix}_std.npy", np.full(262, 0.05, np.float32))
    return folder


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    return make_official_folder(tmp_path_factory.mktemp("o") / "official")


def test_every_strategy_samples_from_an_official_folder(official):
    assert is_official_folder(official) and not is_official_folder(FIXTURES)
    pipe = ComposedPipeline.from_pretrained(official)
    assert set(pipe.mixers) == {"ST"}
    names = ["st", "blend:0.5", "dualmdm", "interaction", "individual"]
    out = pipe("two people hug", ("", "the person jumps"), names, seconds=1, steps=3, seed=0)
    for name in names:
        assert out[name].features.shape == (30, 2, 262) and np.isfinite(out[name].features).all()
    w = out["st"].weights  # (steps, frames, 2, 22), person 1 has no individual text
    assert w.shape == (3, 30, 2, 22) and (w[:, :, 0] == 0).all() and ((w[:, :, 1] > 0) & (w[:, :, 1] < 1)).all()
    again = pipe("two people hug", ("", "the person jumps"), names, seconds=1, steps=3, seed=0)
    assert np.array_equal(again["st"].features, out["st"].features)
    # The texts reach the networks: another individual text changes the mix.
    other = pipe("two people hug", ("", "someone sits down"), names, seconds=1, steps=3, seed=0)
    assert not np.allclose(other["st"].features, out["st"].features)
    assert InteractionPipeline.from_pretrained(official)("two people hug", seconds=1, steps=2).features.shape == (30, 2, 262)
    assert IndividualPipeline.from_pretrained(official)("the person jumps", seconds=1, steps=2).features.shape == (30, 1, 262)


def test_the_mixermdm_file_alone_is_enough(tmp_path):
    folder = make_official_folder(tmp_path / "only", separate_denoisers=False, mode=3)
    (folder / "official.json").write_text(json.dumps({"granularity": "S"}))  # S and ST hold the same weights
    pipe = ComposedPipeline.from_pretrained(folder)
    assert set(pipe.mixers) == {"S"}
    out = pipe("two people bow", ("the person waves", ""), ["s"], seconds=1, steps=2)
    assert out["s"].weights.shape == (2, 30, 2, 22)


def test_the_cli_samples_from_an_official_folder(official, tmp_path, capsys):
    from mixermdm_core import sample

    out = tmp_path / "hug.motion"  # written under the name asked for, whatever its suffix
    assert sample.main(["--checkpoints", str(official), "--interaction", "two people hug", "--person2",
                        "the person jumps", "--strategy", "st", "--seconds", "1", "--steps", "2", "--out", str(out)]) == 0
    assert np.load(out).shape == (30, 2, 262)
    assert "warning" not in capsys.readouterr().err  # small networks: no slow-CPU warning


def test_the_app_compares_every_strategy_from_an_official_folder(official, tmp_path):
    from demo import choices
    from demo.callbacks import Callbacks
    from demo.runtime import Runtime
    from demo.settings import Settings
    from test_app import generate

    runtime = Runtime(Settings(checkpoints=official, output_dir=tmp_path / "outputs"))
    assert runtime.load_error() is None and runtime.learned() == ["ST"]
    offered = [value for _, value in choices.choices(runtime.learned())]
    page = generate(Callbacks(runtime), selected=offered)
    shown = [k for k, slot in page.slots.items() if slot.visible]
    assert len(shown) == len(offered) and all(page.slots[k].video.stat().st_size > 1000 for k in shown)


def test_official_folders_say_what_is_wrong(tmp_path, official):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "official.json").write_text("{}")
    with pytest.raises(CheckpointError, match="bpe_simple_vocab_16e6.txt.gz.*in2IN.ckpt and individual.ckpt"):
        OfficialFiles.find(empty)
    (empty / "official.json").write_text(json.dumps({"files": {"mixr": "x.ckpt"}}))
    with pytest.raises(CheckpointError, match="unknown roles"):
        OfficialFiles.find(empty)
    g_or_t = make_official_folder(tmp_path / "t", separate_denoisers=False, mode=2)
    with pytest.raises(CheckpointError, match="G and a T Mixer"):
        ComposedPipeline.from_pretrained(g_or_t)
    (g_or_t / "official.json").write_text(json.dumps({"granularity": "T"}))
    assert set(ComposedPipeline.from_pretrained(g_or_t).mixers) == {"T"}
    with pytest.raises(ValueError, match="own CLIP sentence heads"):
        ComposedPipeline.from_pretrained(official, encoder=object())
    broken = tmp_path / "broken"
    shutil.copytree(official, broken)
    (broken / "in2IN.ckpt").write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="in2IN.ckpt"):
        ComposedPipeline.from_pretrained(broken)
