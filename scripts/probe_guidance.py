"""Detail transfer and physics against the individual model's guidance, on validation mixing prompts.

    PYTHONPATH=. python scripts/probe_guidance.py 2.5 4 6 8

For each individual guidance scale (the interaction model's stays at its default), samples the 32 validation
mixing prompts (seed 10,000; the evaluation's test prompts use seed 0) with the individual model alone and four
mixes, 20 DDIM steps, 3-s motions, and prints how often the asked action shows (kinematic signatures), whether
the interaction keeps its spacing and facing, both, contact, and raw foot skating and bone-length error.
"""
import sys
import time

from mixermdm_core import DEFAULT_GUIDANCE, ComposedPipeline
from mixermdm_core.corpus import mixing_cases
from mixermdm_core.evaluation.protocol import physical
from mixermdm_core.evaluation.signatures import Signatures, detail_transfer
from mixermdm_core.models.precision import set_threads
from mixermdm_core.representation.grounding import ground
from mixermdm_core.representation.interhuman import features_to_joints

NAMES = ["individual", "st", "blend:0.5", "blend:0.25", "dualmdm"]

set_threads()
pipe = ComposedPipeline.from_pretrained("checkpoints")
cases = mixing_cases(32, seed=10_000)
signatures = Signatures.load()
cond = pipe.conditions([c.texts for c in cases])
for scale in [float(g) for g in sys.argv[1:]]:
    t0 = time.time()
    out = pipe.sample(cond, NAMES, frames=90, steps=20, guidance=(DEFAULT_GUIDANCE[0], scale), seeds=range(len(cases)))
    mixed = out.mixed.reshape(len(cases), len(NAMES), *out.mixed.shape[1:]).float()
    for k, name in enumerate(NAMES):
        joints = features_to_joints(ground(mixed[:, k])).numpy()
        r = detail_transfer(joints, [c.kind for c in cases], [c.actions for c in cases], signatures)
        p = physical(mixed[:, k])
        print(f"individual guidance {scale:g} {name:>11}: shown={r['action_shown']:.2f} kept={r['interaction_kept']:.2f} "
              f"both={r['detail_and_interaction']:.2f} contact={r['contact']:.2f} "
              f"raw_skating_cm={p['foot_skating_cm']:.2f} bone_error_pct={p['bone_length_error_pct']:.2f}", flush=True)
    print(f"({time.time() - t0:.0f} s)", flush=True)
