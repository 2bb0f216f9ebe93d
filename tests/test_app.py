"""The demo's callbacks with tiny random checkpoints: files and figures, messages for bad input, cleanup."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import gradio as gr
import numpy as np
import pytest
from matplotlib.figure import Figure

from mixermdm_core.composition.strategies import DualMDM
from mixermdm_core.export import read_bvh

from demo import choices, plots
from demo.callbacks import Callbacks
from demo.files import OutputDir
from demo.runtime import Runtime
from demo.settings import Settings
from demo.choices import MAX_COMPARED
from demo.ui import build_demo, launch_options
from demo.view import Update
from demo.viewer import STATIC
from test_app_fixtures import FakeEncoder, make_tiny_checkpoints

FAST = dict(seconds=1, seed=0, steps=5, guidance_interaction=3.5, guidance_individual=2.5, blend_weight=0.5,
            rate=0.0085, scale=1.0, shape="exp")


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory) -> Path:
    return make_tiny_checkpoints(tmp_path_factory.mktemp("ckpt"))


@pytest.fixture
def callbacks(checkpoints, tmp_path) -> Callbacks:
    return Callbacks(Runtime(Settings(checkpoints, tmp_path / "out", keep_requests=3), FakeEncoder()))


def updates(cb: Callbacks, interaction="two people shake hands", text1="the person is limping", text2="",
            selected=("st", "dualmdm"), progress=None, request=None, **overrides) -> Iterator[Update]:
    kw = {**FAST, **overrides}
    args = [interaction, text1, text2, kw["seconds"], kw["seed"], kw["steps"], kw["guidance_interaction"],
            kw["guidance_individual"], list(selected), kw["blend_weight"], kw["rate"], kw["scale"], kw["shape"],
            kw.get("parts")]
    return cb.generate(*args, request=request, progress=progress or gr.Progress())


def generate(cb: Callbacks, **kw) -> Update:
    """The page after a request: its updates applied in order."""
    page = Update()
    for update in updates(cb, **kw):
        for f in fields(update):
            if f.name != "slots" and getattr(update, f.name) is not None:
                setattr(page, f.name, getattr(update, f.name))
        page.slots.update(update.slots)
    return page


def test_generate_writes_every_file_and_figure(callbacks):
    out = generate(callbacks)
    status, timing, chart, state, step = out.status, out.timing, out.chart, out.results, out.step
    assert status["visible"] is False
    assert "2 strategies" in timing and "total" in timing
    assert isinstance(chart, Figure) and len(chart.axes[0].lines) == 2
    assert step["maximum"] == 5 and step["value"] == 5
    titles = ["MixerMDM-ST", "DualMDM (exp, rate 0.0085, scale 1)"]
    assert state.titles == titles
    view = json.loads(Path(out.viewer.removeprefix("/gradio_api/file=")).read_text())
    assert [r["title"] for r in view["results"]] == titles and view["frames"] == 30 and view["mixed"] == [True, False]
    for r, k in zip(view["results"], range(2)):
        joints = np.load(out.slots[k].downloads[1])  # the motion npy: features; compare positions through the BVH
        assert len(r["joints"]) == 30 * 2 * 22 * 3 and len(r["weights"]) == 30 * 2 * 22 and len(r["touching"]) == 30 * 44
        assert joints.shape == (30, 2, 262)
        assert np.allclose(np.array(r["weights"]).reshape(30, 2, 22) / 100, state.weights[k][-1], atol=0.006)
    assert sorted(out.slots) == list(range(MAX_COMPARED))
    for k in range(2):
        slot = out.slots[k]
        assert slot.visible and slot.title == titles[k]
        assert slot.video.stat().st_size > 1000 and slot.video.suffix == ".mp4"
        assert isinstance(slot.heatmap, Figure)
        files = slot.downloads
        names = [Path(f).name for f in files]
        key = names[0].removesuffix(".mp4")
        assert names == [f"{key}.mp4", f"{key}_motion.npy", f"{key}_p1.bvh", f"{key}_p2.bvh", f"{key}_weights.npy",
                         f"{key}.glb"]
        folder = Path(files[0]).parent
        assert np.load(folder / f"{key}_motion.npy").shape == (30, 2, 262)
        assert np.load(folder / f"{key}_weights.npy").shape == (5, 30, 2, 22)
        assert read_bvh(folder / f"{key}_p1.bvh").shape == (30, 22, 3)
        assert folder.parent == callbacks.outdir.requests
    assert all(not out.slots[k].visible and out.slots[k].video is None for k in range(2, MAX_COMPARED))


def test_each_result_shows_as_soon_as_it_is_sampled_then_rendered(callbacks):
    stream = updates(callbacks, selected=("st", "dualmdm", "blend"))
    for k in range(3):
        sampled = next(stream)  # the 3D view with every result sampled so far, before its video
        assert f"{k + 1} of 3 strategies sampled in" in sampled.timing
        view = Path(sampled.viewer.removeprefix("/gradio_api/file="))
        assert view.name == f"view_{k + 1}.json" and len(json.loads(view.read_text())["results"]) == k + 1
        assert len(list(view.parent.glob("*.mp4"))) == k
        if k == 0:  # no video of the previous request stays
            assert sorted(sampled.slots) == list(range(MAX_COMPARED))
            assert not any(slot.visible for slot in sampled.slots.values())
        else:
            assert not sampled.slots
        shown = next(stream)
        assert list(shown.slots) == [k] and shown.slots[k].video.is_file() and shown.results is None
        assert shown.slots[k].downloads == [shown.slots[k].video]  # the exports come after every video
        assert not list(shown.slots[k].video.parent.glob("*.glb"))
    done = next(stream)
    assert "total" in done.timing and len(done.slots[0].downloads) == 6 and done.results.titles[2].startswith("Diffusion")
    assert next(stream, None) is None


def test_same_seed_same_motion_other_seed_other_motion(callbacks):
    def motion(seed: int) -> np.ndarray:
        files = generate(callbacks, seed=seed, selected=["st"]).slots[0].downloads
        return np.load(files[1])

    first = motion(7)
    assert np.array_equal(first, motion(7))
    assert not np.array_equal(first, motion(8))


@pytest.mark.parametrize("overrides, message", [
    (dict(interaction="", text1="", text2=""), "type an interaction text or an individual text"),
    (dict(interaction="   ", text1="\n", text2="\t"), "type an interaction text or an individual text"),
    (dict(seconds=0.2), "motion length must be between 1 and 8"),
    (dict(seconds=60), "motion length must be between 1 and 8"),
    (dict(seconds=None), "motion length must be a number"),
    (dict(steps=0), "steps must be a whole number in 1..1000"),
    (dict(steps=2.5), "DDIM steps must be a whole number"),
    (dict(steps=float("nan")), "DDIM steps must be a finite number"),
    (dict(guidance_interaction=500), "guidance must be in 0..20"),
    (dict(seed=-1), "seed must be between 0"),
    (dict(seed="abc"), "seed must be a number"),
    (dict(selected=[]), "choose at least one strategy"),
    (dict(selected=["st", "s", "t", "g", "dualmdm", "blend", "interaction"]), "compare at most 6 strategies"),
    (dict(selected=["zzz"]), "unknown or unloaded strategy: zzz"),
    (dict(selected=["blend"], blend_weight=2), "a blending weight must be in [0, 1]"),
    (dict(scale=3), "DualMDM needs rate >= 0 and scale in [0, 1]"),
    (dict(shape="cubic"), "DualMDM shape must be exp, exp-inv or linear"),
    (dict(text1=42), "the text of person 1 must be text"),
])
def test_bad_input_gives_a_message_not_an_exception(callbacks, overrides, message):
    with pytest.warns(UserWarning, match="."):  # gr.Warning outside a running app
        out = list(updates(callbacks, **overrides))
    assert len(out) == 1 and out[0] == Update(status=out[0].status)  # the message alone, the page kept
    assert out[0].status["visible"] is True and message in out[0].status["value"]
    assert not callbacks.outdir.requests.exists()  # nothing written for a rejected request


def test_long_and_odd_prompts_still_run(callbacks):
    long_text = "two people shake hands " * 250  # 5,750 characters
    with pytest.warns(UserWarning, match="only the first 1,000 are used"):
        out = generate(callbacks, interaction=long_text)
    assert "first 1,000" in out.status["value"] and out.status["visible"] is True
    out = generate(callbacks, interaction="🤝 two people\x00 shake hands ✨ <b>&amp;</b>", text1="la personne boite 🦵")
    assert out.status["visible"] is False and out.slots[0].video.is_file()


def test_body_part_mix_runs_from_the_ui_with_its_table(callbacks):
    table = [["root trajectory", 0, 1000, 0], ["legs", 1, 1000, 0], ["spine and head", 0, 1000, 0],
             ["left arm", 0.25, 1000, 0], ["right arm", 0.6, 400, 0]]
    out = generate(callbacks, selected=["parts"], parts=table)
    assert out.results.titles == ["Body-part mix (legs 1, left arm 0.25, right arm 0.6 (t 400-0))"]
    w = out.results.weights[0]  # (steps, T, 2, 22); person 1 is mixed, person 2 has no text
    timesteps = np.array(out.results.timesteps)
    legs, left, right = [1, 2, 4, 5, 7, 8, 10, 11], [13, 16, 18, 20], [14, 17, 19, 21]
    assert (w[:, :, 0][..., legs] == 1).all() and np.allclose(w[:, :, 0][..., left], 0.25)
    assert (w[:, :, 0][..., [0, 3, 6, 9, 12, 15]] == 0).all() and (w[:, :, 1] == 0).all()
    assert np.allclose(w[timesteps <= 400][:, :, 0][..., right], 0.6) and (w[timesteps > 400][:, :, 0][..., right] == 0).all()
    with pytest.warns(UserWarning, match="the weight of the legs must be a number"):
        bad = generate(callbacks, selected=["parts"], parts=[*table[:1], ["legs", "lots", 1000, 0], *table[2:]])
    assert bad.status["visible"] is True


def test_person_without_text_follows_the_interaction_model(callbacks):
    out = generate(callbacks, selected=["individual"], text1="", text2="the person jumps")
    weights = out.results.weights[0]
    assert (weights[:, :, 0] == 0).all() and (weights[:, :, 1] == 1).all()


def test_missing_checkpoints_are_reported_in_the_ui(tmp_path):
    runtime = Runtime(Settings(tmp_path / "nothing", tmp_path / "out"), FakeEncoder())
    assert "interaction.safetensors" in runtime.load_error() and runtime.learned() == []
    with pytest.warns(UserWarning):
        out = generate(Callbacks(runtime), selected=["dualmdm"])
    assert out.status["visible"] is True and "checkpoint not found" in out.status["value"]
    assert isinstance(build_demo(runtime), gr.Blocks)


def test_only_loaded_learned_mixers_are_offered(tmp_path):
    only_st = make_tiny_checkpoints(tmp_path / "st", granularities=("ST",))
    learned = Runtime(Settings(only_st, tmp_path / "out"), FakeEncoder()).learned()
    assert learned == ["ST"]
    values = [v for _, v in choices.choices(learned)]
    assert values == ["st", "dualmdm", "blend", "parts", "interaction", "individual"]
    assert choices.default_selection(learned) == ["st", "dualmdm"]
    assert choices.default_selection([]) == ["blend", "dualmdm"]
    with pytest.raises(ValueError, match="unknown or unloaded strategy: g"):
        choices.build(["g"], {"ST": object()}, 0.5, 0.0085, 1.0, "exp")


def test_step_slider_replots_heatmaps_from_stored_weights(callbacks):
    state = generate(callbacks).results
    figures = callbacks.replot(state, 1)
    assert [isinstance(f, Figure) for f in figures] == [True, True] + [False] * (MAX_COMPARED - 2)
    image = figures[0].axes[0].images[0].get_array()
    assert image.shape == (22, 30)
    assert np.allclose(image, state.weights[0][0, :, 0].T)
    assert "step 1/5" in figures[0].axes[0].get_title()
    assert callbacks.replot(None, 3) == [gr.skip()] * MAX_COMPARED


def test_dualmdm_curve_follows_the_edited_parameters(callbacks):
    fig = callbacks.curve(0.02, 0.8, "exp-inv")
    assert isinstance(fig, Figure)
    t, w = fig.axes[0].lines[0].get_data()
    schedule = DualMDM(rate=0.02, scale=0.8, shape="exp-inv")
    assert t[0] == 1000 and t[-1] == 0
    assert np.allclose(w, [schedule.at(x) for x in t])
    with pytest.warns(UserWarning, match="shape"):
        assert callbacks.curve(0.01, 1.0, "zigzag") == gr.skip()


def test_mean_weight_chart_has_one_line_per_strategy():
    w = np.random.default_rng(0).random((4, 10, 2, 22))
    fig = plots.mean_weight_chart([("a", w), ("b", w * 0)], [True, False], [999, 666, 333, 0])
    a, b = fig.axes[0].lines
    assert np.allclose(a.get_ydata(), w[:, :, 0].mean(axis=(1, 2))) and (b.get_ydata() == 0).all()


class Session:
    session_hash = "s1"


def test_cancel_stops_a_running_request(callbacks):
    class CancelAtStep3:
        def __call__(self, progress, desc=None, unit="steps"):
            if progress[0] == 3:
                assert "cancelling" in callbacks.cancel(Session())["value"]

    with pytest.warns(UserWarning, match="cancelled"):
        out = generate(callbacks, steps=20, request=Session(), progress=CancelAtStep3())
    assert "cancelled" in out.status["value"]
    assert out.status["visible"] is True and not callbacks.outdir.requests.exists()
    assert generate(callbacks, request=Session()).status["visible"] is False  # the next request runs


def test_cancel_while_queued_and_stray_cancels(callbacks):
    assert "nothing to cancel" in callbacks.cancel(Session())["value"]
    assert generate(callbacks, request=Session()).status["visible"] is False  # a stray click cancels nothing
    callbacks.submit(Session())
    callbacks.cancel(Session())  # while the request waits in the queue
    with pytest.warns(UserWarning, match="cancelled"):
        assert "cancelled" in generate(callbacks, request=Session()).status["value"]
    callbacks.submit(Session())
    assert generate(callbacks, request=Session()).status["visible"] is False


def test_cleanup_keeps_the_output_folder_bounded(tmp_path):
    outdir = OutputDir(tmp_path, keep=3, max_age_s=3600)
    folders = [outdir.new_request() for _ in range(8)]
    assert set(outdir.requests.iterdir()) == set(folders[-3:])
    old = folders[-3]
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert outdir.cleanup() == [old] and set(outdir.requests.iterdir()) == set(folders[-2:])


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MIXERMDM_CHECKPOINTS", str(tmp_path / "ck"))
    monkeypatch.setenv("MIXERMDM_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("MIXERMDM_KEEP_REQUESTS", "5")
    s = Settings.from_env()
    assert (s.checkpoints, s.output_dir, s.keep_requests, s.concurrency) == (tmp_path / "ck", tmp_path / "out", 5, 1)
    monkeypatch.delenv("MIXERMDM_CHECKPOINTS")
    assert Settings.from_env().checkpoints.name == "checkpoints"
    assert launch_options(s)["allowed_paths"] == [str(tmp_path / "out"), str(STATIC)]  # outputs, the 3D view's scripts
    assert s.precision == "fp32" == s.network_precision()
    monkeypatch.setenv("MIXERMDM_PRECISION", "AUTO")
    assert Settings.from_env().network_precision() in ("fp32", "bf16")
    monkeypatch.setenv("MIXERMDM_PRECISION", "half")
    with pytest.raises(ValueError, match="precision must be one of fp32, bf16"):
        Settings.from_env()


def test_app_module_exposes_the_demo_offline(checkpoints, tmp_path):
    """``import app`` (what Spaces and tests do) builds ``demo`` from the env's checkpoints, launching nothing."""
    code = ("import json, os, app; print(json.dumps([type(app.demo).__name__, app.SETTINGS.checkpoints.as_posix(), "
            "os.environ['GRADIO_ANALYTICS_ENABLED'], os.environ['GRADIO_TEMP_DIR'], app.RUNTIME.learned()]))")
    env = {**os.environ, "MIXERMDM_CHECKPOINTS": str(checkpoints), "MIXERMDM_OUTPUT_DIR": str(tmp_path / "out")}
    env.pop("GRADIO_ANALYTICS_ENABLED", None)
    env.pop("GRADIO_TEMP_DIR", None)
    run = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1], env=env,
                         capture_output=True, text=True, timeout=300, check=True)
    name, ckpt, analytics, temp, learned = json.loads(run.stdout.strip().splitlines()[-1])
    assert (name, ckpt, analytics, learned) == ("Blocks", checkpoints.as_posix(), "False", ["G", "T", "S", "ST"])
    assert Path(temp).is_relative_to(tmp_path / "out")
