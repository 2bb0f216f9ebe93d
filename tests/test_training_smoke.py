"""End to end on a tiny corpus: train both denoisers and a mixer a few steps, then sample every strategy."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from mixermdm_core.composition.loading import load_pair
from mixermdm_core.models.pretrained import load_denoiser, load_mixers
from mixermdm_core.composition.sampler import Conditions, composed_sample
from mixermdm_core.composition.strategies import parse_strategy
from mixermdm_core.diffusion import NoiseSchedule
from mixermdm_core.models.config import NetConfig
from mixermdm_core.models.denoisers import IndividualDenoiser
from mixermdm_core.models.io import read_checkpoint
from mixermdm_core.training import datasets
from mixermdm_core.training.recipe import DataConfig, MixerOptimConfig, OptimConfig, TrainConfig, load_config
from mixermdm_core.training.denoiser import init_from_checkpoint, sample_steps, train_denoiser
from mixermdm_core.training.adversarial import train_mixer

TINY = NetConfig(latent=32, layers=1, heads=2, ff=64, dropout=0.0)


def test_train_then_sample(tmp_path, tiny_corpora, monkeypatch):
    monkeypatch.setattr(datasets, "STATS_DIR", tmp_path / "stats")
    data = DataConfig(max_frames=32, text_store=str(tmp_path / "text.npz"))
    ckpt = tmp_path / "ckpt"
    for kind in ("interaction", "individual"):
        cfg = TrainConfig(data=data, model=TINY, train=OptimConfig(steps=3, batch_size=4, warmup=1, val_every=2, save_every=2, log_every=1,
                                                             spacing_weight=1e-4, input_perturbation=0.1, interaction_max_t=999,
                                                             rollout_share=0.5))
        final = train_denoiser(kind, cfg, tmp_path / kind, device="cpu")
        ckpt.mkdir(exist_ok=True)
        final.replace(ckpt / final.name)
    pair = load_pair(ckpt)
    mcfg = TrainConfig(data=data, model=TINY, train=MixerOptimConfig(steps=2, batch_size=4, warmup=1, log_every=1, val_every=0, guidance=2.0),
                       discriminator=TINY)
    first = train_mixer("ST", pair, mcfg, tmp_path / "mixer", device="cpu")
    final = train_mixer("ST", pair, mcfg, tmp_path / "mixer_ft", device="cpu", init=first)
    assert read_checkpoint(final, "mixer")[2]["init"] == str(first)
    with pytest.raises(ValueError, match="holds a ST mixer, not G"):
        train_mixer("G", pair, mcfg, tmp_path / "mixer_g", device="cpu", init=first)
    final.replace(ckpt / final.name)
    mixers = load_mixers(ckpt)
    assert set(mixers) == {"ST"}
    names = ["interaction", "individual", "st", "blend:0.5", "dualmdm"]
    strategies = [parse_strategy(n, mixers) for n in names]
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))
    out = composed_sample(pair, strategies, cond, frames=24, steps=5, seed=3)
    assert out.mixed.shape == (5, 24, 2, 262)
    assert out.weights.shape == (5, 5, 24, 2, 22)
    assert torch.isfinite(out.mixed).all()
    assert (out.weights[:, 0] == 0).all() and (out.weights[:, 1] == 1).all()


def test_fine_tune_from_checkpoint_keeps_its_space(tmp_path, tiny_corpora, monkeypatch):
    """``init`` starts from a checkpoint saved with another text gain: same function, its normaliser."""
    monkeypatch.setattr(datasets, "STATS_DIR", tmp_path / "stats")
    data = DataConfig(max_frames=32, text_store=str(tmp_path / "text.npz"))
    old_cfg = NetConfig(**{**TINY.to_dict(), "text_gain": 1.0})
    first = train_denoiser("individual", TrainConfig(data=data, model=old_cfg, train=OptimConfig(steps=2, batch_size=4, warmup=1)),
                           tmp_path / "first", device="cpu")
    old, norm = load_denoiser(first, "individual")
    new = IndividualDenoiser(TINY)
    assert new.cfg.text_gain == pytest.approx(384 ** 0.5)
    init_norm = init_from_checkpoint(new, first, "individual")
    x, t, text = torch.randn(2, 16, 262), torch.tensor([10, 900]), torch.randn(2, 384)
    torch.testing.assert_close(new.eval()(x, t, text), old.float()(x, t, text), atol=1e-3, rtol=1e-3)
    torch.testing.assert_close(init_norm.mean, norm.mean)
    cfg = TrainConfig(data=data, model=TINY, train=OptimConfig(steps=2, batch_size=4, warmup=1, high_t_share=1.0))
    final = train_denoiser("individual", cfg, tmp_path / "ft", device="cpu", init=first)
    _, _, info = read_checkpoint(final, "individual")
    assert info["init"] == str(first) and math.isfinite(info["val_text_gain"])


def test_training_steps_favour_the_noisy_or_the_clean_end_when_asked():
    schedule = NoiseSchedule()
    t = sample_steps(4000, schedule, high_share=0.5, high_from=600, device="cpu")
    assert 0 <= int(t.min()) and int(t.max()) < 1000
    assert (t >= 600).float().mean().item() == pytest.approx(0.5 + 0.5 * 0.4, abs=0.03)
    assert (sample_steps(100, schedule, 0.0, 600, "cpu") < 600).any()
    both = sample_steps(4000, schedule, 0.3, 600, "cpu", low_share=0.3, low_to=100)
    assert (both >= 600).float().mean().item() == pytest.approx(0.3 + 0.4 * 0.4, abs=0.03)
    assert (both < 100).float().mean().item() == pytest.approx(0.3 + 0.4 * 0.1, abs=0.03)


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "configs").glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_config_loads(path):
    cfg = load_config(path, mixer=path.name.startswith("mixer"))
    assert cfg.train.steps > 0 and cfg.model.latent > 0


def test_loss_weights_come_from_the_config(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[train]\nfoot_weight = 0.1\n")
    assert load_config(path).train.foot_weight == 0.1 and load_config(path).train.bone_weight == 0.01
