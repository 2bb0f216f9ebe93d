"""Offscreen OpenGL renderer (moderngl; EGL on Mesa llvmpipe needs no display or GPU).

llvmpipe's cost follows triangles and shaded pixels, so:
- bodies are one instanced draw for all bone cylinders (a low-poly unit mesh) and one for all spheres
  (ray-cast impostors: a quad each);
- the floor (grid, fog) is shaded once per clip into a background image that each frame starts from;
- shadows are soft blobs drawn into a small top-down texture that covers only the floor the frame's
  shadows fall on, and darken the frame only there; the highlight ring is drawn on a quad just around it;
- no multisampling: on llvmpipe it costs more than the rest of the frame (about 4x slower overall). The
  floor, grid, ring and shadows are antialiased in their shaders; only body outlines are not.
The context, programs and unit meshes are created once per process and shared by all renderers; a lock
makes each frame's GL calls atomic, so renderers may be used from several threads.
"""
from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from typing import TypeVar

import moderngl
import numpy as np

from . import shaders
from .primitives import unit_cylinder
from .scene import (
    BACKGROUND, BONE_RADII, BONES, FLOOR, GRID, GRID_SPACING, GRID_WIDTH, HIGHLIGHT, JOINT_RADII, LIGHT_DIR,
    RING_WIDTH, Scene,
)

RING_QUAD_PAD = RING_WIDTH + 0.02  # metres past the ring's radius that its quad covers (band and antialiasing)

log = logging.getLogger(__name__)

T = TypeVar("T")
SHADOW_RES = 128  # texels across the frame's shadow area (1-3 cm a texel); blobs are soft, so this is plenty


@dataclass
class _Shared:
    """The process-wide GL context with its compiled programs and unit meshes."""

    ctx: moderngl.Context
    lock: threading.Lock
    programs: dict[str, moderngl.Program]
    buffers: dict[str, moderngl.Buffer]
    uniforms_of: int = -1  # the renderer whose uniforms the programs hold now


def _create_context() -> moderngl.Context:
    """A headless OpenGL 3.3 context: EGL first (no display needed), then the platform default."""
    try:
        return moderngl.create_standalone_context(backend="egl")
    except Exception as egl_error:  # noqa: BLE001 - any failure means "try the next backend"
        log.debug("EGL context failed (%s); trying the default backend", egl_error)
        return moderngl.create_standalone_context()


def _create_shared() -> _Shared:
    """Create the context, compile the programs and upload the unit meshes."""
    ctx = _create_context()
    log.debug("OpenGL context: %s", ctx.info.get("GL_RENDERER"))
    sources = {
        "sphere": (shaders.SPHERE_VS, shaders.SPHERE_FS), "bone": (shaders.BONE_VS, shaders.BODY_FS),
        "shadow": (shaders.SHADOW_VS, shaders.SHADOW_FS), "floor": (shaders.FLOOR_VS, shaders.FLOOR_FS),
        "overlay": (shaders.FLOOR_VS, shaders.SHADOW_OVERLAY_FS), "ring": (shaders.FLOOR_VS, shaders.RING_FS),
    }
    programs = {name: ctx.program(vertex_shader=vs, fragment_shader=fs) for name, (vs, fs) in sources.items()}
    cyl_v, cyl_f = unit_cylinder()
    quad = np.array(((-1, -1), (1, -1), (-1, 1), (1, 1)), dtype="f4")
    buffers = {"cylinder_v": ctx.buffer(cyl_v), "cylinder_f": ctx.buffer(cyl_f), "quad": ctx.buffer(quad)}
    return _Shared(ctx, threading.Lock(), programs, buffers)


_renderer_ids = itertools.count()
_state: _Shared | Exception | None = None  # the shared GL state, or why it could not be created
_state_lock = threading.Lock()


def _shared() -> _Shared:
    """The process-wide GL state, created on first use; raises (every time, without retrying) if no
    OpenGL context can be made, so a machine without OpenGL pays for the attempt once."""
    global _state
    with _state_lock:
        if _state is None:
            try:
                _state = _create_shared()
            except Exception as error:
                _state = error
        if isinstance(_state, Exception):
            raise RuntimeError(f"no OpenGL context: {_state}") from _state
        return _state


def context_available() -> bool:
    """Whether the shared offscreen OpenGL context exists or can be created in this process."""
    try:
        _shared()
    except RuntimeError as error:
        log.debug("%s", error)
        return False
    return True


def _floor_quad(x0: float, z0: float, x1: float, z1: float) -> np.ndarray:
    """Corners (4, 2) of a floor rectangle in triangle-strip order."""
    return np.array(((x0, z0), (x1, z0), (x0, z1), (x1, z1)), dtype="f4")


class GLRenderer:
    """Renders frames of a :class:`Scene` as (H, W, 3) uint8 arrays; use as a context manager."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self._gl = _shared()
        self._id = next(_renderer_ids)
        self._owned: list = []  # GL objects to release on close
        with self._gl.lock, self._gl.ctx:
            self._create_instances()
            self._create_targets()
            self._set_uniforms()
            self._draw_background()

    def _own(self, obj: T) -> T:
        self._owned.append(obj)
        return obj

    def _create_instances(self) -> None:
        """Per-frame instance data for all frames (uploaded one frame at a time) and the vertex arrays."""
        ctx, prog, buf, scene = self._gl.ctx, self._gl.programs, self._gl.buffers, self.scene
        joints = scene.joints.astype("f4")
        frames, people = joints.shape[:2]
        segments = np.concatenate((joints[:, :, BONES[:, 0]], joints[:, :, BONES[:, 1]]), axis=-1)
        dots = np.concatenate((joints, joints), axis=-1)  # a joint's shadow is a zero-length segment
        centers, radii, colors = scene.spheres()
        self._centers = np.ascontiguousarray(centers.reshape(frames, -1, 3), "f4")
        self._segments = np.ascontiguousarray(segments.reshape(frames, -1, 6))
        self._blobs = np.ascontiguousarray(np.concatenate((self._segments, dots.reshape(frames, -1, 6)), axis=1))

        self._spheres = np.ascontiguousarray(np.concatenate((radii[..., None], colors), -1).reshape(frames, -1, 4), "f4")
        joint_radius = np.tile(JOINT_RADII, people)  # shadows keep the plain joint sizes
        bone_attr = np.concatenate(
            (np.tile(BONE_RADII, people)[:, None], np.repeat(scene.colors * 0.9, len(BONES), axis=0)), axis=1)
        blob_radius = np.concatenate((bone_attr[:, 0], joint_radius))
        self._counts = {"spheres": self._centers.shape[1], "bones": len(bone_attr), "blobs": len(blob_radius)}

        self._center_buf = self._own(ctx.buffer(reserve=self._centers[0].nbytes))
        self._segment_buf = self._own(ctx.buffer(reserve=self._segments[0].nbytes))
        self._blob_buf = self._own(ctx.buffer(reserve=self._blobs[0].nbytes))
        self._sphere_buf = self._own(ctx.buffer(reserve=self._spheres[0].nbytes))
        bone_attr_buf = self._own(ctx.buffer(bone_attr.astype("f4")))
        blob_radius_buf = self._own(ctx.buffer(blob_radius.astype("f4")))
        cx, cz = scene.floor_center
        half = scene.floor_half
        floor_buf = self._own(ctx.buffer(_floor_quad(cx - half, cz - half, cx + half, cz + half)))
        self._overlay_buf = self._own(ctx.buffer(reserve=4 * 2 * 4))
        self._ring_buf = self._own(ctx.buffer(reserve=4 * 2 * 4))

        self._vaos = {name: self._own(vao) for name, vao in {
            "sphere": ctx.vertex_array(prog["sphere"], [
                (buf["quad"], "2f", "in_corner"),
                (self._center_buf, "3f/i", "i_center"),
                (self._sphere_buf, "1f 3f/i", "i_radius", "i_color"),
            ]),
            "bone": ctx.vertex_array(prog["bone"], [
                (buf["cylinder_v"], "3f", "in_pos"),
                (self._segment_buf, "3f 3f/i", "i_a", "i_b"),
                (bone_attr_buf, "1f 3f/i", "i_radius", "i_color"),
            ], index_buffer=buf["cylinder_f"]),
            "shadow": ctx.vertex_array(prog["shadow"], [
                (buf["quad"], "2f", "in_corner"),
                (self._blob_buf, "3f 3f/i", "i_a", "i_b"),
                (blob_radius_buf, "1f/i", "i_radius"),
            ]),
            "floor": ctx.vertex_array(prog["floor"], [(floor_buf, "2f", "in_xz")]),
            "overlay": ctx.vertex_array(prog["overlay"], [(self._overlay_buf, "2f", "in_xz")]),
            "ring": ctx.vertex_array(prog["ring"], [(self._ring_buf, "2f", "in_xz")]),
        }.items()}

    def _create_targets(self) -> None:
        """The shadow texture, the background image and the colour and depth target."""
        ctx = self._gl.ctx
        size = self.scene.size
        self._shadow_tex = self._own(ctx.texture((SHADOW_RES, SHADOW_RES), 1))
        self._shadow_tex.repeat_x = self._shadow_tex.repeat_y = False
        self._shadow_fbo = self._own(ctx.framebuffer(color_attachments=[self._shadow_tex]))
        background = self._own(ctx.renderbuffer(size, 4))
        far = self._own(ctx.depth_renderbuffer(size))  # cleared once: each frame's blit resets the depth too
        self._background_fbo = self._own(ctx.framebuffer(color_attachments=[background], depth_attachment=far))
        color = self._own(ctx.renderbuffer(size, 4))
        depth = self._own(ctx.depth_renderbuffer(size))
        self._fbo = self._own(ctx.framebuffer(color_attachments=[color], depth_attachment=depth))

    def _set_uniforms(self) -> None:
        """Record the uniforms that stay for the clip; programs are shared between renderers, so a frame sets
        them again when another renderer drew last (the shadow area and the ring are set with each frame)."""
        prog, scene = self._gl.programs, self.scene
        w, h = scene.size
        flip = np.diag((1.0, -1.0, 1.0, 1.0))  # rows flipped so the read-back image is top row first
        vp = tuple((flip @ scene.camera.projection_matrix(w / h) @ scene.camera.view_matrix()).T.ravel())
        light = tuple(LIGHT_DIR)
        self._uniforms = {
            prog["sphere"]: {"u_vp": vp, "u_light": light, "u_eye": tuple(scene.camera.eye)},
            prog["bone"]: {"u_vp": vp, "u_light": light},
            prog["shadow"]: {"u_light": light},
            prog["floor"]: {
                "u_vp": vp, "u_center": tuple(scene.floor_center), "u_fog": scene.fog, "u_floor": tuple(FLOOR),
                "u_grid": tuple(GRID), "u_bg": tuple(BACKGROUND), "u_spacing": GRID_SPACING, "u_line": GRID_WIDTH,
            },
            prog["overlay"]: {"u_vp": vp, "u_shadow": 0},
            prog["ring"]: {"u_vp": vp, "u_highlight": tuple(HIGHLIGHT), "u_ring_width": RING_WIDTH},
        }

    def _apply_uniforms(self) -> None:
        """Set this renderer's uniforms on the shared programs, unless it was the last to set them."""
        if self._gl.uniforms_of == self._id:
            return
        self._gl.uniforms_of = self._id
        for program, uniforms in self._uniforms.items():
            for name, value in uniforms.items():
                program[name].value = value

    def _draw_background(self) -> None:
        """Shade the floor (grid, fog) once into the background image."""
        self._apply_uniforms()
        self._background_fbo.use()
        self._background_fbo.clear(*BACKGROUND, 1.0)
        self._gl.ctx.disable(moderngl.DEPTH_TEST | moderngl.CULL_FACE | moderngl.BLEND)
        self._vaos["floor"].render(moderngl.TRIANGLE_STRIP)

    def render(self, frame: int) -> np.ndarray:
        """The frame at index ``frame`` as an (H, W, 3) uint8 array."""
        return self._render(frame, 3)

    def render_rgba(self, frame: int) -> np.ndarray:
        """The frame as (H, W, 4) uint8 with opaque alpha: Mesa reads RGBA back without converting, about a
        third of :meth:`render`'s read-back on llvmpipe, and the video encoder drops the alpha itself."""
        return self._render(frame, 4)

    def _render(self, frame: int, components: int) -> np.ndarray:
        w, h = self.scene.size
        with self._gl.lock, self._gl.ctx:
            self._draw(frame)
            data = self._fbo.read(components=components, alignment=1)
        return np.frombuffer(data, np.uint8).reshape(h, w, components)

    def _draw(self, frame: int) -> None:
        """Draw the frame into the colour target (the caller holds the lock and the context)."""
        ctx, vaos, scene, prog = self._gl.ctx, self._vaos, self.scene, self._gl.programs
        x0, z0, x1, z1 = (float(v) for v in scene.shadow_rects[frame])
        self._apply_uniforms()
        ring = scene.ring(frame)
        if ring:
            prog["ring"]["u_ring"].value = ring
            x, z, radius = ring
            half = radius + RING_QUAD_PAD
            self._ring_buf.write(_floor_quad(x - half, z - half, x + half, z + half))
        prog["shadow"]["u_rect"].value = prog["overlay"]["u_rect"].value = (x0, z0, 1 / (x1 - x0), 1 / (z1 - z0))
        self._overlay_buf.write(_floor_quad(x0, z0, x1, z1))
        self._center_buf.write(self._centers[frame])
        self._sphere_buf.write(self._spheres[frame])
        self._segment_buf.write(self._segments[frame])
        self._blob_buf.write(self._blobs[frame])
        ctx.disable(moderngl.DEPTH_TEST | moderngl.CULL_FACE)

        self._shadow_fbo.use()
        self._shadow_fbo.clear()
        ctx.enable(moderngl.BLEND)
        ctx.blend_equation = moderngl.MAX
        vaos["shadow"].render(moderngl.TRIANGLE_STRIP, instances=self._counts["blobs"])
        ctx.blend_equation = moderngl.FUNC_ADD

        self._fbo.use()
        ctx.copy_framebuffer(self._fbo, self._background_fbo)  # colour and depth: no clear (llvmpipe fills are slow)
        ctx.blend_func = moderngl.ZERO, moderngl.SRC_ALPHA
        self._shadow_tex.use(0)
        vaos["overlay"].render(moderngl.TRIANGLE_STRIP)
        if ring:
            ctx.blend_func = moderngl.ONE, moderngl.ONE_MINUS_SRC_ALPHA
            vaos["ring"].render(moderngl.TRIANGLE_STRIP)
        ctx.blend_func = moderngl.DEFAULT_BLENDING
        ctx.disable(moderngl.BLEND)

        ctx.enable(moderngl.DEPTH_TEST)
        vaos["sphere"].render(moderngl.TRIANGLE_STRIP, instances=self._counts["spheres"])
        ctx.enable(moderngl.CULL_FACE)
        ctx.front_face = "cw"  # the row flip mirrors the winding
        vaos["bone"].render(instances=self._counts["bones"])
        ctx.front_face = "ccw"

    def close(self) -> None:
        """Free this renderer's GL objects (the shared context stays for the next renderer)."""
        with self._gl.lock, self._gl.ctx:
            for obj in reversed(self._owned):
                obj.release()
        self._owned.clear()

    def __enter__(self) -> GLRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
