"""Every download of one sampled strategy, as the app offers them: motion and weights npy, a BVH per person and
an animated GLB, file names starting with one key."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .bvh import write_bvh_pair
from .glb import write_glb
from .npy import save_motion_npy, save_weights_npy


def write_bundle(folder: Path, key: str, features: np.ndarray, joints: np.ndarray,
                 weights: np.ndarray) -> tuple[Path, list[Path]]:
    """Write the files of one result (features (T, 2, 262), joints (T, 2, 22, 3), weights (steps, T, 2, 22));
    returns the GLB and every file written, in the order offered."""
    motion = save_motion_npy(features, folder / f"{key}_motion.npy")
    bvh = write_bvh_pair(features, folder / f"{key}.bvh")
    saved_weights = save_weights_npy(weights, folder / f"{key}_weights.npy")
    glb = write_glb(joints, folder / f"{key}.glb")
    return glb, [motion, *bvh, saved_weights, glb]
