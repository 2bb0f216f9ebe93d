"""Gradio callbacks: turn UI values into a comparison request and its results into component updates."""
from __future__ import annotations

import logging
from typing import Any

import gradio as gr
from matplotlib.figure import Figure

from mixermdm_core.models.io import CheckpointError

from . import compare, inputs, plots, strategies
from .cancel import CancelFlags, Cancelled
from .files import OutputDir
from .runtime import Runtime
from .strategies import MAX_COMPARED

log = logging.getLogger(__name__)
SLOT_OUTPUTS = 4  # per result slot: column, video, heatmap, downloads
SHARED_OUTPUTS = 7  # status, timing, mean-weight chart, results state, step slider, 3D view choice, 3D view


def _session(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or "local"


def status_box(messages: list[str], error: bool) -> dict:
    """The message box under the button: hidden when there is nothing to say."""
    prefix = "**Error:**" if error else "**Note:**"
    return gr.update(value="\n\n".join(f"{prefix} {m}" for m in messages), visible=bool(messages))


class Callbacks:
    """Every callback of the app, bound to one runtime, output folder and set of cancel flags."""

    def __init__(self, runtime: Runtime):
        s = runtime.settings
        self.runtime = runtime
        self.outdir = OutputDir(s.output_dir, s.keep_requests, s.max_age_s)
        self.flags = CancelFlags()

    def generate(self, interaction: str, text1: str, text2: str, seconds: float, seed: float, steps: float,
                 guidance_interaction: float, guidance_individual: float, selected: list[str], blend_weight: float,
                 rate: float, scale: float, shape: str, request: gr.Request = None,
                 progress: gr.Progress = gr.Progress()) -> list[Any]:
        """Run one comparison; a bad input or a failure gives a message in the UI, never an exception."""
        session = _session(request)
        self.flags.start(session)

        def step(phase: str, done: int, total: int) -> None:
            self.flags.check(session)
            progress((done, total), desc=phase, unit="steps" if phase == "Denoising" else "strategies")

        try:
            self.flags.check(session)  # cancelled while it waited in the queue
            req = inputs.parse(interaction, text1, text2, seconds, seed, steps, guidance_interaction, guidance_individual)
            mixers = self.runtime.pipeline().mixers
            chosen = strategies.build(selected, mixers, blend_weight, rate, scale, shape)
            for note in req.notes:
                gr.Warning(note)
            result = compare.run(self.runtime, self.outdir, req, chosen, step)
        except (ValueError, CheckpointError, Cancelled) as err:
            return self._failure(str(err))
        except Exception as err:  # noqa: BLE001 - the UI boundary: log it, tell the user, keep serving
            log.exception("request failed")
            return self._failure(f"the request failed ({type(err).__name__}: {err})")
        finally:
            self.flags.finish(session)
        return self._success(req, result)

    def _failure(self, message: str) -> list[Any]:
        gr.Warning(message)
        return [status_box([message], error=True)] + [gr.skip()] * (SHARED_OUTPUTS - 1 + MAX_COMPARED * SLOT_OUTPUTS)

    def _success(self, req: inputs.Request, result: compare.Comparison) -> list[Any]:
        series = [(o.title, o.weights) for o in result.outputs]
        titles = [o.title for o in result.outputs]
        state = {"titles": titles, "weights": [o.weights for o in result.outputs], "mixed": result.mixed,
                 "timesteps": result.timesteps, "glb": {o.title: str(o.written.glb) for o in result.outputs}}
        out: list[Any] = [
            status_box(list(req.notes), error=False),
            result.summary(req),
            plots.mean_weight_chart(series, result.mixed, result.timesteps),
            state,
            gr.update(minimum=1, maximum=req.steps, value=req.steps, interactive=True),
            gr.update(choices=titles, value=titles[0]),
            state["glb"][titles[0]],
        ]
        for k in range(MAX_COMPARED):
            if k >= len(result.outputs):
                out += [gr.update(visible=False), None, None, None]
                continue
            o = result.outputs[k]
            out += [
                gr.update(visible=True),
                gr.update(value=str(o.written.video), label=o.title),
                plots.weights_heatmap(o.weights, req.steps, result.mixed, o.title, result.timesteps),
                [str(p) for p in o.written.downloads],
            ]
        return out

    def replot(self, state: dict | None, step: float) -> list[Figure | None]:
        """Heatmaps of every shown result at another denoising step, from the stored weights (no resampling)."""
        if not state:
            return [gr.skip()] * MAX_COMPARED
        figures = [plots.weights_heatmap(w, int(step), state["mixed"], title, state["timesteps"])
                   for title, w in zip(state["titles"], state["weights"])]
        return figures + [None] * (MAX_COMPARED - len(figures))

    def view3d(self, state: dict | None, title: str) -> str | dict:
        """The animated GLB of the result chosen for the 3D view."""
        return state["glb"][title] if state and title in state["glb"] else gr.skip()

    def curve(self, rate: float, scale: float, shape: str) -> Figure | dict:
        """The DualMDM schedule drawn for the edited parameters (a warning, not an error, if they are bad)."""
        try:
            return plots.dualmdm_curve(strategies.dualmdm(rate, scale, shape))
        except ValueError as err:
            gr.Warning(str(err))
            return gr.skip()

    def submit(self, request: gr.Request = None) -> None:
        """Note that this session submitted a request (before it waits in the queue), so it can be cancelled."""
        self.flags.submit(_session(request))

    def cancel(self, request: gr.Request = None) -> dict:
        """Ask this session's submitted or running request to stop at its next step."""
        if self.flags.request(_session(request)):
            return status_box(["cancelling: the request stops at its next step"], error=False)
        return status_box(["nothing to cancel"], error=False)
