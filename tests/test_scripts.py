"""The maintenance scripts still import what they name (a renamed function broke gpu_train.sh unnoticed once)."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_gpu_train_inline_python_imports_resolve():
    source = (REPO / "scripts" / "gpu_train.sh").read_text()
    imports = re.findall(r"^from mixermdm_core\S* import .+$", source, flags=re.M)
    assert imports, "gpu_train.sh no longer imports from the package: update this test"
    for line in imports:
        exec(line, {})


def test_prepare_texts_imports_resolve():
    spec = importlib.util.spec_from_file_location("prepare_texts", REPO / "scripts" / "prepare_texts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # defines main() without running it
    assert callable(module.main)
