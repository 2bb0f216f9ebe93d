"""Whether the individual model's sampler, rather than the network, holds its actions back: DDIM noise (eta),
guidance and the low-noise guidance taper, on the held-out clips of the full ``evaluate --models`` table.

    PYTHONPATH=. python scripts/probe_individual_sampler.py [--n 256] [--steps 50] SETTING ...
        e.g. ""  "eta=1.0"  "eta=0.5"  "guidance=9.0"  "taper=None"     (about 7 minutes a setting, 2-core CPU)

Each SETTING is keyword arguments of ``run`` (eta, guidance, taper); "" is the shipped sampler. Of the first ``n``
held-out individual clips (4 s), those whose action has a reliable rule are sampled with their own texts and seeds,
grounded, and read by ``evaluation.signatures``: the share that shows its action, the median of the rule's feature
over its threshold, and the count per action. ``eta`` is set by wrapping ``diffusion.ddim_sample`` where the
pipeline calls it, with a seeded generator, so that every setting sees the same noise.
Results in docs/evaluation.md, "The text-parts prior obeyed, and the individual model's sampler".
"""
import argparse
import ast
import functools
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mixermdm_core.composition.pipeline as pipeline_module  # noqa: E402
from mixermdm_core.composition.pipeline import IndividualPipeline, frames_for  # noqa: E402
from mixermdm_core.diffusion import ddim_sample  # noqa: E402
from mixermdm_core.evaluation.generators import generate, held_out  # noqa: E402
from mixermdm_core.evaluation.signatures import Signatures  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.representation.grounding import ground  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER  # noqa: E402


def run(pipe: IndividualPipeline, text: torch.Tensor, actions: list[str], signatures: Signatures, steps: int,
        eta: float = 0.0, guidance: float = DEFAULT_GUIDANCE[1],
        taper: tuple[int, float] | None = INDIVIDUAL_GUIDANCE_TAPER) -> tuple[float, float, dict[str, list[bool]]]:
    """Share shown, median feature / threshold, and per action whether each clip shows it."""
    pipeline_module.ddim_sample = functools.partial(ddim_sample, eta=eta, generator=torch.Generator().manual_seed(123))
    pipe.taper = taper
    try:
        raw = generate(pipe, text, None, frames_for(4.0), steps, guidance, 0)
    finally:
        pipeline_module.ddim_sample = ddim_sample
    joints = features_to_joints(ground(raw)).numpy()[:, :, 0]
    per: dict[str, list[bool]] = {}
    ratios = []
    for person, action in zip(joints, actions):
        value, threshold = signatures.feature(action, person), signatures.actions[action].threshold
        per.setdefault(action, []).append(value >= threshold)
        ratios.append(value / threshold)
    return float(np.mean([s for v in per.values() for s in v])), float(np.median(ratios)), per


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("settings", nargs="+", help='keyword arguments of run, e.g. "eta=1.0" or "" for the shipped sampler')
    p.add_argument("--n", type=int, default=256, help="held-out clips (those with a reliable rule are sampled)")
    p.add_argument("--steps", type=int, default=50)
    args = p.parse_args()
    set_threads()
    signatures = Signatures.load()
    pipe = IndividualPipeline.from_pretrained()
    data = held_out("individual", args.n, frames_for(4.0), lambda texts: pipe.embed(texts, "cpu"), 0)
    rows = [i for i, a in enumerate(data.actions) if signatures.reliable(a)]
    actions = [data.actions[i] for i in rows]
    print(f"{len(rows)} of {args.n} held-out clips have a reliable rule")
    for setting in args.settings:
        kwargs = {k.arg: ast.literal_eval(k.value) for k in ast.parse(f"f({setting})", mode="eval").body.keywords}
        start = time.time()
        shown, ratio, per = run(pipe, data.text_emb[rows], actions, signatures, args.steps, **kwargs)
        counts = " ".join(f"{a} {sum(v)}/{len(v)}" for a, v in sorted(per.items()))
        print(f"{setting or 'shipped':14s} shown {shown:.3f}  median feature/threshold {ratio:.2f}  "
              f"({time.time() - start:.0f} s)  {counts}", flush=True)


if __name__ == "__main__":
    main()
