"""The mix that holds the body together against the official world-space mix, on validation mixing prompts.

    PYTHONPATH=. python scripts/probe_whole_body_mix.py [--world] [--n 64] [--steps 20] [--seconds 3] [--methods st s]
                                                                                (about 1.5 minutes a method, 2-core CPU)

By default the shipped rule (``composition.sampler.mix``: every joint but the root mixes its offset from the root;
the S/ST Mixers give the root and the legs one weight, ``models.mixer.lower_body_as_one``). ``--world`` mixes every
joint's world position with its own weight and leaves the Mixers' weights as predicted, as the official code does.
Prints the evaluation's figures for each method (validation prompts, never the test ones) with the mixed people's
bone-length error and their longest shoulder-to-wrist distance (a real arm: about 0.5 m).
Results in docs/evaluation.md, "A mix that holds the body together".
"""
import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import mixermdm_core.composition.sampler as sampler  # noqa: E402
import mixermdm_core.models.mixer as mixer_module  # noqa: E402
from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluation import protocol  # noqa: E402
from mixermdm_core.models.mixer import weights_per_joint, weights_to_features  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.models.pretrained import load_evaluator  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402
from mixermdm_core.skeleton import JOINT, NUM_JOINTS  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, mixed_people  # noqa: E402


def world_mix(x_a: torch.Tensor, x_b: torch.Tensor, w: torch.Tensor, active: torch.Tensor):
    """The official mix: each joint's world position, velocity and rotation lerped with its own weight."""
    w = w * active[:, None, :, None].to(w)
    return torch.lerp(x_a, x_b, weights_to_features(w, x_a.shape[1])), weights_per_joint(w, x_a.shape[1])


def longest_arm(mixed: torch.Tensor) -> torch.Tensor:
    """(N, 2) longest shoulder-to-wrist distance (m) of each person over the clip, either side."""
    j = features_to_joints(mixed)
    arms = [(j[..., JOINT[f"{s}_wrist"], :] - j[..., JOINT[f"{s}_shoulder"], :]).norm(dim=-1) for s in ("left", "right")]
    return torch.stack(arms, -1).amax(dim=(1, 3))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--world", action="store_true", help="the official world-space mix, weights as predicted")
    p.add_argument("--n", type=int, default=64)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--methods", nargs="+", default=["st", "s"])
    p.add_argument("--checkpoints", default="checkpoints")
    args = p.parse_args()
    if args.world:  # before loading: the Mixers are exported to ONNX Runtime with their weight map inside
        sampler.mix = world_mix
        mixer_module.lower_body_as_one = lambda: torch.eye(NUM_JOINTS)
    set_threads()
    pipe = ComposedPipeline.from_pretrained(args.checkpoints)
    strategies = pipe.strategies(args.methods)
    cases = mixing_cases(args.n, seed=VALIDATION_SEED)
    prompts = [c.texts for c in cases]
    gen = protocol.generate(pipe, prompts, strategies, frames_for(args.seconds), args.steps, DEFAULT_GUIDANCE,
                            VALIDATION_SEED)
    ckpt = Path(args.checkpoints)
    evals = (load_evaluator(ckpt / "evaluator_interaction.safetensors"),
             load_evaluator(ckpt / "evaluator_individual.safetensors"))
    text_emb, person_emb = protocol.embed_prompts(pipe, prompts)
    mixed = mixed_people(person_emb)
    cols = ["overall_alignment", "action_shown", "interaction_kept", "detail_and_interaction", "contact",
            "foot_skating_cm", "grounded_foot_skating_cm", "bone_length_error_pct"]
    for s in strategies:
        row = protocol.score(gen[s.name], *evals, text_emb, person_emb, 3, cases)
        arm = longest_arm(gen[s.name].stacked()[0])[mixed]
        print(f"{'world' if args.world else 'whole body'} {s.name}: " + " ".join(f"{c}={row[c]:.3f}" for c in cols)
              + f" longest_arm_median={arm.median():.2f} p95={arm.quantile(0.95):.2f} max={arm.max():.2f}"
              f" over_0.8m={float((arm > 0.8).float().mean()):.3f}", flush=True)


if __name__ == "__main__":
    main()
