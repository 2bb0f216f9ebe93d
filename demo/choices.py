"""The strategies offered in the UI, and their translation into ``mixermdm_core`` strategy objects."""
from __future__ import annotations

import math
from dataclasses import dataclass

from mixermdm_core.composition.strategies import BodyParts, DiffusionBlending, DualMDM, parse_strategy
from mixermdm_core.vocabulary import GRANULARITIES

MAX_COMPARED = 6  # result slots in the UI; each strategy adds one batch row to sampling
LEARNED_LABELS = {"G": "MixerMDM-G", "T": "MixerMDM-T", "S": "MixerMDM-S", "ST": "MixerMDM-ST"}
FIXED_CHOICES = [
    ("DualMDM (schedule)", "dualmdm"),
    ("DiffusionBlending (fixed weight)", "blend"),
    ("Body-part mix (hand-painted)", "parts"),
    ("Interaction model alone", "interaction"),
    ("Individual model alone", "individual"),
]
FIXED_TITLES = {value: label for label, value in FIXED_CHOICES}
DUALMDM_SHAPES = ["exp", "exp-inv", "linear"]
PART_LABELS = {"root": "root trajectory", "legs": "legs", "spine": "spine and head", "left_arm": "left arm",
               "right_arm": "right arm"}
PARTS_HEADERS = ["body part", "weight", "from t", "to t"]  # t: 1000 = pure noise, 0 = the final motion
DEFAULT_PARTS = [["root trajectory", 0.0, 1000, 0], ["legs", 1.0, 1000, 0], ["spine and head", 0.5, 1000, 0],
                 ["left arm", 0.5, 1000, 0], ["right arm", 0.5, 1000, 0]]


@dataclass(frozen=True)
class Chosen:
    """One strategy to run: its title in the UI, a file-name-safe key and the core strategy object."""

    title: str
    key: str
    strategy: object


def choices(learned: list[str]) -> list[tuple[str, str]]:
    """(label, value) checkbox choices: the loaded learned mixers (finest first), then the baselines."""
    learned_first = [(LEARNED_LABELS[g], g.lower()) for g in reversed(learned)]
    return learned_first + FIXED_CHOICES


def default_selection(learned: list[str]) -> list[str]:
    """ST and DualMDM; the finest loaded mixer (or DiffusionBlending) when ST is not loaded."""
    first = learned[-1].lower() if learned else "blend"
    return [first, "dualmdm"]


def build(selected: list[str], mixers: dict, blend_weight: float, rate: float, scale: float, shape: str,
          parts: list[list] | None = None) -> list[Chosen]:
    """Strategy objects for the ``selected`` checkbox values, in the UI's order; ValueError on bad input.
    ``parts``: the body-part table's rows (``PARTS_HEADERS``)."""
    selected = list(dict.fromkeys(selected or []))
    if not selected:
        raise ValueError("choose at least one strategy to compare")
    if len(selected) > MAX_COMPARED:
        raise ValueError(f"compare at most {MAX_COMPARED} strategies at once (got {len(selected)})")
    order = [value for _, value in choices([g for g in GRANULARITIES if g in mixers])]
    unknown = [s for s in selected if s not in order]
    if unknown:
        raise ValueError(f"unknown or unloaded strategy: {', '.join(map(str, unknown))}")
    return [_one(value, mixers, blend_weight, rate, scale, shape, parts) for value in order if value in selected]


def number(name: str, value: object) -> float:
    """``value`` as a finite float, or a ValueError naming the input."""
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return out


def dualmdm(rate: object, scale: object, shape: object) -> DualMDM:
    """The DualMDM schedule for the edited parameters; ValueError on bad ones."""
    return DualMDM(rate=number("DualMDM rate", rate), scale=number("DualMDM scale", scale), shape=str(shape))


def body_parts(rows: list[list] | None) -> BodyParts:
    """The body-part mix of the table's rows [part, weight, from t, to t]; ValueError naming a bad cell."""
    by_label = {label: part for part, label in PART_LABELS.items()}
    weights, steps = {}, {}
    for row in rows if rows is not None else DEFAULT_PARTS:
        label = str(row[0]).strip()
        if label not in by_label:
            raise ValueError(f"unknown body part {label!r}; the parts are {', '.join(PART_LABELS.values())}")
        part = by_label[label]
        weights[part] = number(f"the weight of the {label}", row[1])
        high, low = (number(f"the step range of the {label}", v) for v in row[2:4])
        if (low, high) != (0, 1000):
            steps[part] = (int(min(low, high)), int(max(low, high)))
    return BodyParts(weights, steps, name="parts")


def _one(value: str, mixers: dict, blend_weight: float, rate: float, scale: float, shape: str,
         parts: list[list] | None) -> Chosen:
    if value == "dualmdm":
        s = dualmdm(rate, scale, shape)
        return Chosen(f"DualMDM ({s.shape}, rate {s.rate:g}, scale {s.scale:g})", "dualmdm", s)
    if value == "blend":
        weight = number("blending weight", blend_weight)
        return Chosen(f"DiffusionBlending (w = {weight:g})", "blend", DiffusionBlending(weight))
    if value == "parts":
        mix = body_parts(parts)
        shown = ", ".join(f"{PART_LABELS[p]} {w:g}" + (f" (t {mix.steps[p][1]}-{mix.steps[p][0]})" if p in mix.steps else "")
                          for p, w in mix.weights.items() if w > 0)
        return Chosen(f"Body-part mix ({shown or 'all 0'})", "parts", mix)
    if value in ("interaction", "individual"):
        return Chosen(FIXED_TITLES[value], value, parse_strategy(value))
    return Chosen(LEARNED_LABELS[value.upper()], value, parse_strategy(value, mixers))
