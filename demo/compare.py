"""One comparison request: sample every chosen strategy together, then render and export each result."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mixermdm_core.skeleton import FPS

from .exports import Written, write_result
from .files import OutputDir
from .inputs import Request
from .runtime import Runtime
from .strategies import Chosen

Step = Callable[[str, int, int], None]  # (phase, done, total): progress report, may raise Cancelled


@dataclass(frozen=True)
class StrategyOutput:
    title: str
    written: Written
    weights: np.ndarray  # (steps, T, 2, 22)


@dataclass(frozen=True)
class Comparison:
    outputs: list[StrategyOutput]
    mixed: list[bool]  # which people have an individual text
    timesteps: list[int]
    timing: dict[str, float]  # seconds spent sampling, rendering/exporting, in total

    def summary(self, request: Request) -> str:
        """One line for the UI: what was run and how long it took."""
        t = self.timing
        frames = self.outputs[0].weights.shape[1]
        return (f"{len(self.outputs)} strategies · {frames / FPS:g} s of motion ({frames} frames) · "
                f"{request.steps} DDIM steps · seed {request.seed} — sampling {t['sampling']:.1f} s, "
                f"rendering and exports {t['rendering']:.1f} s, **total {t['total']:.1f} s**")


def mixed_person(mixed: list[bool]) -> int | None:
    """The person to highlight in videos: the only one with an individual text (None for none or both)."""
    return mixed.index(True) if sum(mixed) == 1 else None


def run(runtime: Runtime, outdir: OutputDir, request: Request, chosen: list[Chosen], step: Step) -> Comparison:
    """Sample, render and export; ValueError / CheckpointError / Cancelled propagate to the caller."""
    start = time.perf_counter()
    pipe = runtime.pipeline()
    result = pipe(request.interaction, texts=request.texts, seconds=request.seconds, steps=request.steps,
                  guidance=request.guidance, seed=request.seed, strategies=[c.strategy for c in chosen],
                  callback=lambda done, total: step("Denoising", done, total))
    sampled = time.perf_counter()
    folder = outdir.new_request()
    outputs = []
    for k, c in enumerate(chosen):
        step("Rendering and exporting", k, len(chosen))
        res = result.strategies[c.strategy.name]
        written = write_result(folder, c.key, res, mixed_person(request.mixed))
        outputs.append(StrategyOutput(c.title, written, res.weights))
    end = time.perf_counter()
    timing = {"sampling": sampled - start, "rendering": end - sampled, "total": end - start}
    return Comparison(outputs, request.mixed, list(result.timesteps), timing)
