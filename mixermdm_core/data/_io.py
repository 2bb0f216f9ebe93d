"""File checks shared by the dataset readers: every error names the file or folder it is about."""
from __future__ import annotations

from pathlib import Path

import numpy as np


class DatasetFormatError(ValueError):
    """A dataset file exists but does not have the layout the reader expects."""


def require_dir(path: Path, what: str) -> Path:
    """``path`` if it is a folder, else FileNotFoundError naming it."""
    if not path.is_dir():
        raise FileNotFoundError(f"{what} folder not found: {path}")
    return path


def require_file(path: Path, what: str) -> Path:
    """``path`` if it is a file (its folder checked first, for a clearer message)."""
    require_dir(path.parent, what)
    if not path.is_file():
        raise FileNotFoundError(f"{what} file not found: {path}")
    return path


def load_array(path: Path, shape: tuple[int | None, ...], what: str) -> np.ndarray:
    """A finite numeric array from a plain .npy file, checked against ``shape`` (None = any size)."""
    require_file(path, what)
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise DatasetFormatError(f"{path}: not a plain numeric .npy file ({err})") from err
    if not isinstance(arr, np.ndarray):
        raise DatasetFormatError(f"{path}: expected a single .npy array, got an archive")
    if arr.dtype.kind not in "fiu":
        raise DatasetFormatError(f"{path}: expected numbers, got dtype {arr.dtype}")
    expected = "(" + ", ".join("T" if s is None else str(s) for s in shape) + ")"
    if arr.ndim != len(shape) or any(s is not None and s != n for s, n in zip(shape, arr.shape)):
        raise DatasetFormatError(f"{path}: expected shape {expected}, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise DatasetFormatError(f"{path}: contains NaN or infinite values")
    return arr


def numbered_lines(path: Path, what: str) -> list[tuple[int, str]]:
    """(line number, stripped text) of the non-blank lines of a UTF-8 text file."""
    require_file(path, what)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise DatasetFormatError(f"{path}: not UTF-8 text ({err})") from err
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def read_lines(path: Path, what: str) -> list[str]:
    """The non-blank lines of a UTF-8 text file, stripped."""
    return [line for _, line in numbered_lines(path, what)]


def read_ids(path: Path, what: str) -> list[str]:
    """Clip ids of a split file, one per line."""
    ids = []
    for n, line in numbered_lines(path, what):
        if len(line.split()) != 1:
            raise DatasetFormatError(f"{path}, line {n}: expected one clip id, got {line!r}")
        ids.append(line)
    return ids
