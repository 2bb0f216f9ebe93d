"""Mixing strategies: each returns weights w (B, Tw, 2, Jw) in [0, 1] for x_m = x_a + w (x_b - x_a).

w = 0 keeps the interaction model, w = 1 takes the (aligned) individual model. Tw is 1 or the number
of frames and Jw is 1 or 22 joints, so weights broadcast over frames, people and joints.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from ..models.mixer import GRANULARITIES, Mixer


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


STRATEGY_NAMES = ("interaction", "individual", "g", "t", "s", "st", "blend:W", "dualmdm")


def parse_strategy(name: str, mixers: dict[str, Mixer] | None = None):
    """Strategy from a CLI name: interaction, individual, g, t, s, st, blend:W, dualmdm[:RATE]."""
    key = name.strip().lower()
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
