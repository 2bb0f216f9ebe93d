"""Timing curves over frames: eased ramps, holds and oscillations that animate joint angles and targets."""
from __future__ import annotations

import numpy as np


def smoothstep(x: np.ndarray) -> np.ndarray:
    """Cubic ease 0 -> 1 on [0, 1] (clamped outside)."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def smootherstep(x: np.ndarray) -> np.ndarray:
    """Quintic ease 0 -> 1 with zero velocity and acceleration at both ends."""
    x = np.clip(x, 0.0, 1.0)
    return x * x * x * (x * (6.0 * x - 15.0) + 10.0)


def ramp(n: int, start: float, end: float) -> np.ndarray:
    """(n,) eased 0 before frame ``start``, 1 after ``end``."""
    t = np.arange(n, dtype=np.float64)
    return smoothstep((t - start) / max(end - start, 1e-6))


def hold(n: int, rise0: float, rise1: float, fall0: float, fall1: float) -> np.ndarray:
    """(n,) eased trapezoid: up from ``rise0`` to ``rise1``, held, down from ``fall0`` to ``fall1``."""
    return ramp(n, rise0, rise1) * (1.0 - ramp(n, fall0, fall1))


def wave(n: int, period: float, phase: float = 0.0, start: float = 0.0) -> np.ndarray:
    """(n,) sin(2 pi (t - start) / period + phase)."""
    t = np.arange(n, dtype=np.float64)
    return np.sin(2.0 * np.pi * (t - start) / period + phase)


def bumps(n: int, start: float, period: float, reps: int) -> np.ndarray:
    """(n,) ``reps`` smooth 0 -> 1 -> 0 bumps of ``period`` frames each, back to back from ``start``."""
    t = (np.arange(n, dtype=np.float64) - start) / period
    inside = (t >= 0) & (t <= reps)
    return np.where(inside, 0.5 - 0.5 * np.cos(2.0 * np.pi * t), 0.0)


def noise(rng: np.random.Generator, n: int, period: float, amp: float, dims: int = 1) -> np.ndarray:
    """(n, dims) smooth random drift: a few random sinusoids around ``period`` frames, amplitude ~``amp``."""
    t = np.arange(n, dtype=np.float64)[:, None]
    out = np.zeros((n, dims))
    for _ in range(3):
        p = period * rng.uniform(0.6, 1.6, dims)
        out += np.sin(2.0 * np.pi * t / p + rng.uniform(0, 2 * np.pi, dims))
    return out * (amp / 3.0 ** 0.5)

