"""End to end: the real app in a subprocess, driven by headless Chromium through Playwright.

Uses the shipped checkpoints when they are all present, else tiny random ones (the real text encoder
either way). The screenshot is written to ``$E2E_SCREENSHOT`` (default: the test's temporary folder).
"""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mixermdm_core.paths import DEFAULT_DIR

from test_app_fixtures import make_tiny_checkpoints

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHIPPED = ["interaction", "individual", "mixer_st"]
REPO = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 300_000  # a request with the shipped models on a 2-core CPU, rendering included

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def checkpoints(tmp_path: Path) -> Path:
    if all((DEFAULT_DIR / f"{name}.safetensors").is_file() for name in SHIPPED):
        return DEFAULT_DIR
    return make_tiny_checkpoints(tmp_path / "ckpt")


def wait_for(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the app did not answer at {url} within {timeout:.0f} s")


@pytest.fixture
def app_url(tmp_path):
    port = free_port()
    env = {**os.environ, "MIXERMDM_CHECKPOINTS": str(checkpoints(tmp_path)), "MIXERMDM_OUTPUT_DIR": str(tmp_path / "out"),
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen([sys.executable, "app.py"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# The strategies to tick; E2E_STRATEGIES (labels separated by '|') overrides them, e.g. for the README's screenshot.
STRATEGY_LABELS = os.environ.get("E2E_STRATEGIES",
                                 "MixerMDM-ST|DualMDM (schedule)|Body-part mix (hand-painted)").split("|")
# The most the app compares at once (demo.choices.MAX_COMPARED), all in one 3D view.
SIX_LABELS = ["MixerMDM-ST", "MixerMDM-S", "MixerMDM-T", "MixerMDM-G", "DualMDM (schedule)",
              "DiffusionBlending (fixed weight)"]


def coloured_pixels_per_panel(page) -> list[int]:
    """Per panel of the 3D view's canvas, as the page shows it: how many pixels are strongly coloured (the
    bodies; floor, grid and background are grey)."""
    image = np.asarray(Image.open(io.BytesIO(page.locator("#sync-view .mixer-canvas").screenshot())).convert("RGB"))
    columns, rows, results = page.evaluate("[window.mixerView.columns, window.mixerView.rows, "
                                           "window.mixerView.data.results.length]")
    h, w = image.shape[0] // rows, image.shape[1] // columns
    saturated = (image.max(-1).astype(int) - image.min(-1)) > 80
    panels = range(1 if columns == 1 and rows == 1 else results)
    return [int(saturated[(k // columns) * h:(k // columns + 1) * h, (k % columns) * w:(k % columns + 1) * w].sum())
            for k in panels]


def check_synchronised_view(page, results: int, screenshot: Path) -> None:
    """The one-canvas 3D view: bodies drawn in every panel, a timeline that plays, and heatmap cursors that
    follow it when scrubbed."""
    page.locator("#sync-view .mixer-view[data-state=ready]").wait_for(timeout=60_000)
    # the view reloads with each strategy sampled: wait for the one that holds them all
    page.wait_for_function(f"window.mixerView && window.mixerView.data.results.length === {results}", timeout=60_000)
    page.wait_for_timeout(300)
    drawn = coloured_pixels_per_panel(page)
    assert len(drawn) == results and all(n > 200 for n in drawn), drawn
    before = page.evaluate("window.mixerView.frame")
    page.wait_for_timeout(700)
    assert page.evaluate("window.mixerView.frame") != before  # it plays
    page.locator("#sync-view .mixer-play").click()  # pause
    frames = page.evaluate("window.mixerView.data.frames")
    page.locator("#sync-view .mixer-timeline").fill(str(frames // 2))
    cursors = page.evaluate("""() => [...document.querySelectorAll('#sync-view .mixer-cursor')]
                                      .map(c => [c.dataset.frame, parseFloat(c.style.left)])""")
    assert len(cursors) == results
    for frame, left in cursors:
        assert frame == str(frames // 2) and abs(left - (frames // 2 + 0.5) / frames * 100) < 0.01
    assert page.evaluate("window.mixerView.frame") == frames // 2
    page.locator("#sync-view .mixer-overlay input").check()  # every result in one panel
    assert page.evaluate("window.mixerView.columns") == 1 and coloured_pixels_per_panel(page)[0] > 200
    page.locator("#sync-view .mixer-overlay input").uncheck()
    page.locator("#sync-view").screenshot(path=str(screenshot))


# Records each change of (videos on the page, request done) as the page updates, to check the streaming.
RECORD_STREAM = """() => {
  window.streamSeen = [];
  new MutationObserver(() => {
    const state = [document.querySelectorAll('#mixer-results video[src]').length,
                   document.querySelector('#timing').innerText.includes('total')];
    const last = window.streamSeen.at(-1);
    if (!last || last[0] !== state[0] || last[1] !== state[1]) window.streamSeen.push(state);
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


@pytest.mark.parametrize("labels", [STRATEGY_LABELS, SIX_LABELS], ids=["default", "six"])
def test_compare_strategies_in_the_browser(app_url, tmp_path, labels):
    shot = os.environ.get("E2E_SCREENSHOT") if labels is STRATEGY_LABELS else None  # the README's is the default
    screenshot = Path(shot or tmp_path / "e2e.png")
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
            page.goto(app_url)
            page.get_by_label("Interaction text (both people)").fill("two people shake hands")
            page.get_by_label("Individual text, person 1").fill("the person is limping")
            boxes = page.locator("#strategies input[type=checkbox]")
            for k in range(boxes.count()):
                boxes.nth(k).uncheck()
            for label in labels:
                page.get_by_label(label, exact=True).check()
            page.evaluate(RECORD_STREAM)
            page.locator("#generate").click()
            # results stream in one by one; the timing line says "total" once the request is done
            page.wait_for_function("document.querySelector('#timing').innerText.includes('total')", timeout=TIMEOUT_MS)
            seen = page.evaluate("window.streamSeen")
            assert [1, False] in seen, seen  # the first result's video was on the page before the request ended
            page.wait_for_function(
                f"document.querySelectorAll('#mixer-results video[src]').length === {len(labels)}", timeout=60_000)
            page.wait_for_function(
                "[...document.querySelectorAll('#mixer-results video')].every(v => v.readyState >= 2)", timeout=60_000)
            heatmaps = page.locator("#mixer-results img[src^='data:image/png']")
            heatmaps.first.wait_for(timeout=60_000)
            assert heatmaps.count() >= len(labels) + 1  # one heatmap each and the mean-weight chart
            assert f"{len(labels)} strategies" in page.locator("#timing").inner_text()
            titles = page.locator("#mixer-results").inner_text()
            assert all(label.split(" (")[0] in titles for label in labels)
            check_synchronised_view(page, len(labels), screenshot.with_name(screenshot.stem + "_view.png"))
            page.wait_for_timeout(1500)  # let the synchronised videos play a little
            # Show a mid-clip frame in every panel: pause, seek, and wait until each video has painted it.
            # (Each wait gives up after 5 s: headless Chromium does not always fire these events for every video,
            # and a screenshot is not worth a hung test.)
            page.evaluate("""() => Promise.all([...document.querySelectorAll('#mixer-results video')].map(v =>
                new Promise(done => { v.pause(); v.addEventListener('seeked', done, {once: true});
                                      setTimeout(done, 5000);
                                      v.currentTime = Math.min(2, v.duration / 2); })))""")
            # Headless Chromium may not have composited a seeked frame yet: play each video until it presents
            # a frame, then pause it there.
            page.evaluate("""() => Promise.all([...document.querySelectorAll('#mixer-results video')].map(v =>
                new Promise(done => { v.requestVideoFrameCallback(() => { v.pause(); done(); }); v.play();
                                      setTimeout(() => { v.pause(); done(); }, 5000); })))""")
            page.wait_for_timeout(500)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
    assert outside == [], f"the page reached outside the machine: {outside[:5]}"
    assert len(list((tmp_path / "out" / "requests").glob("*/*.mp4"))) == len(labels)
