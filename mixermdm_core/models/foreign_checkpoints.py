"""Tensors out of checkpoints that other code wrote (PyTorch Lightning ``.ckpt``, plain ``.pt``/``.pth`` state
dicts, safetensors), without running any code a pickle names.

A Lightning checkpoint pickles more than tensors (hyper-parameters, an OmegaConf config, callback states), so
``torch.load(weights_only=True)`` refuses many real ones, and ``weights_only=False`` would import and call
whatever the file names. Here a file is first read with ``weights_only=True``; if that refuses it, a restricted
unpickler reads it again: the globals PyTorch's own weights-only reader allows (tensor rebuilding, dtypes, plain
containers) are used, every other global becomes an inert placeholder class whose code never runs, and
extension codes are refused. Only the tensors are kept.
"""
from __future__ import annotations

import pickle
import types
import zipfile
from pathlib import Path

import torch
from torch._weights_only_unpickler import _get_allowed_globals

STATE_KEYS = ("state_dict", "model_state_dict", "model", "net")  # where trainers keep the weights


class ForeignCheckpointError(ValueError):
    """A file that holds no readable weights."""


class Inert:
    """Stands in for an object of a class the checkpoint names but that is not imported: it records its arguments
    and state and runs nothing."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __setstate__(self, state):
        self.state = state


class _RestrictedUnpickler(pickle._Unpickler):  # the Python unpickler: every global goes through find_class
    allowed = _get_allowed_globals()

    def find_class(self, module: str, name: str):
        found = self.allowed.get(f"{module}.{name}")
        if found is not None:
            return found
        return type(name, (Inert,), {"__module__": f"inert.{module}"})

    def get_extension(self, code):
        raise pickle.UnpicklingError("pickle extension codes are not accepted in a checkpoint")


_restricted = types.SimpleNamespace(Unpickler=_RestrictedUnpickler, __name__="restricted_pickle",
                                    load=lambda f, **kw: _RestrictedUnpickler(f, **kw).load())


def _tensors(obj, prefix: str = "") -> dict[str, torch.Tensor]:
    """Every tensor in nested dicts, by dotted key."""
    if isinstance(obj, torch.Tensor):
        return {prefix: obj}
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            out.update(_tensors(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {}


def read_state_dict(path: str | Path, strip_prefix: str = "") -> dict[str, torch.Tensor]:
    """The weights of a checkpoint file: the trainer's state dict when the file holds one (``STATE_KEYS``), else
    every tensor it holds, by dotted key; ``strip_prefix`` (e.g. ``"model."``) is removed from the keys that
    start with it. Never unpickles code; raises FileNotFoundError or ForeignCheckpointError with the reason."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return _strip(load_file(str(path)), strip_prefix)
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:  # pickles more than weights: read it again, inertly
        try:
            obj = torch.load(path, map_location="cpu", weights_only=False, pickle_module=_restricted)
        except Exception as err:  # corrupt bytes can fail anywhere in the unpickler (KeyError, ValueError, ...)
            raise ForeignCheckpointError(f"{path} cannot be read as a PyTorch checkpoint: {err}") from err
    except (EOFError, RuntimeError, zipfile.BadZipFile) as err:
        raise ForeignCheckpointError(f"{path} is not a PyTorch checkpoint (or is cut short): {err}") from err
    if isinstance(obj, dict):
        obj = next((obj[k] for k in STATE_KEYS if isinstance(obj.get(k), dict)), obj)
    tensors = _tensors(obj)
    if not tensors:
        raise ForeignCheckpointError(f"{path} holds no tensors (found {type(obj).__name__})")
    return _strip(tensors, strip_prefix)


def _strip(tensors: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    if not prefix:
        return tensors
    return {k.removeprefix(prefix): v for k, v in tensors.items()}
