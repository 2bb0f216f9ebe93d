"""The studio's entry point, shared by ``python app.py`` (and Hugging Face Spaces) and ``mixermdm-studio``."""
from __future__ import annotations

import os

from .settings import Settings


def offline_environment(settings: Settings) -> None:
    """Offline and private: no analytics, no model hub; Gradio's own file cache lives in the output folder."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_TEMP_DIR", str(settings.output_dir / "gradio"))


def settings_from_env() -> Settings:
    """The settings from the environment; a bad variable ends the start-up with its message, not a traceback."""
    try:
        return Settings.from_env()
    except ValueError as err:
        raise SystemExit(f"error: {err}") from None


def build(settings: Settings):
    """(runtime, Gradio Blocks): loads the models and the text encoder once. Gradio is imported only here,
    after :func:`offline_environment`, because it reads the environment on import."""
    offline_environment(settings)
    from .runtime import Runtime
    from .ui import build_demo

    runtime = Runtime(settings)
    return runtime, build_demo(runtime)


def launch(blocks, settings: Settings) -> None:
    from .ui import launch_options

    blocks.launch(**launch_options(settings))


def main() -> None:
    """``mixermdm-studio``: the app on the checkpoints named by the environment (see ``app.py``)."""
    settings = settings_from_env()
    _, blocks = build(settings)
    launch(blocks, settings)
