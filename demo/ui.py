"""The layout of the app and the wiring of its events."""
from __future__ import annotations

import functools

import gradio as gr

from mixermdm_core.composition.pipeline import MAX_SECONDS, MIN_SECONDS
from mixermdm_core.composition.strategies import DualMDM
from mixermdm_core.text.encoders import MAX_PROMPT_CHARS
from mixermdm_core.vocabulary import APP_STEPS, DEFAULT_GUIDANCE, PAPER_STEPS

from . import choices, estimate, plots
from .callbacks import Callbacks
from .inputs import MAX_SEED
from .runtime import Runtime
from .settings import Settings
from .sync import SYNC_VIDEOS_JS
from .view import Components, SlotComponents
from .viewer import STATIC, viewer_component

TITLE = "MixerMDM studio"
INTRO = """
# MixerMDM studio
Compose two human motion diffusion models: an **interaction** model (two people, one text) and an
**individual** model (one person, one text). Each strategy mixes their predictions at every denoising step
with weights *w* (0 = interaction model, 1 = individual model): **MixerMDM** learns per-joint, per-frame
weights (CVPR 2025); **DualMDM** follows a fixed schedule over the diffusion steps; **DiffusionBlending**
uses one constant weight. All strategies start from the same noise, so the results are directly comparable.
"""
EXAMPLES = [
    ["two people shake hands", "the person is limping", ""],
    ["two people hug", "the person waves with the left hand", ""],
    ["two people walk side by side", "the person jumps", ""],
    ["two people give each other a high five", "", "the person squats"],
    ["two people bow to each other", "the person kicks with the right leg", ""],
    ["two people dance together", "the person spins around", "the person claps"],
]
SYSTEM_FONTS = ["ui-sans-serif", "system-ui", "sans-serif"]  # no web fonts: the app works offline
CSS = """
.status-box { border: 1px solid #f59f00; border-radius: 8px; padding: 4px 12px; background: #fff9db; }
#mixer-results .plot-container img { max-width: 100%; }
.mixer-bar { display: flex; gap: 10px; align-items: center; margin: 4px 0; }
.mixer-timeline { flex: 1; }
.mixer-play { min-width: 2.4em; }
.mixer-time { font-variant-numeric: tabular-nums; font-size: 0.85em; min-width: 11em; }
.mixer-stage { position: relative; }
.mixer-canvas { display: block; cursor: grab; border-radius: 6px; }
.mixer-labels { position: absolute; inset: 0; display: grid; pointer-events: none; padding: 6px; }
.mixer-label-row { display: flex; gap: 12px; align-items: flex-start; }
.mixer-title { font-weight: 600; font-size: 0.85em; border-left: 5px solid; padding-left: 6px; height: fit-content; }
.mixer-grid { display: grid; gap: 10px; margin-top: 6px; }
.mixer-heatmap-wrap { position: relative; }
.mixer-heatmap { display: block; width: 100%; height: 88px; image-rendering: pixelated; }
.mixer-cursor { position: absolute; top: 0; bottom: 0; width: 2px; background: #e03131; transform: translateX(-1px); }
.mixer-heatmap-note { font-size: 0.72em; opacity: 0.75; }
"""


def launch_options(settings: Settings) -> dict:
    """Keyword arguments of ``demo.launch``: theme, style and the only folders files are served from (the requests'
    outputs and the 3D view's scripts)."""
    theme = gr.themes.Soft(primary_hue="orange", secondary_hue="blue", font=SYSTEM_FONTS,
                           font_mono=["ui-monospace", "monospace"])
    return {"theme": theme, "css": CSS, "allowed_paths": [str(settings.output_dir), str(STATIC)]}


def build_demo(runtime: Runtime) -> gr.Blocks:
    """The Gradio app around ``runtime`` (queue on, one request sampled at a time on a CPU)."""
    cb = Callbacks(runtime)
    learned = runtime.learned()
    error = runtime.load_error()
    s = runtime.settings
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(s.max_age_s, s.max_age_s)) as demo:
        gr.Markdown(INTRO)
        if error:
            gr.Markdown(f"**Error: the models could not be loaded:** {error}", elem_classes="status-box")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                interaction = gr.Textbox(label="Interaction text (both people)", lines=2, max_length=MAX_PROMPT_CHARS,
                                         placeholder="two people shake hands")
                with gr.Row():
                    text1 = gr.Textbox(label="Individual text, person 1", max_length=MAX_PROMPT_CHARS,
                                       placeholder="the person is limping (empty: follows the interaction model)")
                    text2 = gr.Textbox(label="Individual text, person 2", max_length=MAX_PROMPT_CHARS,
                                       placeholder="empty: follows the interaction model")
                with gr.Row():
                    seconds = gr.Slider(MIN_SECONDS, MAX_SECONDS, value=estimate.DEFAULT_SECONDS, step=0.5,
                                        label="Motion length (s)")
                    seed = gr.Number(0, label="Seed", precision=0, minimum=0, maximum=MAX_SEED)
                selected = gr.CheckboxGroup(choices.choices(learned), value=choices.default_selection(learned),
                                            label=f"Strategies to compare (up to {choices.MAX_COMPARED})",
                                            elem_id="strategies")
                with gr.Row():
                    run = gr.Button("Generate", variant="primary", elem_id="generate", scale=3)
                    stop = gr.Button("Cancel", variant="stop", scale=1)
                warning = estimate.opening_warning(None if error else runtime.pipeline().cost)
                slow = gr.Markdown(warning or "", visible=warning is not None, elem_classes="status-box")
                status = gr.Markdown(visible=False, elem_classes="status-box")
            with gr.Column(scale=2):
                with gr.Accordion("DualMDM schedule", open=True):
                    default = DualMDM()
                    curve = gr.Plot(plots.dualmdm_curve(default), show_label=False, format="png")
                    with gr.Row():
                        rate = gr.Slider(0, 0.05, value=default.rate, step=0.0005, label="rate")
                        scale = gr.Slider(0, 1, value=default.scale, step=0.05, label="scale")
                        shape = gr.Dropdown(choices.DUALMDM_SHAPES, value=default.shape, label="shape")
                with gr.Accordion("DiffusionBlending", open=True):
                    blend = gr.Slider(0, 1, value=0.5, step=0.05, label="weight w (0 interaction, 1 individual)")
                with gr.Accordion("Body-part mix", open=False):
                    parts = gr.Dataframe(choices.DEFAULT_PARTS, headers=choices.PARTS_HEADERS, type="array",
                                         datatype=["str", "number", "number", "number"], static_columns=[0],
                                         row_count=len(choices.DEFAULT_PARTS), row_limits=(5, 5),
                                         interactive=True, show_label=False, elem_id="parts")
                    gr.Markdown("A weight per body part (0 interaction, 1 individual), applied while the diffusion "
                                "step t runs from *from t* down to *to t* (1000 = pure noise, 0 = the final "
                                "motion; outside it the part follows the interaction model).")
                with gr.Accordion("Sampling", open=False):
                    steps = gr.Slider(1, 200, value=APP_STEPS, step=1, label="DDIM steps",
                                      info=f"{APP_STEPS} by default for speed; the paper uses {PAPER_STEPS} "
                                           "(docs/evaluation.md, 'Steps', compares them)")
                    with gr.Row():
                        g_inter = gr.Slider(0, 10, value=DEFAULT_GUIDANCE[0], step=0.1, label="Interaction guidance")
                        g_indiv = gr.Slider(0, 10, value=DEFAULT_GUIDANCE[1], step=0.1, label="Individual guidance")
        gr.Examples(EXAMPLES, inputs=[interaction, text1, text2], label="Examples: an interaction plus an individual "
                    "detail the interaction model would not produce alone", cache_examples=False)

        with gr.Column(elem_id="mixer-results"):
            with gr.Row():
                timing = gr.Markdown("Results appear here, side by side.", elem_id="timing")
                replay = gr.Button("▶ Play the videos together", size="sm", scale=0)
            viewer = viewer_component()
            slots = []
            for row in range(0, choices.MAX_COMPARED, 3):
                with gr.Row(equal_height=False):
                    for k in range(row, row + 3):
                        with gr.Column(visible=False, min_width=280) as column:
                            video = gr.Video(label=f"Result {k + 1}", autoplay=True, loop=True, interactive=False)
                            heatmap = gr.Plot(label="Per-joint weights", show_label=False, format="png")
                            with gr.Accordion("Downloads", open=False):
                                files = gr.File(label="mp4, motion npy (T, 2, 262), BVH per person, weights npy, GLB",
                                                file_count="multiple", interactive=False)
                        slots.append(SlotComponents(column, video, heatmap, files))
            with gr.Row(equal_height=False):
                step = gr.Slider(1, APP_STEPS, value=APP_STEPS, step=1, interactive=False,
                                 label="Denoising step shown in the heatmaps under the videos (1 = first, noisiest; "
                                       "the last is the final mix)")
                chart = gr.Plot(label="Mean weight per denoising step", show_label=False, format="png")
        results = gr.State()

        inputs = [interaction, text1, text2, seconds, seed, steps, g_inter, g_indiv, selected, blend, rate, scale, shape,
                  parts]
        submitted = run.click(cb.submit, None, None, queue=False, api_visibility="private")
        page = Components(status, timing, viewer, chart, results, step, slots)

        @functools.wraps(cb.generate)  # Gradio reads the request and progress parameters from its signature
        def compare(*args, **kwargs):
            for update in cb.generate(*args, **kwargs):
                yield page.apply(update)

        event = submitted.then(compare, inputs, page.outputs(),
                          api_name="compare",
                          concurrency_limit=s.concurrency, concurrency_id="sampling")
        event.then(None, js=SYNC_VIDEOS_JS)
        stop.click(cb.cancel, None, status, api_name="cancel", concurrency_limit=None, queue=False)
        replay.click(None, js=SYNC_VIDEOS_JS)
        step.release(cb.replot, [results, step], [s.heatmap for s in slots], api_name="heatmaps", concurrency_limit=2,
                     show_progress="hidden")
        if warning is not None:  # its estimate follows the settings
            gr.on([c.change for c in (seconds, steps, selected, g_inter, g_indiv, text1, text2)], cb.cpu_warning,
                  [seconds, steps, selected, g_inter, g_indiv, text1, text2], slow, api_visibility="private",
                  queue=False, trigger_mode="always_last", show_progress="hidden")
        for control in (rate, scale, shape):
            control.change(cb.curve, [rate, scale, shape], curve, api_visibility="private", concurrency_limit=2,
                           trigger_mode="always_last", show_progress="hidden")
    demo.queue(default_concurrency_limit=s.concurrency, max_size=32)
    return demo
