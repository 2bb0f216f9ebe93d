"""Parameters of one generated action and the timing helper that turns them into a clip length."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SPEED_FACTOR = {"slow": 0.7, "normal": 1.0, "fast": 1.4}
MIN_FRAMES, MAX_FRAMES = 61, 241  # T+1 frames of motion -> T = 60..240 feature frames (2-8 s at 30 fps)


@dataclass(frozen=True)
class Params:
    """What the text of a clip talks about: speed word, side, direction and repetitions."""

    speed: str = "normal"  # slow / normal / fast
    side: str | None = None  # left / right / both
    direction: str | None = None  # forward / backward / left / right / up / down / clockwise / counterclockwise
    reps: int | None = None

    @property
    def factor(self) -> float:
        return SPEED_FACTOR[self.speed]


def clip_frames(rng: np.random.Generator, core: float, lead: tuple[int, int] = (6, 24), tail: tuple[int, int] = (8, 28)) -> tuple[int, int]:
    """Total frames and start frame for a motion of ``core`` frames with idle lead-in and tail, clamped to 61..241."""
    start = int(rng.integers(*lead))
    n = int(round(start + core + rng.integers(*tail)))
    if n > MAX_FRAMES:
        start = max(2, start - (n - MAX_FRAMES))
        n = MAX_FRAMES
    return max(n, MIN_FRAMES), start


def fit_speed(factor: float, core: Callable[[float], float], limit: float = MAX_FRAMES - 20) -> float:
    """Raise a speed factor just enough that ``core(factor)`` frames fit in one clip, so that every repetition
    the text announces really happens (slow, many-times clips would otherwise be cut)."""
    for _ in range(3):
        need = core(factor)
        if need <= limit:
            break
        factor *= need / limit
    return factor
