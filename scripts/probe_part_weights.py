"""Where a per-joint Mixer puts its weight: the mean weight of each body part of the mixed people, per asked action.

    PYTHONPATH=. python scripts/probe_part_weights.py [CHECKPOINTS ...] [--n N]      (about a minute per folder, 2-core CPU)

Validation mixing prompts (never the test ones), 3 s, 20 steps, bf16; each folder's ST samples every prompt and the
weights of the people who have an individual text are averaged per body part (``skeleton.BODY_PARTS``) over the
frames and steps, and grouped by the action asked of them. To show a wave or raised arms the arms need weights near
1 (a blend of 0.5 leaves the wrist below the head); to keep the interaction the trajectory ("root") should stay near 0.
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


def part_weights(directory: str, cases) -> dict[str, np.ndarray]:
    """Per asked action, the mean weight of each body part (rows: people asked for it; columns: BODY_PARTS)."""
    pipe = ComposedPipeline.from_pretrained(directory, precision="bf16")
    out = pipe.sample(pipe.conditions([c.texts for c in cases]), ["st"], frames_for(3.0), steps=20,
                      seeds=list(range(len(cases))))
    w = out.weights.float().mean((0, 2))  # (prompts, 2, 22): over steps and frames
    per: dict[str, list[np.ndarray]] = {}
    for n, case in enumerate(cases):
        for k, action in enumerate(case.actions):
            if action is not None:
                per.setdefault(action, []).append(np.array([float(w[n, k, list(j)].mean()) for j in BODY_PARTS.values()]))
    return {a: np.stack(v) for a, v in sorted(per.items())}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("folders", nargs="*", default=["checkpoints"])
    p.add_argument("--n", type=int, default=64, help="validation mixing prompts")
    args = p.parse_args()
    set_threads()
    cases = mixing_cases(args.n, seed=VALIDATION_SEED)
    for folder in args.folders:
        per = part_weights(folder, cases)
        every = np.concatenate(list(per.values()))
        print(f"{folder}: {len(every)} mixed people; mean weight per part, " + ", ".join(BODY_PARTS))
        print(f"{'all':>14}: " + " ".join(f"{v:5.2f}" for v in every.mean(0)))
        for action, rows in per.items():
            print(f"{action:>14}: " + " ".join(f"{v:5.2f}" for v in rows.mean(0)) + f"   ({len(rows)})")


if __name__ == "__main__":
    main()
