"""Two-person interactions: both people are animated in one world so contacts really happen.

Person A starts at the origin facing +Z; B usually faces A. Contacts between hands are solved by aiming both
wrists (IK) at one meeting point that both arms can reach; bodies are spaced so torsos never overlap.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..skeleton import JOINT
from .body import Body
from .curves import bumps, hold, ramp, wave
from .gait import Gait, animate_gait, plan_steps, running, walking
from .gestures import guard, punch_arm, wave_hand
from .locomotion import walk
from .moves import add_idle, chest_point, move_hand, set_pole, shoulder_point
from .params import Params, clip_frames
from .postures import bow_pose, dance, sit_down
from .track import LEFT, RIGHT, SIDE_SIGN, Track

WRIST = (JOINT["left_wrist"], JOINT["right_wrist"])
ARM_REACH = 0.93  # fraction of the arm length used at contact (elbow never locked)


@dataclass
class Contact:
    """Frames where joint ``joint_a`` of A touches joint ``joint_b`` of B (hand-to-hand contacts)."""

    frames: np.ndarray  # (n,) bool
    joint_a: int
    joint_b: int


@dataclass
class InteractionTracks:
    """What an interaction builder returns: both people's tracks, animated in one world (posed and run through
    FK later), the parameters their texts describe, and the hand contacts to check."""

    a: Track
    b: Track
    params: Params
    contacts: list[Contact] = field(default_factory=list)


def _pair(body_a: Body, body_b: Body, n: int, dist: float, b_heading: float = np.pi) -> tuple[Track, Track]:
    """A at the origin facing +Z, B ``dist`` metres in front of A, facing A by default."""
    return Track.standing(body_a, n), Track.standing(body_b, n, (0.0, dist), b_heading)


def _reach(body: Body) -> float:
    l1, l2 = body.arm
    return ARM_REACH * (l1 + l2)


def contact_spacing(body_a: Body, body_b: Body, height: float, lateral: float, lean: float = 0.0) -> float:
    """Pelvis distance at which both people reach a hand point at ``height`` (fraction of the shorter body's
    height) with their shoulders ``lateral`` metres to the side of it; ``lean`` adds forward trunk lean."""
    total = 0.0
    for body in (body_a, body_b):
        shoulder_y = body.stand_height + body.chest_height + body.shoulder_in_chest[0, 1]
        dy = shoulder_y - height * min(body_a.height, body_b.height)
        total += np.sqrt(max(_reach(body) ** 2 - dy * dy - lateral * lateral, 0.01)) + lean * body.scale
    return float(total)


def meet_hands(a: Track, side_a: int, b: Track, side_b: int, weight: np.ndarray, height: np.ndarray | float,
               gap: float = 0.04) -> Contact:
    """Aim A's and B's wrists at one point between their shoulders (at ``height`` when reachable)."""
    _bend_to_reach(a, side_a, b, side_b, weight)
    sa, sb = a.shoulders_world()[:, side_a], b.shoulders_world()[:, side_b]
    ra, rb = _reach(a.body), _reach(b.body)
    point = sa + (sb - sa) * (ra / (ra + rb))
    lo, hi = np.full(a.n, -np.inf), np.full(a.n, np.inf)
    for s, r in ((sa, ra), (sb, rb)):
        h2 = ((point - s)[:, [0, 2]] ** 2).sum(-1)
        dy = np.sqrt(np.maximum(r * r - h2, 0.0))
        lo, hi = np.maximum(lo, s[:, 1] - dy), np.minimum(hi, s[:, 1] + dy)
    point[:, 1] = np.clip(np.broadcast_to(height, (a.n,)), lo, np.maximum(lo, hi))
    axis = sb - sa
    axis[:, 1] = 0.0
    axis /= np.maximum(np.linalg.norm(axis, axis=-1, keepdims=True), 1e-6)
    a.hands_world[:, side_a] = point - 0.5 * gap * axis
    b.hands_world[:, side_b] = point + 0.5 * gap * axis
    a.world_weight[:, side_a] = weight
    b.world_weight[:, side_b] = weight
    return Contact(weight > 0.999, WRIST[side_a], WRIST[side_b])


def _look_at(track: Track, other: Track, weight: float = 0.7) -> None:
    """Turn the head towards the other person."""
    d = other.pelvis - track.pelvis
    yaw = np.arctan2(d[:, 0], d[:, 2]) - track.heading
    yaw = (yaw + np.pi) % (2 * np.pi) - np.pi
    track.head[:, 2] += weight * np.clip(yaw, -1.0, 1.0)


def _approach(track: Track, start: int, stop: int, distance: float, sf: float) -> None:
    """Walk ``distance`` metres forward between ``start`` and ``stop`` (negative = step back)."""
    profile = hold(track.n, start, start + 12, stop - 12, stop)
    track.pelvis += (distance * np.cumsum(profile) / max(profile.sum(), 1e-6))[:, None] * track.forward()


def _walk_feet(track: Track, sf: float, amount: float = 1.0) -> None:
    gait = walking(sf)
    animate_gait(track, plan_steps(track, gait), gait, amount=amount)


def handshake(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    sf = p.factor * rng.uniform(0.9, 1.1)
    pumps = p.reps or 3
    walk_in = rng.uniform(0.0, 1.2)
    reach_t, pump = 16 / sf, 12 / sf
    core = (45 if walk_in > 0.3 else 0) + 2 * reach_t + pumps * pump + 10
    n, t0 = clip_frames(rng, core)
    d = contact_spacing(ba, bb, 0.62, 0.18, lean=0.04)
    a, b = _pair(ba, bb, n, d + 2 * walk_in)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
    t1 = t0
    if walk_in > 0.3:
        t1 = t0 + 45
        for tr in (a, b):
            _approach(tr, t0, t1, walk_in, sf)
            _walk_feet(tr, sf, 0.6)
    c0 = t1 + reach_t
    c1 = c0 + pumps * pump + 4
    w = hold(n, t1 - 4, c0, c1, c1 + reach_t)
    for tr in (a, b):
        tr.spine[:, 0] += 0.08 * w
        _look_at(tr, b if tr is a else a)
    height = 0.62 * min(ba.height, bb.height) + 0.035 * bumps(n, c0, pump, pumps)
    contact = meet_hands(a, RIGHT, b, RIGHT, w, height)
    return InteractionTracks(a, b, Params(p.speed, "right", None, pumps), [contact])


def high_five(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    sf = p.factor * rng.uniform(0.9, 1.1)
    side = LEFT if p.side == "left" else RIGHT
    up = 14 / sf
    n, t0 = clip_frames(rng, 2 * up + 20)
    d = contact_spacing(ba, bb, 1.0, 0.06, lean=0.02)
    a, b = _pair(ba, bb, n, d)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
        _look_at(tr, b if tr is a else a)
    w = hold(n, t0, t0 + up, t0 + up + 3, t0 + 2 * up + 6)
    for tr, sd in ((a, side), (b, 1 - side)):
        set_pole(tr, sd, (1.0, -0.3, -0.3), w)
    contact = meet_hands(a, side, b, 1 - side, w, 1.05 * min(ba.height, bb.height))
    return InteractionTracks(a, b, p, [contact])


def hug(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """A (the taller) hugs over B's shoulders, B around A's waist."""
    if ba.height < bb.height:
        ba, bb = bb, ba
    sf = p.factor * rng.uniform(0.9, 1.1)
    s = (ba.scale + bb.scale) / 2
    close, keep = 22 / sf, rng.uniform(30, 80)
    n, t0 = clip_frames(rng, 2 * close + keep + 10)
    gap = 0.34 * s
    a, b = _pair(ba, bb, n, gap + 0.5 * s)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
    t1 = t0 + close + keep
    together = hold(n, t0, t0 + close, t1, t1 + close)
    for tr in (a, b):  # each steps a quarter of the way in, then back out
        tr.pelvis += (0.25 * s * together)[:, None] * tr.forward()
        _walk_feet(tr, sf, 0.4)
    sway = 0.08 * wave(n, rng.uniform(40, 70), start=t0 + close) * hold(n, t0 + close, t0 + close + 10, t1 - 10, t1)
    for tr, tilt in ((a, 1.0), (b, -1.0)):
        tr.hip[:, 1] += sway
        tr.spine[:, 0] += 0.1 * together
        tr.head[:, 2] += tilt * 0.5 * together  # heads turn past each other's shoulder
    arms = hold(n, t0 + 4, t0 + close + 4, t1 - 4, t1 + close - 4)
    # A's arms go over B's shoulders, B's arms around A's waist; both wrists rest on the other's back.
    chest_a = a.chest_to_world(np.zeros((n, 1, 3)))[:, 0]
    chest_b = b.chest_to_world(np.zeros((n, 1, 3)))[:, 0]
    for me, other, centre, lift in ((a, b, chest_b, 0.06), (b, a, chest_a, -0.18)):
        back = -other.forward()
        left = np.stack((np.cos(other.heading), np.zeros(n), -np.sin(other.heading)), -1)
        for side in (LEFT, RIGHT):
            # my left hand lands on the other's right side (they face me)
            target = centre + 0.13 * s * back - SIDE_SIGN[side] * 0.1 * s * left + np.array([0.0, lift * s, 0.0])
            me.hands_world[:, side] = target
            me.world_weight[:, side] = arms
            set_pole(me, side, (1.0, 0.2 if lift > 0 else -0.4, -0.3), arms)
    return InteractionTracks(a, b, p)


def push(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    sf = p.factor * rng.uniform(0.9, 1.1)
    s = (ba.scale + bb.scale) / 2
    n, t0 = clip_frames(rng, 80 / sf)
    a, b = _pair(ba, bb, n, 0.68 * s)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
    hit = t0 + 18 / sf
    extend = hold(n, t0, hit, hit + 4 / sf, hit + 20 / sf)
    a.pelvis += (0.18 * s * extend)[:, None] * a.forward()
    a.spine[:, 0] += 0.2 * extend
    back = (rng.uniform(0.6, 1.1) * s) * ramp(n, hit, hit + 26 / sf)
    b.pelvis -= back[:, None] * b.forward()
    jolt = hold(n, hit - 2, hit + 3, hit + 8, hit + 30 / sf)
    b.spine[:, 0] -= 0.3 * jolt
    b.head[:, 0] += 0.25 * jolt
    for side in (LEFT, RIGHT):
        move_hand(b, side, shoulder_point(b, side, (0.2, -0.1, 0.35)), jolt)
    gait_b = Gait(half=9, swing=8, clearance=0.09, width=0.1, tol=0.06, bob=0.0)
    animate_gait(b, plan_steps(b, gait_b), gait_b, amount=0.3)
    _walk_feet(a, sf, 0.3)
    chest_b = b.chest_to_world(np.zeros((n, 1, 3)))[:, 0]
    for side in (LEFT, RIGHT):
        left_b = np.stack((np.cos(b.heading), np.zeros(n), -np.sin(b.heading)), -1)
        a.hands_world[:, side] = chest_b + 0.11 * s * b.forward() - SIDE_SIGN[side] * 0.11 * s * left_b - [0, 0.04 * s, 0]
        a.world_weight[:, side] = hold(n, hit - 10 / sf, hit, hit + 3, hit + 10)
        set_pole(a, side, (0.6, -1.0, 0.0), extend)
    return InteractionTracks(a, b, p)


def punch_defend(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """A punches at B's head; B blocks with raised forearms (direction 'block') or ducks aside ('dodge')."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    reps = p.reps or 1
    dur, gap = 12 / sf, rng.uniform(12, 24) / sf
    n, t0 = clip_frames(rng, 20 + reps * (dur + gap))
    s = (ba.scale + bb.scale) / 2
    a, b = _pair(ba, bb, n, 0.95 * s)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
    on = hold(n, t0 - 10, t0, n - 12, n - 2)
    guard(a, on)
    guard(b, on)
    side = LEFT if p.side == "left" else RIGHT
    for k in range(reps):
        start = t0 + 6 + k * (dur + gap)
        punch_arm(a, side, start, dur, reach=1.1)
        react = hold(n, start, start + dur * 0.4, start + dur * 0.7, start + dur * 1.6)
        if p.direction == "dodge":
            b.pelvis[:, 1] -= 0.12 * s * react
            b.spine[:, 1] += -SIDE_SIGN[side] * 0.35 * react  # lean away from the punch
            b.hip[:, 0] += 0.25 * react
        else:
            for sd in (LEFT, RIGHT):
                move_hand(b, sd, chest_point(b, sd, (0.09, 0.33, 0.2)), react)
            b.spine[:, 0] += 0.1 * react
            b.head[:, 0] += 0.2 * react
    return InteractionTracks(a, b, Params(p.speed, p.side, p.direction, reps))


def greet_wave(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    sf = p.factor * rng.uniform(0.9, 1.1)
    period = 16 / sf
    reps = p.reps or 3
    lag = rng.uniform(0, 25)
    n, t0 = clip_frames(rng, 30 + lag + reps * period)
    a, b = _pair(ba, bb, n, rng.uniform(2.0, 4.5))
    side_a = LEFT if p.side == "left" else RIGHT
    for tr, side, start in ((a, side_a, t0), (b, int(rng.integers(2)), t0 + lag)):
        add_idle(tr, rng, 0.7)
        wave_hand(tr, side, int(start), reps, period, int(12 / sf))
    return InteractionTracks(a, b, Params(p.speed, p.side, None, reps))


def bow_to_each_other(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    sf = p.factor * rng.uniform(0.9, 1.1)
    down, keep = 18 / sf, rng.uniform(10, 30)
    lag = rng.uniform(0, 10)
    n, t0 = clip_frames(rng, 2 * down + keep + lag + 10)
    a, b = _pair(ba, bb, n, rng.uniform(1.3, 2.2))
    depth = rng.uniform(0.5, 0.9)
    for tr, start in ((a, t0), (b, t0 + lag)):
        add_idle(tr, rng, 0.5)
        bow_pose(tr, depth, hold(n, start, start + down, start + down + keep, start + 2 * down + keep))
    return InteractionTracks(a, b, p)


def dance_together(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    dist = rng.uniform(0.9, 1.4)
    a = dance(ba, p, rng)
    b = dance(bb, p, np.random.default_rng(rng.integers(1 << 31)))
    n = min(a.n, b.n)
    a, b = _truncate(a, n), _turned(_truncate(b, n), dist)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
        _look_at(tr, b if tr is a else a, 0.3)
    return InteractionTracks(a, b, p)


def walk_side_by_side(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    a = walk(ba, Params(p.speed, None, "forward"), rng)
    n = a.n
    # B walks on A's ``side``; A faces +Z, so A's left is +X.
    b = Track.standing(bb, n, (SIDE_SIGN[LEFT if p.side == "left" else RIGHT] * rng.uniform(0.6, 0.9), 0.0))
    b.pelvis[:, [0, 2]] += a.pelvis[:, [0, 2]] - a.pelvis[0, [0, 2]]
    _walk_feet(b, p.factor * rng.uniform(0.95, 1.05))
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
    b.head[:, 2] -= SIDE_SIGN[LEFT if p.side == "left" else RIGHT] * 0.3 * hold(n, 20, 30, 50, 60)  # glance at A
    return InteractionTracks(a, b, p)


def chase(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """A runs after B, who runs away ahead of A and is caught up with near the end."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(70, 160))
    head_start = rng.uniform(1.5, 3.0)
    a, b = _pair(ba, bb, n, head_start, b_heading=0.0)
    t1 = n - int(rng.integers(6, 14))
    vb = 2.6 * sf / 30
    gain = (head_start - 0.9) / max(t1 - t0 - 20, 1)
    for tr, v, start in ((b, vb, t0), (a, vb + gain, t0 + 6)):
        profile = hold(n, start, start + 14, t1 - 12, t1)
        tr.pelvis[:, 2] += np.cumsum(profile) * v
        tr.spine[:, 0] += 0.12 * profile / v
        for side in (LEFT, RIGHT):
            move_hand(tr, side, chest_point(tr, side, (0.2, -0.22, 0.2)), profile / v)
            set_pole(tr, side, (0.2, -0.3, -1.0), profile / v)
        gait = running(sf)
        animate_gait(tr, plan_steps(tr, gait), gait)
        add_idle(tr, rng, 0.3)
    b.head[:, 2] += 0.6 * hold(n, t0 + 20, t0 + 28, t0 + 40, t0 + 50)  # glance back
    return InteractionTracks(a, b, p)


def pass_object(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """A holds something in front with the ``side`` hand and hands it over; B takes it with the facing hand."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    side = LEFT if p.side == "left" else RIGHT
    reach_t = 18 / sf
    n, t0 = clip_frames(rng, 2 * reach_t + 35)
    d = contact_spacing(ba, bb, 0.6, 0.12, lean=0.05)
    a, b = _pair(ba, bb, n, d)
    for tr in (a, b):
        add_idle(tr, rng, 0.5)
        _look_at(tr, b if tr is a else a, 0.3)
    hold_obj = hold(n, 0, 1, t0 + reach_t + 6, t0 + reach_t + 20)
    move_hand(a, side, chest_point(a, side, (0.12, -0.2, 0.3)), hold_obj)
    handover = hold(n, t0, t0 + reach_t, t0 + reach_t + 8, t0 + 2 * reach_t + 8)
    contact = meet_hands(a, side, b, 1 - side, handover, 0.6 * min(ba.height, bb.height))
    keep = ramp(n, t0 + reach_t + 8, t0 + 2 * reach_t + 8)
    move_hand(b, 1 - side, chest_point(b, 1 - side, (0.1, -0.2, 0.3)), keep)
    return InteractionTracks(a, b, p, [contact])


def circle_each_other(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """Both face each other and sidestep around their common centre (a wary stand-off)."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    n, t0 = clip_frames(rng, rng.uniform(120, 210))
    t1 = n - int(rng.integers(6, 16))
    radius = rng.uniform(0.7, 1.2)
    a, b = _pair(ba, bb, n, 2 * radius)
    sign = 1.0 if p.direction == "counterclockwise" else -1.0
    angle = sign * rng.uniform(0.35, 0.6) * sf * np.cumsum(hold(n, t0, t0 + 15, t1 - 15, t1)) / 30
    centre = np.array([0.0, 0.0, radius])
    for tr, phase in ((a, np.pi), (b, 0.0)):
        th = angle + phase  # position angle about the centre
        tr.pelvis[:, 0] = centre[0] + radius * np.sin(th)
        tr.pelvis[:, 2] = centre[2] + radius * np.cos(th)
        tr.heading[:] = th + np.pi  # look at the centre
        tr.foot_yaw[:] = tr.heading[:1, None]
        tr.ankles[:] = tr.stance_feet(0, 1.6 * tr.body.hip_width)
        tr.spine[:, 0] += 0.15
        guard(tr, np.full(n, 0.6))
        gait = Gait(half=int(15 / sf**0.5), swing=int(12 / sf**0.5), clearance=0.1, width=0.13, tol=0.08, bob=0.008)
        animate_gait(tr, plan_steps(tr, gait), gait, amount=0.4)
        add_idle(tr, rng, 0.5)
    return InteractionTracks(a, b, p)


def help_up(ba: Body, bb: Body, p: Params, rng: np.random.Generator) -> InteractionTracks:
    """B sits on the floor; A offers the ``side`` hand, B grabs it with the other hand and is pulled up."""
    sf = p.factor * rng.uniform(0.9, 1.1)
    b = sit_down(bb, Params(p.speed), rng, reverse=True)
    n = b.n
    rise = int(np.argmax(b.pelvis[:, 1] > b.pelvis[0, 1] + 0.02))
    _turned(b, 0.36 * ba.scale + 0.04)  # B's feet just in front of A's, B facing A
    a = Track.standing(ba, n)
    side = LEFT if p.side == "left" else RIGHT
    offer = hold(n, max(rise - 35, 2), max(rise - 15, 8), rise + 30 / sf, rise + 45 / sf)
    bend = offer * (1 - ramp(n, rise, rise + 28 / sf))
    a.spine[:, 0] += 0.55 * bend
    a.hip[:, 0] += 0.45 * bend
    a.pelvis -= (0.35 * ba.scale * ramp(n, rise + 5, rise + 35 / sf))[:, None] * a.forward()  # step back as B rises
    _walk_feet(a, 0.8)
    for tr in (a, b):
        add_idle(tr, rng, 0.4)
        _look_at(tr, b if tr is a else a, 0.4)
    b.head[:, 0] -= 0.3 * hold(n, 0, 1, rise, rise + 10)
    # A's hand and B's opposite hand are on the same side of the pair, so the grip needs no crossing.
    contact = meet_hands(a, side, b, 1 - side, offer, 0.5 * ba.height)
    return InteractionTracks(a, b, Params(p.speed, p.side), [contact])


def _bend_to_reach(a: Track, side_a: int, b: Track, side_b: int, weight: np.ndarray) -> None:
    """Bend A (and B a little) forward at the hips wherever the shoulders are too far apart for the hands to meet."""
    limit = 0.95 * (_reach(a.body) + _reach(b.body))
    kernel = np.hanning(15) / np.hanning(15).sum()
    for _ in range(4):
        gap = np.linalg.norm(a.shoulders_world()[:, side_a] - b.shoulders_world()[:, side_b], axis=-1) - limit
        extra = np.maximum(gap, 0.0) * (weight > 0.01) * 1.6
        if not extra.any():
            return
        extra = np.maximum(np.convolve(np.pad(extra, 7, mode="edge"), kernel, mode="valid"), extra)
        a.hip[:, 0] += 0.7 * extra
        b.hip[:, 0] += 0.3 * extra


def _truncate(track: Track, n: int) -> Track:
    for name, value in vars(track).items():
        if isinstance(value, np.ndarray) and value.shape[:1] == (track.n,):
            setattr(track, name, value[:n].copy())
    track.n = n
    return track


def _turned(track: Track, dist: float) -> Track:
    """Rotate a track half a turn about the vertical and put it ``dist`` metres in front of the origin."""
    rot = np.array([[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]])
    shift = np.array([0.0, 0.0, dist])
    track.pelvis = track.pelvis @ rot.T + shift
    track.ankles = track.ankles @ rot.T + shift
    track.hands_world = track.hands_world @ rot.T + shift
    track.heading = track.heading + np.pi
    track.foot_yaw = track.foot_yaw + np.pi
    return track


InteractionBuilder = Callable[[Body, Body, Params, np.random.Generator], InteractionTracks]


@dataclass(frozen=True)
class InteractionSpec:
    """One interaction kind, its builder and parameter values (as :class:`~.actions.ActionSpec`)."""

    name: str
    build: InteractionBuilder
    sides: tuple[str | None, ...] = (None,)
    directions: tuple[str | None, ...] = (None,)
    reps: tuple[int, int] | None = None
    speeds: tuple[str, ...] = ("slow", "normal", "fast")


INTERACTIONS: dict[str, InteractionSpec] = {i.name: i for i in (
    InteractionSpec("handshake", handshake, reps=(2, 4)),
    InteractionSpec("hug", hug),
    InteractionSpec("high_five", high_five, sides=("left", "right")),
    InteractionSpec("push", push),
    InteractionSpec("punch_defend", punch_defend, sides=("left", "right"), directions=("block", "dodge"), reps=(1, 3)),
    InteractionSpec("greet_wave", greet_wave, sides=("left", "right"), reps=(2, 5)),
    InteractionSpec("bow_each_other", bow_to_each_other),
    InteractionSpec("dance_together", dance_together),
    InteractionSpec("walk_side_by_side", walk_side_by_side, sides=("left", "right"), speeds=("slow", "normal")),
    InteractionSpec("chase", chase, speeds=("normal", "fast")),
    InteractionSpec("pass_object", pass_object, sides=("left", "right")),
    InteractionSpec("circle_each_other", circle_each_other, directions=("clockwise", "counterclockwise")),
    InteractionSpec("help_up", help_up, sides=("left", "right"), speeds=("slow", "normal")),
)}
