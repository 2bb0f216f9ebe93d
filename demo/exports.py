"""Write one strategy's result to files: the mp4 first (what the page shows), then the exports (motion and
weights npy, a BVH per person, an animated GLB), which the first result need not wait for."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mixermdm_core.composition.pipeline import StrategyResult
from mixermdm_core.export import write_bundle
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
    glb, files = write_bundle(folder, key, result.features, result.joints, result.weights)
    return Written(video, glb, [video, *files])
