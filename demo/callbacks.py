"""Gradio callbacks: turn UI values into a comparison request and its results into component updates."""
from __future__ import annotations

import logging
from collections.abc import Iterator

import gradio as gr
from matplotlib.figure import Figure

from mixermdm_core.models.io import CheckpointError

from . import choices, compare, estimate, inputs, plots
from .cancel import CancelFlags, Cancelled
from .choices import MAX_COMPARED
from .files import OutputDir
from .runtime import Runtime
from .view import ShownResults, SlotUpdate, Update
from .viewer import file_url

log = logging.getLogger(__name__)


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
                 rate: float, scale: float, shape: str, parts: list[list] | None = None, request: gr.Request = None,
                 progress: gr.Progress = gr.Progress()) -> Iterator[Update]:
        """Run one comparison, showing each result as soon as it is rendered; the last update holds the whole
        page. A bad input or a failure gives a message in the UI, never an exception."""
        session = _session(request)
        self.flags.start(session)

        def step(phase: str, done: int, total: int) -> None:
            self.flags.check(session)
            progress((done, total), desc=phase, unit="steps" if phase == "Denoising" else "strategies")

        try:
            self.flags.check(session)  # cancelled while it waited in the queue
            req = inputs.parse(interaction, text1, text2, seconds, seed, steps, guidance_interaction, guidance_individual)
            chosen = choices.build(selected, self.runtime.pipeline().mixers, blend_weight, rate, scale, shape, parts)
            for note in req.notes:
                gr.Warning(note)
            for comparison in compare.run(self.runtime, self.outdir, req, chosen, step):
                yield self._progress(req, comparison)
        except (ValueError, CheckpointError, Cancelled) as err:
            yield self._failure(str(err))
        except Exception as err:  # noqa: BLE001 - the UI boundary: log it, tell the user, keep serving
            log.exception("request failed")
            yield self._failure(f"the request failed ({type(err).__name__}: {err})")
        finally:
            self.flags.finish(session)

    def cpu_warning(self, seconds: float, steps: float, selected: list[str] | None, guidance_interaction: float,
                    guidance_individual: float, text1: str, text2: str) -> str | dict:
        """The slow-CPU warning (``estimate``) for the current settings; left as it is while a value is invalid."""
        try:
            req = inputs.parse("", text1, text2, seconds, 0, steps, guidance_interaction, guidance_individual)
            return estimate.warning_text(self.runtime.pipeline().cost, req.seconds, req.steps, len(selected or []),
                                         req.guidance, sum(req.mixed))
        except (ValueError, CheckpointError):
            return gr.skip()

    def _failure(self, message: str) -> Update:
        gr.Warning(message)
        return Update(status=status_box([message], error=True))

    def _progress(self, req: inputs.Request, comparison: compare.Comparison) -> Update:
        """The page after each sample (the 3D view with every result so far; after the first, the previous
        request's videos hidden), after each video (its slot), and when done (everything, the downloads and the
        mean-weight chart included)."""
        outputs = comparison.outputs
        if len(outputs) < comparison.sampled:
            hidden = {k: SlotUpdate.hidden() for k in range(MAX_COMPARED)} if comparison.sampled == 1 else {}
            return Update(status=status_box(list(req.notes), error=False), timing=comparison.summary(req),
                          viewer=file_url(comparison.view), slots=hidden)
        if not comparison.done:
            k, o = len(outputs) - 1, outputs[-1]
            return Update(timing=comparison.summary(req), slots={k: self._slot(req, comparison, o, [o.video])})
        titles = [o.title for o in outputs]
        shown = ShownResults(titles, [o.weights for o in outputs], comparison.mixed, comparison.timesteps)
        slots = {k: self._slot(req, comparison, o, o.written.downloads) for k, o in enumerate(outputs)}
        slots.update({k: SlotUpdate.hidden() for k in range(len(outputs), MAX_COMPARED)})
        chart = plots.mean_weight_chart([(o.title, o.weights) for o in outputs], comparison.mixed, comparison.timesteps)
        return Update(status=status_box(list(req.notes), error=False), timing=comparison.summary(req),
                      viewer=file_url(comparison.view), chart=chart, results=shown,
                      step=gr.update(minimum=1, maximum=req.steps, value=req.steps, interactive=True), slots=slots)

    @staticmethod
    def _slot(req: inputs.Request, comparison: compare.Comparison, o: compare.StrategyOutput,
              downloads: list) -> SlotUpdate:
        heatmap = plots.weights_heatmap(o.weights, req.steps, comparison.mixed, o.title, comparison.timesteps)
        return SlotUpdate(True, o.title, o.video, heatmap, list(downloads))

    def replot(self, shown: ShownResults | None, step: float) -> list[Figure | None]:
        """Heatmaps of every shown result at another denoising step, from the stored weights (no resampling)."""
        if not shown:
            return [gr.skip()] * MAX_COMPARED
        figures = [plots.weights_heatmap(w, int(step), shown.mixed, title, shown.timesteps)
                   for title, w in zip(shown.titles, shown.weights)]
        return figures + [None] * (MAX_COMPARED - len(figures))

    def curve(self, rate: float, scale: float, shape: str) -> Figure | dict:
        """The DualMDM schedule drawn for the edited parameters (a warning, not an error, if they are bad)."""
        try:
            return plots.dualmdm_curve(choices.dualmdm(rate, scale, shape))
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
