"""BVH export of one person (and a small reader to check files and re-import them).

The hierarchy is the SMPL 22-joint skeleton in its T-pose, Y up, in metres, with each bone as long as its
mean length in the motion. The root has position and rotation channels, every other joint rotation
channels, all in Z-X-Y order (the rotation is Rz @ Rx @ Ry, the BVH/Blender convention for that channel
order). Rotations are solved so that forward kinematics of the file reproduces the joint positions; with
InterHuman features, each bone's twist comes from the features' 6D rotations.
"""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import torch

from ..representation.interhuman import FEATURE_DIM, features_to_joints, features_to_rotations
from ..skeleton import FPS, JOINT_NAMES, NUM_JOINTS, bone_lengths, rest_offsets
from ..visualize.motion import as_numpy, to_joints
from .bvh_rotations import CHILDREN, axis_angle_matrix, solve_local_rotations

ROTATION_ORDER = "ZXY"
END_SITE_FRACTION = 0.5  # a leaf's end site continues its bone by this fraction of its length
_AXES = {"X": np.array((1.0, 0.0, 0.0)), "Y": np.array((0.0, 1.0, 0.0)), "Z": np.array((0.0, 0.0, 1.0))}


def euler_to_matrix(degrees: np.ndarray, order: str) -> np.ndarray:
    """(..., K) angles in degrees about the K axes in ``order`` -> (..., 3, 3) = R[order[0]] @ R[order[1]] @ ..."""
    rads = np.radians(degrees)
    mats = [axis_angle_matrix(np.broadcast_to(_AXES[axis], rads.shape[:-1] + (3,)), rads[..., k])
            for k, axis in enumerate(order)]
    return functools.reduce(np.matmul, mats)


def matrix_to_euler_zxy(rot: np.ndarray) -> np.ndarray:
    """(..., 3, 3) -> (..., 3) degrees (z, x, y) with rot = Rz @ Rx @ Ry."""
    x = np.arcsin(np.clip(rot[..., 2, 1], -1.0, 1.0))
    locked = np.abs(rot[..., 2, 1]) > 1 - 1e-9  # x = +-90 deg: only z + y or z - y is defined; set y = 0
    z = np.where(locked, np.arctan2(rot[..., 1, 0], rot[..., 0, 0]), np.arctan2(-rot[..., 0, 1], rot[..., 1, 1]))
    y = np.where(locked, 0.0, np.arctan2(-rot[..., 2, 0], rot[..., 2, 2]))
    return np.degrees(np.stack((z, x, y), -1))


def _one_person(motion: np.ndarray | torch.Tensor) -> tuple[np.ndarray, np.ndarray | None]:
    """Joints (T, 22, 3) and, from features, local rotations (T, 22, 3, 3) to take twist from."""
    m = as_numpy(motion)
    is_features = m.shape[-1] == FEATURE_DIM
    single_ndim = 2 if is_features else 3  # (T, 262) or (T, 22, 3)
    people = 1 if m.ndim == single_ndim else m.shape[1]
    if people != 1:
        raise ValueError(f"write_bvh takes one person, got {people}: use write_bvh_pair")
    if not is_features:
        return to_joints(m)[:, 0].astype(np.float64), None
    features = torch.from_numpy(m.reshape(len(m), FEATURE_DIM)).double()
    rots = features_to_rotations(features).numpy()
    hint = np.concatenate((np.broadcast_to(np.eye(3), (len(m), 1, 3, 3)), rots), axis=1)
    return features_to_joints(features).numpy(), hint


def skeleton_offsets(joints: np.ndarray) -> np.ndarray:
    """(22, 3) T-pose offsets along SMPL's rest directions with the motion's mean bone lengths."""
    rest = rest_offsets()
    directions = rest[1:] / np.linalg.norm(rest[1:], axis=-1, keepdims=True)
    offsets = np.zeros((NUM_JOINTS, 3))
    offsets[1:] = directions * bone_lengths(joints).mean(0)[:, None]
    return offsets


def _hierarchy(offsets: np.ndarray) -> tuple[list[str], list[int]]:
    """HIERARCHY lines and the joints in the depth-first order their channels appear."""
    lines, order = ["HIERARCHY"], []

    def visit(j: int, depth: int) -> None:
        pad = "\t" * depth
        order.append(j)
        lines.append(f"{pad}{'ROOT' if j == 0 else 'JOINT'} {JOINT_NAMES[j]}")
        lines.append(f"{pad}{{")
        lines.append(f"{pad}\tOFFSET {' '.join(f'{v:.6f}' for v in offsets[j])}")
        rotations = " ".join(f"{axis}rotation" for axis in ROTATION_ORDER)
        channels = f"6 Xposition Yposition Zposition {rotations}" if j == 0 else f"3 {rotations}"
        lines.append(f"{pad}\tCHANNELS {channels}")
        for child in CHILDREN[j]:
            visit(child, depth + 1)
        if not CHILDREN[j]:
            end = offsets[j] * END_SITE_FRACTION
            lines.extend((f"{pad}\tEnd Site", f"{pad}\t{{", f"{pad}\t\tOFFSET {' '.join(f'{v:.6f}' for v in end)}",
                          f"{pad}\t}}"))
        lines.append(f"{pad}}}")

    visit(0, 0)
    return lines, order


def write_bvh(motion: np.ndarray | torch.Tensor, path: str | Path, fps: int = FPS) -> Path:
    """Write one person's motion, joints (T, [1,] 22, 3) or features (T, [1,] 262), as BVH; returns the path."""
    joints, hint = _one_person(motion)
    offsets = skeleton_offsets(joints)
    euler = matrix_to_euler_zxy(solve_local_rotations(joints, offsets, hint))
    euler = np.degrees(np.unwrap(np.radians(euler), axis=0))  # no 360-degree jumps between frames
    lines, order = _hierarchy(offsets)
    channels = np.concatenate((joints[:, 0], euler[:, order].reshape(len(joints), -1)), axis=1)
    lines += ["MOTION", f"Frames: {len(joints)}", f"Frame Time: {1.0 / fps:.8f}"]
    lines += [" ".join(f"{v:.6f}" for v in row) for row in channels]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def write_bvh_pair(motion: np.ndarray | torch.Tensor, path: str | Path, fps: int = FPS) -> list[Path]:
    """Write each person of a (T, P, 22, 3) or (T, P, 262) motion to ``<stem>_p<k>.bvh`` beside ``path``."""
    m = as_numpy(motion)
    if m.ndim != (3 if m.shape[-1] == FEATURE_DIM else 4):  # (T, P, 262) or (T, P, 22, 3)
        raise ValueError(f"expected (T, P, 262) or (T, P, 22, 3), got {m.shape}")
    path = Path(path)
    return [write_bvh(m[:, p], path.with_name(f"{path.stem}_p{p + 1}.bvh"), fps) for p in range(m.shape[1])]


def _parse_hierarchy(tokens: list[str]) -> tuple[list[tuple[str, int, np.ndarray, list[str]]], int]:
    """Joints (name, parent index, offset, channel names) in file order, and the index of "MOTION"."""
    joints: list[tuple[str, int, np.ndarray, list[str]]] = []
    stack: list[int] = []  # the joint of each open block; -1 for an End Site
    block = -1  # the joint the next "{" opens
    i = tokens.index("HIERARCHY") + 1
    while tokens[i] != "MOTION":
        tok = tokens[i]
        if tok in ("ROOT", "JOINT"):
            joints.append((tokens[i + 1], stack[-1] if stack else -1, np.zeros(3), []))
            block, i = len(joints) - 1, i + 2
        elif tok == "End":  # End Site: an offset only
            block, i = -1, i + 2
        elif tok == "{":
            stack.append(block)
            i += 1
        elif tok == "}":
            stack.pop()
            i += 1
        elif tok == "OFFSET":
            if stack[-1] >= 0:
                joints[stack[-1]][2][:] = [float(v) for v in tokens[i + 1:i + 4]]
            i += 4
        elif tok == "CHANNELS":
            count = int(tokens[i + 1])
            joints[stack[-1]][3].extend(tokens[i + 2:i + 2 + count])
            i += 2 + count
        else:
            raise ValueError(f"unexpected token {tok!r} in BVH hierarchy")
    return joints, i


def read_bvh(path: str | Path) -> np.ndarray:
    """Joint positions (T, J, 3) of a BVH file by forward kinematics (own parser; any channel order).

    Joints come in file order, or in SMPL order (T, 22, 3) when the file names the 22 SMPL joints.
    Position channels, where present, replace the joint's offset.
    """
    tokens = Path(path).read_text().split()
    joints, i = _parse_hierarchy(tokens)
    frames = int(tokens[tokens.index("Frames:", i) + 1])
    start = tokens.index("Time:", i) + 2
    data = np.array(tokens[start:], dtype=np.float64).reshape(frames, -1)
    pos = np.zeros((frames, len(joints), 3))
    glob = np.zeros((frames, len(joints), 3, 3))
    column = 0
    for j, (_, parent, offset, channels) in enumerate(joints):
        values = data[:, column:column + len(channels)]
        column += len(channels)
        translation = np.broadcast_to(offset, (frames, 3)).copy()
        for name in (c for c in channels if c.endswith("position")):
            translation[:, "XYZ".index(name[0])] = values[:, channels.index(name)]
        rot_names = [c for c in channels if c.endswith("rotation")]
        order = "".join(c[0] for c in rot_names)
        local = euler_to_matrix(values[:, [channels.index(c) for c in rot_names]], order) if order else np.eye(3)
        if parent < 0:
            pos[:, j], glob[:, j] = translation, local
        else:
            pos[:, j] = pos[:, parent] + np.einsum("tij,tj->ti", glob[:, parent], translation)
            glob[:, j] = glob[:, parent] @ local
    names = [name for name, *_ in joints]
    if sorted(names) == sorted(JOINT_NAMES):
        pos = pos[:, [names.index(n) for n in JOINT_NAMES]]
    return pos
