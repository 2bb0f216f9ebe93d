"""One comparison request: sample the chosen strategies one after another, showing each in the 3D view as soon
as it is sampled and then its video, then write the exports, which no result waits for.

One strategy at a time, not one batch: on a CPU a batch of two costs as much as two samples in turn (the
benchmark's ``batched4_vs_one``), so the first result comes in half the time and the last one no later."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from mixermdm_core.skeleton import FPS

from .exports import Written, write_exports, write_video
from .files import OutputDir
from .inputs import Request
from .runtime import Runtime
from .choices import Chosen
from .viewer import write_view

Step = Callable[[str, int, int], None]  # (phase, done, total): progress report, may raise Cancelled


@dataclass(frozen=True)
class StrategyOutput:
    title: str
    video: Path
    weights: np.ndarray  # (steps, T, 2, 22)
    written: Written | None = None  # the exports, once written


@dataclass
class Comparison:
    """A request as far as it has got: each result sampled (the 3D view), then rendered, then every export
    written."""

    outputs: list[StrategyOutput]  # rendered so far, in the order chosen
    sampled: int  # how many results the 3D view holds
    asked: int  # how many strategies were asked for
    view: Path  # the synchronised 3D view's data, rewritten (new name) after each sample
    mixed: list[bool]  # which people have an individual text
    timesteps: list[int]
    timing: dict[str, float]  # seconds: sampling (all), first_result (the 3D view), first_video, total

    @property
    def done(self) -> bool:
        return "total" in self.timing

    def summary(self, request: Request) -> str:
        """One line for the UI: what was run, how far it got and how long it took."""
        t = self.timing
        if not self.done:
            doing = ("writing the downloads" if len(self.outputs) == self.asked
                     else f"rendering {self.sampled}" if len(self.outputs) < self.sampled
                     else f"sampling {self.sampled + 1}")
            return f"{self.sampled} of {self.asked} strategies sampled in {t['sampling']:.1f} s — {doing}…"
        frames = self.outputs[0].weights.shape[1]
        return (f"{self.asked} strategies · {frames / FPS:g} s of motion ({frames} frames) · "
                f"{request.steps} DDIM steps · seed {request.seed} — first result (3D view) at "
                f"{t['first_result']:.1f} s, first video at {t['first_video']:.1f} s, sampling {t['sampling']:.1f} s "
                f"in all, **total {t['total']:.1f} s**")


def mixed_person(mixed: list[bool]) -> int | None:
    """The person to highlight in videos: the only one with an individual text (None for none or both)."""
    return mixed.index(True) if sum(mixed) == 1 else None


def run(runtime: Runtime, outdir: OutputDir, request: Request, chosen: list[Chosen], step: Step) -> Iterator[Comparison]:
    """For each strategy in turn: sample it and rewrite the 3D view's data with every result so far (yield), then
    render its video (yield); then write the exports (yield, done). ValueError / CheckpointError / Cancelled
    propagate; nothing is written before the first sample is done."""
    start = time.perf_counter()
    person, folder, comparison, results = mixed_person(request.mixed), None, None, []
    for k, c in enumerate(chosen):
        t0 = time.perf_counter()
        result = runtime.pipeline()(request.interaction, texts=request.texts, seconds=request.seconds,
                                    steps=request.steps, guidance=request.guidance, seed=request.seed,
                                    strategies=[c.strategy],
                                    callback=lambda done, total, k=k: step("Denoising", k * total + done,
                                                                           len(chosen) * total))
        took = time.perf_counter() - t0
        results.append(result.strategies[c.strategy.name])
        folder = folder or outdir.new_request()
        view = write_view(folder, [x.title for x in chosen[:k + 1]], [r.joints for r in results],
                          [r.weights[-1] for r in results], request.mixed, name=f"view_{k + 1}.json")
        if comparison is None:
            comparison = Comparison([], 0, len(chosen), view, request.mixed, list(result.timesteps), {"sampling": 0.0})
            comparison.timing["first_result"] = time.perf_counter() - start
        comparison.timing["sampling"] += took
        comparison.view, comparison.sampled = view, k + 1
        yield comparison
        step("Rendering", k, len(chosen))
        comparison.outputs.append(StrategyOutput(c.title, write_video(folder, c.key, results[k], person),
                                                 results[k].weights))
        comparison.timing.setdefault("first_video", time.perf_counter() - start)
        yield comparison
    for k, (c, res) in enumerate(zip(chosen, results)):
        step("Exporting", k, len(chosen))
        out = comparison.outputs[k]
        comparison.outputs[k] = replace(out, written=write_exports(folder, c.key, res, out.video))
    comparison.timing["total"] = time.perf_counter() - start
    yield comparison
