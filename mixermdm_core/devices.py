"""The torch device the networks run on, checked before anything loads: a wrong or missing one fails with a
message that says so, not with an error from deep inside the first network that meets it."""
from __future__ import annotations

import torch

DEVICE_TYPES = ("cpu", "cuda", "mps")


def default_device() -> str:
    """cuda where PyTorch sees a GPU, else cpu."""
    return "cuda" if torch.cuda.is_available() else "cpu"


def check_device(name: str) -> str:
    """``name`` (cpu, cuda, cuda:N, mps) when PyTorch knows it and this machine has it; ValueError saying why not."""
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"unknown device {name!r}; use one of cpu, cuda, cuda:N, mps") from err
    if device.type not in DEVICE_TYPES:
        raise ValueError(f"device {name!r} is not supported here; use one of cpu, cuda, cuda:N, mps")
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ValueError(f"device {name!r} asked for, but PyTorch sees no CUDA GPU on this machine "
                             f"(torch {torch.__version__}); use cpu")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ValueError(f"device {name!r} asked for, but this machine has {torch.cuda.device_count()} CUDA GPU(s)")
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device {name!r} asked for, but Apple's MPS backend is not available here; use cpu")
    return name
