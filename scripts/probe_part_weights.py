"""Where a per-joint Mixer puts its weight: the mean weight of each body part of the mixed people, per asked action.

    PYTHONPATH=. python scripts/probe_part_weights.py [CHECKPOINTS ...] [--n N]      (about a minute per folder, 2-core CPU)

Validation mixing prompts (never the test ones), 3 s, 20 steps, bf16; each folder's ST samples every prompt and the
weights of the people who have an individual text are averaged per body part (``skeleton.BODY_PARTS``) over the
frames and steps, and grouped by the action asked of them. To show a wave or raised arms the arms need weights near
1 (a blend of 0.5 leaves the wrist below the head); to keep the interaction the trajectory ("root") should stay near 0.
With ``--text-parts T`` it also prints the parts a Mixer trained with the text-parts prior is asked to take
(``training/text_parts.py``, whole parts past T of their range) and the mean squared gap between the two.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.skeleton import BODY_PARTS  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402
from mixermdm_core.training.recipe import DataConfig  # noqa: E402
from mixermdm_core.training.text_parts import TextPartsMap, fit_on_training_data, part_means  # noqa: E402


def part_weights(directory: str, cases, precision: str, parts: TextPartsMap | None, threshold: float
                 ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per asked action, the mean weight of each body part (rows: people asked for it; columns: BODY_PARTS), and
    the text-parts targets of the same people (empty without ``parts``)."""
    pipe = ComposedPipeline.from_pretrained(directory, precision=precision)
    cond = pipe.conditions([c.texts for c in cases])
    out = pipe.sample(cond, ["st"], frames_for(3.0), steps=20, seeds=list(range(len(cases))))
    w = part_means(out.weights.float().mean(0)).numpy()  # (prompts, 2, 5): over steps and frames
    target = None if parts is None else parts.whole_parts(cond.person_text.float(), threshold)
    per: dict[str, list[np.ndarray]] = {}
    asked: dict[str, list[np.ndarray]] = {}
    for n, case in enumerate(cases):
        for k, action in enumerate(case.actions):
            if action is not None:
                per.setdefault(action, []).append(w[n, k])
                if target is not None:
                    asked.setdefault(action, []).append(target[n, k].numpy())
    return {a: np.stack(v) for a, v in sorted(per.items())}, {a: np.stack(v) for a, v in sorted(asked.items())}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("folders", nargs="*", default=["checkpoints"])
    p.add_argument("--n", type=int, default=64, help="validation mixing prompts")
    p.add_argument("--precision", choices=("fp32", "bf16"), default="bf16")
    p.add_argument("--text-parts", type=float, default=0.0, metavar="T",
                   help="also print the text-parts prior's targets at threshold T (0: off)")
    args = p.parse_args()
    set_threads()
    cases = mixing_cases(args.n, seed=VALIDATION_SEED)
    parts = fit_on_training_data(DataConfig())[0] if args.text_parts else None
    for folder in args.folders:
        per, asked = part_weights(folder, cases, args.precision, parts, args.text_parts)
        every = np.concatenate(list(per.values()))
        print(f"{folder}: {len(every)} mixed people; mean weight per part, " + ", ".join(BODY_PARTS)
              + (" | text-parts target" if asked else ""))
        print(f"{'all':>14}: " + " ".join(f"{v:5.2f}" for v in every.mean(0)))
        for action, rows in per.items():
            target = " | " + " ".join(f"{v:5.2f}" for v in asked[action].mean(0)) if asked else ""
            print(f"{action:>14}: " + " ".join(f"{v:5.2f}" for v in rows.mean(0)) + target + f"   ({len(rows)})")
        if asked:
            gap = ((every - np.concatenate(list(asked.values()))) ** 2).mean()
            print(f"mean squared gap between the parts' weights and the text-parts targets: {gap:.3f}")


if __name__ == "__main__":
    main()
