"""Render motions to frames, browser-playable H.264 mp4 and GIF.

Frames are piped raw to ffmpeg as they are rendered, from a writer thread, so encoding (another process)
overlaps rendering: a pipe write blocks until ffmpeg has read the whole frame, and drawing the next frame
meanwhile is what keeps both cores busy. The OpenGL renderer hands video frames over as RGBA, which Mesa reads
back without a per-pixel conversion (ffmpeg drops the alpha in the colour conversion it does anyway). x264's
"ultrafast" preset lets a 4-s clip render and encode in under a second on 2 cores; it costs file size (about
1 MB for 4 s at 480p, CRF 23), not playability.
"""
from __future__ import annotations

import itertools
import queue
import subprocess
import threading
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
QUEUED_FRAMES = 4  # frames drawn ahead of the encoder: enough to cover a slow pipe write, 6 MB at 480p
Motion = np.ndarray | torch.Tensor


def iter_frames(
    motion: Motion, size: tuple[int, int] = DEFAULT_SIZE, mixed_person: int | None = None,
    backend: Backend = "auto", rgba: bool = False,
) -> Iterator[np.ndarray]:
    """Yield (H, W, 3) uint8 frames of a motion: joints (T, [P,] 22, 3) or features (T, [P,] 262).

    The camera is framed once on the whole clip; ``mixed_person`` gets a highlight ring. ``rgba``: (H, W, 4)
    frames from a renderer that reads them back faster so (OpenGL), for the video encoder.
    """
    scene = build_scene(to_joints(motion), size, mixed_person)
    with open_renderer(scene, backend) as renderer:
        draw = getattr(renderer, "render_rgba", renderer.render) if rgba else renderer.render
        for frame in range(scene.num_frames):
            yield draw(frame)


def render_frames(
    motion: Motion, size: tuple[int, int] = DEFAULT_SIZE, mixed_person: int | None = None,
    backend: Backend = "auto",
) -> np.ndarray:
    """All frames of a motion as one (T, H, W, 3) uint8 array (see :func:`iter_frames`)."""
    return np.stack(list(iter_frames(motion, size, mixed_person, backend)))


def write_mp4(
    frames: Iterable[np.ndarray], path: str | Path, fps: int = FPS, size: tuple[int, int] = DEFAULT_SIZE,
) -> Path:
    """Encode (H, W, 3) RGB or (H, W, 4) RGBA uint8 frames of ``size`` (width, height; both even) as H.264
    yuv420p mp4, each frame as it arrives; returns the path."""
    if size[0] % 2 or size[1] % 2:
        raise ValueError(f"video width and height must be even, got {size}")
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ValueError("no frames to encode")
    shape = (size[1], size[0], first.shape[-1])
    if first.shape != shape or shape[2] not in (3, 4):
        raise ValueError(f"frames must be (H, W, 3) RGB or (H, W, 4) RGBA of size {size}, got {first.shape}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ffmpeg = _start_ffmpeg(path, size, fps, "rgb24" if shape[2] == 3 else "rgba")
    pending: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=QUEUED_FRAMES)
    failure: list[BaseException] = []

    def feed_ffmpeg() -> None:
        try:
            while (frame := pending.get()) is not None:
                ffmpeg.stdin.write(frame)
        except BaseException as error:  # noqa: BLE001 - handed to the rendering thread below
            failure.append(error)
            while pending.get() is not None:  # drain, so the producer never blocks on a dead writer
                pass

    feeder = threading.Thread(target=feed_ffmpeg, name="mp4-writer", daemon=True)
    feeder.start()
    try:
        for frame in itertools.chain((first,), frames):
            if failure:
                break
            if frame.shape != shape:
                raise ValueError(f"every frame must be {shape} like the first, got {frame.shape}")
            pending.put(np.ascontiguousarray(frame))
    except BaseException:
        ffmpeg.kill()
        raise
    finally:
        pending.put(None)
        feeder.join()
        _, log = ffmpeg.communicate()
    if ffmpeg.returncode != 0:
        raise RuntimeError(f"ffmpeg could not encode {path} (exit {ffmpeg.returncode}): {log.decode(errors='replace')}")
    if failure:
        raise failure[0]
    return path


def _start_ffmpeg(path: Path, size: tuple[int, int], fps: int, pix_fmt: str) -> subprocess.Popen:
    """An ffmpeg process that reads raw ``pix_fmt`` frames from its stdin and writes an H.264 mp4. Started
    without a ``preexec_fn`` (its own session instead, so Ctrl+C in a terminal does not cut a video short), which
    lets Python spawn it with vfork: a plain fork copies the page tables of the whole process (a GB with the
    networks loaded), tens of milliseconds a video."""
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", pix_fmt,
        "-s", f"{size[0]}x{size[1]}", "-r", str(fps), "-i", "-", "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        *H264_OPTIONS, str(path),
    ]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def render_video(
    motion: Motion, path: str | Path, fps: int = FPS, size: tuple[int, int] = DEFAULT_SIZE,
    mixed_person: int | None = None, backend: Backend = "auto",
) -> Path:
    """Write a motion as an H.264 mp4 that browsers play; returns the path.

    ``size`` is (width, height); both must be even (multiples of 16 avoid any padding by the decoder).
    """
    return write_mp4(iter_frames(motion, size, mixed_person, backend, rgba=True), path, fps, size)


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
