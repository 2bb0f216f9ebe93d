"""One comparison request: sample every chosen strategy together, then render each result as it comes, then
write the exports, which the first result does not wait for."""
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
    """A request as far as it has got: sampled, then each result rendered, then every export written."""

    outputs: list[StrategyOutput]  # rendered so far, in the order chosen
    asked: int  # how many strategies were asked for
    view: Path  # the synchronised 3D view's data, written right after sampling
    mixed: list[bool]  # which people have an individual text
    timesteps: list[int]
    timing: dict[str, float]  # seconds: sampling, first_result (the 3D view), first_video, rendering, total

    @property
    def done(self) -> bool:
        return "total" in self.timing

    def summary(self, request: Request) -> str:
        """One line for the UI: what was run, how far it got and how long it took."""
        t = self.timing
        if not self.done:
            doing = (f"rendering {len(self.outputs) + 1} of {self.asked}" if len(self.outputs) < self.asked
                     else "writing the downloads")
            return f"{self.asked} strategies sampled in {t['sampling']:.1f} s — {doing}…"
        frames = self.outputs[0].weights.shape[1]
        return (f"{self.asked} strategies · {frames / FPS:g} s of motion ({frames} frames) · "
                f"{request.steps} DDIM steps · seed {request.seed} — sampling {t['sampling']:.1f} s, "
                f"3D view at {t['first_result']:.1f} s, first video at {t['first_video']:.1f} s, "
                f"rendering and exports {t['rendering']:.1f} s, "
                f"**total {t['total']:.1f} s**")


def mixed_person(mixed: list[bool]) -> int | None:
    """The person to highlight in videos: the only one with an individual text (None for none or both)."""
    return mixed.index(True) if sum(mixed) == 1 else None


def run(runtime: Runtime, outdir: OutputDir, request: Request, chosen: list[Chosen], step: Step) -> Iterator[Comparison]:
    """Sample every strategy as one batch and write the 3D view's data (yield), render each result's video (yield
    after each), then write the exports (yield, done). ValueError / CheckpointError / Cancelled propagate."""
    start = time.perf_counter()
    result = runtime.pipeline()(request.interaction, texts=request.texts, seconds=request.seconds,
                                steps=request.steps, guidance=request.guidance, seed=request.seed,
                                strategies=[c.strategy for c in chosen],
                                callback=lambda done, total: step("Denoising", done, total))
    sampled = time.perf_counter()
    folder = outdir.new_request()
    results = [result.strategies[c.strategy.name] for c in chosen]
    view = write_view(folder, [c.title for c in chosen], [r.joints for r in results], [r.weights[-1] for r in results],
                      request.mixed)
    comparison = Comparison([], len(chosen), view, request.mixed, list(result.timesteps),
                            {"sampling": sampled - start, "first_result": time.perf_counter() - start})
    yield comparison
    person = mixed_person(request.mixed)
    for k, (c, res) in enumerate(zip(chosen, results)):
        step("Rendering", k, len(chosen))
        comparison.outputs.append(StrategyOutput(c.title, write_video(folder, c.key, res, person), res.weights))
        comparison.timing.setdefault("first_video", time.perf_counter() - start)
        yield comparison
    for k, (c, res) in enumerate(zip(chosen, results)):
        step("Exporting", k, len(chosen))
        out = comparison.outputs[k]
        comparison.outputs[k] = replace(out, written=write_exports(folder, c.key, res, out.video))
    end = time.perf_counter()
    comparison.timing.update(rendering=end - sampled, total=end - start)
    yield comparison
