"""What grounding leaves of the sliding, and what its settings do: measured on the saved full-table samples.

    PYTHONPATH=. python scripts/probe_grounding_rule.py [--cache .cache/eval_whole_body] [--stance 3 1000] [--max-drop 0.1 0]

Reads the raw mixes an ``evaluate --cache`` run saved (the full table's: 256 test prompts, 50 steps), tells the
methods apart by their weights (0: the interaction model alone, one value besides 0: a blend, per joint and frame: ST,
per joint: S), and grounds them with each pair of settings: ``grounding.STANCE_STEPS`` (a toe low on that many steps
in a row is planted however fast it moves; 1000: off, the contact flag and the low-and-slow rule only) and
``grounding.MAX_DROP`` (how far the pelvis may be lowered so that a leg reaches its pin; 0: pins out of reach only
move towards the hip). Per method: foot skating raw and grounded (cm/frame, over all people, as the tables), the share
of low toe steps held still, the share of low toe frames that grounding lifts above the contact height (a foot lifted
off the floor drops out of the skating metric), the most a toe's frame-to-frame step grows by grounding (cm, 95th
percentile over people), and the pelvis drop (cm: mean over frames, 95th percentile, largest).
"""
import argparse
import glob

import numpy as np
import torch

from mixermdm_core.evaluation.metrics import CONTACT_HEIGHT, SKATE_JOINTS, foot_skating
from mixermdm_core.representation import grounding
from mixermdm_core.representation.interhuman import features_to_joints

TOES = list(SKATE_JOINTS)


def method_of(weights: torch.Tensor) -> str:
    """The kind of method from its saved weights (steps, N, T, P, 22)."""
    w = weights.float()
    values = torch.unique(w.round(decimals=4))
    if values.max() == 0:
        return "interaction"
    if len(values[values != 0]) == 1:  # one weight for the mixed people, 0 for the others
        return f"blend {values.max().item():.1f}"
    return "ST" if (w - w[:, :, :1]).abs().max() > 1e-6 else "S"


def figures(raw: torch.Tensor, grounded: torch.Tensor) -> tuple[float, ...]:
    """Raw and grounded skating, share of raw low toe steps held still after grounding, share of raw low toe frames
    lifted above the contact height, 95th pct of the most a toe's step grows (cm), pelvis drop mean / 95th pct / max (cm)."""
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
        step, raw_step = np.linalg.norm(gt[1:] - gt[:-1], axis=-1), np.linalg.norm(rt[1:] - rt[:-1], axis=-1)
        jumps.append((step - raw_step).max() * 100)
    drop = np.concatenate([(r[:, 0, 1] - g[:, 0, 1]) * 100 for r, g in people])
    return (float(np.mean([s[0] for s in skating])), float(np.mean([s[1] for s in skating])),
            held / max(low, 1), lifted / max(low_frames, 1), float(np.percentile(jumps, 95)),
            float(drop.mean()), float(np.percentile(drop, 95)), float(drop.max()))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cache", default=".cache/eval_whole_body")
    p.add_argument("--stance", type=int, nargs="*", default=[grounding.STANCE_STEPS, 1000])
    p.add_argument("--max-drop", type=float, nargs="*", default=[grounding.MAX_DROP, 0.0])
    args = p.parse_args()
    batches: dict[str, list[torch.Tensor]] = {}
    for path in sorted(glob.glob(f"{args.cache}/*.pt")):
        saved = torch.load(path, weights_only=True)
        batches.setdefault(method_of(saved["weights"]), []).append(saved["mixed"].float())
    print(f"{'method':12s}{'stance':>7s}{'drop':>6s}{'raw':>8s}{'grounded':>10s}{'low held':>10s}{'low lifted':>12s}"
          f"{'step added p95':>16s}{'pelvis drop mean / p95 / max (cm)':>36s}")
    shipped = grounding.STANCE_STEPS, grounding.MAX_DROP
    for method, parts in sorted(batches.items()):
        raw = torch.cat(parts)
        for stance in args.stance:
            for max_drop in args.max_drop:
                grounding.STANCE_STEPS, grounding.MAX_DROP = stance, max_drop
                try:
                    out = figures(raw, grounding.ground(raw))
                finally:
                    grounding.STANCE_STEPS, grounding.MAX_DROP = shipped
                print(f"{method:12s}{stance:7d}{max_drop:6.2f}{out[0]:8.3f}{out[1]:10.3f}{out[2]:10.3f}{out[3]:12.4f}"
                      f"{out[4]:16.1f}{out[5]:14.2f} / {out[6]:5.2f} / {out[7]:5.2f}")


if __name__ == "__main__":
    main()
