"""Registry of the individual actions, their parameter ranges, and sampling of parameters per split."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import gestures, locomotion, postures
from .body import Body
from .interactions import InteractionSpec
from .params import Params
from .track import Track

Builder = Callable[[Body, Params, np.random.Generator], Track]
SPEEDS = ("slow", "normal", "fast")


@dataclass(frozen=True)
class ActionSpec:
    """One individual action: how to build it and which parameter values it takes."""

    name: str
    build: Builder
    sides: tuple[str | None, ...] = (None,)
    directions: tuple[str | None, ...] = (None,)
    reps: tuple[int, int] | None = None  # inclusive range of repetitions
    speeds: tuple[str, ...] = SPEEDS


def _walk(direction: str) -> Builder:
    def build(body: Body, p: Params, rng: np.random.Generator) -> Track:
        return locomotion.walk(body, Params(p.speed, p.side, direction, p.reps), rng)
    return build


ACTIONS: dict[str, ActionSpec] = {a.name: a for a in (
    ActionSpec("walk_forward", _walk("forward")),
    ActionSpec("walk_backward", _walk("backward")),
    ActionSpec("walk_sideways", locomotion.walk, directions=("left", "right")),
    ActionSpec("walk_circle", locomotion.walk_circle, directions=("clockwise", "counterclockwise")),
    ActionSpec("run", locomotion.run),
    ActionSpec("jog_in_place", locomotion.jog_in_place),
    ActionSpec("limp", locomotion.limp, sides=("left", "right")),
    ActionSpec("turn_around", locomotion.turn, directions=("left", "right")),
    ActionSpec("spin", locomotion.spin, directions=("left", "right"), reps=(1, 2)),
    ActionSpec("jump", locomotion.jump, directions=("up", "forward"), reps=(1, 3)),
    ActionSpec("hop", locomotion.hop, sides=("left", "right"), reps=(2, 6)),
    ActionSpec("squat", postures.squat, reps=(1, 4)),
    ActionSpec("crouch", postures.crouch),
    ActionSpec("sit_down", postures.sit_down),
    ActionSpec("stand_up", postures.stand_up),
    ActionSpec("bow", postures.bow, reps=(1, 2)),
    ActionSpec("kick", postures.kick, sides=("left", "right"), reps=(1, 3)),
    ActionSpec("dance", postures.dance),
    ActionSpec("wave", gestures.wave_action, sides=("left", "right", "both"), reps=(2, 6)),
    ActionSpec("walk_wave", gestures.walk_wave, sides=("left", "right"), reps=(2, 5), speeds=("slow", "normal")),
    ActionSpec("raise_arms", gestures.raise_arms, sides=("left", "right", "both"), reps=(1, 3)),
    ActionSpec("clap", gestures.clap, reps=(3, 10)),
    ActionSpec("punch", gestures.punch, sides=("left", "right", "both"), reps=(1, 4)),
    ActionSpec("point", gestures.point, sides=("left", "right"), directions=("forward", "up", "sideways")),
    ActionSpec("throw", gestures.throw, sides=("left", "right")),
    ActionSpec("reach", gestures.reach, sides=("left", "right", "both"), directions=("forward", "up", "down")),
    ActionSpec("stretch", gestures.stretch, sides=("left", "right", "both")),
)}

# (action, side or direction, speed) combinations that only the heldout split ever contains.
HELDOUT_COMBOS: frozenset[tuple[str, str | None, str]] = frozenset({
    ("wave", "left", "fast"), ("kick", "left", "slow"), ("punch", "left", "fast"), ("hop", "left", "slow"),
    ("walk_circle", "clockwise", "fast"), ("raise_arms", "right", "slow"), ("point", "right", "fast"),
    ("turn_around", "left", "slow"), ("limp", "left", "fast"), ("jump", "forward", "slow"),
    ("walk_sideways", "right", "fast"), ("throw", "left", "fast"),
    ("high_five", "left", "fast"), ("pass_object", "left", "slow"), ("circle_each_other", "clockwise", "fast"),
    ("punch_defend", "left", "slow"), ("greet_wave", "left", "fast"),
})


def combo(action: str, p: Params) -> tuple[str, str | None, str]:
    """The (action, side-or-direction, speed) key used for heldout combinations."""
    return action, p.side if p.side is not None else p.direction, p.speed


def sample_params(spec: ActionSpec | InteractionSpec, rng: np.random.Generator, heldout: bool) -> Params:
    """Random parameters; heldout draws prefer the reserved combinations, other splits never produce them."""
    options = [(sd, d, sp) for sd in spec.sides for d in spec.directions for sp in spec.speeds]
    reserved = [o for o in options if combo(spec.name, Params(o[2], o[0], o[1])) in HELDOUT_COMBOS]
    allowed = [o for o in options if o not in reserved]
    pool = reserved if heldout and reserved and rng.random() < 0.5 else allowed
    side, direction, speed = pool[int(rng.integers(len(pool)))]
    reps = None
    if spec.reps is not None:  # slow clips get fewer repetitions so they still fit in 8 s
        lo, hi = spec.reps
        hi = max(lo, int(hi * 0.7)) if speed == "slow" else hi
        reps = int(rng.integers(lo, hi + 1))
    return Params(speed=speed, side=side, direction=direction, reps=reps)
