"""Footstep planning: feet follow a pelvis path by discrete steps, planted feet never move.

A foot steps when its planted position drifts from where it should be (beside the pelvis, turned with the
heading) by more than a tolerance, or on every beat when stepping is forced (jogging in place). It lands where
the pelvis will be at the middle of its next stance, so the body passes over it as in real walking.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .body import rot_y
from .curves import smootherstep
from .track import LEFT, RIGHT, SIDE_SIGN, Track


@dataclass(frozen=True)
class Gait:
    """Step timing (frames) and geometry (metres, for a 1.7 m body) of one way of stepping."""

    half: int  # frames between the starts of two successive steps
    swing: int  # frames a foot is in the air; > half gives a flight phase (running)
    clearance: float  # peak ankle lift
    width: float = 0.09  # lateral distance of each foot from the pelvis line
    tol: float = 0.07  # placement error that triggers a step
    bob: float = 0.02  # pelvis bounce amplitude; walking rises at mid-stance, running sinks
    running: bool = False
    limp: int | None = None  # foot that is spared: it swings slowly and carries the body only briefly
    asym: float = 0.0  # how uneven the rhythm of a limp is (0 = even)

    def swing_of(self, foot: int) -> int:
        if self.limp is None:
            return self.swing
        return int(round(self.swing * (1.0 + self.asym if foot == self.limp else 1.0 - self.asym)))


def walking(speed: float) -> Gait:
    """Walking gait for a speed factor around 1 (0.6 slow ... 1.5 brisk)."""
    half = int(round(17 / speed ** 0.5))
    return Gait(half=half, swing=int(round(0.78 * half)), clearance=0.11, bob=0.018)


def running(speed: float) -> Gait:
    """Running gait: short stance, both feet off the floor between steps."""
    half = int(round(10.5 / speed ** 0.4))
    return Gait(half=half, swing=int(round(1.35 * half)), clearance=0.2, width=0.07, bob=0.03, running=True)


def shuffling(speed: float) -> Gait:
    """Small quick steps used for turning on the spot and adjusting the stance."""
    half = int(round(11 / speed ** 0.5))
    return Gait(half=half, swing=int(round(0.85 * half)), clearance=0.08, tol=0.05, bob=0.008)


def _angle_diff(a: float, b: float) -> float:
    return float((a - b + np.pi) % (2 * np.pi) - np.pi)


def plan_steps(track: Track, gait: Gait, force: np.ndarray | None = None) -> list[Step]:
    """Fill ``track.ankles``, ``foot_yaw``, ``foot_pitch`` and ``planted`` from the pelvis path.

    The feet start where ``track.ankles[0]`` puts them; ``force`` (n,) bool marks frames where they keep stepping
    even when they are already in place. Returns the planned steps.
    """
    n, s = track.n, track.body.scale
    width, tol, clear = gait.width * s, gait.tol * s, gait.clearance * s
    stance_mid = max(2 * gait.half - gait.swing, 2) // 2
    ah = track.body.ankle_height

    def ideal(foot: int, frame: int) -> tuple[np.ndarray, float]:
        f = min(max(frame, 0), n - 1)
        off = rot_y(track.heading[f]) @ np.array([SIDE_SIGN[foot] * width, 0.0, 0.0])
        return track.pelvis[f] * [1, 0, 1] + off + [0, ah, 0], float(track.heading[f])

    place = [track.ankles[0, foot].copy() for foot in (LEFT, RIGHT)]
    yaw = [float(track.foot_yaw[0, foot]) for foot in (LEFT, RIGHT)]
    busy_until = [0, 0]
    steps: list[Step] = []
    prefer, next_start = None, 0
    for t in range(n):
        if t < next_start:
            continue
        chosen, best = None, -np.inf
        for foot in (LEFT, RIGHT):
            if busy_until[foot] > t:
                continue
            target, tyaw = ideal(foot, t + gait.swing_of(foot) + stance_mid)
            move = target - place[foot]
            err = float(np.linalg.norm(move[[0, 2]])) + 0.15 * abs(_angle_diff(tyaw, yaw[foot]))
            if err <= tol and not (force is not None and force[t]):
                continue
            side_dir = rot_y(track.heading[t]) @ np.array([SIDE_SIGN[foot], 0.0, 0.0])
            # Alternate feet; from rest lead with the foot on the side the body moves to.
            score = err + 0.5 * float(move @ side_dir) + (1.0 if foot == prefer else 0.0)
            if score > best:
                best, chosen = score, (foot, target, tyaw)
        if chosen is None:
            continue
        foot, target, tyaw = chosen
        new_yaw = yaw[foot] + _angle_diff(tyaw, yaw[foot])
        swing = gait.swing_of(foot)
        steps.append(Step(foot, t, t + swing, place[foot], target, yaw[foot], new_yaw))
        place[foot], yaw[foot] = target, new_yaw
        busy_until[foot] = t + swing
        prefer, next_start = 1 - foot, t + swing + gait.half - gait.swing
    _fill(track, steps, clear)
    return steps


@dataclass(frozen=True)
class Step:
    """One step: ``foot`` leaves ``origin`` at frame ``lift`` and is planted on ``target`` at ``land``."""

    foot: int
    lift: int
    land: int
    origin: np.ndarray
    target: np.ndarray
    yaw0: float
    yaw1: float


def _fill(track: Track, steps: list[Step], clear: float) -> None:
    """Write the planted positions and swing arcs of ``steps`` into the track."""
    n = track.n
    for foot in (LEFT, RIGHT):
        track.ankles[:, foot] = track.ankles[0, foot]
        track.foot_yaw[:, foot] = track.foot_yaw[0, foot]
        track.foot_pitch[:, foot] = 0.0
        track.planted[:, foot] = True
    for st in steps:
        idx = np.arange(st.lift + 1, min(st.land, n))
        u = (idx - st.lift) / (st.land - st.lift)
        h = smootherstep(u)[:, None]
        pos = st.origin + (st.target - st.origin) * h
        pos[:, 1] += clear * np.sin(np.pi * u) ** 0.75
        track.ankles[idx, st.foot] = pos
        track.foot_yaw[idx, st.foot] = st.yaw0 + (st.yaw1 - st.yaw0) * h[:, 0]
        track.foot_pitch[idx, st.foot] = 0.3 * np.sin(2 * np.pi * u) * np.sin(np.pi * u)
        track.planted[idx, st.foot] = False
        track.ankles[st.land:, st.foot] = st.target
        track.foot_yaw[st.land:, st.foot] = st.yaw1
        track.foot_pitch[st.land:, st.foot] = 0.0


def swing_phase(track: Track, steps: list[Step]) -> np.ndarray:
    """(n, 2) sin(pi u) of each foot's swing progress u (0 when planted): the rhythm of the gait."""
    phase = np.zeros((track.n, 2))
    for st in steps:
        idx = np.arange(st.lift + 1, min(st.land, track.n))
        phase[idx, st.foot] = np.sin(np.pi * (idx - st.lift) / (st.land - st.lift))
    return phase


def animate_gait(track: Track, steps: list[Step], gait: Gait, arms: np.ndarray | None = None, amount: float = 1.0) -> None:
    """Add the secondary motion of stepping: pelvis bounce and side sway, hip and chest counter-rotation,
    and arm swing opposite to the legs (``arms`` (n, 2) weights which arms swing, default both)."""
    s = track.body.scale
    phase = swing_phase(track, steps)
    sign = -1.0 if gait.running else 1.0
    track.pelvis[:, 1] += sign * gait.bob * s * amount * phase.sum(1)
    sway = -(phase[:, LEFT] - phase[:, RIGHT]) * 0.018 * s * amount * (0.4 if gait.running else 1.0)
    track.pelvis += sway[:, None] * np.stack((np.cos(track.heading), np.zeros(track.n), -np.sin(track.heading)), -1)
    fwd = track.forward()
    lead = ((track.ankles[:, LEFT] - track.ankles[:, RIGHT]) * fwd).sum(-1)  # > 0: left foot ahead
    track.hip[:, 2] += -0.18 * lead * amount
    track.spine[:, 2] += 0.4 * lead * amount
    track.hip[:, 1] += 0.5 * sway / s
    weights = np.ones((track.n, 2)) if arms is None else arms
    swing = 0.3 * lead * amount * (1.4 if gait.running else 1.0)
    for side, sgn in ((LEFT, -1.0), (RIGHT, 1.0)):
        d = sgn * swing * weights[:, side]
        track.hands[:, side, 2] += d
        track.hands[:, side, 1] += 0.25 * np.abs(d)
