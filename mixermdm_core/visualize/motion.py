"""Coerce the motion arrays callers pass (joints or InterHuman features, numpy or torch) to joints."""
from __future__ import annotations

import numpy as np
import torch

from ..representation.interhuman import FEATURE_DIM, features_to_joints
from ..skeleton import NUM_JOINTS


def as_numpy(motion: np.ndarray | torch.Tensor) -> np.ndarray:
    """``motion`` as a float32 numpy array (a tensor is detached and moved to the CPU first)."""
    if isinstance(motion, torch.Tensor):
        motion = motion.detach().cpu().numpy()
    return np.asarray(motion, dtype=np.float32)


def to_joints(motion: np.ndarray | torch.Tensor) -> np.ndarray:
    """(T, P, 22, 3) float32 joints from joints (T, [P,] 22, 3) or features (T, [P,] 262).

    Renderers and exporters accept either form so callers can pass model output directly.
    """
    m = as_numpy(motion)
    if m.shape[-1] == FEATURE_DIM:
        m = features_to_joints(torch.from_numpy(np.ascontiguousarray(m))).numpy()
    if m.shape[-2:] != (NUM_JOINTS, 3):
        raise ValueError(f"expected joints (T, [P,] 22, 3) or features (T, [P,] 262), got {m.shape}")
    if m.ndim == 3:
        m = m[:, None]
    if m.ndim != 4 or m.shape[0] < 1:
        raise ValueError(f"expected joints (T, [P,] 22, 3) or features (T, [P,] 262), got {m.shape}")
    if not np.isfinite(m).all():
        raise ValueError("motion contains NaN or infinite values")
    return m
