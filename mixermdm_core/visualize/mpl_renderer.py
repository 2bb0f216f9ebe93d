"""Matplotlib fallback renderer: same camera, colours, floor and ring as the OpenGL one, slower.

Used where no OpenGL context can be created. The floor (grid, fog) is ray-cast once per clip with numpy and
kept as the canvas background; each frame restores it and draws shadows, ring, bones and joints as 2D
artists projected with the scene's camera, far person first (painter's algorithm).
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from .scene import (
    BACKGROUND, BONE_RADII, BONES, FLOOR, GRID, GRID_SPACING, GRID_WIDTH, HIGHLIGHT, RING_WIDTH,
    Scene, shadow_points,
)

DPI = 100
SHADOW_COLOR = FLOOR * 0.8
SHADOW_RADIUS = 0.04  # metres: where the OpenGL renderer's soft blobs are at about half strength


def _smoothstep(lo: np.ndarray | float, hi: np.ndarray | float, x: np.ndarray) -> np.ndarray:
    t = np.clip((x - lo) / np.maximum(hi - lo, 1e-9), 0.0, 1.0)
    return t * t * (3 - 2 * t)


def floor_image(scene: Scene) -> np.ndarray:
    """(H, W, 3) float image of the floor with grid and fog, ray-cast through each pixel centre."""
    w, h = scene.size
    cam = scene.camera
    right, up, back = cam.basis()
    f = (h / 2) / np.tan(np.radians(cam.fov_y) / 2)
    u, v = np.meshgrid(np.arange(w) + 0.5 - w / 2, h / 2 - (np.arange(h) + 0.5))
    rays = u[..., None] * right + v[..., None] * up - f * back
    down = rays[..., 1] < -1e-9
    t = np.where(down, -cam.eye[1] / np.where(down, rays[..., 1], -1.0), np.inf)
    xz = cam.eye[[0, 2]] + t[..., None] * rays[..., [0, 2]]
    xz = np.where(down[..., None], xz, 0.0)
    footprint = np.abs(np.gradient(xz, axis=0)) + np.abs(np.gradient(xz, axis=1))  # like GLSL fwidth
    dist = np.abs(np.mod(xz / GRID_SPACING - 0.5, 1.0) - 0.5) * GRID_SPACING
    line = 1 - _smoothstep(GRID_WIDTH / 2 - footprint, GRID_WIDTH / 2 + footprint, dist)
    grid = line.max(-1) * np.clip(1.5 - 20 * footprint.max(-1), 0, 1)
    color = FLOOR + grid[..., None] * (GRID - FLOOR)
    fog = _smoothstep(scene.fog[0], scene.fog[1], np.linalg.norm(xz - scene.floor_center, axis=-1))
    on_floor = down & (np.abs(xz - scene.floor_center).max(-1) <= scene.floor_half)
    fog = np.where(on_floor, fog, 1.0)
    return color + fog[..., None] * (BACKGROUND - color)


class MplRenderer:
    """Renders frames of a :class:`Scene` as (H, W, 3) uint8 arrays with matplotlib's Agg canvas."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self._centers, self._radii, self._colors = scene.spheres()
        w, h = scene.size
        self._focal = (h / 2) / np.tan(np.radians(scene.camera.fov_y) / 2)
        self._fig = Figure(figsize=(w / DPI, h / DPI), dpi=DPI, facecolor=BACKGROUND)
        self._canvas = FigureCanvasAgg(self._fig)
        ax = self._ax = self._fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, w)
        ax.set_ylim(h, 0)
        ax.axis("off")
        ax.imshow(floor_image(scene), extent=(0, w, h, 0), interpolation="nearest")
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self._fig.bbox)

        people = scene.joints.shape[1]
        self._shadows = [ax.add_collection(LineCollection([], colors=[SHADOW_COLOR], capstyle="round"), autolim=False)
                         for _ in range(people)]
        self._ring_fill = ax.add_patch(Polygon(np.zeros((1, 2)), closed=True, color=HIGHLIGHT, alpha=0.22, lw=0))
        self._ring_line = ax.add_line(Line2D([], [], color=HIGHLIGHT, solid_capstyle="round"))
        self._bones = [ax.add_collection(LineCollection([], colors=[c * 0.9], capstyle="round"), autolim=False)
                       for c in scene.colors]
        self._joints = [ax.scatter(np.empty(0), np.empty(0), color=c, edgecolors=c * 0.7, linewidths=0.8)
                        for c in scene.colors]
        for artist in (*self._shadows, self._ring_fill, self._ring_line, *self._bones, *self._joints):
            artist.set_animated(True)  # drawn per frame over the saved background, never into it

    def _points(self, pixels: np.ndarray) -> np.ndarray:
        """Pixel lengths -> matplotlib points."""
        return pixels * 72.0 / DPI

    def render(self, frame: int) -> np.ndarray:
        """The frame at index ``frame`` as an (H, W, 3) uint8 array."""
        scene, cam, size = self.scene, self.scene.camera, self.scene.size
        self._canvas.restore_region(self._background)
        draw = self._ax.draw_artist
        bodies = scene.joints[frame].astype(np.float64)
        for person, body in enumerate(bodies):
            floor = shadow_points(body)
            shadow_px, shadow_depth = cam.project(np.stack((floor[:, 0], np.zeros(len(floor)), floor[:, 1]), -1), size)
            widths = 2 * SHADOW_RADIUS * self._focal / shadow_depth[BONES].mean(-1)
            self._shadows[person].set_segments(shadow_px[BONES])
            self._shadows[person].set_linewidths(self._points(widths))
            draw(self._shadows[person])
        ring = scene.ring(frame)
        if ring is not None:
            x, z, radius = ring
            angles = np.linspace(0, 2 * np.pi, 65)
            circle = np.stack((x + radius * np.cos(angles), np.zeros_like(angles), z + radius * np.sin(angles)), -1)
            px, depth = cam.project(circle, size)
            self._ring_fill.set_xy(px)
            self._ring_line.set_data(px[:, 0], px[:, 1])
            self._ring_line.set_linewidth(self._points(RING_WIDTH * self._focal / depth.mean()))
            draw(self._ring_fill)
            draw(self._ring_line)
        projected = [cam.project(body, size) for body in bodies]
        spheres = [cam.project(c, size) for c in self._centers[frame].astype(np.float64)]
        for person in np.argsort([-depth.mean() for _, depth in projected]):
            px, depth = projected[person]
            bone_depth = depth[BONES].mean(-1)
            order = np.argsort(-bone_depth)
            self._bones[person].set_segments(px[BONES][order])
            self._bones[person].set_linewidths(self._points(2 * BONE_RADII[order] * self._focal / bone_depth[order]))
            px, depth = spheres[person]
            order = np.argsort(-depth)
            colors = self._colors[frame, person, order]
            self._joints[person].set_facecolors(colors)
            self._joints[person].set_edgecolors(colors * 0.7)
            self._joints[person].set_offsets(px[order])
            radii = self._radii[frame, person, order]
            self._joints[person].set_sizes(self._points(2 * radii * self._focal / depth[order]) ** 2)
            draw(self._bones[person])
            draw(self._joints[person])
        return np.asarray(self._canvas.buffer_rgba())[:, :, :3].copy()

    def close(self) -> None:
        """Release the figure (nothing else is held)."""
        self._fig.clear()

    def __enter__(self) -> MplRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
