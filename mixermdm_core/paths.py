"""Where the shipped checkpoints are, whether the package runs from its source tree or is installed.

``pip install .`` copies ``checkpoints/`` to ``<prefix>/share/mixermdm-studio/checkpoints`` (the data files
of ``pyproject.toml``), so the command-line tools work from any folder; ``MIXERMDM_CHECKPOINTS`` overrides both.
"""
from __future__ import annotations

import os
import site
import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1]
SHARE = Path("share") / "mixermdm-studio"


def _installed_dirs(name: str) -> list[Path]:
    """``<prefix>/share/mixermdm-studio/<name>`` for the prefixes pip installs data files under."""
    prefixes = [sys.prefix, getattr(site, "USER_BASE", None) or ""]
    return [Path(p) / SHARE / name for p in prefixes if p]


def checkpoints_dir() -> Path:
    """The folder of the shipped networks: ``MIXERMDM_CHECKPOINTS``, else the source tree's ``checkpoints/``,
    else the installed copy (the source-tree path when none exists, so errors name it)."""
    override = os.environ.get("MIXERMDM_CHECKPOINTS", "").strip()
    if override:
        return Path(override)
    candidates = [SOURCE_ROOT / "checkpoints", *_installed_dirs("checkpoints")]
    return next((c for c in candidates if (c / "interaction.safetensors").is_file()), candidates[0])


DEFAULT_DIR = checkpoints_dir()  # read once, at import
