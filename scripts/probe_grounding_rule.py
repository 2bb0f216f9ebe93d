"""What grounding leaves of the sliding, and what a stance rule would take: measured on the saved full-table samples.

    PYTHONPATH=. python scripts/probe_grounding_rule.py [--cache .cache/eval_whole_body] [--stance 3 5] [--within-reach]

Reads the raw mixes an ``evaluate --cache`` run saved (the full table's: 256 test prompts, 50 steps), tells the
methods apart by their weights (0: the interaction model alone, one value besides 0: a blend, per joint and frame: ST,
per joint: S), and grounds them with the shipped rule (a toe is planted where the motion's contact flag says so or
where it is low and slow) and with a stance rule beside it (also planted: a toe below the skating metric's contact
height on K or more steps in a row, however fast it moves; a swinging toe passes that low only briefly). Per method:
foot skating raw and grounded (cm/frame, over all people, as the tables), the share of low toe steps each rule holds
still, the share of low toe frames that grounding lifts above the contact height (a pin the leg cannot reach lifts the
foot, which also takes it out of the skating metric), and the largest frame-to-frame toe jump after grounding (cm,
95th percentile over people). ``--within-reach`` moves each pin horizontally towards the hip until the leg can meet it
at its height, so that no foot is lifted by a stretched leg. Not shipped rules: measurements for choosing.
"""
import argparse
import glob

import numpy as np
import torch

from mixermdm_core.evaluation.metrics import CONTACT_HEIGHT, SKATE_JOINTS, foot_skating
from mixermdm_core.representation import grounding, limbs
from mixermdm_core.representation.interhuman import features_to_joints

TOES = list(SKATE_JOINTS)
SHIPPED_RULE = grounding.planted_steps
SHIPPED_IK = grounding.two_bone_ik_positions


def method_of(weights: torch.Tensor) -> str:
    """The kind of method from its saved weights (steps, N, T, P, 22)."""
    w = weights.float()
    values = torch.unique(w.round(decimals=4))
    if values.max() == 0:
        return "interaction"
    if len(values[values != 0]) == 1:  # one weight for the mixed people, 0 for the others
        return f"blend {values.max().item():.1f}"
    return "ST" if (w - w[:, :, :1]).abs().max() > 1e-6 else "S"


def stance_rule(k: int):
    """planted_steps that also plants each toe low on k or more steps in a row (the toe's contact column is the
    one grounding's legs pin by)."""
    def planted(joints: np.ndarray, contacts: np.ndarray) -> np.ndarray:
        flags = SHIPPED_RULE(joints, contacts)
        for *_, toe, col in grounding.LEGS:
            low = joints[:, toe, 1] < CONTACT_HEIGHT
            for start, end in grounding._stretches(low[1:] & low[:-1]):
                if end - start >= k:
                    flags[start:end, col] = True
        return flags
    return planted


def ik_within_reach(root, middle, end, target, forward):
    """grounding's two-bone IK with the target first moved horizontally towards the hip (``root``) until the leg,
    stretched as far as the IK allows, reaches it at its height."""
    upper, lower = np.linalg.norm(middle - root, axis=-1), np.linalg.norm(end - middle, axis=-1)
    longest = np.maximum(limbs.MAX_EXTENSION * (upper + lower), np.linalg.norm(end - root, axis=-1)) - 1e-6
    offset = target - root
    radius = np.sqrt(np.clip(longest ** 2 - offset[:, 1] ** 2, 0, None))
    scale = np.minimum(1.0, radius / np.maximum(np.linalg.norm(offset[:, [0, 2]], axis=-1), 1e-9))
    reachable = target.copy()
    reachable[:, [0, 2]] = root[:, [0, 2]] + offset[:, [0, 2]] * scale[:, None]
    return SHIPPED_IK(root, middle, end, reachable, forward)


def figures(raw: torch.Tensor, grounded: torch.Tensor) -> tuple[float, float, float, float, float]:
    """Raw and grounded skating, share of raw low toe steps held still after grounding, share of raw low toe frames
    lifted above the contact height, 95th pct toe jump (cm)."""
    rj, gj = features_to_joints(raw).numpy(), features_to_joints(grounded).numpy()
    people = [(rj[n, :, p], gj[n, :, p]) for n in range(len(rj)) for p in range(rj.shape[2])]
    skating = [(foot_skating(r), foot_skating(g)) for r, g in people]
    low, held, lifted, low_frames, jumps = 0, 0, 0, 0, []
    for r, g in people:
        rt, gt = r[:, TOES], g[:, TOES]
        steps = (rt[1:, :, 1] < CONTACT_HEIGHT) & (rt[:-1, :, 1] < CONTACT_HEIGHT)
        moved = np.linalg.norm((gt[1:] - gt[:-1])[..., [0, 2]], axis=-1)
        low += steps.sum()
        held += (steps & (moved < 0.005)).sum()
        low_frames += (rt[..., 1] < CONTACT_HEIGHT).sum()
        lifted += ((rt[..., 1] < CONTACT_HEIGHT) & (gt[..., 1] >= CONTACT_HEIGHT)).sum()
        jumps.append(np.linalg.norm(gt[1:] - gt[:-1], axis=-1).max() * 100)
    return (float(np.mean([s[0] for s in skating])), float(np.mean([s[1] for s in skating])),
            held / max(low, 1), lifted / max(low_frames, 1), float(np.percentile(jumps, 95)))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cache", default=".cache/eval_whole_body")
    p.add_argument("--stance", type=int, nargs="*", default=[3, 5])
    p.add_argument("--within-reach", action="store_true", help="pins moved to where the leg can meet them")
    args = p.parse_args()
    if args.within_reach:
        grounding.two_bone_ik_positions = ik_within_reach
    batches: dict[str, list[torch.Tensor]] = {}
    for path in sorted(glob.glob(f"{args.cache}/*.pt")):
        saved = torch.load(path, weights_only=True)
        batches.setdefault(method_of(saved["weights"]), []).append(saved["mixed"].float())
    rules = [("shipped", SHIPPED_RULE)] + [(f"stance >= {k}", stance_rule(k)) for k in args.stance]
    print(f"{'method':12s}{'rule':12s}{'raw':>8s}{'grounded':>10s}{'low steps held':>16s}{'low frames lifted':>19s}"
          f"{'toe jump p95 (cm)':>19s}")
    for method, parts in sorted(batches.items()):
        raw = torch.cat(parts)
        for name, rule in rules:
            grounding.planted_steps = rule
            try:
                out = figures(raw, grounding.ground(raw))
            finally:
                grounding.planted_steps = SHIPPED_RULE
            print(f"{method:12s}{name:12s}{out[0]:8.3f}{out[1]:10.3f}{out[2]:16.3f}{out[3]:19.4f}{out[4]:19.1f}")


if __name__ == "__main__":
    main()
