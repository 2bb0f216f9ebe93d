"""What a comparison request changes in the page, typed: the callbacks yield ``Update``s and ``Components``
turns them into Gradio updates, so the layout and the callbacks share names, not positions."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure


@dataclass
class ShownResults:
    """The results on the page (kept in a ``gr.State``): what the heatmap step slider reads."""

    titles: list[str]
    weights: list[np.ndarray]  # per result (steps, T, 2, 22)
    mixed: list[bool]  # which people have an individual text
    timesteps: list[int]


@dataclass
class SlotUpdate:
    """One result slot, set as a whole: hidden, or a video with its heatmap and downloads."""

    visible: bool
    title: str = ""
    video: Path | None = None
    heatmap: Figure | None = None
    downloads: list[Path] = field(default_factory=list)

    @classmethod
    def hidden(cls) -> "SlotUpdate":
        return cls(False)


@dataclass
class Update:
    """One step of a request as the page sees it; a field left None leaves its component as it is."""

    status: dict | None = None  # gr.update of the message box
    timing: str | None = None
    viewer: str | None = None  # URL of the request's view data, for the synchronised 3D view
    chart: Figure | None = None
    results: ShownResults | None = None
    step: dict | None = None  # gr.update of the heatmap step slider
    slots: dict[int, SlotUpdate] = field(default_factory=dict)


@dataclass
class SlotComponents:
    column: Any
    video: Any
    heatmap: Any
    files: Any


@dataclass
class Components:
    """The components a request updates, built by ``ui.build_demo``."""

    status: Any
    timing: Any
    viewer: Any
    chart: Any
    results: Any
    step: Any
    slots: list[SlotComponents]

    def outputs(self) -> list:
        """Every component a request may update, for the event's ``outputs``."""
        top = [getattr(self, f.name) for f in fields(self) if f.name != "slots"]
        return top + [c for s in self.slots for c in (s.column, s.video, s.heatmap, s.files)]

    def apply(self, update: Update) -> dict:
        """The Gradio updates of ``update``: only the components it sets."""
        import gradio as gr

        out = {getattr(self, f.name): getattr(update, f.name) for f in fields(update)
               if f.name != "slots" and getattr(update, f.name) is not None}
        for k, slot in update.slots.items():
            c = self.slots[k]
            out[c.column] = gr.update(visible=slot.visible)
            out[c.video] = gr.update(value=str(slot.video), label=slot.title) if slot.video else None
            out[c.heatmap] = slot.heatmap
            out[c.files] = [str(p) for p in slot.downloads] or None
        return out
