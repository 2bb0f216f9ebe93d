"""What grounding does to the individual model's own motions, per action: the 256 held-out clips of the full
``evaluate --models`` run (same texts, seeds and settings, so the raw motions are that run's).

    PYTHONPATH=. python scripts/probe_grounding_individual.py [--raw .cache/individual_heldout_raw.pt]

Samples the raw motions once (about 7 minutes on a 2-core CPU) and keeps them in ``--raw``; later runs, or runs on a
checkout of another grounding, read them from there. Prints, over all clips and per action, the figures of
``probe_grounding_rule.figures``: foot skating raw and grounded (cm/frame, as the tables) and the share of low toe
frames that grounding lifts above the contact height (a foot lifted off the floor drops out of the skating metric).
"""
import argparse
from pathlib import Path

import numpy as np
import torch

from mixermdm_core.composition.pipeline import ComposedPipeline, frames_for
from mixermdm_core.evaluation.generators import generate, held_out
from mixermdm_core.representation.grounding import ground
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER
from probe_grounding_rule import figures


def sample(path: Path) -> tuple[torch.Tensor, list[str]]:
    """Raw motions (256, 120, 1, 262) and the clips' actions, as ``evaluate --models`` (full) samples them."""
    if path.exists():
        saved = torch.load(path, weights_only=True)
        return saved["raw"], saved["actions"].split(",")
    pipe = ComposedPipeline.from_pretrained()
    pipe.pair.individual_taper = INDIVIDUAL_GUIDANCE_TAPER
    frames = frames_for(4.0)
    data = held_out("individual", 256, frames, lambda texts: pipe.embed(texts, "cpu"), 0)
    raw = generate(pipe.individual_pipeline(), data.text_emb, None, frames, 50, DEFAULT_GUIDANCE[1], 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"raw": raw, "actions": ",".join(data.actions)}, path)
    return raw, data.actions


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--raw", type=Path, default=Path(".cache/individual_heldout_raw.pt"))
    args = p.parse_args()
    raw, actions = sample(args.raw)
    grounded = ground(raw)
    print(f"{'action':16s}{'clips':>6s}{'raw':>8s}{'grounded':>10s}{'low lifted':>12s}")
    groups = [("all", np.arange(len(actions)))] + [(a, np.flatnonzero(np.array(actions) == a)) for a in sorted(set(actions))]
    for name, rows in groups:
        raw_skating, grounded_skating, _, lifted, *_ = figures(raw[rows], grounded[rows])
        print(f"{name:16s}{len(rows):6d}{raw_skating:8.3f}{grounded_skating:10.3f}{lifted:12.4f}")


if __name__ == "__main__":
    main()
