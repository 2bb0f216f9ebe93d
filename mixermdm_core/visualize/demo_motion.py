"""A procedural two-person clip (greeting and stepping) for previews, tests and benchmarks.

It needs no model or data set, so rendering and export can be exercised anywhere.
"""
from __future__ import annotations

import numpy as np
import torch

from ..kinematics import forward_kinematics
from ..rotations import axis_angle_to_matrix
from ..skeleton import FPS, JOINT, NUM_JOINTS


def _person_rotations(t: np.ndarray, phase: float, wave: bool) -> np.ndarray:
    """(T, 22, 3) axis-angle local rotations: stepping legs, swinging or waving arms."""
    w = 2 * np.pi * 0.9 * t + phase
    aa = np.zeros((len(t), NUM_JOINTS, 3))
    for side, sign in (("left", 1.0), ("right", -1.0)):
        step = np.sin(w + (0 if sign > 0 else np.pi))
        aa[:, JOINT[f"{side}_hip"], 0] = -0.35 * np.maximum(step, 0) - 0.05
        aa[:, JOINT[f"{side}_knee"], 0] = 0.7 * np.maximum(step, 0) + 0.05
        aa[:, JOINT[f"{side}_ankle"], 0] = -0.2 * np.maximum(step, 0)
        aa[:, JOINT[f"{side}_shoulder"], 2] = -sign * 1.2
        aa[:, JOINT[f"{side}_shoulder"], 1] = 0.25 * np.sin(w + (np.pi if sign > 0 else 0))
        aa[:, JOINT[f"{side}_elbow"], 1] = sign * 0.3
    if wave:
        aa[:, JOINT["right_shoulder"], 2] = -1.3
        aa[:, JOINT["right_shoulder"], 1] = 0.3
        aa[:, JOINT["right_elbow"], 2] = 0.9 + 0.45 * np.sin(4 * np.pi * t)
    aa[:, JOINT["spine2"], 1] = 0.12 * np.sin(w)
    aa[:, JOINT["head"], 0] = 0.1 * np.sin(0.5 * w)
    return aa


def demo_pair(frames: int = 4 * FPS, fps: int = FPS) -> np.ndarray:
    """(frames, 2, 22, 3) float32 joints: two people 1.7 m apart facing each other, one waving.

    Person 2 steps towards person 1 over the clip; feet rest on the floor (y = 0).
    """
    t = np.arange(frames) / fps
    people = []
    for p, (yaw, start, wave) in enumerate(((0.0, (0.0, 0.0), False), (np.pi, (0.3, 1.9), True))):
        aa = _person_rotations(t, phase=1.3 * p, wave=wave)
        aa[:, 0, 1] = yaw + 0.15 * np.sin(2 * np.pi * 0.3 * t + p)
        rots = axis_angle_to_matrix(torch.from_numpy(aa)).numpy()
        root = np.zeros((frames, 3))
        root[:, 0] = start[0]
        root[:, 2] = start[1] - (0.35 * p) * t / max(t[-1], 1e-6)
        root[:, 1] = 0.02 * np.sin(2 * 2 * np.pi * 0.9 * t)
        joints = forward_kinematics(rots, root)
        joints[..., 1] -= joints[..., 1].min()
        people.append(joints)
    return np.stack(people, axis=1).astype(np.float32)
