"""The evaluation report: markdown tables, CSV/JSON files and plots of what ``evaluate`` measured."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from ..vocabulary import mixed_people

COLUMNS = ["method", "overall_alignment", "interaction_alignment", "individual_alignment", "adaptability",
           "action_shown", "amplitude_kept", "interaction_kept", "detail_and_interaction", "contact",
           "overall_alignment_ci95", "interaction_alignment_ci95", "individual_alignment_ci95",
           "w_mean", "w_std_steps", "w_std_frames", "w_std_joints",
           "foot_skating_cm", "grounded_foot_skating_cm", "foot_skating_cm_ci95", "grounded_foot_skating_cm_ci95",
           "floor_penetration_cm", "bone_length_error_pct"]
MODEL_COLUMNS = ["model", "top1", "top2", "top3", "top3_ci95", "top3_of_real", "fid", "mm_dist", "diversity",
                 "multimodality", "foot_skating_cm", "floor_penetration_cm", "raw_foot_skating_cm",
                 "raw_floor_penetration_cm", "bone_length_error_pct",
                 "pelvis_distance_cm", "hand_distance_cm", "contact_rate", "raw_contact_rate", "facing",
                 "penetration_cm"]


def models_table(rows: list[dict]) -> str:
    """Markdown; a generator's physical figures read "grounded (raw network output)"."""
    def f(r: dict, key: str, digits: int = 3) -> str:
        return f"{r[key]:.{digits}f}" if key in r else "-"

    def phys(r: dict, key: str) -> str:
        return f(r, key) + (f" ({f(r, 'raw_' + key)})" if "raw_" + key in r else "")

    lines = ["| model | R-precision top-1 | top-2 | top-3 | top-3 / real | FID | MM-Dist | Diversity | MultiModality "
             "| foot skating (cm/frame) | floor penetration (cm) | bone-length error (%) | pelvis distance (cm) "
             "| hand distance at contact (cm) |", "|---" * 14 + "|"]
    for r in rows:
        lines.append(f"| {r['model']} | {f(r, 'top1')} | {f(r, 'top2')} | {f(r, 'top3')} ± {f(r, 'top3_ci95')} | "
                     f"{f(r, 'top3_of_real', 2)} | {f(r, 'fid')} | {f(r, 'mm_dist')} | {f(r, 'diversity')} | "
                     f"{f(r, 'multimodality')} | {phys(r, 'foot_skating_cm')} | {phys(r, 'floor_penetration_cm')} | "
                     f"{f(r, 'bone_length_error_pct', 2)} | {f(r, 'pelvis_distance_cm', 1)} | {f(r, 'hand_distance_cm', 1)} |")
    return "\n".join(lines)


def interaction_table(rows: list[dict]) -> str:
    """Markdown, one line per interaction kind: real clips against the generated ones (raw output in brackets)."""
    real = next(r["per_kind"] for r in rows if "per_kind" in r and r["model"].startswith("real"))
    gen = next(r for r in rows if r["model"] == "interaction")

    def cell(kind: str, key: str, scale: float = 1.0, digits: int = 2) -> str:
        g, raw, r = gen["per_kind"][kind].get(key), gen["raw_per_kind"][kind].get(key), real[kind].get(key)
        if g is None:
            return "-"
        return f"{g * scale:.{digits}f} ({raw * scale:.{digits}f}) / {r * scale:.{digits}f}"

    lines = ["| interaction | clips | contact rate | pelvis distance (cm) | facing | penetration (cm) |", "|---" * 6 + "|"]
    for kind in real:
        lines.append(f"| {kind} | {real[kind]['clips']} | {cell(kind, 'contact_rate')} | "
                     f"{cell(kind, 'pelvis_distance_cm', digits=0)} | {cell(kind, 'facing')} | "
                     f"{cell(kind, 'penetration_cm', digits=1)} |")
    return "\n".join(lines)


def action_table(rows: list[dict]) -> str:
    """Markdown, one line per asked action: the share of mixed people who show it, per method."""
    actions = sorted({a for r in rows for a in r.get("per_action", {})})
    lines = ["| asked action | people | " + " | ".join(r["method"] for r in rows) + " |", "|---" * (len(rows) + 2) + "|"]
    for a in actions:
        cells = [r["per_action"].get(a) for r in rows]
        asked = next(c[1] for c in cells if c is not None)
        lines.append(f"| {a} | {asked} | " + " | ".join("-" if c is None else f"{c[0] / c[1]:.2f}" for c in cells) + " |")
    return "\n".join(lines)


def markdown_table(rows: list[dict]) -> str:
    head = ("| method | overall alignment | interaction alignment | individual alignment | adaptability | action shown "
            "| amplitude kept | interaction kept | both | contact | foot skating raw / grounded ± 95 % (cm/frame) |")
    lines = [head, "|---" * 11 + "|"]
    for r in rows:
        lines.append(f"| {r['method']} | {r['overall_alignment']:.3f} ± {r['overall_alignment_ci95']:.3f} | "
                     f"{r['interaction_alignment']:.3f} | {r['individual_alignment']:.3f} | {r['adaptability']:.4f} | "
                     f"{r['action_shown']:.2f} | {r.get('amplitude_kept', float('nan')):.2f} | "
                     f"{r['interaction_kept']:.2f} | {r['detail_and_interaction']:.2f} | {r['contact']:.2f} | "
                     f"{r['foot_skating_cm']:.2f} / {r['grounded_foot_skating_cm']:.3f} ± "
                     f"{r['grounded_foot_skating_cm_ci95']:.3f} |")
    return "\n".join(lines)


def weight_curves(gen: dict, person_emb, timesteps: list[int]) -> dict[str, list[float]]:
    """Mean weight per denoising step over prompts, frames, joints and the people that have a text."""
    active = mixed_people(person_emb).numpy()  # (N, 2)
    curves = {}
    for name, g in gen.items():
        w = np.stack(g.weights).mean(axis=(2, 4))  # (N, steps, 2)
        curves[name] = ((w * active[:, None]).sum((0, 2)) / max(active.sum(), 1)).tolist()
    return curves


def plot_curves(curves: dict[str, list[float]], timesteps: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=120)
    for name, c in curves.items():
        ax.plot(timesteps, c, label=name, lw=2 if name in ("g", "t", "s", "st") else 1,
                ls="-" if name in ("g", "t", "s", "st") else "--")
    ax.set_xlim(max(timesteps), min(timesteps))
    ax.set_xlabel("diffusion step t (denoising runs left to right)")
    ax.set_ylabel("mean weight w (1 = individual model)")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_weight_effect(weights: list[float], kept: list[float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 3.6), dpi=120)
    ax.plot(weights, weights, ls=":", color="grey", label="proportional")
    ax.plot(weights, kept, marker="o", label="DiffusionBlending")
    ax.set_xlabel("blend weight w (1 = individual model)")
    ax.set_ylabel("share of the action's amplitude kept (median)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_outputs(args, rows: list[dict], columns: list[str], table: str, everything: dict) -> None:
    """The CSV (``columns`` of each row), markdown table and JSON files the command line asked for."""
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    if args.md:
        Path(args.md).write_text(table + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
