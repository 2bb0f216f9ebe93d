"""The loaded pipeline, shared by every request: loaded once (at start-up, by the UI's build), under a lock."""
from __future__ import annotations

import threading

from mixermdm_core.models.precision import set_threads
from mixermdm_core.composition.pipeline import ComposedPipeline
from mixermdm_core.models.io import CheckpointError
from mixermdm_core.text.encoders import TextEncoder
from mixermdm_core.vocabulary import GRANULARITIES

from .settings import Settings


class Runtime:
    """Settings plus the lazily loaded :class:`ComposedPipeline` (``encoder`` None = the default MiniLM)."""

    def __init__(self, settings: Settings, encoder: TextEncoder | None = None):
        self.settings, self.encoder = settings, encoder
        self._pipe: ComposedPipeline | None = None
        self._lock = threading.Lock()

    def pipeline(self) -> ComposedPipeline:
        """The pipeline; raises :class:`CheckpointError` (naming the file) if the checkpoints can't be loaded."""
        with self._lock:
            if self._pipe is None:
                set_threads()
                s = self.settings
                pipe = ComposedPipeline.from_pretrained(s.checkpoints, s.device, self.encoder, s.network_precision())
                # Load the text encoder here too, once: the pipeline would load it lazily in each request's
                # thread, and loading it from two threads at a time fails (transformers' lazy imports race).
                pipe.embed([""], "cpu")
                pipe.cost  # time the denoisers now, at load (composition.cost), for the page's warning
                self._pipe = pipe
            return self._pipe

    def load_error(self) -> str | None:
        """Try to load (again, if an earlier try failed); the error message, or None once loaded."""
        try:
            self.pipeline()
        except (CheckpointError, ImportError) as err:  # a checkpoint, or the text encoder's package, is missing
            return str(err)
        return None

    def learned(self) -> list[str]:
        """Granularities of the loaded learned mixers, in the paper's order (empty if nothing loaded)."""
        if self.load_error():
            return []
        return [g for g in GRANULARITIES if g in self._pipe.mixers]
