"""Detail transfer and physics against the individual model's guidance, on validation mixing prompts.

    PYTHONPATH=. python scripts/probe_guidance.py 2.5 4 6 8
    PYTHONPATH=. python scripts/probe_guidance.py --steps 50 6/none 6/110:0.4

For each individual guidance scale (the interaction model's stays at its default), samples the 32 validation
mixing prompts (seed 10,000; the evaluation's test prompts use seed 0) with the individual model alone and four
mixes, 3-s motions, and prints how often the asked action shows (kinematic signatures), whether the interaction
keeps its spacing and facing, both, contact, and raw foot skating and bone-length error. ``SCALE/STEP:SHARE``
tapers the scale at t <= STEP (``diffusion.tapered_scale``), ``SCALE/none`` keeps it at every step; a bare scale
uses the shipped taper.
"""
import argparse
import time

from mixermdm_core import DEFAULT_GUIDANCE, ComposedPipeline
from mixermdm_core.corpus import mixing_cases
from mixermdm_core.evaluation.protocol import physical
from mixermdm_core.evaluation.signatures import Signatures, detail_transfer
from mixermdm_core.models.precision import set_threads
from mixermdm_core.representation.grounding import ground
from mixermdm_core.representation.interhuman import features_to_joints
from mixermdm_core.vocabulary import INDIVIDUAL_GUIDANCE_TAPER

NAMES = ["individual", "st", "blend:0.5", "blend:0.25", "dualmdm"]


def parse(spec: str) -> tuple[float, tuple[int, float] | None]:
    scale, _, taper = spec.partition("/")
    if not taper:
        return float(scale), INDIVIDUAL_GUIDANCE_TAPER
    if taper == "none":
        return float(scale), None
    step, share = taper.split(":")
    return float(scale), (int(step), float(share))


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("scales", nargs="+", help="individual guidance scales: SCALE, SCALE/none or SCALE/STEP:SHARE")
parser.add_argument("--steps", type=int, default=20)
args = parser.parse_args()
set_threads()
pipe = ComposedPipeline.from_pretrained("checkpoints")
cases = mixing_cases(32, seed=10_000)
signatures = Signatures.load()
cond = pipe.conditions([c.texts for c in cases])
for spec in args.scales:
    scale, pipe.pair.individual_taper = parse(spec)
    t0 = time.time()
    out = pipe.sample(cond, NAMES, frames=90, steps=args.steps, guidance=(DEFAULT_GUIDANCE[0], scale),
                      seeds=range(len(cases)))
    mixed = out.mixed.reshape(len(cases), len(NAMES), *out.mixed.shape[1:]).float()
    for k, name in enumerate(NAMES):
        joints = features_to_joints(ground(mixed[:, k])).numpy()
        r = detail_transfer(joints, [c.kind for c in cases], [c.actions for c in cases], signatures)
        p = physical(mixed[:, k])
        print(f"individual guidance {spec} {name:>11}: shown={r['action_shown']:.2f} kept={r['interaction_kept']:.2f} "
              f"both={r['detail_and_interaction']:.2f} contact={r['contact']:.2f} "
              f"raw_skating_cm={p['foot_skating_cm']:.2f} bone_error_pct={p['bone_length_error_pct']:.2f}", flush=True)
    print(f"({time.time() - t0:.0f} s)", flush=True)
