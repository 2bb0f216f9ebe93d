"""The app's own output folder: one sub-folder per request, with old ones removed (bounded growth)."""
from __future__ import annotations

import shutil
import threading
import time
import uuid
from pathlib import Path


class OutputDir:
    """``root/requests/<time>-<id>/`` folders; at most ``keep`` of them, none older than ``max_age_s``."""

    def __init__(self, root: Path, keep: int, max_age_s: float):
        self.root, self.keep, self.max_age_s = Path(root), keep, max_age_s
        self.requests = self.root / "requests"
        self._lock = threading.Lock()

    def new_request(self) -> Path:
        """A fresh, empty folder for one request, after removing old ones to make room for it."""
        with self._lock:
            self.cleanup(keep=self.keep - 1)
            folder = self.requests / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
            folder.mkdir(parents=True)
            return folder

    def cleanup(self, keep: int | None = None) -> list[Path]:
        """Remove request folders older than ``max_age_s`` and all but the newest ``keep``; returns them."""
        keep = self.keep if keep is None else keep
        if not self.requests.is_dir():
            return []
        folders = sorted((p for p in self.requests.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        now = time.time()
        stale = [p for i, p in enumerate(folders) if i >= keep or now - p.stat().st_mtime > self.max_age_s]
        for folder in stale:
            shutil.rmtree(folder, ignore_errors=True)
        return stale
