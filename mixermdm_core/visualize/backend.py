"""Pick a renderer: OpenGL when a context can be created, else matplotlib (logged either way)."""
from __future__ import annotations

import logging
from typing import Literal, Protocol

import numpy as np

from .mpl_renderer import MplRenderer
from .scene import Scene

log = logging.getLogger(__name__)

Backend = Literal["auto", "gl", "mpl"]


class Renderer(Protocol):
    """What both renderers offer: frames by index, and a context manager that frees resources."""

    scene: Scene

    def render(self, frame: int) -> np.ndarray: ...

    def close(self) -> None: ...

    def __enter__(self) -> Renderer: ...

    def __exit__(self, *exc: object) -> None: ...


def gl_available() -> bool:
    """Whether the OpenGL backend can run here (moderngl importable, offscreen context created).

    Calling it at start-up takes context creation and shader compilation off the first render.
    """
    try:
        from .gl_renderer import context_available
    except ImportError as error:
        log.debug("moderngl unavailable: %s", error)
        return False
    return context_available()


def open_renderer(scene: Scene, backend: Backend = "auto") -> Renderer:
    """A renderer for ``scene``: "gl" (OpenGL, raises if unavailable), "mpl", or "auto" (OpenGL, else mpl)."""
    if backend not in ("auto", "gl", "mpl"):
        raise ValueError(f"backend must be 'auto', 'gl' or 'mpl', got {backend!r}")
    if backend != "mpl":
        try:
            from .gl_renderer import GLRenderer  # moderngl may be missing: import here, not at module load

            renderer = GLRenderer(scene)
        except Exception as error:
            if backend == "gl":
                raise RuntimeError(f"OpenGL backend unavailable: {error}") from error
            log.info("OpenGL unavailable (%s); rendering with matplotlib", error)
        else:
            log.info("rendering with OpenGL")
            return renderer
    else:
        log.info("rendering with matplotlib (requested)")
    return MplRenderer(scene)
