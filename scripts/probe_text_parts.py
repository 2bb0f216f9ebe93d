"""Which limbs a text moves, learned from the individual corpus, as a mixing rule.

    PYTHONPATH=. python scripts/probe_text_parts.py [--n 64] [--threshold T] [--seed S] [--fit-on training] [--below T]
                                                                                    (1.5 minutes, 2-core CPU)

The map is ``mixermdm_core.training.text_parts`` (what the Mixer prior ``text_parts`` trains towards). For every
training clip of the individual corpus (or, with ``--fit-on training``, every person the individual model trains
on), how much each body part moves: the pelvis by its height range, the other parts by the spread of their joints
around their mean place relative to the pelvis. A ridge regression from the clip's text embedding to those five
numbers (closed form, no training loop) then says, for a new text, which parts it moves, as a share of the clips'
range of each part (its 10th to 90th percentile). The probe mixes with that share as the weight of each body part
(or, with ``--threshold``, takes whole the parts whose share exceeds it), the same at every step (a rule that reads
only the person's text; with ``--below``, only at steps t at or below it, the interaction model's above), on
validation mixing prompts (never the test ones; 3 s, 20 steps, fp32), and prints the same figures as
probe_text_effect.py.
Results in docs/evaluation.md, "Mixing where the individual model's text acts".
"""
import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluation import protocol  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.models.pretrained import load_evaluator  # noqa: E402
from mixermdm_core.skeleton import BODY_PARTS  # noqa: E402
from mixermdm_core.training.recipe import DataConfig  # noqa: E402
from mixermdm_core.training.text_parts import fit_on_training_data, part_weights_per_joint  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, mixed_people  # noqa: E402


class TextParts:
    """w of each body part = the share of its range that the person's text is predicted to move it."""

    def __init__(self, threshold: float = 0.0, source: str = "individual", below: int = 1000):
        self.map, r2 = fit_on_training_data(DataConfig(), interaction_people=source == "training")
        print("ridge fit R^2 per part:", " ".join(f"{float(v):.2f}" for v in r2))
        self.threshold, self.below, self.name = threshold, below, f"text-parts:{threshold:g}@{below}-0"

    def part_weights(self, person_text: torch.Tensor) -> torch.Tensor:
        """(..., D) text embeddings -> (..., 22) joint weights."""
        share = self.map.whole_parts(person_text, self.threshold) if self.threshold > 0 else self.map.shares(person_text)
        return part_weights_per_joint(share)

    def __call__(self, inp) -> torch.Tensor:
        on = (inp.t <= self.below).to(inp.x_a)[:, None, None, None]
        return self.part_weights(inp.person_text)[:, None].to(inp.x_a) * on


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=VALIDATION_SEED, help="mixing prompts of this seed (0 is the test set's)")
    p.add_argument("--threshold", type=float, default=0.0,
                   help="0: each part's share as its weight; above 0: weight 1 for parts whose share exceeds it, else 0")
    p.add_argument("--fit-on", choices=("individual", "training"), default="individual",
                   help="fit the map on the individual corpus's clips, or on every person the individual model trains on")
    p.add_argument("--below", type=int, default=1000, help="mix only at steps t <= this (1000: every step)")
    args = p.parse_args()
    set_threads()
    pipe = ComposedPipeline.from_pretrained("checkpoints")
    rule = TextParts(args.threshold, args.fit_on, args.below)
    cases = mixing_cases(args.n, seed=args.seed)
    prompts = [c.texts for c in cases]
    gen = protocol.generate(pipe, prompts, [rule], frames_for(3.0), args.steps, DEFAULT_GUIDANCE, args.seed,
                            lambda i, n: print(f"\r{i}/{n}", end="", flush=True))
    print()
    evals = (load_evaluator(Path("checkpoints/evaluator_interaction.safetensors")),
             load_evaluator(Path("checkpoints/evaluator_individual.safetensors")))
    text_emb, person_emb = protocol.embed_prompts(pipe, prompts)
    row = protocol.score(gen[rule.name], *evals, text_emb, person_emb, 3, cases)
    cols = ["overall_alignment", "interaction_alignment", "individual_alignment", "action_shown", "interaction_kept",
            "detail_and_interaction", "contact", "foot_skating_cm", "bone_length_error_pct", "w_mean"]
    print(" ".join(f"{c}={row[c]:.3f}" for c in cols))
    w = rule.part_weights(person_emb).float()
    acts = [(a, w[n, k]) for n, c in enumerate(cases) for k, a in enumerate(c.actions) if a is not None]
    print("mean weight per part (" + ", ".join(BODY_PARTS) + ") per asked action:")
    for a in sorted({a for a, _ in acts}):
        rows = torch.stack([v for b, v in acts if b == a])
        print(f"{a:>16} ({len(rows)}): " + " ".join(f"{float(rows[:, list(j)].mean()):.2f}" for j in BODY_PARTS.values()))
    mixed = mixed_people(person_emb)
    print(f"mixed people {int(mixed.sum())}")


if __name__ == "__main__":
    main()
