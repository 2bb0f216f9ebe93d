"""Command line: compare mixing strategies on held-out prompts, as in the MixerMDM paper's table.

    python -m mixermdm_core.evaluate --quick --csv results.csv

Runs the two models alone, DiffusionBlending (0.5 and the best fixed weight, tuned on validation prompts),
DualMDM and the learned G/T/S/ST mixers on the same prompts and seeds, and writes a markdown table, a CSV
(one row per method: method, overall_alignment, interaction_alignment, individual_alignment, adaptability, ...)
and a plot of the mean learned weight per denoising step. Beside the learned evaluators, detail transfer is
read from the motion itself (``evaluation.signatures``): the share of mixed people who show their asked
action, the median share of the individual model's action amplitude kept, the share of pairs that keep
their interaction's spacing and facing, both at once, and contact. ``--weight-effect`` adds the curve of
amplitude kept against the DiffusionBlending weight.

    python -m mixermdm_core.evaluate --models --quick

scores each pre-trained model alone on held-out clips instead (the InterGen/MDM table: R-precision, FID,
MM-Dist, Diversity, MultiModality and physical figures, next to the real clips' own figures).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np

from .models.precision import PRECISIONS
from .vocabulary import DEFAULT_GUIDANCE, GRANULARITIES, mixed_people

DEFAULT_METHODS = ["interaction", "individual", "blend:0.5", "blend:best", "dualmdm", "g", "t", "s", "st"]
COLUMNS = ["method", "overall_alignment", "interaction_alignment", "individual_alignment", "adaptability",
           "action_shown", "amplitude_kept", "interaction_kept", "detail_and_interaction", "contact",
           "overall_alignment_ci95", "interaction_alignment_ci95", "individual_alignment_ci95",
           "w_mean", "w_std_steps", "w_std_frames", "w_std_joints",
           "foot_skating_cm", "floor_penetration_cm", "bone_length_error_pct"]
SETTINGS = {  # quick: under 10 minutes on a 2-core CPU; full: what the model cards quote
    "quick": {"n": 32, "n_val": 16, "steps": 20, "seconds": 3.0, "replications": 3, "sweep": (0.25, 0.5, 0.75)},
    "full": {"n": 256, "n_val": 64, "steps": 50, "seconds": 4.0, "replications": 10,
             "sweep": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)},
}


MODEL_SETTINGS = {  # --models: each generator alone on held-out clips
    "quick": {"n": 64, "steps": 20, "seconds": 3.0, "replications": 3, "multimodality": (8, 4)},
    "full": {"n": 256, "steps": 50, "seconds": 4.0, "replications": 10, "multimodality": (32, 10)},
}
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


def markdown_table(rows: list[dict]) -> str:
    head = ("| method | overall alignment | interaction alignment | individual alignment | adaptability | action shown "
            "| amplitude kept | interaction kept | both | contact | foot skating (cm/frame) |")
    lines = [head, "|---" * 11 + "|"]
    for r in rows:
        lines.append(f"| {r['method']} | {r['overall_alignment']:.3f} ± {r['overall_alignment_ci95']:.3f} | "
                     f"{r['interaction_alignment']:.3f} | {r['individual_alignment']:.3f} | {r['adaptability']:.4f} | "
                     f"{r['action_shown']:.2f} | {r.get('amplitude_kept', float('nan')):.2f} | "
                     f"{r['interaction_kept']:.2f} | {r['detail_and_interaction']:.2f} | {r['contact']:.2f} | "
                     f"{r['foot_skating_cm']:.2f} |")
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mixermdm_core.evaluate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small settings that finish in under 10 minutes on a CPU")
    p.add_argument("--models", action="store_true",
                   help="instead of comparing mixing strategies, score each pre-trained model alone on held-out clips "
                        "(R-precision, FID, MM-Dist, Diversity, MultiModality, physical figures) next to the real clips")
    p.add_argument("--methods", nargs="+", default=DEFAULT_METHODS)
    p.add_argument("--n", type=int, default=None, help="number of test prompts")
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoints", default=None)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", choices=PRECISIONS, default="fp32",
                   help="bf16: networks in bfloat16, about 2x faster on CPUs with AVX-512 BF16 (the precision is "
                        "written into the outputs)")
    p.add_argument("--prompt-batch", type=int, default=8,
                   help="prompts sampled together (times the methods per batch); larger is faster on a GPU")
    p.add_argument("--text-store", default=None, help="look texts up in this embedding store instead of encoding")
    p.add_argument("--cache", default=None,
                   help="keep each batch of generated motions in this folder and reuse it when run again, so that "
                        "a long run can be stopped and resumed (mixing table only)")
    p.add_argument("--individual-chain", choices=("own", "mix"), default="own",
                   help="what the individual model's chain follows: its own prediction (default) or the mix, as the "
                        "official sampler does (which erases individual actions; see the README)")
    p.add_argument("--weight-effect", default=None,
                   help="also run DiffusionBlending at w = 0, 0.1, ..., 1 and plot the share of each asked action's "
                        "amplitude kept against w here (png; the figures go into --json)")
    p.add_argument("--csv", default=None, help="write one row per method here")
    p.add_argument("--md", default=None, help="write the markdown table here")
    p.add_argument("--plot", default=None, help="write the mean-weight-per-step plot here (png)")
    p.add_argument("--json", default=None, help="write everything (rows, curves, settings) here")
    args = p.parse_args(argv)

    from .models.precision import set_threads
    from .paths import DEFAULT_DIR
    from .composition.pipeline import ComposedPipeline, frames_for
    from .corpus import mixing_cases, mixing_prompts
    from .models.pretrained import load_evaluator
    from .evaluation import protocol

    set_threads()
    s = dict((MODEL_SETTINGS if args.models else SETTINGS)["quick" if args.quick else "full"], precision=args.precision)
    for key in ("n", "steps", "seconds"):
        if getattr(args, key) is not None:
            s[key] = getattr(args, key)
    ckpt = Path(args.checkpoints) if args.checkpoints else DEFAULT_DIR
    encoder = None
    if args.text_store:
        from .text.store import EmbeddingStore
        from .text.store_encoder import StoreEncoder

        encoder = StoreEncoder(EmbeddingStore(args.text_store))
    try:
        pipe = ComposedPipeline.from_pretrained(ckpt, args.device, encoder, args.precision)
        evals = (load_evaluator(ckpt / "evaluator_interaction.safetensors", args.device),
                 load_evaluator(ckpt / "evaluator_individual.safetensors", args.device))
    except (FileNotFoundError, ValueError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.models:
        return _report_models(pipe, evals, s, args)
    methods = [m for m in args.methods if m.upper() not in GRANULARITIES or m.upper() in pipe.mixers]
    skipped = sorted(set(args.methods) - set(methods))
    if skipped:
        print(f"skipping methods without a trained mixer: {skipped}")
    frames, guidance, t0 = frames_for(s["seconds"]), DEFAULT_GUIDANCE, time.time()
    cache = None
    if args.cache is not None:
        cache = protocol.BatchCache(Path(args.cache), _files_tag(ckpt, args.text_store, args.precision))

    best_weight, sweep = 0.5, {}
    if "blend:best" in methods:
        val_prompts = mixing_prompts(s["n_val"], seed=args.seed + 10_000)
        best_weight, sweep = protocol.best_fixed_weight(pipe, val_prompts, s["sweep"], frames, s["steps"], guidance,
                                                        args.seed + 10_000, evals, prompts_per_batch=args.prompt_batch,
                                                        cache=cache, individual_chain=args.individual_chain)
        print(f"best DiffusionBlending weight on {len(val_prompts)} validation prompts: {best_weight} {json.dumps(sweep)}")
    cases = mixing_cases(s["n"], seed=args.seed)
    prompts = [c.texts for c in cases]
    strategies = protocol.strategies_for(methods, pipe, best_weight)
    gen = protocol.generate(pipe, prompts, strategies, frames, s["steps"], guidance, args.seed,
                            lambda i, n: print(f"\rgenerating {i}/{n}", end="", flush=True), args.prompt_batch, cache,
                            args.individual_chain)
    print()
    text_emb, person_emb = protocol.embed_prompts(pipe, prompts)
    rows = [{"method": name, **protocol.score(g, *evals, text_emb, person_emb, s["replications"], cases)}
            for name, g in gen.items()]
    if {"interaction", "individual"} <= set(gen):
        shares = protocol.amplitude_shares(gen, cases)
        for r in rows:
            r["amplitude_kept"] = shares[r["method"]]
    for r in rows:
        if r["method"] == "blend:best":
            r["method"] = f"blend:{best_weight:g} (best)"
    table = markdown_table(rows)
    print(table)
    from .diffusion import ddim_timesteps

    timesteps = ddim_timesteps(s["steps"])
    curves = weight_curves(gen, person_emb, timesteps)
    third = max(1, len(timesteps) // 3)
    for name in ("g", "t", "s", "st"):
        if name in curves:
            c = curves[name]
            print(f"{name}: mean weight first third of steps {np.mean(c[:third]):.3f}, last third {np.mean(c[-third:]):.3f}")
    effect = {}
    if args.weight_effect:
        blend = [round(0.1 * k, 1) for k in range(11)]
        effect = {"weights": blend, "amplitude_kept": protocol.weight_effect(
            pipe, cases, blend, frames, s["steps"], guidance, args.seed, args.prompt_batch, cache, args.individual_chain)}
        print("weight -> share of the action's amplitude kept: "
              + ", ".join(f"{w:g}: {k:.2f}" for w, k in zip(blend, effect["amplitude_kept"])))
        plot_weight_effect(blend, effect["amplitude_kept"], Path(args.weight_effect))
    print(f"evaluated {len(prompts)} prompts x {len(strategies)} methods in {time.time() - t0:.0f} s "
          f"({'quick' if args.quick else 'full'}: {s['steps']} steps, {s['seconds']} s motions, {args.precision}, "
          f"individual chain: {args.individual_chain})")
    write_outputs(args, rows, COLUMNS, table, {"settings": {**s, "individual_chain": args.individual_chain},
                                               "rows": rows, "curves": curves, "timesteps": timesteps,
                                               "best_blend_weight": best_weight, "sweep": sweep,
                                               "weight_effect": effect})
    if args.plot:
        plot_curves(curves, timesteps, Path(args.plot))
    return 0


def _files_tag(checkpoints: Path, text_store: str | None, precision: str) -> str:
    """Names, sizes and modification times of the checkpoints and the text store, and the precision: a cached
    batch made with other files or another precision is not reused."""
    files = sorted(checkpoints.glob("*.safetensors")) + ([Path(text_store)] if text_store else [])
    return json.dumps([precision, *((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)])


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


def _report_models(pipe, evals, s: dict, args) -> int:
    """``--models``: the generators' table, printed and written where asked."""
    from .composition.pipeline import frames_for
    from .evaluation.generators import evaluate_models

    t0 = time.time()
    rows = evaluate_models(pipe.pair, evals, lambda texts: pipe.embed(texts, "cpu"), s["n"], frames_for(s["seconds"]),
                           s["steps"], DEFAULT_GUIDANCE, s["replications"], s["multimodality"], args.seed, print)
    table = models_table(rows) + "\n\nGenerated, grounded (raw network output) / real held-out clips:\n\n" + interaction_table(rows)
    print(table)
    print(f"evaluated the two models on {s['n']} held-out clips each in {time.time() - t0:.0f} s "
          f"({'quick' if args.quick else 'full'}: {s['steps']} steps, {s['seconds']} s motions, {args.precision})")
    write_outputs(args, rows, MODEL_COLUMNS, table, {"settings": s, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
