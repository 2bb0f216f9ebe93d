"""How often the individual model alone shows an asked action, per action and per text template.

    PYTHONPATH=. python scripts/probe_individual_wording.py [CHECKPOINTS] [FRAMES] [STEPS] [--no-velocity-readout]

For every action the mixing prompts ask for (``corpus.prompts.COMPATIBLE``) whose kinematic rule is reliable,
each of its templates (the last one or two are held out from training) is filled once and sampled with 4 seeds at
the pipelines' guidance; the motion is grounded and read by ``evaluation.signatures``. Prints the share shown on
training and on held-out wording, then per action the rule's threshold, the median feature value and the share
per template. Separates a wording gap (held-out templates fail, training ones pass) from an action the model
does not make whatever the wording.
"""
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import DEFAULT_GUIDANCE  # noqa: E402
from mixermdm_core.composition.pipeline import IndividualPipeline  # noqa: E402
from mixermdm_core.corpus.prompts import COMPATIBLE  # noqa: E402
from mixermdm_core.corpus.texts import INDIVIDUAL, heldout_count, render  # noqa: E402
from mixermdm_core.evaluation.signatures import Signatures  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.representation.grounding import ground  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402

SEEDS, BATCH = 4, 64


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--no-velocity-readout"]
    directory = args[0] if args else "checkpoints"
    frames = int(args[1]) if len(args) > 1 else 120
    steps = int(args[2]) if len(args) > 2 else 50
    set_threads()
    pipe, signatures = IndividualPipeline.from_pretrained(directory), Signatures.load()
    pipe.velocity_readout = "--no-velocity-readout" not in sys.argv
    actions: dict[str, object] = {}
    for options in COMPATIBLE.values():
        for action, params in options:
            if signatures.reliable(action):
                actions.setdefault(action, params)
    rows, texts = [], []  # (action, template index, held out?) per sample
    for action, params in actions.items():
        templates = INDIVIDUAL[action]
        for k, template in enumerate(templates):
            text = render(template, action, params, np.random.default_rng(k))
            rows += [(action, k, k >= len(templates) - heldout_count(templates))] * SEEDS
            texts += [text] * SEEDS
    t0 = time.time()
    emb = pipe.embed(texts, "cpu")
    motion = torch.cat([pipe.sample(emb[i:i + BATCH], frames, steps, DEFAULT_GUIDANCE[1],
                                    seeds=list(range(i, min(i + BATCH, len(texts))))) for i in range(0, len(texts), BATCH)])
    joints = features_to_joints(ground(motion)).numpy()[:, :, 0]
    values = np.array([signatures.feature(a, joints[i]) for i, (a, _, _) in enumerate(rows)])
    shown = np.array([v >= signatures.actions[a].threshold for v, (a, _, _) in zip(values, rows)])
    held = np.array([h for _, _, h in rows])
    print(f"{len(rows)} samples, {frames} frames, {steps} steps ({time.time() - t0:.0f} s): action shown on training "
          f"wording {shown[~held].mean():.2f}, on held-out wording {shown[held].mean():.2f}")
    for action in actions:
        idx = np.array([a == action for a, _, _ in rows])
        per = [shown[idx & np.array([k == j for _, k, _ in rows])].mean() for j in range(len(INDIVIDUAL[action]))]
        print(f"{action:>14}: threshold {signatures.actions[action].threshold:5.2f}, median {np.median(values[idx]):5.2f}; "
              "per template " + " ".join(f"{v:.2f}" for v in per))


if __name__ == "__main__":
    main()
