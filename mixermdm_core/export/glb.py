"""Animated GLB (binary glTF 2.0) of skeleton motions, for browsers and ``gradio.Model3D``.

Each joint is a node with a sphere mesh whose translation is animated; each bone is a node with a unit
cylinder whose translation, rotation and length (scale) are animated. As in the renderer and the 3D view, a
small sphere in front of each head (the nose) and one on the chest show which way a person faces, a yellow
sphere grows over each joint while it touches the other person (scale 0 otherwise, stepped), and a line on the
floor traces each pelvis. The motion is sent once and played by the viewer, so it costs the server nothing per
frame. A 4-s two-person clip is about 0.5 MB.
Node rest transforms are the first frame, so viewers that ignore animation still show a pose.
"""
from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import torch

from ..skeleton import FPS, JOINT_NAMES
from ..visualize.motion import to_joints
from ..visualize.primitives import unit_cylinder, unit_sphere
from ..visualize.scene import (BONE_RADII, BONES, GLOW, GLOW_SCALE, JOINT_RADII, NOSE_RADIUS, PERSON_COLORS,
                               chest_positions, nose_positions, touching_joints, trail_colors)

_FLOAT, _USHORT = 5126, 5123
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
_LINE_STRIP = 3  # glTF primitive mode


class _Buffer:
    """Accumulates binary data with glTF bufferViews and accessors pointing into it."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.views: list[dict] = []
        self.accessors: list[dict] = []

    def add(self, array: np.ndarray, kind: str, target: int | None = None, bounds: bool = False) -> int:
        """Append ``array`` (float32 or uint16) as one accessor of type ``kind``; returns its index."""
        self.data.extend(b"\0" * (-len(self.data) % 4))
        view = {"buffer": 0, "byteOffset": len(self.data), "byteLength": array.nbytes}
        if target is not None:
            view["target"] = target
        self.data.extend(array.tobytes())
        self.views.append(view)
        accessor = {
            "bufferView": len(self.views) - 1, "componentType": _USHORT if array.dtype == np.uint16 else _FLOAT,
            "count": len(array), "type": kind,
        }
        if bounds:  # required for positions and animation times
            flat = array.reshape(len(array), -1)
            accessor["min"], accessor["max"] = flat.min(0).tolist(), flat.max(0).tolist()
        self.accessors.append(accessor)
        return len(self.accessors) - 1


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    """glTF colour factors are linear; the project's palette is sRGB."""
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _quaternions_from_y(directions: np.ndarray) -> np.ndarray:
    """(T, 3) unit vectors -> (T, 4) xyzw rotations taking +Y onto them, sign-continuous over time."""
    x, y, z = directions[:, 0], directions[:, 1], directions[:, 2]
    q = np.stack((z, np.zeros_like(y), -x, 1 + y), -1)
    q[q[:, 3] < 1e-6] = (1.0, 0.0, 0.0, 0.0)  # pointing straight down: half turn about X
    q /= np.linalg.norm(q, axis=-1, keepdims=True)
    flips = np.cumprod(np.concatenate(([1.0], np.sign((q[1:] * q[:-1]).sum(-1) + 1e-12))))
    return (q * flips[:, None]).astype(np.float32)


def _mesh(buf: _Buffer, vertices: np.ndarray, normals: np.ndarray, faces: np.ndarray, material: int, name: str) -> dict:
    return {"name": name, "primitives": [{
        "attributes": {
            "POSITION": buf.add(vertices.astype(np.float32), "VEC3", _ARRAY_BUFFER, bounds=True),
            "NORMAL": buf.add(normals.astype(np.float32), "VEC3", _ARRAY_BUFFER),
        },
        "indices": buf.add(faces.astype(np.uint16).ravel(), "SCALAR", _ELEMENT_ARRAY_BUFFER),
        "material": material,
    }]}


def write_glb(motion: np.ndarray | torch.Tensor, path: str | Path, fps: int = FPS) -> Path:
    """Write joints (T, [P,] 22, 3) or features (T, [P,] 262) as an animated GLB; returns the path."""
    joints = to_joints(motion)
    frames, people = joints.shape[:2]
    if people > len(PERSON_COLORS):
        raise ValueError(f"at most {len(PERSON_COLORS)} people, got {people}")
    buf = _Buffer()
    sphere_v, sphere_f = unit_sphere()
    cyl_v, cyl_f = unit_cylinder()
    cyl_n = cyl_v * (1.0, 0.0, 1.0)
    materials, meshes, nodes, channels, samplers = [], [], [], [], []
    times = buf.add(np.arange(frames, dtype=np.float32) / fps, "SCALAR", bounds=True)

    def animate(node: int, path: str, values: np.ndarray, kind: str, interpolation: str = "LINEAR") -> None:
        samplers.append({"input": times, "output": buf.add(values.astype(np.float32), kind),
                         "interpolation": interpolation})
        channels.append({"sampler": len(samplers) - 1, "target": {"node": node, "path": path}})

    def material(name: str, srgb: np.ndarray) -> int:
        materials.append({"name": name, "pbrMetallicRoughness": {
            "baseColorFactor": [*_srgb_to_linear(srgb).tolist(), 1.0], "metallicFactor": 0.0, "roughnessFactor": 0.7}})
        return len(materials) - 1

    glow_mesh = len(meshes)
    meshes.append(_mesh(buf, sphere_v, sphere_v, sphere_f, material("contact", GLOW), "contact"))
    roots = []
    noses, chests, touching = nose_positions(joints), chest_positions(joints), touching_joints(joints)
    for p in range(people):
        color = PERSON_COLORS[p]
        joint_mesh, bone_mesh, skin = len(meshes), len(meshes) + 1, material(f"person_{p + 1}", color)
        meshes.append(_mesh(buf, sphere_v, sphere_v, sphere_f, skin, f"joint_p{p + 1}"))
        meshes.append(_mesh(buf, cyl_v, cyl_n, cyl_f, skin, f"bone_p{p + 1}"))
        body = joints[:, p]
        children = []

        def node(name: str, mesh: int, translation: np.ndarray, **rest) -> int:
            nodes.append({"name": f"p{p + 1}_{name}", "mesh": mesh, "translation": translation.tolist(), **rest})
            children.append(len(nodes) - 1)
            return children[-1]

        for j, name in enumerate(JOINT_NAMES):
            animate(node(name, joint_mesh, body[0, j], scale=[float(JOINT_RADII[j])] * 3), "translation", body[:, j],
                    "VEC3")
        for (parent, child), radius in zip(BONES, BONE_RADII):
            axis = body[:, child] - body[:, parent]
            length = np.linalg.norm(axis, axis=-1)
            rotation = _quaternions_from_y(axis / np.maximum(length, 1e-9)[:, None])
            scale = np.stack((np.full(frames, radius), length, np.full(frames, radius)), -1)
            n = node(f"bone_{JOINT_NAMES[child]}", bone_mesh, body[0, parent], rotation=rotation[0].tolist(),
                     scale=scale[0].tolist())
            animate(n, "translation", body[:, parent], "VEC3")
            animate(n, "rotation", rotation, "VEC4")
            animate(n, "scale", scale, "VEC3")
        for name, marker in (("nose", noses[:, p]), ("chest", chests[:, p])):
            animate(node(name, joint_mesh, marker[0], scale=[NOSE_RADIUS] * 3), "translation", marker, "VEC3")
        for j, name in enumerate(JOINT_NAMES):
            glow = touching[:, p, j, None] * np.full((frames, 3), JOINT_RADII[j] * GLOW_SCALE)
            n = node(f"contact_{name}", glow_mesh, body[0, j], scale=glow[0].tolist())
            animate(n, "translation", body[:, j], "VEC3")
            animate(n, "scale", glow, "VEC3", "STEP")
        trail = (body[:, 0] * (1.0, 0.0, 1.0) + (0.0, 0.004, 0.0)).astype(np.float32)
        meshes.append({"name": f"trail_p{p + 1}", "primitives": [{
            "attributes": {"POSITION": buf.add(trail, "VEC3", _ARRAY_BUFFER, bounds=True)}, "mode": _LINE_STRIP,
            "material": material(f"trail_{p + 1}", trail_colors(color))}]})
        node("trail", len(meshes) - 1, np.zeros(3))
        nodes.append({"name": f"person_{p + 1}", "children": children})
        roots.append(len(nodes) - 1)

    gltf = {
        "asset": {"version": "2.0", "generator": "mixermdm_core"},
        "scene": 0, "scenes": [{"nodes": roots}], "nodes": nodes, "meshes": meshes, "materials": materials,
        "animations": [{"name": "motion", "channels": channels, "samplers": samplers}],
        "buffers": [{"byteLength": len(buf.data)}], "bufferViews": buf.views, "accessors": buf.accessors,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_glb_bytes(gltf, bytes(buf.data)))
    return path


def _glb_bytes(gltf: dict, binary: bytes) -> bytes:
    """The GLB container: 12-byte header, a JSON chunk padded with spaces, a BIN chunk padded with zeros."""
    text = json.dumps(gltf, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 4)
    binary += b"\0" * (-len(binary) % 4)
    total = 12 + 8 + len(text) + 8 + len(binary)
    return (struct.pack("<4sII", b"glTF", 2, total) + struct.pack("<I4s", len(text), b"JSON") + text
            + struct.pack("<I4s", len(binary), b"BIN\0") + binary)
