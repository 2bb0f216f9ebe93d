"""The app's device setting and its slow-CPU warning (the text and the page; no browser)."""
from __future__ import annotations

import gradio as gr
import pytest
import torch

from mixermdm_core.composition.cost import Cost
from mixermdm_core.vocabulary import APP_STEPS, DEFAULT_GUIDANCE

from demo import estimate
from demo.callbacks import Callbacks
from demo.main import settings_from_env
from demo.runtime import Runtime
from demo.settings import Settings
from demo.ui import build_demo
from test_app_fixtures import FakeEncoder, make_tiny_checkpoints

BIG = Cost("cpu", 412_000_000, 2e-3, 1e-3)  # official-size networks on a CPU


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    return make_tiny_checkpoints(tmp_path_factory.mktemp("ckpt"))


@pytest.fixture
def runtime(checkpoints, tmp_path) -> Runtime:
    return Runtime(Settings(checkpoints, tmp_path / "out"), FakeEncoder())


def test_the_device_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("MIXERMDM_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert Settings.from_env().device == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert Settings.from_env().device == "cuda"  # the default where there is a GPU
    monkeypatch.setenv("MIXERMDM_DEVICE", " CPU ")
    assert Settings.from_env().device == "cpu"
    monkeypatch.setenv("MIXERMDM_DEVICE", "tpu")
    with pytest.raises(ValueError, match="MIXERMDM_DEVICE=tpu: unknown device 'tpu'"):
        Settings.from_env()
    with pytest.raises(SystemExit, match="^error: MIXERMDM_DEVICE=tpu: unknown device"):
        settings_from_env()  # what app.py and mixermdm-studio call: a message, no traceback
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setenv("MIXERMDM_DEVICE", "cuda")
    with pytest.raises(SystemExit, match="MIXERMDM_DEVICE=cuda: .*no CUDA GPU"):
        settings_from_env()
    with pytest.raises(ValueError, match="no CUDA GPU"):
        Settings("ck", "out", device="cuda")


def test_the_pipeline_loads_on_the_settings_device_and_is_timed_at_load(runtime):
    pipe = runtime.pipeline()
    assert pipe.device == runtime.settings.device == "cpu"
    assert "cost" in vars(pipe)  # measured while loading, not by the first request


def test_the_warning_text_names_size_estimate_and_the_way_out():
    text = estimate.warning_text(BIG, 4.0, 20, 2, (3.5, 6.0), 1)
    assert text.startswith("**Slow on this CPU** (2 strategies, 20 steps, 4 s of motion): the networks have 412M")
    assert "takes about 29 s" in text and "`MIXERMDM_DEVICE=cuda`" in text
    assert estimate.opening_warning(BIG) == estimate.warning_text(BIG, 4.0, APP_STEPS, 2, DEFAULT_GUIDANCE, 1)
    longer = estimate.warning_text(BIG, 8.0, 50, 3, (3.5, 6.0), 2)
    assert "(3 strategies, 50 steps, 8 s of motion)" in longer and "takes about 4.8 min" in longer
    assert estimate.opening_warning(None) is None
    assert estimate.opening_warning(Cost("cuda", 412_000_000, 2e-5, 1e-5)) is None  # on a GPU: no warning
    assert estimate.opening_warning(Cost("cpu", 1_000_000, 1.0, 1.0)) is not None  # small but slow here


def test_tiny_networks_show_no_warning(runtime):
    assert estimate.opening_warning(runtime.pipeline().cost) is None
    page = build_demo(runtime)
    assert not [b for b in page.blocks.values() if isinstance(b, gr.Markdown) and "Slow on this CPU" in (b.value or "")]


def test_big_networks_on_a_cpu_warn_next_to_the_button(runtime):
    vars(runtime.pipeline())["cost"] = BIG  # as if measured on official-size networks
    page = build_demo(runtime)
    shown = [b for b in page.blocks.values() if isinstance(b, gr.Markdown) and "Slow on this CPU" in (b.value or "")]
    assert len(shown) == 1 and shown[0].visible and "412M parameters" in shown[0].value
    cb = Callbacks(runtime)  # what the page calls when a setting changes
    one = cb.cpu_warning(4, 20, ["st"], 3.5, 6.0, "", "")
    assert "(1 strategy, 20 steps, 4 s of motion)" in one and "takes about 9.6 s" in one
    assert "takes about 29 s" in cb.cpu_warning(4, 20, ["st", "dualmdm"], 3.5, 6.0, "the person waves", "")
    assert cb.cpu_warning(4, "many", ["st"], 3.5, 6.0, "", "") == gr.skip()  # invalid: the text stays as it is
