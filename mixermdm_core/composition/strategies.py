"""Mixing strategies: each returns weights w (B, Tw, 2, Jw) in [0, 1] for x_m = x_a + w (x_b - x_a).

w = 0 keeps the interaction model, w = 1 takes the (aligned) individual model. Tw is 1 or the number
of frames and Jw is 1 or 22 joints, so weights broadcast over frames, people and joints.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..models.mixer import GRANULARITIES, Mixer
from ..skeleton import BODY_PARTS, NUM_JOINTS


@dataclass
class MixInputs:
    """What a strategy may look at in one denoising step."""

    x_a: torch.Tensor  # (B, T, 2, 262) interaction prediction, in the shared normalised space
    x_b: torch.Tensor  # (B, T, 2, 262) aligned individual prediction, same space
    t: torch.Tensor  # (B,) training-scale step
    text: torch.Tensor  # (B, text_dim)
    person_text: torch.Tensor  # (B, 2, text_dim)
    mask: torch.Tensor | None


@dataclass
class DiffusionBlending:
    """DiffusionBlending: one constant weight (0 = interaction model only, 1 = individual only)."""

    weight: float
    name: str = ""

    def __post_init__(self):
        if not 0.0 <= self.weight <= 1.0:
            raise ValueError(f"a blending weight must be in [0, 1], got {self.weight}")
        self.name = self.name or f"blend:{self.weight:g}"

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        return torch.full((inp.x_a.shape[0], 1, 2, 1), self.weight, device=inp.x_a.device)


@dataclass
class DualMDM:
    """in2IN's DualMDM schedule w(t) = scale * exp(-rate * (1000 - t)): the individual model leads at high
    noise and hands over to the interaction model (0.84 at t=980, 0.014 at t=500 with the defaults).
    ``shape='exp-inv'`` gives 1 - exp(...) and ``'linear'`` gives t / 1000 (in2IN's other options)."""

    rate: float = 0.0085
    scale: float = 1.0
    shape: str = "exp"
    name: str = "dualmdm"

    def __post_init__(self):
        if self.shape not in ("exp", "exp-inv", "linear"):
            raise ValueError(f"DualMDM shape must be exp, exp-inv or linear, got {self.shape!r}")
        if self.rate < 0 or not 0 <= self.scale <= 1:
            raise ValueError("DualMDM needs rate >= 0 and scale in [0, 1]")

    def at(self, t: float) -> float:
        if self.shape == "linear":
            return self.scale * t / 1000
        e = math.exp(-self.rate * (1000 - t))
        return self.scale * (e if self.shape == "exp" else 1 - e)

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        w = torch.tensor([self.at(float(t)) for t in inp.t], device=inp.x_a.device)
        return w.reshape(-1, 1, 1, 1).expand(-1, 1, 2, 1)


@dataclass
class MixerStrategy:
    """MixerMDM: weights predicted by a trained Mixer from both predictions, the texts and t."""

    mixer: Mixer
    name: str = ""

    def __post_init__(self):
        self.name = self.name or self.mixer.granularity.lower()

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        return self.mixer(inp.x_a, inp.x_b, inp.t, inp.text, inp.person_text, inp.mask)


PART_ALIASES = {"arms": ("left_arm", "right_arm"), "all": tuple(BODY_PARTS)}


@dataclass
class BodyParts:
    """A hand-painted mix: one weight per body part (``BODY_PARTS``; unset parts follow the interaction model),
    each optionally applied only while the diffusion step t lies in a range (inclusive, 1000 = pure noise; outside
    it that part takes 0). Weights are per joint, so they show in the same heatmaps as an S/ST mixer's."""

    weights: dict[str, float]
    steps: dict[str, tuple[int, int]] | None = None  # part -> (t_low, t_high)
    name: str = "parts"

    def __post_init__(self):
        self.steps = dict(self.steps or {})
        unknown = sorted(set(self.weights) - set(BODY_PARTS))
        if unknown or set(self.steps) - set(self.weights):
            raise ValueError(f"body parts are {', '.join(BODY_PARTS)} (and 'arms', 'all' when parsed); "
                             f"got {', '.join(unknown or sorted(set(self.steps) - set(self.weights)))}")
        for part, w in self.weights.items():
            if not 0.0 <= w <= 1.0:
                raise ValueError(f"the weight of {part} must be in [0, 1], got {w}")
        for part, (low, high) in self.steps.items():
            if not 0 <= low <= high <= 1000:
                raise ValueError(f"the step range of {part} must satisfy 0 <= low <= high <= 1000, got {low}-{high}")

    def joint_weights(self, t: float) -> torch.Tensor:
        """(22,) the weight of every joint at step t."""
        w = torch.zeros(NUM_JOINTS)
        for part, weight in self.weights.items():
            low, high = self.steps.get(part, (0, 1000))
            if low <= t <= high:
                w[list(BODY_PARTS[part])] = weight
        return w

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        w = torch.stack([self.joint_weights(float(t)) for t in inp.t]).to(inp.x_a.device)
        return w[:, None, None, :].expand(-1, 1, 2, -1)


def parse_parts(spec: str) -> BodyParts:
    """``legs=1,arms=0.3,root=0.5@1000-500``: part=weight[@T_HIGH-T_LOW], parts from BODY_PARTS or 'arms', 'all'."""
    weights, steps = {}, {}
    for item in filter(None, (x.strip() for x in spec.split(","))):
        part, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"a body part needs a weight, as in legs=1 (got {item!r})")
        value, at, span = value.partition("@")
        try:
            weight = float(value)
            bounds = tuple(sorted(int(b) for b in span.split("-"))) if at else None
        except ValueError as err:
            raise ValueError(f"cannot read {item!r}: write part=weight or part=weight@1000-500") from err
        if bounds is not None and len(bounds) != 2:
            raise ValueError(f"a step range is two steps, as in @1000-500 (got {item!r})")
        for name in PART_ALIASES.get(part.strip(), (part.strip(),)):
            weights[name] = weight
            if bounds:
                steps[name] = bounds
    if not weights:
        raise ValueError("parts: needs at least one part=weight, as in parts:legs=1,arms=0.3")
    return BodyParts(weights, steps, name=f"parts:{spec.strip()}")


STRATEGY_NAMES = ("interaction", "individual", "g", "t", "s", "st", "blend:W", "dualmdm", "parts:PART=W,...")


def parse_strategy(name: str, mixers: dict[str, Mixer] | None = None):
    """Strategy from a CLI name: interaction, individual, g, t, s, st, blend:W, dualmdm[:RATE],
    parts:PART=W[@T_HIGH-T_LOW],... (``parse_parts``)."""
    key = name.strip().lower()
    if key.startswith("parts:"):
        return parse_parts(key.split(":", 1)[1])
    if key == "interaction":
        return DiffusionBlending(0.0, name="interaction")
    if key == "individual":
        return DiffusionBlending(1.0, name="individual")
    if key.startswith("blend:"):
        try:
            weight = float(key.split(":", 1)[1])
        except ValueError as err:
            raise ValueError(f"blend needs a number, as in blend:0.5 (got {name!r})") from err
        return DiffusionBlending(weight)
    if key == "dualmdm" or key.startswith("dualmdm:"):
        return DualMDM(rate=float(key.split(":", 1)[1])) if ":" in key else DualMDM()
    if key.upper() in GRANULARITIES:
        mixers = mixers or {}
        if key.upper() not in mixers:
            raise ValueError(f"no trained {key.upper()} mixer is loaded")
        return MixerStrategy(mixers[key.upper()], name=key)
    raise ValueError(f"unknown strategy {name!r}; choose from {', '.join(STRATEGY_NAMES)}")
