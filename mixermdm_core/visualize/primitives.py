"""Unit meshes the skeleton is drawn with: the bone cylinder (the OpenGL renderer and the GLB exporter) and the
joint sphere (the GLB exporter; the renderer ray-casts its spheres on quads).

They are low-poly on purpose: the software rasteriser's cost follows the triangle count, and a GLB stays small.
"""
from __future__ import annotations

import numpy as np
import trimesh


def unit_sphere(subdivisions: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Icosphere of radius 1 (80 faces at subdivision 1): float32 vertices (V, 3), int32 faces (F, 3).

    Faces wind counter-clockwise seen from outside; each vertex is also its own normal.
    """
    mesh = trimesh.creation.icosphere(subdivisions=subdivisions)
    return mesh.vertices.astype(np.float32), mesh.faces.astype(np.int32)


def unit_cylinder(sides: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Open cylinder of radius 1 along +Y from y = 0 to y = 1: float32 vertices, int32 faces.

    No caps: joint spheres cover the ends. Faces wind counter-clockwise seen from outside, and a vertex's
    normal is its (x, 0, z).
    """
    angles = np.linspace(0, 2 * np.pi, sides, endpoint=False)
    ring = np.stack((np.sin(angles), np.zeros(sides), np.cos(angles)), -1)
    verts = np.concatenate((ring, ring + (0, 1, 0))).astype(np.float32)
    i = np.arange(sides)
    j = (i + 1) % sides
    faces = np.concatenate((np.stack((i, j, j + sides), -1), np.stack((i, j + sides, i + sides), -1)))
    return verts, faces.astype(np.int32)
