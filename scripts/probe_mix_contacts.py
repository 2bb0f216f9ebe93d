"""Where a mix loses the contact of a contact interaction: in the interaction model's own prediction, or in the mix.

    PYTHONPATH=. python scripts/probe_mix_contacts.py [CHECKPOINTS ...] [--n N] [--strategies st blend:0.4 ...]
                                                                        (35 s per strategy and folder, 2-core CPU)

Validation mixing prompts (never the test ones) whose interaction kind makes a contact (``evaluation.signatures``),
3 s, 20 steps, fp32, raw network output (no grounding). For each strategy of each folder, and for the interaction
model alone on the same prompts and seeds, the share of pairs that make their kind's contact: in the final mix, in
the interaction model's last prediction x_a of the same chain, and in x_a along the chain. A Mixer can keep only a
contact that x_a holds; where x_a holds it and the mix does not, the Mixer lost it; where x_a does not, the chain
(fed the mix) did. Results in docs/evaluation.md, "Where the contact goes".
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluation.signatures import BODY_CONTACT_KINDS, HAND_CONTACT_KINDS, makes_contact  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED  # noqa: E402


def contacts(pairs, cases) -> list[bool]:
    """Per case, whether its pair (raw features (B, T, 2, 262)) makes its kind's contact."""
    joints = features_to_joints(pairs.float()).numpy()
    return [bool(makes_contact(joints[n], c.kind)) for n, c in enumerate(cases)]


def contact_shares(directory: str, cases, strategy: str) -> tuple[float, float, float, list[tuple[int, float]]]:
    """Share of ``cases`` whose final mix makes its contact, whose last x_a does, whose x_a does but mix not, and
    (step t, share) of x_a's contact at every fourth step of the chain."""
    pipe = ComposedPipeline.from_pretrained(directory, precision="fp32")
    predict, along = pipe.pair.predict_interaction, []

    def traced(x_t, t, *args):
        x_a = predict(x_t, t, *args)
        along.append((int(t[0]), sum(contacts(x_a, cases)) / len(cases)))
        return x_a

    pipe.pair.predict_interaction = traced
    out = pipe.sample(pipe.conditions([c.texts for c in cases]), [strategy], frames_for(3.0), steps=20,
                      seeds=list(range(len(cases))))
    m, a = contacts(out.mixed, cases), contacts(out.interaction, cases)
    lost = [x and not y for x, y in zip(a, m)]
    return sum(m) / len(cases), sum(a) / len(cases), sum(lost) / len(cases), along[::4] + along[-1:]


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("folders", nargs="*", default=["checkpoints"])
    p.add_argument("--n", type=int, default=32, help="validation mixing prompts of contact kinds")
    p.add_argument("--strategies", nargs="+", default=["st"])
    args = p.parse_args()
    set_threads()
    cases = [c for c in mixing_cases(8 * args.n, seed=VALIDATION_SEED)
             if c.kind in HAND_CONTACT_KINDS + BODY_CONTACT_KINDS][:args.n]
    print(f"{len(cases)} prompts: " + ", ".join(sorted({c.kind for c in cases})))
    runs = [(args.folders[0], "interaction")] + [(f, s) for f in args.folders for s in args.strategies]
    for folder, strategy in runs:
        mix, x_a, lost, along = contact_shares(folder, cases, strategy)
        print(f"{folder} {strategy}: contact in the mix {mix:.2f}, in the last x_a {x_a:.2f}, "
              f"x_a's contact lost by the mix {lost:.2f}; x_a's contact along the chain "
              + " ".join(f"t={t}:{v:.2f}" for t, v in along))


if __name__ == "__main__":
    main()
