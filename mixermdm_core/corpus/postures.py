"""Whole-body actions on the spot: squat, crouch, sit down and stand up, bow, kick, dance."""
from __future__ import annotations

import numpy as np

from .body import Body
from .curves import hold, ramp, wave
from .gait import Gait, animate_gait, plan_steps
from .gestures import guard
from .moves import chest_point, move_hand, set_pole, shoulder_point
from .params import Params, clip_frames, fit_speed
from .track import LEFT, RIGHT, SIDE_SIGN, Track


def _lower(track: Track, depth: float, weight: np.ndarray, lean: float = 0.45) -> None:
    """Bend the knees: pelvis down by ``depth`` metres and back, trunk leaning forward to keep balance."""
    s = track.body.scale
    track.pelvis[:, 1] -= depth * weight
    track.pelvis -= (0.3 * depth) * weight[:, None] * track.forward()
    frac = depth / (0.45 * s)
    track.hip[:, 0] += lean * frac * weight
    track.spine[:, 0] += 0.4 * lean * frac * weight
    track.head[:, 0] -= 0.5 * lean * frac * weight


def _wide_stance(track: Track, extra: float) -> None:
    for side in (LEFT, RIGHT):
        track.ankles[:, side] += track.rotate(np.array([SIDE_SIGN[side] * extra * track.body.scale, 0.0, 0.0]))
        track.foot_yaw[:, side] += SIDE_SIGN[side] * 0.25


def squat(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """``reps`` squats with the arms held forward for balance."""
    low = rng.uniform(2, 10)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: p.reps * (48 + low) / f + 10)
    down, low = 22 / sf, low / sf
    cycle = 2 * down + low + 4 / sf
    n, t0 = clip_frames(rng, p.reps * cycle + 10)
    track = Track.standing(body, n)
    _wide_stance(track, 0.04)
    depth = rng.uniform(0.32, 0.45) * body.scale
    w = np.zeros(n)
    for k in range(p.reps):
        a = t0 + k * cycle
        w += hold(n, a, a + down, a + down + low, a + 2 * down + low)
    _lower(track, depth, w)
    arms = hold(n, t0 - 4, t0 + down * 0.7, t0 + p.reps * cycle - down * 0.6, t0 + p.reps * cycle + 6)
    for side in (LEFT, RIGHT):
        move_hand(track, side, shoulder_point(track, side, (-0.05, -0.02, 0.5)), arms)
        set_pole(track, side, (0.3, -1.0, 0.0), arms)
    return track


def crouch(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Crouch down low, stay there glancing around with the hands by the knees, then get up."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    down, keep = 24 / sf, rng.uniform(30, 90)
    n, t0 = clip_frames(rng, 2 * down + keep)
    track = Track.standing(body, n)
    _wide_stance(track, 0.05)
    w = hold(n, t0, t0 + down, t0 + down + keep, t0 + 2 * down + keep)
    _lower(track, rng.uniform(0.48, 0.55) * body.scale, w, lean=0.6)
    for side in (LEFT, RIGHT):
        move_hand(track, side, chest_point(track, side, (0.2, -0.52, 0.48)), w)
        set_pole(track, side, (1.0, -0.3, -0.5), w)
    look = np.sin(2 * np.pi * (np.arange(n) - t0) / rng.uniform(35, 60))
    track.head[:, 2] += 0.5 * look * hold(n, t0 + down, t0 + down + 8, t0 + down + keep - 8, t0 + down + keep)
    return track


def sit_down(body: Body, p: Params, rng: np.random.Generator, reverse: bool = False) -> Track:
    """Sit down on the floor (knees up, hands behind on the floor); ``reverse`` plays it as standing up."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    s = body.scale
    dur = 60 / sf
    n, t0 = clip_frames(rng, dur + 20)
    track = Track.standing(body, n)
    descend = ramp(n, t0, t0 + 0.75 * dur)
    settle = ramp(n, t0 + 0.45 * dur, t0 + dur)
    seat = 0.14 * s
    track.pelvis[:, 1] = track.pelvis[:, 1] * (1 - descend) + seat * descend
    track.pelvis -= (0.48 * s * ramp(n, t0 + 0.1 * dur, t0 + dur))[:, None] * track.forward()
    bend = np.sin(np.pi * np.clip((np.arange(n) - t0) / (0.85 * dur), 0, 1))
    track.hip[:, 0] += 0.5 * bend - 0.15 * settle
    track.spine[:, 0] += 0.35 * bend + 0.1 * settle
    track.head[:, 0] -= 0.2 * bend
    hands = track.to_world(np.tile([0.0, 0.0, -0.22 * s], (n, 1)))
    for side in (LEFT, RIGHT):
        floor = hands + track.rotate(np.array([SIDE_SIGN[side] * 0.2 * s, 0.0, 0.0]))
        floor[:, 1] = 0.05 * s
        track.hands_world[:, side] = floor
        track.world_weight[:, side] = ramp(n, t0 + 0.35 * dur, t0 + 0.8 * dur)
        set_pole(track, side, (0.2, 0.0, -1.0), settle)
    if reverse:
        _reverse(track)
    return track


def _reverse(track: Track) -> None:
    """Play the track backwards in time."""
    for name in ("pelvis", "heading", "hip", "spine", "head", "shrug", "ankles", "foot_yaw", "foot_pitch",
                 "hands", "hands_world", "world_weight", "elbow_pole", "wrist", "planted"):
        setattr(track, name, getattr(track, name)[::-1].copy())


def stand_up(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Get up from sitting on the floor."""
    return sit_down(body, p, rng, reverse=True)


def bow(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Bow from the hips ``reps`` times, holding each bow briefly."""
    keep = rng.uniform(8, 25)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: p.reps * ((36 + keep) / f + 8))
    down, keep = 18 / sf, keep / sf
    cycle = 2 * down + keep + 8
    n, t0 = clip_frames(rng, p.reps * cycle)
    track = Track.standing(body, n)
    depth = rng.uniform(0.5, 0.9)
    w = np.zeros(n)
    for k in range(p.reps):
        a = t0 + k * cycle
        w += hold(n, a, a + down, a + down + keep, a + 2 * down + keep)
    bow_pose(track, depth, w)
    return track


def bow_pose(track: Track, depth: float, weight: np.ndarray) -> None:
    """Bend forward by ``depth`` radians (mostly at the hips), pelvis back for balance, hands along the thighs."""
    track.hip[:, 0] += 0.6 * depth * weight
    track.spine[:, 0] += 0.4 * depth * weight
    track.head[:, 0] += 0.2 * depth * weight
    track.pelvis -= (0.1 * depth * track.body.scale) * weight[:, None] * track.forward()
    for side in (LEFT, RIGHT):
        move_hand(track, side, shoulder_point(track, side, (-0.02, -0.47, 0.1)), weight)


def kick(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """``reps`` front kicks with the ``side`` leg: knee up, snap the foot forward, put it back down."""
    gap = rng.uniform(6, 16)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: p.reps * (26 + gap) / f + 52)
    s = body.scale
    dur, gap = 26 / sf, gap / sf
    n, t0 = clip_frames(rng, p.reps * (dur + gap) + 24, lead=(14, 28))
    track = Track.standing(body, n)
    leg = LEFT if p.side == "left" else RIGHT
    stance = 1 - leg
    end = t0 + p.reps * (dur + gap)
    shift = hold(n, t0 - 12, t0, end, end + 12)
    track.pelvis += shift[:, None] * track.rotate(np.array([SIDE_SIGN[stance] * 0.07 * s, 0.0, 0.0]))
    guard(track, shift)
    height = rng.uniform(0.55, 0.95) * s
    base = track.ankles[:, leg].copy()
    for k in range(p.reps):
        a = t0 + k * (dur + gap)
        u = np.clip((np.arange(n) - a) / dur, 0, 1)
        up = np.sin(np.pi * u)  # knee lift
        snap = np.sin(np.pi * np.clip((u - 0.25) / 0.5, 0, 1)) ** 1.5  # extension in the middle
        off = np.stack((np.zeros(n), 0.35 * s * up + (height - 0.35 * s) * snap, 0.25 * s * up + 0.4 * s * snap), -1)
        track.ankles[:, leg] = np.where((u > 0)[:, None] & (u < 1)[:, None], base + track.rotate(off), track.ankles[:, leg])
        track.foot_pitch[:, leg] += 0.6 * snap
        track.planted[:, leg] &= ~((u > 0) & (u < 1))
        track.hip[:, 0] -= 0.25 * snap
        track.spine[:, 0] -= 0.1 * snap
    return track


def dance(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Dance to a beat: step-touch from side to side with swinging arms, bouncing and head bobs."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    s = body.scale
    beat = 15 / sf
    n, t0 = clip_frames(rng, rng.uniform(100, 200))
    t1 = n - int(rng.integers(8, 20))
    track = Track.standing(body, n)
    on = hold(n, t0, t0 + beat, t1 - beat, t1)
    sway = wave(n, 4 * beat, start=t0) * on
    track.pelvis += (0.16 * s * sway)[:, None] * track.rotate(np.array([1.0, 0.0, 0.0]))
    gait = Gait(half=int(beat), swing=int(0.8 * beat), clearance=0.1, width=0.12, tol=0.09, bob=0.0)
    animate_gait(track, plan_steps(track, gait), gait, arms=np.zeros((n, 2)), amount=0.4)
    bounce = np.abs(wave(n, 2 * beat, start=t0)) * on
    track.pelvis[:, 1] -= 0.035 * s * bounce
    track.hip[:, 1] += 0.12 * sway
    track.spine[:, 1] -= 0.18 * sway
    track.head[:, 0] += 0.1 * bounce
    track.shrug += 0.08 * bounce[:, None]
    for side in (LEFT, RIGHT):
        phase = wave(n, 4 * beat, start=t0 + beat * (side == RIGHT))
        target = chest_point(track, side, (0.22, -0.1, 0.3)) + np.outer(phase, [0.12 * s, 0.12 * s, 0.0])
        move_hand(track, side, target, on)
        set_pole(track, side, (0.6, -1.0, -0.3), on)
    return track
