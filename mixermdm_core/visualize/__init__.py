"""Offscreen rendering of one- and two-person skeleton motions to frames, mp4 and GIF.

OpenGL (moderngl, EGL/llvmpipe) when available, else matplotlib; both draw the same :class:`Scene`.
"""
from .backend import gl_available, open_renderer
from .demo_motion import demo_pair
from .scene import DEFAULT_SIZE, Scene, build_scene
from .video import iter_frames, render_frames, render_video, save_gif, write_mp4

__all__ = [
    "DEFAULT_SIZE", "Scene", "build_scene", "demo_pair", "gl_available", "iter_frames", "open_renderer",
    "render_frames", "render_video", "save_gif", "write_mp4",
]
