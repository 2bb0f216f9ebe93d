"""Command line sampling.

    python -m mixermdm_core.sample --interaction "two people shake hands" --person1 "the person is limping" \
        --strategy st --seconds 4 --steps 50 --seed 0 --out motion.npy [--video] [--weights-out w.npy]

Writes float32 features (frames, 2, 262) (``--model individual``: (frames, 1, 262)).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .composition.cost import Cost
from .composition.strategies import STRATEGY_NAMES
from .devices import check_device
from .models.precision import PRECISIONS
from .vocabulary import DEFAULT_GUIDANCE


def _warn_if_slow(cost: Cost, frames: int, steps: int, guidance: tuple[float, float], people: int) -> None:
    """One line on stderr before a request these networks make slow on this CPU (``Cost.slow_on_cpu``)."""
    seconds = cost.seconds(frames, steps, guidance, people=people)
    if cost.slow_on_cpu(seconds):
        print(f"warning: {cost.describe(seconds)}; on a machine with a GPU, run with --device cuda", file=sys.stderr)


def _save(path: Path, array: np.ndarray) -> None:
    """An .npy file at exactly ``path`` (``np.save`` on a name would append ".npy" to any other suffix)."""
    with open(path, "wb") as f:
        np.save(f, array.astype(np.float32))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mixermdm_core.sample", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--interaction", default="", help="interaction text")
    p.add_argument("--person1", default="", help="individual text of person 1")
    p.add_argument("--person2", default="", help="individual text of person 2")
    p.add_argument("--model", choices=["interaction", "individual"], default="interaction",
                   help="a single model (ignored when --strategy is given)")
    p.add_argument("--strategy", default=None,
                   help=f"mix both models: one of {', '.join(STRATEGY_NAMES)}; a hand-painted body-part mix is "
                        "parts:PART=W[@T_HIGH-T_LOW],... with parts root, legs, spine, left_arm, right_arm (arms, all), "
                        "e.g. parts:legs=1,arms=0.3 or parts:all=0.8@1000-400 (t: 1000 = pure noise)")
    p.add_argument("--individual-chain", choices=("own", "mix"), default="own",
                   help="with --strategy: the individual model's chain follows its own prediction (default) or the "
                        "mix, as the official sampler does (which erases individual actions; see the README)")
    p.add_argument("--seconds", type=float, default=4.0)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--guidance", type=float, default=None, help=f"guidance scale of both models (default: interaction {DEFAULT_GUIDANCE[0]}, individual {DEFAULT_GUIDANCE[1]})")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--checkpoints", default=None, help="folder of the checkpoints (default: the shipped ones)")
    p.add_argument("--out", default="motion.npy")
    p.add_argument("--video", action="store_true", help="also write an mp4 preview next to --out")
    p.add_argument("--weights-out", default=None, help="save the weights of every step (steps, frames, 2, 22)")
    p.add_argument("--no-ground", dest="ground", action="store_false",
                   help="keep the network's raw output: no foot pinning, no lift above the floor")
    p.add_argument("--no-velocity-readout", dest="velocity_readout", action="store_false",
                   help="the individual model's joint positions as it predicts them, not refitted to its velocities "
                        "(representation.readout; official checkpoints are never refitted)")
    p.add_argument("--text-anchoring", type=float, default=None,
                   help="0..1: how far the interaction model's texts are pulled towards its training captions "
                        "(default: the checkpoint folder's; 0: off)")
    p.add_argument("--individual-anchoring", type=float, default=None,
                   help="0..1: the same for the individual model's texts, towards its own training captions")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (the official models want a GPU)")
    p.add_argument("--precision", choices=PRECISIONS, default="fp32",
                   help="bf16: networks in bfloat16, about 2x faster on CPUs with AVX-512 BF16")
    args = p.parse_args(argv)

    from .composition import pipeline as pl
    from .models.precision import set_threads
    from .paths import DEFAULT_DIR

    set_threads()
    ckpt = Path(args.checkpoints) if args.checkpoints else DEFAULT_DIR
    weights = None
    try:
        check_device(args.device)
        g = args.guidance
        guidance = DEFAULT_GUIDANCE if g is None else (g, g)
        frames = pl.frames_for(args.seconds)
        if args.strategy:
            pipe = pl.ComposedPipeline.from_pretrained(ckpt, args.device, precision=args.precision,
                                                      text_anchoring=args.text_anchoring,
                                                      individual_anchoring=args.individual_anchoring)
            pipe.pair.velocity_readout &= args.velocity_readout
            mixed = sum(bool(t.strip()) for t in (args.person1, args.person2))
            _warn_if_slow(pipe.cost, frames, args.steps, guidance, mixed)
            res = pipe(args.interaction, (args.person1, args.person2), [args.strategy], args.seconds, args.steps,
                       guidance, args.seed, ground=args.ground, individual_chain=args.individual_chain)
            result = res.strategies[next(iter(res.strategies))]
            weights = result.weights
        elif args.model == "individual":
            pipe = pl.IndividualPipeline.from_pretrained(ckpt, args.device, precision=args.precision,
                                                        text_anchoring=args.individual_anchoring)
            pipe.velocity_readout &= args.velocity_readout
            _warn_if_slow(pipe.cost, frames, args.steps, guidance, 1)
            result = pipe(args.person1, args.seconds, args.steps, guidance[1], args.seed, ground=args.ground)
        else:
            pipe = pl.InteractionPipeline.from_pretrained(ckpt, args.device, precision=args.precision,
                                                         text_anchoring=args.text_anchoring)
            _warn_if_slow(pipe.cost, frames, args.steps, guidance, 0)
            result = pipe(args.interaction, (args.person1, args.person2), args.seconds, args.steps, guidance[0],
                          args.seed, ground=args.ground)
    except (ValueError, FileNotFoundError, RuntimeError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _save(out, result.features)
    print(f"wrote {out} {result.features.shape}")
    if args.weights_out:
        if weights is None:
            print("error: --weights-out needs --strategy", file=sys.stderr)
            return 2
        _save(Path(args.weights_out), weights)
        print(f"wrote {args.weights_out} {weights.shape}")
    if args.video:
        from .visualize.video import render_video

        video = render_video(result.joints, out.with_suffix(".mp4"))
        print(f"wrote {video}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
