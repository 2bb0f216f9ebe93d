"""How the interaction model places the two people: where the spread of layouts goes, and what pulls on the spacing.

    PYTHONPATH=. python scripts/probe_layout.py [--checkpoints DIR]        (about 90 s on a 2-core CPU)

1. *Spread*: held-out texts sampled from noise (20 steps, guidance 1.5): mean and spread over samples of the pelvis
   distance at the first, middle and last frame, and the pelvis speed, against the real clips of those texts.
2. *Read-out*: the same real clips noised to a high t and denoised once (guidance 1): mean and spread of the
   first-frame pelvis distance of the prediction, and its correlation with the clip's own (how much of each
   clip's layout the network reads from a noisy state).
3. *Pull*: training clips noised to t and denoised once; for each training term at its shipped weight
   (configs/finetune_cpu_interaction_paraphrases.toml), the rate at which a step down that term's gradient on the
   prediction moves the mean pelvis distance (positive: apart). A term that pulled the people together would show
   where a spacing bias comes from.
"""
import argparse

import numpy as np
import torch

from mixermdm_core import ComposedPipeline
from mixermdm_core.corpus import load_or_generate
from mixermdm_core.evaluation.generators import generate
from mixermdm_core.models.precision import set_threads
from mixermdm_core.representation.interhuman import features_to_joints
from mixermdm_core.training import losses

FRAMES, PER_KIND = 120, 24
KINDS = ("greet_wave", "bow_each_other", "circle_each_other", "handshake", "chase", "hug")
READ_T = (990, 979, 946, 900, 841, 700)
PULL_T = (600, 300)
WEIGHTS = {"x0": 1.0, "bone": 0.01, "foot": 0.01, "distance map": 5e-5, "affinity": 5e-5, "facing": 0.1}


def pelvis_gap(raw: torch.Tensor) -> torch.Tensor:
    """Floor-plane pelvis distance (cm) per sample and frame of raw features (N, T, 2, 262)."""
    return 100 * losses.pelvis_gap(raw)


def clips(pipe, split: str, kind: str):
    corpus = load_or_generate("interaction", 768, split, 0)
    keep = [i for i in range(len(corpus)) if corpus.offsets[i + 1] - corpus.offsets[i] >= FRAMES
            and corpus.actions[i] == kind][:PER_KIND]
    real = torch.stack([torch.from_numpy(corpus.clip(i)[:FRAMES]) for i in keep]).float()
    text = pipe.embed([corpus.texts[i] for i in keep], "cpu")
    person = pipe.embed([p for i in keep for p in corpus.person_texts[i]], "cpu").reshape(len(keep), 2, -1)
    return real, text, person


def spread(pipe, kind: str) -> None:
    real, text, person = clips(pipe, "heldout", kind)
    generated = generate(pipe.interaction_pipeline(), text, person, FRAMES, 20, 1.5, seed=0)
    for name, motion in (("real", real), ("generated", generated)):
        pelvis = features_to_joints(motion)[:, :, :, 0][..., [0, 2]].numpy()  # (N, T, 2, 2)
        gap = 100 * np.linalg.norm(pelvis[:, :, 0] - pelvis[:, :, 1], axis=-1)
        speed = 100 * 30 * np.linalg.norm(np.diff(pelvis, axis=1), axis=-1).mean()
        cells = "  ".join(f"frame {f:3d}: {gap[:, f].mean():4.0f} sd {gap[:, f].std():3.0f}" for f in (0, 60, FRAMES - 1))
        print(f"{kind:18s}{name:>10s}  {cells}  pelvis speed {speed:5.1f} cm/s")


@torch.no_grad()
def read_out(pipe, kind: str) -> None:
    pair = pipe.pair
    real, text, person = clips(pipe, "heldout", kind)
    x0, first = pair.norm_a.normalize(real), pelvis_gap(real)[:, 0].numpy()
    cells = []
    for t in READ_T:
        tt = torch.full((len(real),), t)
        pred = pair.predict_interaction(pair.schedule.q_sample(x0, tt, torch.randn_like(x0)), tt, text, person, None, 1.0)
        gap = pelvis_gap(pred)[:, 0].numpy()
        cells.append(f"t{t}: {gap.mean():4.0f} sd {gap.std():3.0f} r {np.corrcoef(gap, first)[0, 1]:+.2f}")
    print(f"{kind:18s} real {first.mean():4.0f} sd {first.std():3.0f} | " + " | ".join(cells))


def pull(pipe, kind: str) -> None:
    pair = pipe.pair
    real, text, person = clips(pipe, "train", kind)
    x, mask = pair.norm_a.normalize(real), torch.ones(len(real), FRAMES)
    for t in PULL_T:
        tt = torch.full((len(real),), t)
        with torch.no_grad():
            noisy = pair.schedule.q_sample(x, tt, torch.randn_like(x))
            pred = pair.norm_a.normalize(pair.predict_interaction(noisy, tt, text, person, None, 1.0))
        pred.requires_grad_(True)
        raw, target = pair.norm_a.denormalize(pred), pair.norm_a.denormalize(x)
        gap = pelvis_gap(raw).mean()
        towards_apart = torch.autograd.grad(gap, pred, retain_graph=True)[0]
        terms = {"x0": losses.masked_mse(pred, x, mask), "bone": losses.bone_length_loss(raw, target, mask),
                 "foot": losses.foot_contact_loss(raw, target, mask),
                 "distance map": losses.distance_map_loss(raw, target, mask),
                 "affinity": losses.affinity_loss(raw, target, mask),
                 "facing": losses.relative_facing_loss(raw, target, mask)}
        cells = []
        for name, value in terms.items():
            grad = torch.autograd.grad(WEIGHTS[name] * value, pred, retain_graph=True)[0]
            cells.append(f"{name} {-(grad * towards_apart).sum().item() * 1e3:+7.3f}")
        print(f"{kind:18s} t{t} prediction {gap.item():4.0f} cm, real {pelvis_gap(target).mean().item():4.0f} | "
              + "  ".join(cells))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoints", default="checkpoints")
    args = p.parse_args()
    set_threads()
    torch.manual_seed(0)
    pipe = ComposedPipeline.from_pretrained(args.checkpoints)
    print(f"1. spread: held-out texts, {FRAMES} frames, 20 steps, guidance 1.5; pelvis distance (cm) over samples")
    for kind in KINDS:
        spread(pipe, kind)
    print("2. read-out: held-out clips noised to t, one step (guidance 1); first-frame pelvis distance (cm), r with the clip's")
    for kind in KINDS:
        read_out(pipe, kind)
    print("3. pull: training clips noised to t, one step; d(mean pelvis distance) per step down each weighted term (x1e3)")
    for kind in KINDS:
        pull(pipe, kind)


if __name__ == "__main__":
    main()
