"""Where the interaction model loses each kind's spacing: one step on noised real clips, or along its own chain.

    PYTHONPATH=. python scripts/probe_spacing_chain.py [--checkpoints DIR] [--steps 20] [--guidance 1.5]

1. *One step*: held-out clips (and training clips) noised to t and denoised once, guidance 1: mean pelvis
   distance (cm) of the x0 prediction per kind, against the clips'. At t = 999 the input is pure noise, so the
   prediction is the model's mean layout for the text.
2. *Along the chain*: the same held-out texts sampled from noise (the shipped DDIM chain and guidance); the
   mean pelvis distance of the x0 prediction at each step, per kind.
A model that keeps the spacing in (1) but not in (2) drifts on its own states (exposure bias), not in what its
loss asks.
"""
import argparse

import numpy as np
import torch

from mixermdm_core import ComposedPipeline
from mixermdm_core.composition.pipeline import initial_noise
from mixermdm_core.corpus import load_or_generate
from mixermdm_core.diffusion.samplers import ddim_sample
from mixermdm_core.models.precision import set_threads
from mixermdm_core.evaluation.signatures import pelvis_distance
from mixermdm_core.representation.interhuman import features_to_joints

FRAMES = 120
KINDS = ("greet_wave", "bow_each_other", "circle_each_other", "handshake", "chase", "pass_object",
         "walk_side_by_side", "hug")
ONE_STEP_T = (999, 900, 700, 500, 300, 100)


def spacing_cm(motions: torch.Tensor) -> np.ndarray:
    """Mean floor-plane pelvis distance (cm) of each pair (N, T, 2, 262), as the interaction figures read it."""
    return 100 * np.array([pelvis_distance(pair) for pair in features_to_joints(motions.float()).numpy()])


def clips(pipe, split: str, limit: int):
    """Real clips of KINDS lasting FRAMES, their text embeddings and kinds."""
    corpus = load_or_generate("interaction", 768, split, 0)
    keep = [i for i in range(len(corpus)) if corpus.offsets[i + 1] - corpus.offsets[i] >= FRAMES
            and corpus.actions[i] in KINDS][:limit]
    real = torch.stack([torch.from_numpy(corpus.clip(i)[:FRAMES]) for i in keep]).float()
    text = pipe.embed([corpus.texts[i] for i in keep], "cpu")
    person = pipe.embed([p for i in keep for p in corpus.person_texts[i]], "cpu").reshape(len(keep), 2, -1)
    return real, text, person, np.array([corpus.actions[i] for i in keep])


def table(title: str, columns: list[str], real: np.ndarray, rows: list[np.ndarray], kinds: np.ndarray) -> None:
    print(title)
    print("kind".ljust(24) + "real".rjust(6) + "".join(c.rjust(7) for c in columns))
    for k in KINDS:
        m = kinds == k
        if m.any():
            print(f"{k:18s}({m.sum():3d}) {real[m].mean():6.0f}" + "".join(f"{r[m].mean():7.0f}" for r in rows))


@torch.no_grad()
def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoints", default="checkpoints")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--guidance", type=float, default=1.5)
    args = p.parse_args()
    set_threads()
    torch.manual_seed(0)
    pipe = ComposedPipeline.from_pretrained(args.checkpoints)
    pair = pipe.pair
    held = clips(pipe, "heldout", 200)
    for split in ("heldout", "train"):
        real, text, person, kinds = held if split == "heldout" else clips(pipe, split, 200)
        x0 = pair.norm_a.normalize(real)
        rows = []
        for t in ONE_STEP_T:
            tt = torch.full((len(real),), t, dtype=torch.long)
            x_t = pair.schedule.q_sample(x0, tt, torch.randn_like(x0))
            pred = torch.cat([pair.predict_interaction(x_t[s:s + 50], tt[s:s + 50], text[s:s + 50],
                                                       person[s:s + 50], None, 1.0) for s in range(0, len(real), 50)])
            rows.append(spacing_cm(pred))
        table(f"one step on noised {split} clips (guidance 1), pelvis distance (cm) of the x0 prediction",
              [f"t{t}" for t in ONE_STEP_T], spacing_cm(real), rows, kinds)

    real, text, person, kinds = held
    noise = torch.cat([initial_noise(1, FRAMES, s, "cpu") for s in range(len(real))])
    trace: list[tuple[int, np.ndarray]] = []

    def denoise(x, t):
        pred = pair.predict_interaction(x, t, text, person, None, args.guidance)
        trace.append((int(t[0]), spacing_cm(pred)))
        return pair.norm_a.normalize(pred)

    ddim_sample(denoise, noise, pair.schedule, args.steps)
    table(f"along the DDIM chain from noise ({args.steps} steps, guidance {args.guidance}), held-out texts",
          [f"t{t}" for t, _ in trace], spacing_cm(real), [d for _, d in trace], kinds)


if __name__ == "__main__":
    main()
