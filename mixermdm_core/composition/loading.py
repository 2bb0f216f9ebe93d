"""The two frozen denoisers of a composition, loaded together from a checkpoint folder."""
from __future__ import annotations

from pathlib import Path

from ..diffusion import NoiseSchedule
from ..models.pretrained import load_denoiser
from ..paths import DEFAULT_DIR
from .sampler import DenoiserPair


def load_pair(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32") -> DenoiserPair:
    directory = Path(directory)
    inter, norm_a = load_denoiser(directory / "interaction.safetensors", "interaction", device)
    indiv, norm_b = load_denoiser(directory / "individual.safetensors", "individual", device)
    return DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision)
