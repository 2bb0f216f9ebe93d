"""Frames per second of rendering alone, encoding alone, and render + encode of a 4-s two-person clip.

Usage: python benchmarks/render_benchmark.py [--repeats 3] [--size 848x480]
Prints one row per backend; "x real time" is the clip's 4 s over the wall time of ``render_video`` (warm:
the OpenGL context already exists, as in a running app). The first, cold call is reported separately.
Times are the best of the repeats: these shared machines are noisy.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from mixermdm_core.skeleton import FPS
from mixermdm_core.visualize import build_scene, demo_pair, open_renderer, render_video, write_mp4

SECONDS = 4.0


def best_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_backend(backend: str, joints: np.ndarray, size: tuple[int, int], repeats: int, out: Path) -> None:
    """Print one table row for ``backend`` (and, for OpenGL, the cold first call)."""
    frames = len(joints)
    cold = None
    if backend == "gl":
        start = time.perf_counter()
        render_video(joints, out, size=size, mixed_person=1, backend="gl")
        cold = time.perf_counter() - start

    def render_all() -> list[np.ndarray]:
        with open_renderer(build_scene(joints, size, mixed_person=1), backend) as renderer:
            return [renderer.render(i) for i in range(frames)]

    rendered = render_all()
    render_s = best_time(render_all, repeats)
    encode_s = best_time(lambda: write_mp4(rendered, out, FPS, size), repeats)
    total_s = best_time(lambda: render_video(joints, out, size=size, mixed_person=1, backend=backend), repeats)
    print(f"{backend:8} {frames / render_s:11.0f} {frames / encode_s:11.0f} {total_s:16.3f} {SECONDS / total_s:12.1f}")
    if cold is not None:
        print(f"{'':8} first call in this process (context creation, shader compilation): {cold:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--size", default="848x480", help="WIDTHxHEIGHT")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    joints = demo_pair(frames=int(SECONDS * FPS))
    out = Path(tempfile.mkdtemp()) / "bench.mp4"
    print(f"{len(joints)} frames ({SECONDS:.0f} s at {FPS} fps), two people, {size[0]}x{size[1]}, "
          f"best of {args.repeats}")
    print(f"{'backend':8} {'render fps':>11} {'encode fps':>11} {'render+encode s':>16} {'x real time':>12}")
    for backend in ("gl", "mpl"):
        bench_backend(backend, joints, size, args.repeats, out)
    print(f"mp4 size: {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
