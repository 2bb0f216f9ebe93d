"""Matplotlib views of skeleton clips: an animated gif/mp4 and a PNG strip of key frames."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import animation

from ..kinematics import facing_direction
from ..skeleton import KINEMATIC_CHAINS

COLOURS = ("tab:blue", "tab:red")


def _limits(joints: np.ndarray) -> tuple[np.ndarray, float]:
    flat = joints.reshape(-1, 3)
    centre = (flat.max(0) + flat.min(0)) / 2
    half = max(float((flat.max(0) - flat.min(0))[[0, 2]].max()) / 2 + 0.2, 1.0)
    return centre, half


def camera_azimuth(people: np.ndarray) -> float:
    """Matplotlib azimuth (degrees) that looks at a pair side-on, or at one person from the front-left."""
    mid = people.shape[1] // 2
    if people.shape[0] > 1:
        d = people[1, mid, 0] - people[0, mid, 0]
        return float(np.degrees(np.arctan2(d[0], -d[2])))
    f = facing_direction(people[0, mid])
    return float(np.degrees(np.arctan2(f[2], f[0]))) + 40.0


def _draw(ax, people: np.ndarray, frame: int, centre: np.ndarray, half: float, title: str = "", azim: float = -60.0) -> None:
    """people: (P, T, 22, 3) in Y-up metres; drawn with Y as the vertical axis."""
    ax.cla()
    ax.set_xlim(centre[0] - half, centre[0] + half)
    ax.set_ylim(centre[2] - half, centre[2] + half)
    ax.set_zlim(0, max(2 * half, 2.0))
    ax.set_box_aspect((1, 1, 1))
    ax.set_xlabel("x")
    ax.set_ylabel("z")
    ax.view_init(elev=12, azim=azim)
    xx, zz = np.meshgrid(np.linspace(centre[0] - half, centre[0] + half, 2), np.linspace(centre[2] - half, centre[2] + half, 2))
    ax.plot_surface(xx, zz, np.zeros_like(xx), color="0.9", alpha=0.5)
    for p, joints in enumerate(people):
        j = joints[frame]
        for chain in KINEMATIC_CHAINS:
            ax.plot(j[list(chain), 0], j[list(chain), 2], j[list(chain), 1], color=COLOURS[p % 2], lw=2.5)
        ax.scatter(j[15, 0], j[15, 2], j[15, 1], color=COLOURS[p % 2], s=60)
    if title:
        ax.set_title(title, fontsize=8)


def render_animation(people: np.ndarray, out: str | Path, title: str = "", fps: int = 30) -> Path:
    """Write (P, T, 22, 3) joints as a gif (Pillow) or mp4 (needs ffmpeg) depending on ``out``'s suffix."""
    out = Path(out)
    centre, half = _limits(people)
    fig = plt.figure(figsize=(5, 5))
    ax = fig.add_subplot(projection="3d")
    azim = camera_azimuth(people)
    anim = animation.FuncAnimation(fig, lambda f: _draw(ax, people, f, centre, half, title, azim), frames=people.shape[1])
    writer = animation.PillowWriter(fps=fps) if out.suffix == ".gif" else animation.FFMpegWriter(fps=fps)
    anim.save(out, writer=writer)
    plt.close(fig)
    return out


def render_strip(people: np.ndarray, out: str | Path, frames: int = 6, title: str = "") -> Path:
    """Write ``frames`` evenly spaced poses of (P, T, 22, 3) joints side by side into one PNG."""
    out = Path(out)
    idx = np.linspace(0, people.shape[1] - 1, frames).round().astype(int)
    azim = camera_azimuth(people)
    fig = plt.figure(figsize=(3.2 * frames, 3.6))
    for k, f in enumerate(idx):
        ax = fig.add_subplot(1, frames, k + 1, projection="3d")
        centre, half = _limits(people[:, f : f + 1])  # follow the people, keep them large
        _draw(ax, people, int(f), centre, half, f"{title} t={f}" if k == 0 else f"t={f}", azim)
    fig.tight_layout()
    fig.savefig(out, dpi=70)
    plt.close(fig)
    return out
