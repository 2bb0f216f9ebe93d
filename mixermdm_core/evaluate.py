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
import json
import sys
import time
from pathlib import Path

import numpy as np

from .evaluation.report import (COLUMNS, MODEL_COLUMNS, action_table, interaction_table, markdown_table, models_table,
                                plot_curves, plot_weight_effect, weight_curves, write_outputs)
from .models.precision import PRECISIONS
from .vocabulary import DEFAULT_GUIDANCE, GRANULARITIES, INDIVIDUAL_GUIDANCE_TAPER

DEFAULT_METHODS = ["interaction", "individual", "blend:0.5", "blend:best", "dualmdm", "g", "t", "s", "st"]
SETTINGS = {  # quick: under 10 minutes on a 2-core CPU; full: what the model cards quote
    "quick": {"n": 32, "n_val": 16, "steps": 20, "seconds": 3.0, "replications": 3, "sweep": (0.25, 0.5, 0.75)},
    "full": {"n": 256, "n_val": 64, "steps": 50, "seconds": 4.0, "replications": 10,
             "sweep": (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)},
}
MODEL_SETTINGS = {  # --models: each generator alone on held-out clips
    "quick": {"n": 64, "steps": 20, "seconds": 3.0, "replications": 3, "multimodality": (8, 4)},
    "full": {"n": 256, "steps": 50, "seconds": 4.0, "replications": 10, "multimodality": (32, 10)},
}


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
    p.add_argument("--text-anchoring", type=float, default=None,
                   help="0..1: how far the interaction model's texts are pulled towards its training captions "
                        "(default: the checkpoint folder's; 0: off; see mixermdm_core/text/anchors.py)")
    p.add_argument("--individual-anchoring", type=float, default=None,
                   help="0..1: the same for the individual model's texts, towards its own training captions")
    p.add_argument("--text-store", default=None, help="look texts up in this embedding store instead of encoding")
    p.add_argument("--cache", default=None,
                   help="keep each batch of generated motions in this folder and reuse it when run again, so that "
                        "a long run can be stopped and resumed (mixing table only)")
    p.add_argument("--individual-chain", choices=("own", "mix"), default="own",
                   help="what the individual model's chain follows: its own prediction (default) or the mix, as the "
                        "official sampler does (which erases individual actions; see the README)")
    p.add_argument("--no-velocity-readout", dest="velocity_readout", action="store_false",
                   help="the individual model's joint positions as it predicts them, not refitted to its velocities "
                        "(representation.readout; official checkpoints are never refitted)")
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
    from .devices import check_device
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
        check_device(args.device)
        pipe = ComposedPipeline.from_pretrained(ckpt, args.device, encoder, args.precision, args.text_anchoring,
                                                args.individual_anchoring)
        s["text_anchoring"] = pipe.pair.anchors.strength if pipe.pair.anchors else 0.0
        s["individual_anchoring"] = pipe.pair.individual_anchors.strength if pipe.pair.individual_anchors else 0.0
        s["guidance"] = list(DEFAULT_GUIDANCE)
        s["individual_taper"] = None if INDIVIDUAL_GUIDANCE_TAPER is None else list(INDIVIDUAL_GUIDANCE_TAPER)
        pipe.pair.individual_taper = INDIVIDUAL_GUIDANCE_TAPER
        pipe.pair.velocity_readout = s["velocity_readout"] = pipe.pair.velocity_readout and args.velocity_readout
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
    frames, guidance, t0 = frames_for(s["seconds"]), tuple(s["guidance"]), time.time()
    cache = None
    if args.cache is not None:
        cache = protocol.BatchCache(Path(args.cache), _files_tag(ckpt, args.text_store, args.precision,
                                                                s["text_anchoring"], s["individual_anchoring"],
                                                                guidance, s["individual_taper"], s["velocity_readout"]))

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
    table = (markdown_table(rows) + "\n\nShare of mixed people who show their asked action, per action:\n\n"
             + action_table(rows))
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


def _files_tag(checkpoints: Path, text_store: str | None, precision: str, text_anchoring: float,
               individual_anchoring: float, guidance: tuple[float, float], individual_taper: list | None,
               velocity_readout: bool) -> str:
    """Names, sizes and modification times of the checkpoints that make motions (not the Mixers: the cache keys each
    Mixer's batches by its weights; not the evaluators) and of the text store, the precision, both text anchorings
    and the guidance (with the individual model's taper) and the velocity read-out: a cached batch made with other
    files or settings is not reused."""
    files = sorted(f for f in checkpoints.glob("*.safetensors") if not f.name.startswith(("mixer_", "evaluator_")))
    files += [Path(text_store)] if text_store else []
    return json.dumps([precision, *((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files),
                       *([text_anchoring] if text_anchoring else []),
                       *([["individual anchoring", individual_anchoring]] if individual_anchoring else []),
                       list(guidance), *([individual_taper] if individual_taper else []),
                       *(["velocity readout"] if velocity_readout else [])])


def _report_models(pipe, evals, s: dict, args) -> int:
    """``--models``: the generators' table, printed and written where asked."""
    from .composition.pipeline import frames_for
    from .evaluation.generators import evaluate_models

    t0 = time.time()
    rows = evaluate_models((pipe.interaction_pipeline(), pipe.individual_pipeline()), evals, lambda texts: pipe.embed(texts, "cpu"), s["n"], frames_for(s["seconds"]),
                           s["steps"], tuple(s["guidance"]), s["replications"], s["multimodality"], args.seed, print)
    table = models_table(rows) + "\n\nGenerated, grounded (raw network output) / real held-out clips:\n\n" + interaction_table(rows)
    print(table)
    print(f"evaluated the two models on {s['n']} held-out clips each in {time.time() - t0:.0f} s "
          f"({'quick' if args.quick else 'full'}: {s['steps']} steps, {s['seconds']} s motions, {args.precision})")
    write_outputs(args, rows, MODEL_COLUMNS, table, {"settings": s, "rows": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
