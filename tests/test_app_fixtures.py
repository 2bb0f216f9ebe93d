"""Helpers for the app's tests: tiny random-weight checkpoints and a fake text encoder (no tests here)."""
from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import torch

from mixermdm_core.models.config import NetConfig
from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.models.io import save_checkpoint
from mixermdm_core.models.mixer import GRANULARITIES, Mixer
from mixermdm_core.representation.interhuman import canonicalize_pair, joints_to_features
from mixermdm_core.representation.normalization import Normalizer

from conftest import smooth_person

TINY = NetConfig(latent=32, layers=1, heads=2, ff=64, dropout=0.0)


class FakeEncoder:
    """Deterministic embeddings from a hash of the text (no text model in unit tests)."""

    dim, name = 384, "fake"

    def encode(self, texts):
        out = torch.zeros(len(texts), self.dim)
        for i, t in enumerate(texts):
            if t:
                out[i] = torch.randn(self.dim, generator=torch.Generator().manual_seed(zlib.crc32(t.encode())))
        return out


def small_random(net: torch.nn.Module, seed: int, std: float = 0.02) -> torch.nn.Module:
    """Small random weights (eval mode): predictions stay near the normaliser's mean, i.e. a plausible
    standing pair, and every path of the network, zero-initialised ones too, is live."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * std)
    return net.eval()


def _normalizers() -> tuple[Normalizer, Normalizer]:
    """Statistics of a synthetic two-person clip (interaction) and of its first person (individual)."""
    j1, r1 = smooth_person(60, 1)
    j2, r2 = smooth_person(60, 2, offset=(0.2, 1.2), yaw=np.pi)
    pair = canonicalize_pair(torch.stack((joints_to_features(j1, r1), joints_to_features(j2, r2)), dim=1))
    inter = Normalizer.fit(pair.reshape(-1, 262))
    indiv = Normalizer.fit(pair[:, 0])
    return Normalizer(inter.mean, inter.std.clamp_min(0.05)), Normalizer(indiv.mean, indiv.std.clamp_min(0.05))


def make_tiny_checkpoints(folder: Path, granularities: tuple[str, ...] = GRANULARITIES) -> Path:
    """Write interaction, individual and ``mixer_<g>`` safetensors checkpoints of tiny random networks."""
    folder = Path(folder)
    norm_a, norm_b = _normalizers()
    cfg = TINY.to_dict()
    save_checkpoint(folder / "interaction.safetensors", small_random(InteractionDenoiser(TINY), 1), "interaction",
                    cfg, {"motion": norm_a})
    save_checkpoint(folder / "individual.safetensors", small_random(IndividualDenoiser(TINY), 2), "individual",
                    cfg, {"motion": norm_b})
    for k, g in enumerate(granularities):
        save_checkpoint(folder / f"mixer_{g.lower()}.safetensors", small_random(Mixer(TINY, g), 3 + k), "mixer",
                        {**cfg, "granularity": g}, {})
    return folder
