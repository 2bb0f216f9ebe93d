"""Loading the shipped networks from safetensors checkpoints (never pickles)."""
from __future__ import annotations

from pathlib import Path

import torch

from ..diffusion import NoiseSchedule
from ..models.config import NetConfig
from ..models.denoisers import IndividualDenoiser, InteractionDenoiser
from ..models.io import CheckpointError, load_weights, read_checkpoint, read_normalizer
from ..models.mixer import Mixer
from ..paths import checkpoints_dir
from .sampler import DenoiserPair

DEFAULT_DIR = checkpoints_dir()


def load_denoiser(path: str | Path, kind: str, device: str = "cpu"):
    """(network, normaliser) of an ``interaction`` or ``individual`` checkpoint."""
    config, tensors, _ = read_checkpoint(path, expected_kind=kind)
    cls = InteractionDenoiser if kind == "interaction" else IndividualDenoiser
    net = load_weights(cls(NetConfig.from_dict(config)), tensors, path)
    return net.to(device).eval().requires_grad_(False), read_normalizer(tensors, "motion", path)


def load_mixer(path: str | Path, device: str = "cpu") -> Mixer:
    config, tensors, _ = read_checkpoint(path, expected_kind="mixer")
    granularity = config.get("granularity")
    if granularity is None:
        raise CheckpointError(f"checkpoint {path} does not say its granularity")
    return load_weights(Mixer(NetConfig.from_dict(config), granularity), tensors, path).to(device).eval().requires_grad_(False)


def load_pair(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32") -> DenoiserPair:
    directory = Path(directory)
    inter, norm_a = load_denoiser(directory / "interaction.safetensors", "interaction", device)
    indiv, norm_b = load_denoiser(directory / "individual.safetensors", "individual", device)
    return DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision)


def load_mixers(directory: str | Path = DEFAULT_DIR, device: str = "cpu", required: bool = False) -> dict[str, Mixer]:
    """Every ``mixer_*.safetensors`` found, keyed by granularity (G, T, S, ST)."""
    mixers = {}
    for path in sorted(Path(directory).glob("mixer_*.safetensors")):
        mixer = load_mixer(path, device)
        mixers[mixer.granularity] = mixer
    if required and not mixers:
        raise CheckpointError(f"no mixer checkpoints (mixer_*.safetensors) in {directory}")
    return mixers


def set_threads() -> None:
    """Use every core for one request on CPU machines (PyTorch's default can be lower)."""
    import os

    torch.set_num_threads(max(1, os.cpu_count() or 1))
