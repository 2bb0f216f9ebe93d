"""Every shipped network read from, or written to, its checkpoint: one format (``io.py``) and one set of checks
for the denoisers, the Mixers and the evaluators."""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import torch

from ..representation.normalization import Normalizer
from .config import NetConfig
from .denoisers import IndividualDenoiser, InteractionDenoiser
from .evaluator import EvaluatorConfig, TextMotionEvaluator
from .io import CheckpointError, load_weights, read_checkpoint, read_normalizer, save_checkpoint
from .mixer import Mixer
from .precision import flush_denormals

DENOISERS = {"interaction": InteractionDenoiser, "individual": IndividualDenoiser}


def load_denoiser(path: str | Path, kind: str, device: str = "cpu") -> tuple[torch.nn.Module, Normalizer]:
    """(network, normaliser) of an ``interaction`` or ``individual`` checkpoint, frozen, in eval mode; on a CPU,
    subnormal floats are flushed from here on (``precision.flush_denormals``)."""
    if torch.device(device).type == "cpu":
        flush_denormals()
    config, tensors, _ = read_checkpoint(path, expected_kind=kind)
    net = load_weights(DENOISERS[kind](NetConfig.from_dict(config)), tensors, path)
    return net.to(device).eval().requires_grad_(False), read_normalizer(tensors, "motion", path)


def load_mixer(path: str | Path, device: str = "cpu") -> Mixer:
    config, tensors, _ = read_checkpoint(path, expected_kind="mixer")
    granularity = config.get("granularity")
    if granularity is None:
        raise CheckpointError(f"checkpoint {path} does not say its granularity")
    mixer = Mixer(NetConfig.from_dict(config), granularity, int(config.get("frame_smoothing", 0)),
                  int(config.get("frame_stride", 1)))
    return load_weights(mixer, tensors, path).to(device).eval().requires_grad_(False)


def load_mixers(directory: str | Path, device: str = "cpu", required: bool = False) -> dict[str, Mixer]:
    """Every ``mixer_*.safetensors`` found, keyed by granularity (G, T, S, ST)."""
    mixers = {}
    for path in sorted(Path(directory).glob("mixer_*.safetensors")):
        mixer = load_mixer(path, device)
        mixers[mixer.granularity] = mixer
    if required and not mixers:
        raise CheckpointError(f"no mixer checkpoints (mixer_*.safetensors) in {directory}")
    return mixers


def save_evaluator(model: TextMotionEvaluator, path: str | Path, info: dict | None = None) -> Path:
    """Write an evaluator (float32; its normalisation statistics are buffers of the network)."""
    config = {"people": model.people, **asdict(model.config)}
    return save_checkpoint(path, model, "evaluator", config, {}, info, dtype=torch.float32)


def load_evaluator(path: str | Path, device: str | torch.device = "cpu") -> TextMotionEvaluator:
    """An evaluator from :func:`save_evaluator`'s file, in eval mode."""
    config, tensors, _ = read_checkpoint(path, expected_kind="evaluator")
    try:
        config = dict(config)
        people = config.pop("people")
        model = TextMotionEvaluator(people, EvaluatorConfig(**config))
    except (ValueError, KeyError, TypeError) as err:
        raise CheckpointError(f"checkpoint {path} has an invalid evaluator configuration: {err}") from err
    return load_weights(model, tensors, path).to(device).eval()
