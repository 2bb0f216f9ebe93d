"""Shared by the golden tests of the official architectures: the fixtures and their tolerance (the tests run on
one thread, ``one_thread`` in conftest.py, as the fixtures were made)."""
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
