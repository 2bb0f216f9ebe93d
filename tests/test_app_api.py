"""The app's HTTP API through ``gradio_client``, against the app launched on 127.0.0.1 (tiny checkpoints)."""
from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

gradio_client = pytest.importorskip("gradio_client")

from demo.runtime import Runtime  # noqa: E402
from demo.settings import Settings  # noqa: E402
from demo.ui import build_demo, launch_options  # noqa: E402
from test_app_fixtures import FakeEncoder, make_tiny_checkpoints  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    settings = Settings(make_tiny_checkpoints(root / "ckpt"), root / "out")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("GRADIO_TEMP_DIR", str(settings.output_dir / "gradio"))  # as app.py does: no files elsewhere
        demo = build_demo(Runtime(settings, FakeEncoder()))
        demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True,
                    **launch_options(settings))
        try:
            yield gradio_client.Client(demo.local_url, verbose=False, download_files=str(root / "downloads"))
        finally:
            demo.close()


def compare(client, interaction: str, seconds: float = 1) -> tuple:
    return client.predict(interaction, "the person waves with the left hand", "", seconds, 3, 4, 3.5, 2.5,
                          ["st", "blend"], 0.3, 0.0085, 1.0, "exp", api_name="/compare")


def test_compare_over_http_returns_videos_and_exports(client):
    out = compare(client, "two people hug")
    status, timing = out[0], out[1]
    assert "2 strategies" in timing and "total" in timing
    assert status["visible"] is False and out[2].endswith("view_2.json") and out[4]["maximum"] == 4
    # demo.view.Components.outputs() order, less what the API leaves out (the state, each slot's column):
    shared, per_slot = 5, 3  # status, timing, 3D view, chart, step slider; video, heatmap, files
    first, second, third = (out[shared + k * per_slot:shared + (k + 1) * per_slot] for k in range(3))
    assert first[0]["label"] == "MixerMDM-ST" and second[0]["label"] == "DiffusionBlending (w = 0.3)"
    assert all(o is None for o in third)
    for video, heatmap, files in (first, second):
        assert Path(video["value"]).stat().st_size > 1000
        assert heatmap["type"] == "matplotlib"
        names = sorted(Path(f).name for f in files)
        assert any(n.endswith("_motion.npy") for n in names) and sum(n.endswith(".bvh") for n in names) == 2
        motion = next(f for f in files if f.endswith("_motion.npy"))
        assert np.load(motion).shape == (30, 2, 262)


def test_bad_input_over_http_is_a_message(client):
    out = client.predict("", "", "", 4, 0, 4, 3.5, 2.5, ["dualmdm"], 0.5, 0.0085, 1.0, "exp", api_name="/compare")
    assert out[0]["visible"] is True and "type an interaction text or an individual text" in out[0]["value"]
    with pytest.raises(gradio_client.exceptions.AppError, match="greater than maximum value 8"):
        compare(client, "two people hug", seconds=30)  # Gradio checks slider bounds itself
    assert "total" in compare(client, "two people hug")[1]  # and the app still serves


def test_api_lists_the_compare_endpoint(client):
    api = client.view_api(print_info=False, return_format="dict")
    assert "/compare" in api["named_endpoints"] and "/heatmaps" in api["named_endpoints"]
