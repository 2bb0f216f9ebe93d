"""What the denoisers give back for a clean clip, and what the velocity read-out recovers.

    PYTHONPATH=. python scripts/probe_readout.py [--checkpoints DIR] [--split heldout]      (about 60 s, 2-core CPU)

1. *Individual model*: corpus clips of the actions whose rule needs movement (wave, raised arms, clap, hop, walks,
   squat, jump), noised to t and denoised once (guidance 1). Per action, the kinematic feature the detail-transfer
   rule reads (``evaluation.signatures``) of the clip and of the prediction, read from its position features as
   predicted, and refitted to its velocity features (``representation.readout``); then the joint error, the error
   of the joints relative to the pelvis, the frame-to-frame displacement error and the bone-length error.
2. *Interaction model*: the same for interaction clips: joint error, pelvis spacing against the clips', contact rate
   of the contact kinds and the nearest hands of the hand-contact kinds.
A network that denoised well would give a clean clip back at t = 0; the shipped ones damp the movement of their
position features and keep it in their velocity features.
"""
import argparse

import numpy as np
import torch

from mixermdm_core import ComposedPipeline
from mixermdm_core.corpus import load_or_generate
from mixermdm_core.evaluation.metrics import bone_length_error, min_hand_distance
from mixermdm_core.evaluation.signatures import (BODY_CONTACT_KINDS, HAND_CONTACT_KINDS, Signatures, makes_contact,
                                                 pelvis_distance)
from mixermdm_core.models.precision import set_threads
from mixermdm_core.representation.interhuman import features_to_joints
from mixermdm_core.representation.readout import velocity_consistent

FRAMES, PER_ACTION = 120, 12
ACTIONS = ("wave", "raise_arms", "clap", "hop", "walk_backward", "walk_forward", "squat", "jump")
STEPS = (0, 100, 300)


def real_clips(kind: str, split: str, keep) -> tuple[torch.Tensor, list[int], object]:
    corpus = load_or_generate(kind, 768, split, 0)
    idx = [i for i in range(len(corpus)) if corpus.offsets[i + 1] - corpus.offsets[i] >= FRAMES and keep(corpus.actions[i])]
    return torch.stack([torch.from_numpy(corpus.clip(i)[:FRAMES]) for i in idx]).float(), idx, corpus


def body_errors(joints: np.ndarray, real: np.ndarray) -> str:
    """Joint, pelvis-relative, displacement (cm, cm/frame) and bone-length (%) errors of (N, T, P, 22, 3) joints."""
    local = lambda j: j - j[..., :1, :]
    err = 100 * np.linalg.norm(joints - real, axis=-1).mean()
    loc = 100 * np.linalg.norm(local(joints) - local(real), axis=-1).mean()
    vel = 100 * np.linalg.norm(np.diff(joints, axis=1) - np.diff(real, axis=1), axis=-1).mean()
    bone = np.mean([bone_length_error(j[:, p]) for j in joints for p in range(j.shape[1])])
    return f"joints {err:5.1f} cm, relative to the pelvis {loc:4.1f} cm, displacement {vel:4.2f} cm/frame, bones {bone:4.1f} %"


@torch.no_grad()
def individual(pipe, signatures: Signatures, split: str) -> None:
    pair = pipe.pair
    counts: dict[str, int] = {}

    def wanted(action: str) -> bool:
        counts[action] = counts.get(action, 0) + 1
        return action in ACTIONS and counts[action] <= PER_ACTION

    real, idx, corpus = real_clips("individual", split, wanted)
    real = real.reshape(len(idx), FRAMES, 1, -1)
    acts = [corpus.actions[i] for i in idx]
    text = pipe.embed([corpus.texts[i] for i in idx], "cpu")
    x0 = pair.norm_b.normalize(real[:, :, 0])

    def features(raw: torch.Tensor) -> np.ndarray:
        joints = features_to_joints(raw.float()).numpy()[:, :, 0]
        return np.array([signatures.feature(a, j) for a, j in zip(acts, joints)])

    def row(name: str, values: np.ndarray) -> None:
        print(f"{name:34s}" + "".join(f"{values[[a == b for b in acts]].mean():8.2f}" for a in ACTIONS))

    print(f"individual model, {len(idx)} {split} clips: each action's rule feature (mean)")
    print(" " * 34 + "".join(f"{a[:7]:>8s}" for a in ACTIONS))
    row("threshold", np.array([signatures.actions[a].threshold for a in acts]))
    row("clip", features(real))
    real_joints = features_to_joints(real).numpy()
    for t in STEPS:
        tt = torch.full((len(idx),), t, dtype=torch.long)
        x_t = pair.schedule.q_sample(x0, tt, torch.randn(x0.shape, generator=torch.Generator().manual_seed(t)))
        raw = pair.norm_b.denormalize(pair.individual(x_t, tt, text, None))[:, :, None]
        for name, out in (("as predicted", raw), ("refitted to its velocities", velocity_consistent(raw))):
            row(f"t = {t}, {name}", features(out))
            print(" " * 4 + body_errors(features_to_joints(out).numpy(), real_joints))


@torch.no_grad()
def interaction(pipe, split: str) -> None:
    pair = pipe.pair
    real, idx, corpus = real_clips("interaction", split, lambda action: True)
    real, idx = real[:96], idx[:96]
    kinds = [corpus.actions[i] for i in idx]
    text = pipe.embed([corpus.texts[i] for i in idx], "cpu")
    person = pipe.embed([p for i in idx for p in corpus.person_texts[i]], "cpu").reshape(len(idx), 2, -1)
    x0 = pair.norm_a.normalize(real)
    real_joints = features_to_joints(real).numpy()
    spacing = np.array([pelvis_distance(p) for p in real_joints])
    print(f"\ninteraction model, {len(idx)} {split} clips")
    for t in STEPS:
        tt = torch.full((len(idx),), t, dtype=torch.long)
        x_t = pair.schedule.q_sample(x0, tt, torch.randn(x0.shape, generator=torch.Generator().manual_seed(t)))
        raw = torch.cat([pair.norm_a.denormalize(pair.interaction(x_t[s:s + 48], tt[s:s + 48], text[s:s + 48],
                                                                  person[s:s + 48], None)) for s in range(0, len(idx), 48)])
        for name, out in (("as predicted", raw), ("refitted to its velocities", velocity_consistent(raw))):
            joints = features_to_joints(out).numpy()
            contact = [makes_contact(p, k) for p, k in zip(joints, kinds) if k in HAND_CONTACT_KINDS + BODY_CONTACT_KINDS]
            hands = [min_hand_distance(p) for p, k in zip(joints, kinds) if k in HAND_CONTACT_KINDS]
            gap = np.mean([pelvis_distance(p) for p in joints]) / spacing.mean()
            print(f"t = {t}, {name:27s} spacing {gap:.3f} of the clips', contact {np.mean(contact):.2f}, "
                  f"nearest hands {np.mean(hands):4.1f} cm")
            print(" " * 4 + body_errors(joints, real_joints))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoints", default="checkpoints")
    p.add_argument("--split", default="heldout", choices=("heldout", "val", "train"))
    args = p.parse_args()
    set_threads()
    pipe = ComposedPipeline.from_pretrained(args.checkpoints)
    individual(pipe, Signatures.load(), args.split)
    interaction(pipe, args.split)


if __name__ == "__main__":
    main()
