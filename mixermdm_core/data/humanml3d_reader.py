"""Reader for a HumanML3D folder as the official pipeline writes it.

Layout: ``new_joint_vecs/{id}.npy`` (T, 263) features, ``new_joints/{id}.npy`` (T, 22, 3) joints,
``texts/{id}.txt`` captions, ``Mean.npy``/``Std.npy`` statistics and ``{split}.txt`` id lists.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..representation.humanml3d import FEATURE_DIM, FPS
from ..representation.normalization import Normalizer
from ..skeleton import NUM_JOINTS
from ._io import DatasetFormatError, load_array, numbered_lines, read_ids, require_dir

WHAT = "HumanML3D"


@dataclass(frozen=True)
class Caption:
    """One caption line ``caption#tagged tokens#start#end``; start = end = 0 means the whole clip."""

    text: str
    tokens: tuple[str, ...]  # "word/POS" pairs
    start: float  # seconds
    end: float

    @property
    def whole_clip(self) -> bool:
        return self.start == 0.0 and self.end == 0.0

    def frames(self, fps: float = FPS) -> slice:
        """The rows of the clip this caption describes (the official ``int(seconds * fps)`` rounding)."""
        return slice(None) if self.whole_clip else slice(int(self.start * fps), int(self.end * fps))


def parse_caption(line: str, where: str) -> Caption:
    """A :class:`Caption` from one line; ``where`` (file and line) goes into the error. NaN times read as 0,
    as the official loaders do."""
    parts = line.split("#")
    if len(parts) != 4 or not parts[0].strip():
        raise DatasetFormatError(f"{where}: expected 'caption#tokens#start#end', got {line!r}")
    tokens = tuple(parts[1].split())
    if any("/" not in tok for tok in tokens):
        raise DatasetFormatError(f"{where}: tokens must be 'word/TAG', got {parts[1]!r}")
    try:
        start, end = (float(p) for p in parts[2:])
    except ValueError as err:
        raise DatasetFormatError(f"{where}: start/end must be numbers, got {parts[2]!r}, {parts[3]!r}") from err
    start, end = (0.0 if math.isnan(t) else t for t in (start, end))
    if start < 0 or end < start:
        raise DatasetFormatError(f"{where}: bad time range {start}..{end}")
    return Caption(parts[0].strip(), tokens, start, end)


class HumanML3DReader:
    """Read clips, captions, splits and statistics from a HumanML3D root folder."""

    def __init__(self, root: str | Path):
        self.root = require_dir(Path(root), WHAT)

    def ids(self, split: str) -> list[str]:
        """Clip ids listed in ``{split}.txt`` (train, val, test, train_val, all)."""
        return read_ids(self.root / f"{split}.txt", f"{WHAT} split")

    def motion(self, clip: str) -> np.ndarray:
        """(T, 263) float32 features of one clip."""
        path = self.root / "new_joint_vecs" / f"{clip}.npy"
        return load_array(path, (None, FEATURE_DIM), f"{WHAT} features").astype(np.float32)

    def joints(self, clip: str) -> np.ndarray:
        """(T, 22, 3) float32 joint positions of one clip (Y up, metres)."""
        path = self.root / "new_joints" / f"{clip}.npy"
        return load_array(path, (None, NUM_JOINTS, 3), f"{WHAT} joints").astype(np.float32)

    def captions(self, clip: str) -> list[Caption]:
        """Every caption of one clip; a file without any is an error."""
        path = self.root / "texts" / f"{clip}.txt"
        captions = [parse_caption(line, f"{path}, line {n}") for n, line in numbered_lines(path, f"{WHAT} texts")]
        if not captions:
            raise DatasetFormatError(f"{path}: no captions")
        return captions

    def stats(self) -> Normalizer:
        """The dataset's 263-d normalisation statistics (``Mean.npy``, ``Std.npy``)."""
        return Normalizer.from_files(self.root / "Mean.npy", self.root / "Std.npy", dim=FEATURE_DIM)
