"""Shared by the golden tests of the official architectures: the fixtures and their tolerance (the tests run on
one thread, ``one_thread`` in conftest.py, as the fixtures were made). The tolerance is relative to the
golden's largest value: outputs reach 10-100, and float32 kernels of other CPU kinds sum in another order (an
Intel Xeon without AVX-512 BF16 differed from the fixtures by 2e-4 on an output of magnitude 13)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

FIXTURES = Path(__file__).parent / "fixtures" / "official"
TOL = 1e-4


def load(name: str) -> dict[str, np.ndarray]:
    """Every array of one fixture file."""
    with np.load(FIXTURES / name) as data:
        return {k: data[k] for k in data.files}


def t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(a)


def close(ours: torch.Tensor, theirs: torch.Tensor, tol: float = TOL) -> bool:
    """Whether ``ours`` matches the golden ``theirs`` to ``tol`` of its largest magnitude (at least 1)."""
    return float((ours - theirs).abs().max()) <= tol * max(1.0, float(theirs.abs().max()))
