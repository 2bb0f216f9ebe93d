"""Write one strategy's result to files: mp4, motion and weights npy, a BVH per person, animated GLB."""
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


def write_result(folder: Path, key: str, result: StrategyResult, mixed_person: int | None) -> Written:
    """Render and export ``result`` under ``folder`` with file names starting with ``key``."""
    video = render_video(result.joints, folder / f"{key}.mp4", mixed_person=mixed_person)
    motion = save_motion_npy(result.features, folder / f"{key}_motion.npy")
    bvh = write_bvh_pair(result.features, folder / f"{key}.bvh")
    weights = save_weights_npy(result.weights, folder / f"{key}_weights.npy")
    glb = write_glb(result.joints, folder / f"{key}.glb")
    return Written(video, glb, [video, motion, *bvh, weights, glb])
