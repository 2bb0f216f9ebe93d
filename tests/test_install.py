"""``pip install .`` gives a package that runs from any folder: console scripts, shipped checkpoints found."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A virtual environment (seeing this interpreter's packages) with the wheel of this checkout installed."""
    root = tmp_path_factory.mktemp("install")
    source, wheels, env_dir = root / "source", root / "wheels", root / "venv"
    # Built from a copy, so the build leaves nothing in the checkout.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".cache", "runs", "outputs", "build", "*.egg-info",
                                                                "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels)], check=True, cwd=root)
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, cwd=root)
    return env_dir


def _run(args: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MIXERMDM_CHECKPOINTS")}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_console_scripts_run_from_another_folder(installed: Path, tmp_path: Path):
    for name in ("sample", "evaluate", "train", "benchmark", "corpus"):
        assert "usage" in _run([str(installed / "bin" / f"mixermdm-{name}"), "--help"], tmp_path)
    assert (installed / "bin" / "mixermdm-studio").is_file()


@pytest.mark.slow
def test_installed_package_finds_its_checkpoints_and_signatures(installed: Path, tmp_path: Path):
    code = ("import mixermdm_core, mixermdm_core.paths as p; from mixermdm_core.evaluation.signatures import "
            "Signatures; Signatures.load(); print(mixermdm_core.__file__); print(p.checkpoints_dir())")
    package, checkpoints = _run([str(installed / "bin" / "python"), "-c", code], tmp_path).split()
    assert str(REPO) not in package  # the installed copy, not the checkout
    assert Path(checkpoints) == installed / "share" / "mixermdm-studio" / "checkpoints"
    assert (Path(checkpoints) / "interaction.safetensors").is_file()
    static = _run([str(installed / "bin" / "python"), "-c", "import demo.viewer as v; print(v.STATIC)"], tmp_path).strip()
    assert str(REPO) not in static and {"viewer.js", "three.min.js", "three.LICENSE"} <= {f.name for f in Path(static).iterdir()}
