"""Where the individual model's text acts: mix by the size of its guidance direction, joint by joint.

    PYTHONPATH=. python scripts/probe_text_effect.py [--n 64] [--taus 0.01 0.03]      (about 10 minutes, 2-core CPU)

At every step the individual model's guided prediction is u + s (c - u): c conditioned on the person's text, u on
none. |c - u| per joint (relative to the pelvis, the pelvis by its height) says which limbs the text moves. This
probe mixes with w = clamp(effect / tau), joint by joint or body part by body part, on validation mixing prompts
(never the test ones; 3 s, 20 steps, fp32), beside the two models alone, ST and a fixed body-part split, and prints
the learned-evaluator and detail-transfer figures with the mean weight of each body part. Results in
docs/evaluation.md, "Mixing where the individual model's text acts".
"""
import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition import sampler  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.composition.strategies import MixInputs, parse_strategy  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluation import protocol  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.models.pretrained import load_evaluator  # noqa: E402
from mixermdm_core.representation.interhuman import POS  # noqa: E402
from mixermdm_core.skeleton import BODY_PARTS, NUM_JOINTS  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, mixed_people  # noqa: E402


def joint_effect(c: torch.Tensor, u: torch.Tensor) -> torch.Tensor:
    """(N, T, 262) raw conditioned / unconditioned predictions -> (N, T, 22) metres the text moves each joint."""
    pc, pu = c[..., POS].unflatten(-1, (NUM_JOINTS, 3)), u[..., POS].unflatten(-1, (NUM_JOINTS, 3))
    rel = (pc - pc[..., :1, :]) - (pu - pu[..., :1, :])
    d = rel.norm(dim=-1)
    d[..., 0] = (pc[..., 0, 1] - pu[..., 0, 1]).abs()  # the pelvis by its height: the trajectory stays the interaction's
    return d


class Recorder:
    """The individual network, keeping its last output: with guidance, the conditioned rows then the unconditioned."""

    def __init__(self, net):
        self.net, self.last = net, None

    def __call__(self, *args):
        self.last = self.net(*args)
        return self.last


def patch(pair) -> None:
    """The pair's individual prediction, unchanged, also keeping the per-joint text effect of the batch in
    ``pair.effect``; each strategy's rows of the mix inputs carry their part of it as ``effect``."""
    recorder = Recorder(pair.individual)
    pair.individual = recorder
    predict = pair.predict_individual

    def predict_individual(x_t, t, person_text, mask, guidance, active):
        recorder.last = None
        out = predict(x_t, t, person_text, mask, guidance, active)
        pair.effect = torch.zeros(*x_t.shape[:3], NUM_JOINTS)
        bi, pi = active.nonzero(as_tuple=True)
        if len(bi) and recorder.last is not None and len(recorder.last) == 2 * len(bi):  # guided: both passes ran
            both = pair.norm_b.denormalize(recorder.last.float())
            pair.effect[bi, :, pi] = joint_effect(both[:len(bi)], both[len(bi):])
        return out

    pair.predict_individual = predict_individual

    def rows(inp, r):
        sub = MixInputs(inp.x_a[r], inp.x_b[r], inp.t[r], inp.text[r], inp.person_text[r], None)
        sub.effect = pair.effect[r]
        return sub

    sampler._rows = rows


class TextEffect:
    """w = clamp(mean-over-frames effect / tau, 0, 1) per joint; ``parts``: each body part takes its largest joint."""

    def __init__(self, tau: float, parts: bool, name: str):
        self.tau, self.parts, self.name = tau, parts, name

    def __call__(self, inp) -> torch.Tensor:
        e = inp.effect.mean(1)  # (B, 2, 22)
        if self.parts:
            for joints in BODY_PARTS.values():
                e[..., list(joints)] = e[..., list(joints)].amax(-1, keepdim=True)
        return (e / self.tau).clamp(0, 1)[:, None].to(inp.x_a)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seed", type=int, default=VALIDATION_SEED, help="mixing prompts of this seed (0 is the test set's)")
    p.add_argument("--taus", type=float, nargs="*", default=[0.01, 0.03])
    p.add_argument("--methods", nargs="*", default=["interaction", "individual", "st", "parts:arms=1,spine=1,legs=1"])
    args = p.parse_args()
    set_threads()
    pipe = ComposedPipeline.from_pretrained("checkpoints")
    patch(pipe.pair)
    cases = mixing_cases(args.n, seed=args.seed)
    prompts = [c.texts for c in cases]
    strategies = [parse_strategy(m, pipe.mixers) for m in args.methods]
    strategies += [TextEffect(tau, parts, f"effect{'-parts' if parts else ''}:{tau:g}")
                   for tau in args.taus for parts in (False, True)]
    gen = protocol.generate(pipe, prompts, strategies, frames_for(3.0), args.steps, DEFAULT_GUIDANCE, args.seed,
                            lambda i, n: print(f"\r{i}/{n}", end="", flush=True))
    print()
    evals = (load_evaluator(Path("checkpoints/evaluator_interaction.safetensors")),
             load_evaluator(Path("checkpoints/evaluator_individual.safetensors")))
    text_emb, person_emb = protocol.embed_prompts(pipe, prompts)
    mixed = mixed_people(person_emb).numpy()
    cols = ["overall_alignment", "interaction_alignment", "individual_alignment", "action_shown", "interaction_kept",
            "detail_and_interaction", "contact", "foot_skating_cm", "bone_length_error_pct", "w_mean"]
    print("method".ljust(18) + " ".join(c[:12].rjust(12) for c in cols))
    for s in strategies:
        row = protocol.score(gen[s.name], *evals, text_emb, person_emb, 3, cases)
        print(s.name.ljust(18) + " ".join(f"{row.get(c, float('nan')):12.3f}" for c in cols))
        w = np.stack(gen[s.name].weights)  # (N, steps, T, 2, 22)
        per_part = [float(w[..., list(j)].mean(axis=(1, 2, 4))[mixed].mean()) for j in BODY_PARTS.values()]
        print(" " * 18 + "parts " + " ".join(f"{k}={v:.2f}" for k, v in zip(BODY_PARTS, per_part)))


if __name__ == "__main__":
    main()
