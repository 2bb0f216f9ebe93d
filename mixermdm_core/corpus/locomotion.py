"""Actions that move the whole body: walking variants, running, jogging, limping, turning, jumping, hopping."""
from __future__ import annotations

import numpy as np

from .body import Body
from .curves import hold, ramp
from .gait import (
    Gait,
    animate_gait,
    plan_steps,
    running,
    shuffling,
    swing_phase,
    walking,
)
from .moves import chest_point, move_hand, set_pole, shoulder_point
from .params import Params, clip_frames, fit_speed
from .track import LEFT, RIGHT, SIDE_SIGN, Track

GRAVITY = 9.81 / 30**2  # metres per frame squared


def _move(track: Track, start: int, stop: int, velocity: np.ndarray, ease: int) -> None:
    """Translate the pelvis with a constant world ``velocity`` (metres/frame) between eased start and stop."""
    profile = hold(track.n, start, start + ease, stop - ease, stop)
    track.pelvis += np.cumsum(profile)[:, None] * np.array([velocity[0], 0.0, velocity[1]])


def _bent_arms(track: Track, weight: np.ndarray) -> None:
    """Elbows bent about 90 degrees with fists by the waist: the arm carriage of running and jogging."""
    for side in (LEFT, RIGHT):
        move_hand(track, side, chest_point(track, side, (0.2, -0.22, 0.2)), weight)
        set_pole(track, side, (0.2, -0.3, -1.0), weight)


def walk(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Walk forward, backward or sideways (direction), speed from the speed word."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(80, 200))
    track = Track.standing(body, n)
    t1 = n - int(rng.integers(6, 20))
    s = body.scale
    d = p.direction or "forward"
    if d == "forward":
        vel, gait = (0.0, 1.3 * sf), walking(sf)
    elif d == "backward":
        vel, gait = (0.0, -0.6 * sf), walking(0.85 * sf)
    else:
        side = 1.0 if d == "left" else -1.0
        vel = (side * 0.45 * sf, 0.0)
        gait = Gait(half=int(round(16 / sf**0.5)), swing=int(round(12 / sf**0.5)), clearance=0.11, width=0.12, bob=0.01)
    _move(track, t0, t1, np.array(vel) * s / 30, int(18 / sf))
    steps = plan_steps(track, gait)
    animate_gait(track, steps, gait, amount=1.0 if d == "forward" else 0.5)
    return track


def walk_circle(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Walk around a circle, counterclockwise (turning left) or clockwise (turning right) seen from above."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(150, 215))
    t1 = n - int(rng.integers(6, 16))
    track = Track.standing(body, n)
    v = 1.1 * sf * body.scale / 30
    profile = hold(n, t0, t0 + 15, t1 - 15, t1) * v
    radius = float(np.clip(profile.sum() / (2 * np.pi) * rng.uniform(0.85, 1.1), 0.7, 2.2))
    turn = 1.0 if p.direction == "counterclockwise" else -1.0
    track.heading[:] = turn * np.cumsum(profile) / radius
    step = profile[:, None] * np.stack((np.sin(track.heading), np.cos(track.heading)), -1)
    track.pelvis[:, [0, 2]] += np.cumsum(step, 0)
    track.hip[:, 1] += turn * 0.04 * profile / max(v, 1e-6)  # lean into the turn
    gait = walking(sf)
    animate_gait(track, plan_steps(track, gait), gait)
    return track


def run(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Run forward with bent arms and a forward lean."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(60, 150))
    t1 = n - int(rng.integers(6, 16))
    track = Track.standing(body, n)
    w = hold(n, t0, t0 + 12, t1 - 12, t1)
    _move(track, t0, t1, np.array([0.0, 3.0 * sf * body.scale / 30]), int(18 / sf))
    track.spine[:, 0] += 0.12 * w
    track.hip[:, 0] += 0.08 * w
    _bent_arms(track, w)
    gait = running(sf)
    animate_gait(track, plan_steps(track, gait), gait)
    return track


def jog_in_place(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Jog on the spot: forced steps without travelling."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(60, 180))
    t1 = n - int(rng.integers(10, 22))
    track = Track.standing(body, n)
    force = np.zeros(n, dtype=bool)
    force[t0:t1] = True
    w = hold(n, t0 - 6, t0 + 6, t1, t1 + 12)
    _bent_arms(track, w)
    half = int(round(10 / sf**0.5))
    gait = Gait(half=half, swing=int(round(1.2 * half)), clearance=0.14, width=0.08, bob=0.02, running=True)
    steps = plan_steps(track, gait, force=force)
    phase = swing_phase(track, steps)
    animate_gait(track, steps, gait, amount=0.5)
    for side in (LEFT, RIGHT):  # arms pump with the opposite knee
        track.hands[:, side, 2] += 0.1 * body.scale * phase[:, 1 - side] * w
        track.hands[:, side, 1] += 0.05 * body.scale * phase[:, 1 - side] * w
    return track


def limp(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """Walk forward favouring the ``side`` leg: uneven rhythm, body dips and leans over the sore leg."""
    sf = 0.75 * p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(110, 210))
    t1 = n - int(rng.integers(6, 16))
    track = Track.standing(body, n)
    sore = LEFT if p.side == "left" else RIGHT
    _move(track, t0, t1, np.array([0.0, 0.9 * sf * body.scale / 30]), int(20 / sf))
    base = walking(sf)
    gait = Gait(half=base.half, swing=base.swing, clearance=0.11, bob=0.01, limp=sore, asym=0.3)
    steps = plan_steps(track, gait)
    phase = swing_phase(track, steps)
    good_swinging = phase[:, 1 - sore]  # the body rests on the sore leg only while the good leg swings
    track.hip[:, 1] += SIDE_SIGN[sore] * 0.1 * good_swinging
    track.spine[:, 1] += SIDE_SIGN[sore] * 0.12 * good_swinging
    track.pelvis[:, 1] -= 0.03 * body.scale * good_swinging
    track.head[:, 0] += 0.15 * good_swinging
    animate_gait(track, steps, gait, amount=0.6)
    return track


def turn(body: Body, p: Params, rng: np.random.Generator, spin: bool = False) -> Track:
    """Turn around (half turn) or spin (one or two full turns) on the spot, to the left or right."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    amount = 2 * np.pi * (p.reps or 1) if spin else np.pi
    dur = (30 if spin else 40) * (p.reps or 1) / sf
    n, t0 = clip_frames(rng, dur + 20)
    track = Track.standing(body, n)
    sign = 1.0 if p.direction == "left" else -1.0
    profile = ramp(n, t0, t0 + dur)
    track.heading[:] = sign * amount * profile
    rate = np.gradient(profile)
    track.head[:, 2] += sign * np.clip(6.0 * rate, 0, 0.35)  # the head leads the turn
    if spin:
        for side in (LEFT, RIGHT):
            move_hand(track, side, shoulder_point(track, side, (0.3, -0.3, 0.15)), hold(n, t0 - 5, t0 + 5, t0 + dur - 5, t0 + dur + 8))
    gait = shuffling(sf * (1.8 if spin else 1.0))
    animate_gait(track, plan_steps(track, gait), gait, amount=0.3)
    return track


def spin(body: Body, p: Params, rng: np.random.Generator) -> Track:
    return turn(body, p, rng, spin=True)


def jump(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """``reps`` two-footed jumps, straight up or forward (direction), with a crouch, arm swing and landing."""
    s = body.scale
    reps = p.reps or 1
    height = rng.uniform(0.15, 0.35) * s
    dist = rng.uniform(0.35, 0.8) * s if p.direction == "forward" else 0.0
    flight = int(round(2 * np.sqrt(2 * height / GRAVITY)))
    gap = rng.uniform(4, 16)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: reps * ((30 + gap) / f + flight + 3))
    prep, land = int(16 / sf), int(14 / sf)
    gap = int(gap / sf)
    n, t0 = clip_frames(rng, reps * (prep + flight + land + gap))
    return _jumps(body, Track.standing(body, n), t0, reps, prep, flight, land, gap, height, dist, feet=(LEFT, RIGHT), crouch=0.2 * s)


def hop(body: Body, p: Params, rng: np.random.Generator) -> Track:
    """``reps`` hops on the ``side`` leg with the other foot held up behind."""
    s = body.scale
    reps = p.reps or 3
    height = rng.uniform(0.05, 0.1) * s
    dist = rng.uniform(0.0, 0.25) * s
    flight = int(round(2 * np.sqrt(2 * height / GRAVITY)))
    gap = rng.uniform(0, 5)
    sf = fit_speed(p.factor * rng.uniform(0.9, 1.1), lambda f: reps * ((15 + gap) / f + flight + 3) + 50)
    prep, land = int(8 / sf), int(7 / sf)
    gap = int(gap / sf)
    n, t0 = clip_frames(rng, reps * (prep + flight + land + gap) + 20, lead=(16, 30))
    track = Track.standing(body, n)
    stance = LEFT if p.side == "left" else RIGHT
    lifted = 1 - stance
    up = hold(n, t0 - 14, t0 - 2, n - 18, n - 6)
    # Shift the weight over the hopping leg, raise the other foot behind, arms out for balance.
    track.pelvis += up[:, None] * track.rotate(np.array([SIDE_SIGN[stance] * 0.07 * s, 0.0, 0.0]))
    track.hip[:, 1] += -SIDE_SIGN[stance] * 0.05 * up
    for side in (LEFT, RIGHT):
        move_hand(track, side, shoulder_point(track, side, (0.35, -0.3, 0.1)), up)
    track = _jumps(body, track, t0, reps, prep, flight, land, gap, height, dist, feet=(stance,), crouch=0.09 * s)
    lift = track.to_world(np.tile([SIDE_SIGN[lifted] * 0.1 * s, 0.0, -0.22 * s], (n, 1)))
    lift[:, 1] = track.pelvis[:, 1] - 0.55 * s
    track.ankles[:, lifted] = track.ankles[:, lifted] * (1 - up[:, None]) + lift * up[:, None]
    track.foot_pitch[:, lifted] = 0.4 * up
    track.planted[:, lifted] = up < 1e-3
    return track


def _jumps(body: Body, track: Track, t0: int, reps: int, prep: int, flight: int, land: int, gap: int,
           height: float, dist: float, feet: tuple[int, ...], crouch: float) -> Track:
    """Crouch, take off, fly a ballistic arc (forward by ``dist``), land and absorb, ``reps`` times."""
    n = track.n
    dy, dz = np.zeros(n), np.zeros(n)
    air = np.zeros(n)  # flight progress in (0, 1), 0 on the ground
    arms = np.zeros(n)  # -1 swung back, +1 swung forward and up
    a = t0
    for _ in range(reps):
        to, ld = a + prep, a + prep + flight
        if ld + 2 >= n:
            break
        u = np.arange(prep) / prep
        dy[a:to] -= crouch * np.sin(np.pi * u) ** 1.5
        arms[a:to] = -np.sin(np.pi * np.clip(1.3 * u, 0, 1))
        u = np.arange(flight + 1) / flight
        dy[to : ld + 1] += 4 * height * u * (1 - u)
        dz[to : ld + 1] += dist * u
        dz[ld + 1 :] += dist
        air[to + 1 : ld] = u[1:-1]
        arms[to : ld + 1] = 1 - 0.5 * u
        end = min(ld + land, n)
        u = np.arange(end - ld) / land
        dy[ld:end] -= 0.8 * crouch * np.sin(np.pi * u)
        arms[ld:end] = 0.5 * (1 - u)
        a = ld + land + gap
    fwd = track.forward()
    track.pelvis[:, 1] += dy
    track.pelvis += dz[:, None] * fwd
    bend = np.maximum(-dy, 0) / max(crouch, 1e-6)
    track.spine[:, 0] += 0.3 * bend
    track.hip[:, 0] += 0.35 * bend
    in_air = air > 0
    lift = np.where(in_air, dy + 0.35 * height * np.sin(np.pi * air), 0.0)
    for foot in feet:
        track.ankles[:, foot] += dz[:, None] * fwd
        track.ankles[:, foot, 1] += lift
        track.planted[:, foot] = ~in_air
    for side in (LEFT, RIGHT):
        track.hands[:, side, 2] += 0.22 * body.scale * arms
        track.hands[:, side, 1] += 0.2 * body.scale * np.maximum(arms, 0)
    return track
