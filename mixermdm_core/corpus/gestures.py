"""Arm actions: waving, raising arms, clapping, punching, pointing, throwing, reaching and stretching."""
from __future__ import annotations

import numpy as np

from .body import Body
from .curves import bumps, hold, ramp, wave
from .locomotion import walk
from .moves import SIDES, chest_point, move_hand, set_pole, shoulder_point
from .params import Params, clip_frames, fit_speed
from .track import LEFT, RIGHT, SIDE_SIGN, Track

RAISE = 12  # frames to bring a hand up at normal speed


def wave_hand(track: Track, side: int, start: int, reps: int, period: float, lift: int = RAISE) -> int:
    """Raise the hand of ``side`` beside the head and wave it ``reps`` times; returns the frame it is down."""
    n = track.n
    end = start + lift + reps * period
    w = hold(n, start, start + lift, end, end + lift)
    centre = shoulder_point(track, side, (0.2, 0.3, 0.1))
    swing = wave(n, period, start=start + lift)[:, None] * np.array([SIDE_SIGN[side] * 0.09, -0.015, 0.0]) * track.body.scale
    move_hand(track, side, centre + swing * hold(n, start + lift * 0.5, start + lift, end - 2, end + 4)[:, None], w)
    set_pole(track, side, (0.8, -1.0, 0.0), w)
    track.wrist[:, side, 1] += 0.25 * wave(n, period, start=start + lift) * w
    track.head[:, 1] += SIDE_SIGN[side] * 0.04 * w
    return int(end + lift)


def wave_action(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Wave with the left, right or both hands ``reps`` times."""
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: (2 * RAISE + 16 * p.reps) / f)
    period = 16 / sf
    n, t0 = clip_frames(rng, 2 * RAISE / sf + p.reps * period)
    track = Track.standing(body, n)
    for side in SIDES[p.side]:
        wave_hand(track, side, t0, p.reps, period, int(RAISE / sf))
    return track


def walk_wave(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Walk forward while waving with the ``side`` hand(s)."""
    track = walk(body, Params(speed=p.speed, direction="forward"), rng)
    start = int(rng.integers(5, 25))
    reps = p.reps or 3
    period = min(16 / p.factor, (track.n - start - 2 * RAISE - 4) / reps)  # wave faster rather than fewer times
    for side in SIDES[p.side]:
        wave_hand(track, side, start, reps, period, RAISE)
    return track


def raise_arms(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Raise the left, right or both arms straight overhead ``reps`` times, holding each time."""
    keep = rng.uniform(10, 35)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: p.reps * ((36 + keep) / f + 6))
    up, keep = 18 / sf, keep / sf
    cycle = 2 * up + keep + 6
    n, t0 = clip_frames(rng, p.reps * cycle)
    track = Track.standing(body, n)
    for k in range(p.reps):
        a = t0 + k * cycle
        w = hold(n, a, a + up, a + up + keep, a + 2 * up + keep)
        for side in SIDES[p.side]:
            move_hand(track, side, shoulder_point(track, side, (0.08, 0.5, 0.04)), w)
            set_pole(track, side, (1.0, 0.0, 0.0), w)
        track.head[:, 0] -= 0.15 * w
    return track


def clap(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Clap the hands ``reps`` times in front of the chest."""
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: (24 + 13 * p.reps) / f)
    period = 13 / sf
    n, t0 = clip_frames(rng, 24 / sf + p.reps * period)
    track = Track.standing(body, n)
    end = t0 + 10 / sf + p.reps * period
    w = hold(n, t0, t0 + 10 / sf, end, end + 12 / sf)
    apart = 1.0 - bumps(n, t0 + 10 / sf - period / 2, period, p.reps) ** 0.7
    for side in (LEFT, RIGHT):
        gap = (0.028 + 0.13 * apart)[:, None] * np.array([SIDE_SIGN[side], 0.0, 0.0]) * body.scale
        move_hand(track, side, chest_point(track, side, (0.0, 0.02, 0.32)) + gap, w)
        set_pole(track, side, (1.0, -1.0, -0.3), w)
    return track


def guard(track: Track, weight: np.ndarray) -> None:
    """Fists up in front of the chin, elbows down: a boxing guard."""
    for side in (LEFT, RIGHT):
        move_hand(track, side, chest_point(track, side, (0.12, 0.22, 0.25)), weight)
        set_pole(track, side, (0.3, -1.0, 0.0), weight)


def punch_arm(track: Track, side: int, start: float, dur: float, reach: float = 1.0) -> None:
    """One straight punch with ``side`` from the guard: the fist shoots forward at shoulder height and back."""
    n = track.n
    w = np.sin(np.pi * np.clip((np.arange(n) - start) / dur, 0, 1)) ** 0.6
    move_hand(track, side, shoulder_point(track, side, (-0.1, 0.0, 0.5 * reach)), w)
    set_pole(track, side, (0.6, -0.8, 0.0), w)
    track.spine[:, 2] += -SIDE_SIGN[side] * 0.3 * w
    track.hip[:, 2] += -SIDE_SIGN[side] * 0.1 * w


def punch(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Throw ``reps`` punches with the left or right fist, or alternate both, from a guard."""
    gap = rng.uniform(8, 18)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: (30 + p.reps * (10 + gap)) / f)
    dur, gap = 10 / sf, gap / sf
    n, t0 = clip_frames(rng, 30 / sf + p.reps * (dur + gap))
    track = Track.standing(body, n)
    a = t0 + 12 / sf
    guard(track, hold(n, t0, a, a + p.reps * (dur + gap), a + p.reps * (dur + gap) + 14 / sf))
    for k in range(p.reps):
        side = (LEFT, RIGHT)[k % 2] if p.side == "both" else SIDES[p.side][0]
        punch_arm(track, side, a + k * (dur + gap), dur)
    track.ankles[:, LEFT] += track.rotate(np.array([0.0, 0.0, 0.12 * body.scale]))  # fighting stance
    track.ankles[:, RIGHT] -= track.rotate(np.array([0.0, 0.0, 0.1 * body.scale]))
    return track


DIRECTIONS = {"forward": (0.0, 0.05, 1.0), "up": (0.25, 1.0, 0.35), "sideways": (1.0, 0.1, 0.2), "down": (0.15, -0.6, 0.8)}


def point(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Point with an extended arm forward, up, or out to the side of that hand."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    up, keep = 14 / sf, rng.uniform(25, 60)
    n, t0 = clip_frames(rng, 2 * up + keep)
    track = Track.standing(body, n)
    side = SIDES[p.side][0]
    w = hold(n, t0, t0 + up, t0 + up + keep, t0 + 2 * up + keep)
    d = np.array(DIRECTIONS[p.direction])
    d = d / np.linalg.norm(d)
    l1, l2 = body.arm
    target = body.shoulder_in_chest[side] + 0.97 * (l1 + l2) * d * [SIDE_SIGN[side], 1, 1]
    move_hand(track, side, target, w)
    set_pole(track, side, (0.2, -1.0, -0.2), w)
    track.head[:, 2] += SIDE_SIGN[side] * 0.6 * d[0] * w
    track.head[:, 0] -= 0.4 * d[1] * w
    track.spine[:, 2] += SIDE_SIGN[side] * 0.2 * d[0] * w
    return track


def throw(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Overarm throw with the ``side`` hand: wind up behind the head, whip forward, follow through."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    wind, fly, rec = 22 / sf, 8 / sf, 22 / sf
    n, t0 = clip_frames(rng, wind + fly + rec + 10)
    track = Track.standing(body, n)
    side = SIDES[p.side][0]
    s = SIDE_SIGN[side]
    back = hold(n, t0, t0 + wind, t0 + wind, t0 + wind + fly)
    fwd = hold(n, t0 + wind, t0 + wind + fly, t0 + wind + fly + 4, t0 + wind + fly + rec)
    move_hand(track, side, shoulder_point(track, side, (0.1, 0.25, -0.25)), back)
    set_pole(track, side, (1.0, 0.3, -0.3), back)
    move_hand(track, side, chest_point(track, side, (-0.15, -0.15, 0.5)), fwd)
    set_pole(track, side, (1.0, -0.5, 0.0), fwd)
    move_hand(track, 1 - side, shoulder_point(track, 1 - side, (0.1, 0.1, 0.4)), back)
    track.spine[:, 2] += s * (0.45 * back - 0.4 * fwd)
    track.spine[:, 0] += -0.15 * back + 0.3 * fwd
    track.hip[:, 2] += s * (0.15 * back - 0.15 * fwd)
    other = 1 - side  # the opposite foot stands forward
    track.ankles[:, other] += track.rotate(np.array([0.0, 0.0, 0.18 * body.scale]))
    return track


def reach(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Reach out with the ``side`` hand(s) forward, up high or down towards the floor, then come back."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    go, keep = 20 / sf, rng.uniform(10, 35)
    n, t0 = clip_frames(rng, 2 * go + keep)
    track = Track.standing(body, n)
    w = hold(n, t0, t0 + go, t0 + go + keep, t0 + 2 * go + keep)
    l1, l2 = body.arm
    for side in SIDES[p.side]:
        if p.direction == "down":
            target = body.shoulder_in_chest[side] + np.array([-SIDE_SIGN[side] * 0.08, -0.8, 0.35]) * (l1 + l2)
        elif p.direction == "up":
            target = shoulder_point(track, side, (0.02, 0.52, 0.08))
        else:
            target = body.shoulder_in_chest[side] + np.array([-SIDE_SIGN[side] * 0.05, 0.05, 0.98]) * (l1 + l2)
        move_hand(track, side, target, w)
        set_pole(track, side, (0.5, -1.0, 0.0), w)
    if p.direction == "down":
        track.spine[:, 0] += 0.7 * w
        track.hip[:, 0] += 0.5 * w
        track.pelvis[:, 1] -= 0.18 * body.scale * w
        track.pelvis -= 0.08 * body.scale * w[:, None] * track.forward()
    elif p.direction == "up":
        track.head[:, 0] -= 0.3 * w
    else:
        track.spine[:, 0] += 0.2 * w
        track.pelvis -= 0.03 * body.scale * w[:, None] * track.forward()
    return track


def stretch(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Stretch both arms overhead and bend the body sideways to the left, the right, or one then the other."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    up, lean = 18 / sf, 28 / sf
    order = {"left": (1.0,), "right": (-1.0,), "both": (1.0, -1.0)}[p.side]
    n, t0 = clip_frames(rng, 2 * up + len(order) * (2 * lean + 10))
    track = Track.standing(body, n)
    end = t0 + up + len(order) * (2 * lean + 10)
    w = hold(n, t0, t0 + up, end, end + up)
    for side in (LEFT, RIGHT):
        move_hand(track, side, shoulder_point(track, side, (-0.1, 0.5, 0.0)), w)
        set_pole(track, side, (1.0, 0.0, -0.2), w)
    for k, sgn in enumerate(order):
        a = t0 + up + k * (2 * lean + 10)
        bend = hold(n, a, a + lean, a + lean + 10, a + 2 * lean + 10)
        track.spine[:, 1] += sgn * 0.45 * bend
        track.hip[:, 1] += sgn * 0.08 * bend
        track.pelvis -= sgn * 0.06 * body.scale * bend[:, None] * track.rotate(np.array([1.0, 0.0, 0.0]))
    track.head[:, 0] -= 0.2 * w * ramp(n, t0, t0 + up)
    return track
