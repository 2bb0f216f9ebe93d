"""Where a mix's raw foot sliding comes from, on validation mixing prompts.

    PYTHONPATH=. python scripts/probe_foot_sliding.py --methods st blend:0.5
    PYTHONPATH=. python scripts/probe_foot_sliding.py --checkpoints DIR --smoothing 61

Samples the 32 validation mixing prompts (seed 10,000; the evaluation's test prompts use seed 0), 20 steps, 4 s,
and over the mixed people's toe steps where the mix's toe is planted (below the skating metric's contact height
at both ends) splits the mix's step x_m = x_a + w (x_b - x_a) into the two models' own toe motion,
(1 - w) dx_a + w dx_b, and the weights' change over the frames, dw (x_b - x_a). Prints the mean length (cm) of
each, of each model's own step, the toes' gap |x_b - x_a| and the mean toe weight. ``--smoothing`` overrides the
T and ST Mixers' frame smoothing at inference (an odd number of frames).
"""
import argparse

import torch

from mixermdm_core import DEFAULT_GUIDANCE, ComposedPipeline
from mixermdm_core.corpus import mixing_cases
from mixermdm_core.evaluation.metrics import CONTACT_HEIGHT
from mixermdm_core.models.precision import native_cpu_precision
from mixermdm_core.representation.interhuman import features_to_joints
from mixermdm_core.skeleton import JOINT
from mixermdm_core.vocabulary import mixed_people

TOES = [JOINT["left_foot"], JOINT["right_foot"]]


def planted_steps(mixed: torch.Tensor, a: torch.Tensor, b: torch.Tensor, w: torch.Tensor, active: torch.Tensor
                  ) -> dict[str, torch.Tensor]:
    """Per planted toe step of the mixed people: the mix's step, its own-motion and weight-change parts, each
    model's step (horizontal, m), the toes' gap (m) and the toe weight. Raw features (B, T, 2, 262); w (B, T, 2, 22)."""
    m, xa, xb = (features_to_joints(x).float()[..., TOES, :] for x in (mixed, a, b))
    w = w[..., TOES].float()[..., None]
    low = m[..., 1] < CONTACT_HEIGHT
    planted = low[:, 1:] & low[:, :-1] & active[:, None, :, None]
    horizontal = [0, 2]
    da, db = xa[:, 1:] - xa[:, :-1], xb[:, 1:] - xb[:, :-1]
    parts = {"step": m[:, 1:] - m[:, :-1], "own motion": (1 - w[:, 1:]) * da + w[:, 1:] * db,
             "weight change": (w[:, 1:] - w[:, :-1]) * (xb[:, :-1] - xa[:, :-1]), "x_a step": da, "x_b step": db,
             "toe gap": xb[:, :-1] - xa[:, :-1]}
    out = {k: v[..., horizontal].norm(dim=-1)[planted] for k, v in parts.items()}
    out["toe weight"] = w[:, 1:, ..., 0][planted]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoints", default="checkpoints")
    p.add_argument("--methods", nargs="+", default=["st", "blend:0.5"])
    p.add_argument("--smoothing", type=int, default=0, help="frames the Mixers' weights are averaged over (0: theirs)")
    args = p.parse_args()
    pipe = ComposedPipeline.from_pretrained(args.checkpoints, precision=native_cpu_precision())
    if args.smoothing:
        for name, mixer in [(n, m) for n, m in pipe.mixers.items() if "T" in n]:  # G and S have one frame
            net = getattr(mixer, "net", mixer)  # an ONNX session bakes the smoothing in: run the network itself
            net.frame_smoothing = args.smoothing
            pipe.mixers[name] = net
    cases = mixing_cases(32, seed=10_000)
    found = {n: [] for n in args.methods}
    for start in range(0, len(cases), 8):
        cond = pipe.conditions([c.texts for c in cases[start:start + 8]])
        out = pipe.sample(cond, pipe.strategies(args.methods), 120, 20, DEFAULT_GUIDANCE,
                          range(10_000 + start, 10_008 + start))
        active = mixed_people(cond.person_text)
        for k, name in enumerate(args.methods):
            rows = slice(k, None, len(args.methods))
            found[name].append(planted_steps(out.mixed[rows], out.interaction[rows], out.individual[rows],
                                             out.weights[-1][rows], active))
    for name, chunks in found.items():
        v = {key: torch.cat([c[key] for c in chunks]) for key in chunks[0]}
        cm = ", ".join(f"{key} {v[key].mean() * 100:.3f}" for key in v if key != "toe weight")
        print(f"{name}: {len(v['step'])} planted toe steps; mean cm: {cm}; toe weight {v['toe weight'].mean():.2f}")


if __name__ == "__main__":
    main()
