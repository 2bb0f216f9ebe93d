"""NumPy exports: a motion in the InterHuman layout (T, 2, 262) and the mixing weights, both float32.

These are the files InterGen/in2IN tooling reads, so a generated motion can be evaluated or re-used there.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from ..representation.interhuman import FEATURE_DIM
from ..visualize.motion import as_numpy


def save_motion_npy(features: np.ndarray | torch.Tensor, path: str | Path) -> Path:
    """Save features (T, P, 262), P = 1 or 2 (two-person clips are (T, 2, 262)), as float32; returns the path."""
    array = as_numpy(features)
    if array.ndim != 3 or array.shape[1] not in (1, 2) or array.shape[2] != FEATURE_DIM:
        raise ValueError(f"expected InterHuman features (T, 2, 262) or (T, 1, 262), got {array.shape}")
    return _save(array, path)


def save_weights_npy(weights: np.ndarray | torch.Tensor, path: str | Path) -> Path:
    """Save mixing weights (any shape, e.g. (steps, T, 2, 22)) as float32; returns the path."""
    return _save(as_numpy(weights), path)


def load_npy(path: str | Path) -> np.ndarray:
    """Load a saved motion or weights array (float32)."""
    return np.load(Path(path), allow_pickle=False).astype(np.float32, copy=False)


def _save(array: np.ndarray, path: str | Path) -> Path:
    if not np.isfinite(array).all():
        raise ValueError("array contains NaN or infinite values")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:  # a file object keeps the exact name (np.save would append ".npy")
        np.save(file, array.astype(np.float32, copy=False), allow_pickle=False)
    return path
