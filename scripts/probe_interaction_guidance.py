"""How the interaction model's classifier-free guidance scale moves what the interaction issue measures, on
validation clips (never the held-out ones the tables use): per interaction kind, mean pelvis distance against
the real clips', contact rate and facing, grounded (raw), plus the interaction evaluator's top-3 R-precision.

    PYTHONPATH=. python scripts/probe_interaction_guidance.py [scale ...] [--heldout] [--checkpoints DIR]
                                                                          (default 2.5 3.5 5, the shipped models)

96 validation clips of 4 s (``--heldout``: the held-out split, unseen wording and parameters, to compare with the
tables), 20 DDIM steps, the same seeds at every scale.
"""
import sys

import torch

from mixermdm_core import ComposedPipeline
from mixermdm_core.corpus.storage import load_or_generate
from mixermdm_core.evaluation.generators import generate, score
from mixermdm_core.evaluation.signatures import interaction_figures
from mixermdm_core.models.precision import set_threads
from mixermdm_core.models.pretrained import load_evaluator
from mixermdm_core.representation.grounding import ground
from mixermdm_core.representation.interhuman import features_to_joints

N, FRAMES, STEPS = 96, 120, 20
args = sys.argv[1:]
folder = args.pop(args.index("--checkpoints") + 1) if "--checkpoints" in args else "checkpoints"
split = "heldout" if "--heldout" in args else "val"
scales = [float(a) for a in args if not a.startswith("--")] or [2.5, 3.5, 5.0]
set_threads()
pipe = ComposedPipeline.from_pretrained(folder)
inter = pipe.interaction_pipeline()
corpus = load_or_generate("interaction", 4 * N, split, 0)
keep = [i for i in range(len(corpus)) if corpus.offsets[i + 1] - corpus.offsets[i] >= FRAMES][:N]
real = torch.stack([torch.from_numpy(corpus.clip(i)[:FRAMES]) for i in keep])
kinds = [corpus.actions[i] for i in keep]
text = pipe.embed([corpus.texts[i] for i in keep], "cpu")
person = pipe.embed([p for i in keep for p in corpus.person_texts[i]], "cpu").reshape(len(keep), 2, -1)
evaluator = load_evaluator(f"{folder}/evaluator_interaction.safetensors")
figures = {"real": interaction_figures(features_to_joints(real).numpy(), kinds)}
top3 = {"real": score(evaluator, real, text, 3)["top3"]}
for g in scales:
    raw = generate(inter, text, person, FRAMES, STEPS, g, seed=0)
    shown = ground(raw)
    figures[g] = interaction_figures(features_to_joints(shown).numpy(), kinds)
    figures[f"{g} raw"] = interaction_figures(features_to_joints(raw).numpy(), kinds)
    top3[g] = score(evaluator, shown, text, 3)["top3"]

print(f"{N} {split} clips, {FRAMES} frames, {STEPS} steps; pelvis distance in cm (real), contact rate, facing")
print("kind".ljust(20) + "".join(f"{'real' if k == 'real' else f'g={k}':>22s}" for k in ["real", *scales]))
for kind in sorted(figures["real"]):
    cells = []
    for k in ["real", *scales]:
        f = figures[k][kind]
        contact = f.get("contact_rate")
        raw_contact = figures[f"{k} raw"][kind].get("contact_rate") if k != "real" else None
        c = "" if contact is None else (f" c{contact:.2f}" + ("" if raw_contact is None else f"({raw_contact:.2f})"))
        cells.append(f"{f['pelvis_distance_cm']:5.0f}{c} f{f['facing']:.2f}")
    print(kind.ljust(20) + "".join(f"{c:>22s}" for c in cells))
within = {g: sum(abs(figures[g][k]["pelvis_distance_cm"] / figures["real"][k]["pelvis_distance_cm"] - 1) <= 0.15
                 for k in figures["real"] if k != "all") for g in scales}
print("kinds within 15 % of the real spacing: " + ", ".join(f"g={g}: {n} of {len(figures['real']) - 1}" for g, n in within.items()))
print("top-3 R-precision: " + ", ".join(f"{k}: {v:.3f}" for k, v in top3.items()))
