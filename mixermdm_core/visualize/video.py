"""Render motions to frames, browser-playable H.264 mp4 and GIF.

Frames are piped raw to ffmpeg as they are rendered, so encoding (another process) overlaps rendering.
x264's "ultrafast" preset is what lets a 4-s clip render and encode in well under a second on 2 cores;
it costs file size (about 1 MB for 4 s at 480p, CRF 23), not playability.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import imageio.v3 as iio
import imageio_ffmpeg
import numpy as np
import torch

from ..skeleton import FPS
from .backend import Backend, open_renderer
from .motion import to_joints
from .scene import DEFAULT_SIZE, build_scene

H264_OPTIONS = ("-preset", "ultrafast", "-crf", "23", "-movflags", "+faststart")
Motion = np.ndarray | torch.Tensor


def iter_frames(
    motion: Motion, size: tuple[int, int] = DEFAULT_SIZE, mixed_person: int | None = None,
    backend: Backend = "auto",
) -> Iterator[np.ndarray]:
    """Yield (H, W, 3) uint8 frames of a motion: joints (T, [P,] 22, 3) or features (T, [P,] 262).

    The camera is framed once on the whole clip; ``mixed_person`` gets a highlight ring.
    """
    scene = build_scene(to_joints(motion), size, mixed_person)
    with open_renderer(scene, backend) as renderer:
        for frame in range(scene.num_frames):
            yield renderer.render(frame)


def render_frames(
    motion: Motion, size: tuple[int, int] = DEFAULT_SIZE, mixed_person: int | None = None,
    backend: Backend = "auto",
) -> np.ndarray:
    """All frames of a motion as one (T, H, W, 3) uint8 array (see :func:`iter_frames`)."""
    return np.stack(list(iter_frames(motion, size, mixed_person, backend)))


def write_mp4(
    frames: Iterable[np.ndarray], path: str | Path, fps: int = FPS, size: tuple[int, int] = DEFAULT_SIZE,
) -> Path:
    """Encode (H, W, 3) uint8 frames of ``size`` (width, height; both even) as H.264 yuv420p mp4, each frame
    as it arrives; returns the path."""
    if size[0] % 2 or size[1] % 2:
        raise ValueError(f"video width and height must be even, got {size}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = imageio_ffmpeg.write_frames(
        str(path), size, fps=fps, codec="libx264", pix_fmt_out="yuv420p", quality=None,
        output_params=list(H264_OPTIONS), macro_block_size=2, ffmpeg_log_level="error",
    )
    writer.send(None)  # start ffmpeg
    try:
        for frame in frames:
            writer.send(frame)
    finally:
        writer.close()
    return path


def render_video(
    motion: Motion, path: str | Path, fps: int = FPS, size: tuple[int, int] = DEFAULT_SIZE,
    mixed_person: int | None = None, backend: Backend = "auto",
) -> Path:
    """Write a motion as an H.264 mp4 that browsers play; returns the path.

    ``size`` is (width, height); both must be even (multiples of 16 avoid any padding by the decoder).
    """
    return write_mp4(iter_frames(motion, size, mixed_person, backend), path, fps, size)


def save_gif(
    motion: Motion, path: str | Path, fps: int = 15, size: tuple[int, int] = (424, 240),
    mixed_person: int | None = None, backend: Backend = "auto", motion_fps: int = FPS,
) -> Path:
    """Write a looping GIF at ``fps`` (frames of the ``motion_fps`` clip are skipped to match); small by
    default since GIFs are uncompressed palettes."""
    joints = to_joints(motion)
    keep = np.arange(0, len(joints), motion_fps / fps).astype(int)
    frames = render_frames(joints[keep], size, mixed_person, backend)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    iio.imwrite(path, frames, extension=".gif", duration=1000 / fps, loop=0)
    return path
