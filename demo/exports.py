"""Write one strategy's result to files: the mp4 first (what the page shows), then the exports (motion and
weights npy, a BVH per person, an animated GLB), which the first result need not wait for."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mixermdm_core.composition.pipeline import StrategyResult
from mixermdm_core.export import save_motion_npy, save_weights_npy, write_bvh_pair, write_glb
from mixermdm_core.visualize import render_video


@dataclass(frozen=True)
class Written:
    video: Path
    glb: Path  # animated GLB for the 3D view
    downloads: list[Path]  # everything offered for download, the video first


def write_video(folder: Path, key: str, result: StrategyResult, mixed_person: int | None) -> Path:
    """Render ``result`` to ``folder/key.mp4``, the mixed person highlighted."""
    return render_video(result.joints, folder / f"{key}.mp4", mixed_person=mixed_person)


def write_exports(folder: Path, key: str, result: StrategyResult, video: Path) -> Written:
    """Export ``result`` under ``folder`` with file names starting with ``key``, next to its ``video``."""
    motion = save_motion_npy(result.features, folder / f"{key}_motion.npy")
    bvh = write_bvh_pair(result.features, folder / f"{key}.bvh")
    weights = save_weights_npy(result.weights, folder / f"{key}_weights.npy")
    glb = write_glb(result.joints, folder / f"{key}.glb")
    return Written(video, glb, [video, motion, *bvh, weights, glb])
