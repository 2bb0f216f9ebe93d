"""Command line: ``python -m mixermdm_core.train interaction|individual|mixer|evaluator --config FILE``.

``mixer-cache`` fills a prediction cache for ``mixer --cache``; ``mixer-distill --teacher FILE --cache DIR``
distils a trained Mixer into one that reads blocks of ``frame_stride`` frames (cheaper per step).

Runs are resumable: rerun the same command with the same ``--out`` to continue. Launch with
``torchrun --nproc_per_node N -m mixermdm_core.train ...`` for several GPUs (PyTorch DDP).
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from .training.recipe import load_config
from .vocabulary import GRANULARITIES


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m mixermdm_core.train", description=__doc__)
    p.add_argument("what", choices=["interaction", "individual", "mixer", "mixer-cache", "mixer-distill", "evaluator"],
                   help="mixer-cache: compute the frozen denoisers' predictions once into --out (resumable), "
                        "then `mixer --cache DIR` trains from them without running the denoisers")
    p.add_argument("--config", required=True, help="TOML config (see configs/)")
    p.add_argument("--out", default=None, help="run folder (default runs/<what>)")
    p.add_argument("--data", default=None,
                   help="training clips: corpus (the procedural corpus, default), humanml3d:PATH (a HumanML3D "
                        "folder: new_joint_vecs + texts, for the individual model) or interhuman:PATH (InterHuman "
                        "with in2IN's annots_individual)")
    p.add_argument("--granularity", choices=GRANULARITIES, default="ST", help="mixer granularity")
    p.add_argument("--people", type=int, choices=[1, 2], default=2, help="evaluator: 1 individual, 2 interaction")
    p.add_argument("--checkpoints", default="checkpoints", help="folder of the pre-trained models (mixer)")
    p.add_argument("--device", default=None)
    p.add_argument("--steps", type=int, default=None, help="override the config's step count")
    p.add_argument("--time-budget", type=float, default=None, help="stop and checkpoint after this many seconds")
    p.add_argument("--anneal-by-time", action="store_true", help="decay the learning rate over --time-budget")
    p.add_argument("--fresh", action="store_true", help="ignore an existing state.pt in the run folder")
    p.add_argument("--init", default=None,
                   help="denoisers, mixers: fine-tune from this checkpoint (a run folder's state.pt resumes instead)")
    p.add_argument("--cache", default=None, help="mixer, mixer-distill: read the denoisers' predictions from this "
                                                  "prediction cache")
    p.add_argument("--teacher", default=None, help="mixer-distill: the trained Mixer checkpoint to distil")
    p.add_argument("--no-velocity-readout", dest="velocity_readout", action="store_false",
                   help="mixer, mixer-cache, mixer-distill: the individual model's positions as it predicts them, not "
                        "refitted to its velocities (for prediction caches made so)")
    p.add_argument("--install", action="store_true", help="copy the final checkpoint into --checkpoints")
    args = p.parse_args(argv)

    cfg = load_config(args.config, mixer=args.what.startswith("mixer"))
    if args.data is not None:
        cfg.data.source = args.data
    if args.steps is not None:
        cfg.train.steps = args.steps
    if args.time_budget is not None:
        cfg.train.time_budget_s = args.time_budget
    cfg.train.anneal_by_time = args.anneal_by_time
    if args.what == "mixer-distill" and not (args.teacher and args.cache):
        p.error("mixer-distill needs --teacher and --cache")
    name = {"mixer": f"mixer_{args.granularity.lower()}", "mixer-cache": "mixer_predictions", "evaluator": f"evaluator_{'interaction' if args.people == 2 else 'individual'}"}
    out = Path(args.out or Path("runs") / name.get(args.what, args.what))

    def pair():
        """The pre-trained pair, read through M^b's velocities unless --no-velocity-readout."""
        from .composition.loading import load_pair

        loaded = load_pair(args.checkpoints)
        loaded.velocity_readout &= args.velocity_readout
        return loaded

    if args.what in ("interaction", "individual"):
        from .training.denoiser import train_denoiser

        final = train_denoiser(args.what, cfg, out, args.device, resume=not args.fresh, init=args.init)
    elif args.what == "mixer-cache":
        from .training.prediction_cache import build_from_config

        shards = build_from_config(pair(), cfg, args.checkpoints, out, args.device or "cpu",
                                   cfg.train.time_budget_s)
        print(f"prediction cache: {shards} of {-(-cfg.train.cache_samples // cfg.train.cache_shard)} shards in {out}")
        return
    elif args.what == "mixer":
        from .training.adversarial import train_mixer
        from .training.prediction_cache import denoiser_hashes

        final = train_mixer(args.granularity, pair(), cfg, out, args.device, resume=not args.fresh,
                            init=args.init, cache=args.cache,
                            denoisers=denoiser_hashes(args.checkpoints) if args.cache else None)
    elif args.what == "mixer-distill":
        from .training.distill import distill_mixer
        from .training.prediction_cache import denoiser_hashes

        final = distill_mixer(args.teacher, pair(), cfg, out, args.cache, args.device,
                              resume=not args.fresh, denoisers=denoiser_hashes(args.checkpoints))
    else:
        from .training.evaluator_run import train_evaluator_run

        final = train_evaluator_run(args.people, cfg, out, args.device, resume=not args.fresh)
    print(f"checkpoint: {final}")
    if args.install:
        Path(args.checkpoints).mkdir(parents=True, exist_ok=True)
        shutil.copy(final, Path(args.checkpoints) / final.name)


if __name__ == "__main__":
    main()
