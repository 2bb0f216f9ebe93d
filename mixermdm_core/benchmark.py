"""Command line: where the time of a request goes, on this machine.

    python -m mixermdm_core.benchmark [--seconds 4] [--steps 50] [--repeats 2] [--precision fp32|bf16]

Times, for one 4-s two-person sample at 50 DDIM steps: one model alone (the interaction model), the two
models without a mixer (a fixed blend: both models run, no Mixer network), each strategy, four strategies
batched together, the render of one animation, and the app's path for its default comparison (ST and DualMDM at
the app's default steps, as the app runs them: each strategy sampled, which is when the app's 3D view shows it,
then its video rendered, in turn; then the downloads written); then parameter counts and peak memory. The last
line is machine-readable:

    mixer_overhead=R1 batched4_vs_one=R2 render_vs_realtime=R3 app_first_vs_alone=R4 app_all_vs_alone=R5 mixer_in_run=R6

R1 = time(ST mixer) / time(two models without mixer); R2 = time(4 strategies batched) / time(one strategy);
R3 = render time / clip duration (below 0.2 means at least 5x faster than real time); R4, R5 = time to the
app's first result (its 3D view, after sampling) and to all its videos and downloads, over time(interaction
model alone at --steps), measured in the same run. Rows whose ratios are compared run round-robin (the model
alone, the blend and each strategy; the model alone again beside each app run), best of --repeats each, so a
slow spell of a shared machine does not tilt a ratio. R6 = the same overhead as R1 from inside the ST rows: their
time over their time less the seconds spent in the Mixer's own calls. It needs no second row, so it holds where
rows of equal work scatter (on a shared 2-core VM, DualMDM and the blend, which do the same work, differ by up to
10 %).
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import torch

from .models.precision import PRECISIONS
from .vocabulary import APP_STEPS, PAPER_STEPS

APP_DEFAULT = ("st", "dualmdm")  # the comparison the app opens with (demo.choices.default_selection)


def _timed(fn, repeats: int) -> float:
    return _timed_together({"": fn}, repeats)[""]


def _timed_together(fns: dict, repeats: int) -> dict[str, float]:
    """Best of ``repeats`` for each function, run round-robin so that a slow spell of the machine (other
    tenants, thermal) hits all of them alike and their ratios hold."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


class _CallTimer:
    """Stands in for a network: forwards calls and attributes to it and adds up the seconds its calls take."""

    def __init__(self, inner):
        self.inner, self.seconds = inner, 0.0

    def __call__(self, *args, **kwargs):
        t0 = time.perf_counter()
        out = self.inner(*args, **kwargs)
        self.seconds += time.perf_counter() - t0
        return out

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def _params(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mixermdm_core.benchmark", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=4.0)
    p.add_argument("--steps", type=int, default=PAPER_STEPS)
    p.add_argument("--app-steps", type=int, default=APP_STEPS, help="DDIM steps of the app-path rows")
    p.add_argument("--repeats", type=int, default=2, help="best of N runs per row")
    p.add_argument("--checkpoints", default=None)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", choices=PRECISIONS, default="fp32", help="of the networks (bf16: bfloat16)")
    args = p.parse_args(argv)

    from .models.precision import set_threads
    from .paths import DEFAULT_DIR
    from .composition.pipeline import ComposedPipeline, frames_for

    set_threads()
    pipe = ComposedPipeline.from_pretrained(Path(args.checkpoints) if args.checkpoints else DEFAULT_DIR, args.device,
                                            precision=args.precision)
    alone = pipe.interaction_pipeline()
    texts = ("two people shake hands", "the person is limping", "the person waves with the left hand")
    pipe.embed(list(texts), args.device)  # warm the text cache: text encoding is not what we time
    run = dict(seconds=args.seconds, steps=args.steps, seed=0)
    print(f"device={args.device} threads={torch.get_num_threads()} motion={args.seconds:g}s steps={args.steps} "
          f"precision={args.precision}")

    rows: list[tuple[str, float]] = []
    names = [n for n in ("g", "t", "s", "st") if n.upper() in pipe.mixers] + ["dualmdm"]
    fns = {"alone": lambda: alone(texts[0], texts[1:], **run)}
    fns.update({name: (lambda name=name: pipe(texts[0], texts[1:], [name], **run)) for name in ["blend:0.5", *names]})
    key = "st" if "st" in names else names[0]  # the strategy whose overhead R1 and R6 report
    timer, ref_run = _CallTimer(pipe.mixers.get(key.upper())), _CallTimer(fns[key])
    fns[key] = ref_run
    if timer.inner is not None:
        pipe.mixers[key.upper()] = timer
    one = _timed_together(fns, args.repeats)
    if timer.inner is not None:
        pipe.mixers[key.upper()] = timer.inner
    in_run = ref_run.seconds / (ref_run.seconds - timer.seconds)
    base = one["blend:0.5"]
    rows.append(("interaction model alone", one["alone"]))
    rows.append(("two models, no mixer (blend:0.5)", base))
    rows.extend((f"strategy {name}", one[name]) for name in names)
    four = [n for n in ("st", "s", "dualmdm", "blend:0.5") if n in names or n.startswith("blend")][:4]
    batched = _timed(lambda: pipe(texts[0], texts[1:], four, **run), args.repeats)
    rows.append((f"4 strategies batched ({', '.join(four)})", batched))

    from .export import write_bundle
    from .visualize.video import render_video

    motion = pipe(texts[0], texts[1:], ["dualmdm"], **run)["dualmdm"].joints
    with tempfile.TemporaryDirectory() as tmp:
        render = _timed(lambda: render_video(motion, Path(tmp) / "clip.mp4"), args.repeats)
    rows.append((f"render {args.seconds:g}-s animation (848x480 mp4)", render))

    app = [n for n in APP_DEFAULT if n in names]
    best, alone_near_app = (float("inf"),) * 3, float("inf")
    for _ in range(args.repeats):  # the bare model again beside each app run, for the app ratios
        alone_near_app = min(alone_near_app, _timed(fns["alone"], 1))
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            results, marks = {}, []
            for name in app:  # as demo/compare.py: each strategy sampled, shown, then rendered in turn
                results[name] = pipe(texts[0], texts[1:], [name], **{**run, "steps": args.app_steps})[name]
                marks.append(time.perf_counter() - t0)
                render_video(results[name].joints, Path(tmp) / f"{name}.mp4", mixed_person=0)
                marks.append(time.perf_counter() - t0)
            for name, r in results.items():
                write_bundle(Path(tmp), name, r.features, r.joints, r.weights)
            best = min(best, (marks[0], marks[1], time.perf_counter() - t0))
    label = f"app, {' + '.join(app)}, {args.app_steps} steps"
    rows.append((f"{label}: first result (3D view, sampled)", best[0]))
    rows.append((f"{label}: first video", best[1]))
    rows.append((f"{label}: all videos and downloads", best[2]))

    width = max(len(r[0]) for r in rows)
    print(f"{'what':<{width}}  {'seconds':>8}  {'x two models':>12}")
    for name, sec in rows:
        print(f"{name:<{width}}  {sec:8.2f}  {sec / base:12.2f}")
    print("parameters:", ", ".join(f"{n}={_params(m) / 1e6:.2f}M" for n, m in
                                   [("interaction", pipe.pair.interaction), ("individual", pipe.pair.individual),
                                    *[(f"mixer_{k.lower()}", v) for k, v in pipe.mixers.items()]]))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (resident, whole process): {peak_mb:.0f} MB")
    ref = one[key]
    frames = frames_for(args.seconds)
    print(f"mixer_overhead={ref / base:.3f} batched4_vs_one={batched / ref:.3f} render_vs_realtime={render / (frames / 30):.3f} "
          f"app_first_vs_alone={best[0] / alone_near_app:.3f} app_all_vs_alone={best[2] / alone_near_app:.3f} "
          f"mixer_in_run={in_run:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
