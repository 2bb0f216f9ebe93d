"""The networks of a composition, loaded together from a checkpoint folder: ours, or the official files."""
from __future__ import annotations

from pathlib import Path

from ..diffusion import NoiseSchedule
from ..models.official.folder import is_official_folder, load_folder
from ..models.pretrained import load_denoiser, load_mixers
from ..paths import DEFAULT_DIR
from ..text.encoders import TextEncoder
from .sampler import DenoiserPair


def load_pair(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32") -> DenoiserPair:
    """The two denoisers of one of our checkpoint folders."""
    directory = Path(directory)
    inter, norm_a = load_denoiser(directory / "interaction.safetensors", "interaction", device)
    indiv, norm_b = load_denoiser(directory / "individual.safetensors", "individual", device)
    return DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision)


def load_models(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32",
                encoder: TextEncoder | None = None) -> tuple[DenoiserPair, dict, TextEncoder | None]:
    """(denoisers, learned mixers by granularity, text encoder) of a folder. Our folders take ``encoder`` (None:
    the default one); an official folder (``models.official.folder``) brings CLIP and each model's sentence head,
    which its networks need, so it refuses another encoder."""
    if not is_official_folder(directory):
        return load_pair(directory, device, precision), load_mixers(directory, device), encoder
    if encoder is not None:
        raise ValueError(f"{directory} holds official checkpoints, which read texts through their own CLIP "
                         "sentence heads; leave the text encoder unset")
    inter, indiv, norm_a, norm_b, mixers, official_encoder = load_folder(directory, device)
    return DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision), mixers, official_encoder
