"""Checkpoints: safetensors files holding a network's weights, its normalisation statistics and a JSON
config in the metadata. Loading never unpickles anything and checks every tensor's shape."""
from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file
from torch import nn

from ..representation.normalization import Normalizer


class CheckpointError(RuntimeError):
    """A checkpoint is missing, unreadable, of another kind, or of the wrong shape."""


def save_checkpoint(path: str | Path, model: nn.Module, kind: str, config: dict, normalizers: dict[str, Normalizer],
                    info: dict | None = None, dtype: torch.dtype = torch.float16) -> Path:
    """Write weights (cast to ``dtype`` for shipping) and stats; ``info`` is free-form JSON metadata."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().to("cpu", dtype if v.is_floating_point() else v.dtype).contiguous()
               for k, v in model.state_dict().items()}
    for name, norm in normalizers.items():
        tensors[f"stats.{name}.mean"] = norm.mean.contiguous()
        tensors[f"stats.{name}.std"] = norm.std.contiguous()
    meta = {"kind": kind, "config": json.dumps(config), "info": json.dumps(info or {})}
    tmp = path.with_suffix(path.suffix + ".tmp")
    save_file(tensors, str(tmp), metadata=meta)
    tmp.replace(path)
    return path


def read_checkpoint(path: str | Path, expected_kind: str | None = None) -> tuple[dict, dict[str, torch.Tensor], dict]:
    """Returns (config, tensors, info), raising :class:`CheckpointError` that names the file."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"checkpoint not found: {path}")
    try:
        tensors = load_file(str(path))
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
    except (SafetensorError, OSError, ValueError) as err:
        raise CheckpointError(f"checkpoint {path} is not a readable safetensors file ({err})") from err
    if "config" not in meta or "kind" not in meta:
        raise CheckpointError(f"checkpoint {path} has no MixerMDM metadata (kind/config)")
    if expected_kind is not None and meta["kind"] != expected_kind:
        raise CheckpointError(f"checkpoint {path} holds a {meta['kind']!r} model, expected {expected_kind!r}")
    return json.loads(meta["config"]), tensors, json.loads(meta.get("info", "{}"))


def load_weights(model: nn.Module, tensors: dict[str, torch.Tensor], path: str | Path) -> nn.Module:
    """Load network tensors into ``model`` after checking names and shapes against it."""
    own = model.state_dict()
    weights = {k: v for k, v in tensors.items() if not k.startswith("stats.")}
    missing = sorted(own.keys() - weights.keys())
    unexpected = sorted(weights.keys() - own.keys())
    if missing or unexpected:
        raise CheckpointError(f"checkpoint {path} does not match the network: missing {missing[:3]}, unexpected {unexpected[:3]}")
    for k, v in weights.items():
        if v.shape != own[k].shape:
            raise CheckpointError(f"checkpoint {path}: tensor {k} has shape {tuple(v.shape)}, expected {tuple(own[k].shape)}")
    model.load_state_dict({k: v.to(own[k].dtype) for k, v in weights.items()})
    return model


def read_normalizer(tensors: dict[str, torch.Tensor], name: str, path: str | Path) -> Normalizer:
    try:
        return Normalizer(tensors[f"stats.{name}.mean"], tensors[f"stats.{name}.std"])
    except KeyError as err:
        raise CheckpointError(f"checkpoint {path} lacks the {name!r} normalisation statistics") from err
