"""Shared building blocks for actions: hand poses in the chest frame and natural idle motion."""
from __future__ import annotations

import numpy as np

from .curves import noise
from .track import LEFT, RIGHT, SIDE_SIGN, Track

SIDES = {"left": (LEFT,), "right": (RIGHT,), "both": (LEFT, RIGHT)}


def shoulder_point(track: Track, side: int, offset: tuple[float, float, float]) -> np.ndarray:
    """(3,) chest-frame point at ``offset`` (x towards that arm's side, y up, z forward; metres for a 1.7 m
    body, scaled) from the shoulder of arm ``side``."""
    x, y, z = offset
    return track.body.shoulder_in_chest[side] + track.body.scale * np.array([SIDE_SIGN[side] * x, y, z])


def chest_point(track: Track, side: int, offset: tuple[float, float, float]) -> np.ndarray:
    """(3,) chest-frame point at ``offset`` from the chest centre, x mirrored for the right arm."""
    x, y, z = offset
    return track.body.scale * np.array([SIDE_SIGN[side] * x, y, z])


def move_hand(track: Track, side: int, target: np.ndarray, weight: np.ndarray) -> None:
    """Blend the wrist target of ``side`` towards ``target`` ((3,) or (n, 3), chest frame) by ``weight`` (n,)."""
    w = weight[:, None]
    track.hands[:, side] = track.hands[:, side] * (1.0 - w) + np.broadcast_to(target, (track.n, 3)) * w


def set_pole(track: Track, side: int, pole: tuple[float, float, float], weight: np.ndarray) -> None:
    """Blend the elbow pole of ``side`` towards ``pole`` (x towards that arm's side, y up, z forward)."""
    p = np.array([SIDE_SIGN[side] * pole[0], pole[1], pole[2]])
    w = weight[:, None]
    track.elbow_pole[:, side] = track.elbow_pole[:, side] * (1.0 - w) + p * w


def add_idle(track: Track, rng: np.random.Generator, amount: float = 1.0) -> None:
    """Breathing, a slow postural sway, small head and hand drift: keeps still people from looking frozen."""
    n, s = track.n, track.body.scale
    breath = np.sin(2 * np.pi * np.arange(n) / rng.uniform(90, 130) + rng.uniform(0, 2 * np.pi))
    track.spine[:, 0] += -0.012 * breath * amount
    track.shrug += 0.012 * breath[:, None] * amount
    sway = noise(rng, n, 100.0, 0.006 * s * amount, 2)
    fwd, heading = track.forward(), track.heading
    left = np.stack((np.cos(heading), np.zeros(n), -np.sin(heading)), -1)
    track.pelvis += sway[:, :1] * left + sway[:, 1:] * fwd
    track.hip[:, 1] += noise(rng, n, 120.0, 0.01 * amount)[:, 0]
    track.head += noise(rng, n, 70.0, 0.04 * amount, 3) * [1.0, 0.5, 1.0]
    track.hands += noise(rng, n, 60.0, 0.008 * s * amount, 6).reshape(n, 2, 3)
    track.wrist += noise(rng, n, 80.0, 0.08 * amount, 6).reshape(n, 2, 3)
