"""Test prompts for model mixing: an interaction text plus individual texts asking for something the
interaction does not contain (MixerMDM's use case), all worded with heldout templates."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .actions import sample_params
from .interactions import INTERACTIONS
from .params import Params
from .texts import individual_text, interaction_texts

# For each interaction, individual actions (with the parameters the text will state) that leave the body
# parts the interaction needs free, so the mixed motion can do both.
COMPATIBLE: dict[str, tuple[tuple[str, Params], ...]] = {
    "handshake": (("limp", Params(side="left")), ("wave", Params(side="left", reps=3)), ("raise_arms", Params(side="left", reps=1)),
                  ("dance", Params()), ("kick", Params(side="left", reps=1))),
    "hug": (("dance", Params()), ("jog_in_place", Params(speed="slow")), ("bow", Params(reps=1)), ("squat", Params(reps=1))),
    "high_five": (("jump", Params(direction="up", reps=1)), ("limp", Params(side="right")), ("hop", Params(side="left", reps=3)),
                  ("wave", Params(side="left", reps=2))),
    "push": (("limp", Params(side="right")), ("walk_backward", Params(speed="slow")), ("clap", Params(reps=3))),
    "punch_defend": (("hop", Params(side="right", reps=4)), ("jog_in_place", Params()), ("kick", Params(side="right", reps=2)),
                     ("squat", Params(reps=2))),
    "greet_wave": (("limp", Params(side="left")), ("jump", Params(direction="up", reps=2)), ("walk_forward", Params(speed="slow")),
                   ("spin", Params(direction="left", reps=1)), ("raise_arms", Params(side="both", reps=1))),
    "bow_each_other": (("wave", Params(side="right", reps=3)), ("clap", Params(reps=4)), ("raise_arms", Params(side="left", reps=1))),
    "dance_together": (("clap", Params(reps=6)), ("wave", Params(side="both", reps=4)), ("punch", Params(side="right", reps=2)),
                       ("raise_arms", Params(side="both", reps=2))),
    "walk_side_by_side": (("limp", Params(side="left")), ("wave", Params(side="right", reps=3)), ("clap", Params(reps=5)),
                          ("point", Params(side="left", direction="forward"))),
    "chase": (("wave", Params(side="left", reps=3)), ("raise_arms", Params(side="both", reps=1)), ("point", Params(side="right", direction="forward"))),
    "pass_object": (("limp", Params(side="right")), ("squat", Params(reps=1)), ("wave", Params(side="left", reps=2)),
                    ("bow", Params(reps=1))),
    "circle_each_other": (("limp", Params(side="left")), ("wave", Params(side="right", reps=3)), ("clap", Params(reps=4))),
    "help_up": (("wave", Params(side="left", reps=2)), ("limp", Params(side="right")), ("point", Params(side="left", direction="up"))),
}


@dataclass(frozen=True)
class MixingCase:
    """A mixing prompt with what it asks for: the interaction kind and each person's action (None: no text)."""

    kind: str
    actions: tuple[str | None, str | None]
    texts: tuple[str, str, str]  # interaction text, person-1 text, person-2 text ("" for no text)


def mixing_cases(n: int, seed: int = 0) -> list[MixingCase]:
    """``n`` mixing prompts: one or both people get an individual action that the interaction lacks; texts use
    heldout templates."""
    rng = np.random.default_rng([7, seed])
    kinds = list(COMPATIBLE)
    out: list[MixingCase] = []
    for i in range(n):
        kind = kinds[i % len(kinds)] if i < len(kinds) else kinds[int(rng.integers(len(kinds)))]
        inter = interaction_texts(kind, sample_params(INTERACTIONS[kind], rng, heldout=True), rng, heldout=True)[0]
        options = COMPATIBLE[kind]
        asked = []
        for _ in range(2):
            action, params = options[int(rng.integers(len(options)))]
            asked.append((action, individual_text(action, params, rng, heldout=True)))
        who = int(rng.integers(3))  # person 1 only, person 2 only, or both
        keep = (who != 1, who != 0)
        out.append(MixingCase(kind, tuple(a if k else None for (a, _), k in zip(asked, keep)),
                              (inter, *(t if k else "" for (_, t), k in zip(asked, keep)))))
    return out


def mixing_prompts(n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """The (interaction text, person-1 text, person-2 text) triples of :func:`mixing_cases`."""
    return [case.texts for case in mixing_cases(n, seed)]
