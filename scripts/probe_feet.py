"""How the interaction model's feet meet the floor, per interaction kind, against the real held-out clips.

    PYTHONPATH=. python scripts/probe_feet.py [--checkpoints DIR] [--per-kind 8]     (about 2 minutes on a 2-core CPU)

Held-out clips of every kind (4 s), and M^a sampled on their texts (20 steps, guidance 1.5, seed 0; raw output, no
grounding). Per kind and overall: foot skating (cm/frame, the evaluation's metric, averaged over people), the share of
frames with a toe on the floor (below the skating metric's contact height), the lowest toe's median height (cm), the
toes' and the pelvis's mean speed (cm/s) and the mean pelvis distance (cm). A foot term that removes sliding by
lifting the feet shows in the floor share and the toe height; one that removes it by moving less shows in the speeds
and, for chases, in the distance.
"""
import argparse

import numpy as np
import torch

from mixermdm_core import ComposedPipeline
from mixermdm_core.corpus import load_or_generate
from mixermdm_core.evaluation.generators import generate
from mixermdm_core.evaluation.metrics import CONTACT_HEIGHT, SKATE_JOINTS, foot_skating
from mixermdm_core.models.precision import set_threads
from mixermdm_core.representation.interhuman import features_to_joints

FRAMES, FPS = 120, 30
TOES = list(SKATE_JOINTS)
COLUMNS = ("skating", "toe down", "low toe cm", "toe cm/s", "pelvis cm/s", "distance")


def held_out(pipe, per_kind: int):
    """Real held-out clips of at least FRAMES frames, up to ``per_kind`` of each kind, with their embedded texts."""
    corpus = load_or_generate("interaction", 768, "heldout", 0)
    keep, count = [], {}
    for i in range(len(corpus)):
        kind = corpus.actions[i]
        if corpus.offsets[i + 1] - corpus.offsets[i] >= FRAMES and count.get(kind, 0) < per_kind:
            keep.append(i)
            count[kind] = count.get(kind, 0) + 1
    real = torch.stack([torch.from_numpy(corpus.clip(i)[:FRAMES]) for i in keep]).float()
    text = pipe.embed([corpus.texts[i] for i in keep], "cpu")
    person = pipe.embed([p for i in keep for p in corpus.person_texts[i]], "cpu").reshape(len(keep), 2, -1)
    return real, text, person, [corpus.actions[i] for i in keep]


def figures(joints: np.ndarray) -> tuple[float, ...]:
    """The COLUMNS over motions' joints (N, T, 2, 22, 3)."""
    toes = joints[..., TOES, :]
    lowest = toes[..., 1].min(-1)  # (N, T, 2)
    toe_speed = np.linalg.norm(np.diff(toes, axis=1), axis=-1).mean() * 100 * FPS
    pelvis = joints[..., 0, :][..., [0, 2]]
    pelvis_speed = np.linalg.norm(np.diff(pelvis, axis=1), axis=-1).mean() * 100 * FPS
    distance = np.linalg.norm(pelvis[:, :, 0] - pelvis[:, :, 1], axis=-1).mean() * 100
    skating = np.mean([foot_skating(joints[n, :, k]) for n in range(len(joints)) for k in range(2)])
    return (float(skating), float((lowest < CONTACT_HEIGHT).mean()), float(np.median(lowest) * 100),
            float(toe_speed), float(pelvis_speed), float(distance))


def row(name: str, values: tuple[float, ...]) -> str:
    return f"{name:28s}" + "".join(f"{v:>13.3f}" if k < 2 else f"{v:>13.1f}" for k, v in enumerate(values))


@torch.no_grad()
def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoints", default="checkpoints")
    p.add_argument("--per-kind", type=int, default=8)
    args = p.parse_args()
    set_threads()
    pipe = ComposedPipeline.from_pretrained(args.checkpoints)
    real, text, person, kinds = held_out(pipe, args.per_kind)
    generated = generate(pipe.interaction_pipeline(), text, person, FRAMES, 20, 1.5, seed=0)
    motions = {"real": features_to_joints(real).numpy(), "generated": features_to_joints(generated).numpy()}
    print(f"{len(kinds)} held-out clips, {FRAMES} frames; M^a: 20 steps, guidance 1.5, raw")
    print(f"{'':28s}" + "".join(f"{c:>13s}" for c in COLUMNS))
    for kind in sorted(set(kinds)) + ["all"]:
        rows = [n for n, k in enumerate(kinds) if kind in ("all", k)]
        for name, joints in motions.items():
            print(row(f"{kind} {name}", figures(joints[rows])))


if __name__ == "__main__":
    main()
