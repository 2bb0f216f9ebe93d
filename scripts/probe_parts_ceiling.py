"""How far the text-parts prior could take the shipped ST: the same Mixer with the body parts the prior names taken
whole from the individual model, against ST and the individual model alone.

    PYTHONPATH=. python scripts/probe_parts_ceiling.py [--n 64] [--seed 10000] [--steps 50] [--seconds 4]
                                                        (about 40 minutes at the defaults, 2-core CPU)

The prior (``training/text_parts.py``, weight ``text_parts`` in the shipped ST's recipe) asks the Mixer, at steps
t <= 700, for weight 1 on each body part the person's text moves past a share T of the training clips' range, 0 on
the rest, and leaves an arm whose hand the interaction model brings to the partner to the discriminators. Here the
shipped ST runs, and at t <= 700 each part the prior names (T = 0.2, as trained, and 0.1) takes max(ST's weight, 1):
the Mixer as the prior asks, elsewhere as learned. Validation mixing prompts (never the test ones; ``--seed`` picks
another validation-style set), full settings (50 steps, 4 s, fp32); detail-transfer figures read from the motion
(``evaluation.signatures``), as in the tables.
Results in docs/evaluation.md, "The text-parts prior obeyed, and the individual model's sampler".
"""
import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline, DEFAULT_GUIDANCE  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.composition.strategies import MixInputs, MixerStrategy  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluation import protocol  # noqa: E402
from mixermdm_core.evaluation.signatures import Signatures, detail_transfer, shown_per_action  # noqa: E402
from mixermdm_core.models.mixer import weights_per_joint  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402
from mixermdm_core.training.recipe import load_config  # noqa: E402
from mixermdm_core.training.text_parts import (TextPartsMap, fit_on_training_data, hands_at_partner,  # noqa: E402
                                               part_weights_per_joint)
from mixermdm_core.vocabulary import INDIVIDUAL_GUIDANCE_TAPER  # noqa: E402

RECIPE = "configs/mixer_cpu_cache_text_parts_late.toml"  # the shipped ST's last run: its data, threshold and gate


class PriorObeyed:
    """ST's weights, with the parts the text-parts prior asks for set to 1 at t <= ``below``."""

    def __init__(self, st: MixerStrategy, parts: TextPartsMap, threshold: float, below: int, denormalize, name: str):
        self.st, self.parts, self.threshold, self.below, self.denormalize = st, parts, threshold, below, denormalize
        self.name = name

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        w = weights_per_joint(self.st(inp), inp.x_a.shape[1])
        target = self.parts.whole_parts(inp.person_text.float(), self.threshold)  # (B, 2, parts)
        target = target * ~hands_at_partner(self.denormalize(inp.x_a)) * (inp.t <= self.below)[:, None, None]
        return torch.maximum(w, part_weights_per_joint(target)[:, None].to(w))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=64, help="validation mixing prompts")
    p.add_argument("--seed", type=int, default=VALIDATION_SEED, help="prompt set and sampling seed (not 0: the test set)")
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--seconds", type=float, default=4.0)
    args = p.parse_args()
    if args.seed == 0:
        p.error("seed 0 draws the test prompts; probes run on validation-style sets")
    set_threads()
    recipe = load_config(RECIPE, mixer=True)
    parts = fit_on_training_data(recipe.data)[0]
    pipe = ComposedPipeline.from_pretrained()
    pipe.pair.individual_taper = INDIVIDUAL_GUIDANCE_TAPER
    st = MixerStrategy(pipe.mixers["ST"])
    oc = recipe.train
    strategies = [*protocol.strategies_for(["individual"], pipe, None), st]
    strategies += [PriorObeyed(st, parts, t, oc.text_parts_below, pipe.pair.norm_a.denormalize, f"st, parts above {t:g}")
                   for t in (oc.text_parts_threshold, oc.text_parts_threshold / 2)]
    cases = mixing_cases(args.n, seed=args.seed)
    start = time.time()
    gen = protocol.generate(pipe, [c.texts for c in cases], strategies, frames_for(args.seconds), args.steps,
                            DEFAULT_GUIDANCE, args.seed)
    print(f"{args.n} validation prompts x {len(strategies)} methods in {time.time() - start:.0f} s")
    signatures = Signatures.load()
    kinds, asked = [c.kind for c in cases], [c.actions for c in cases]
    for name, g in gen.items():
        joints = features_to_joints(g.stacked()[0]).numpy()
        row = detail_transfer(joints, kinds, asked, signatures)
        per = " ".join(f"{a} {s}/{n}" for a, (s, n) in shown_per_action(joints, asked, signatures).items())
        print(f"{name:20s} shown {row['action_shown']:.3f}  kept {row['interaction_kept']:.3f}  "
              f"both {row['detail_and_interaction']:.3f}  contact {row['contact']:.3f}  ({row['people']} people)  {per}")


if __name__ == "__main__":
    main()
