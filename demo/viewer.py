"""The synchronised 3D view: one WebGL canvas (three.js, served from ``demo/static``) showing every compared
strategy side by side or overlaid, with one timeline, one orbit camera and a frame cursor on each weight heatmap.

Python writes one small JSON per request (joint positions in mm, noses and chest markers, contacts, last-step
weights in %), the page fetches it; what the bodies look like (colours, sizes, contact glow, the nose and chest
marker that show facing) comes from ``mixermdm_core.visualize.scene``, so the view and the mp4s agree.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib import colormaps

from mixermdm_core.skeleton import FPS, PARENTS
from mixermdm_core.visualize.scene import (BACKGROUND, BONE_RADII, GLOW, HIGHLIGHT, JOINT_RADII,
                                           NOSE_RADIUS, PERSON_COLORS, chest_positions, nose_positions,
                                           touching_joints)

from .plots import people_shown

STATIC = Path(__file__).resolve().parent / "static"
VIEW_FILE = "view.json"
CMAP_STEPS = 32  # entries of the heatmaps' colour map sent to the page (matplotlib's viridis, as the PNGs)


def view_data(titles: list[str], joints: list[np.ndarray], weights: list[np.ndarray], mixed: list[bool]) -> dict:
    """What the page draws for results with ``joints`` (T, 2, 22, 3) and last-step ``weights`` (T, 2, 22)."""
    cmap = colormaps["viridis"](np.linspace(0, 1, CMAP_STEPS))[:, :3]
    results = []
    for title, j, w in zip(titles, joints, weights):
        j = np.asarray(j, np.float64)
        nose = nose_positions(j)
        results.append({
            "title": title,
            "joints": np.round(j * 1000).astype(int).ravel().tolist(),
            "nose": np.round(nose * 1000).astype(int).ravel().tolist(),
            "chest": np.round(chest_positions(j) * 1000).astype(int).ravel().tolist(),
            "touching": "".join("1" if t else "0" for t in touching_joints(j).ravel()),
            "weights": np.round(np.asarray(w) * 100).astype(int).ravel().tolist(),
        })
    frames = int(np.asarray(joints[0]).shape[0])
    return {"fps": FPS, "frames": frames, "people": 2, "joints": len(PARENTS), "parents": list(PARENTS),
            "joint_radii": JOINT_RADII.round(4).tolist(), "bone_radii": BONE_RADII.round(4).tolist(), "nose_radius": NOSE_RADIUS,
            "colors": PERSON_COLORS.round(3).tolist(), "glow": GLOW.tolist(), "highlight": HIGHLIGHT.tolist(),
            "background": BACKGROUND.tolist(), "cmap": cmap.round(3).tolist(), "mixed": [bool(m) for m in mixed],
            "heatmap_people": people_shown(mixed),
            "results": results}


def write_view(folder: Path, titles: list[str], joints: list[np.ndarray], weights: list[np.ndarray],
               mixed: list[bool], name: str = VIEW_FILE) -> Path:
    """Write the view data to ``folder/name``; a new name for new data, since the page reloads on a new URL."""
    path = folder / name
    path.write_text(json.dumps(view_data(titles, joints, weights, mixed), separators=(",", ":")))
    return path


def file_url(path: Path) -> str:
    """The URL path under which Gradio serves an allowed file."""
    return f"/gradio_api/file={Path(path).resolve()}"


# The component's page script: load our viewer module (it imports three.js next to it) and show the request's
# data whenever the component's value (the URL of a view.json) changes. The viewer module keeps one WebGL
# context for the page and falls back to a message where WebGL is missing.
JS_ON_LOAD = """
const root = (window.gradio_config && window.gradio_config.root) || '';
const show = async () => {
  const box = element.querySelector('.mixer-view');
  if (!box || !props.value) return;
  const viewer = await import(root + '__VIEWER__');
  await viewer.show(box, root + props.value);
};
watch('value', show);
show();
"""

HTML_TEMPLATE = '<div class="mixer-view" data-src="${value}"></div>'


def viewer_component():
    """The gr.HTML that hosts the view (empty until the first request)."""
    import gradio as gr

    return gr.HTML("", html_template=HTML_TEMPLATE, elem_id="sync-view", min_height=80,
                   js_on_load=JS_ON_LOAD.replace("__VIEWER__", file_url(STATIC / "viewer.js")))
