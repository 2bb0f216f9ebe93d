"""MixerMDM studio: the Gradio demo (``python app.py``; also the entry point of a Hugging Face Space).

Environment: ``MIXERMDM_CHECKPOINTS`` (default: the shipped ``checkpoints/``), ``MIXERMDM_OUTPUT_DIR``
(default: ``<tmp>/mixermdm_studio``), ``MIXERMDM_PRECISION`` (``fp32``; ``bf16``, or ``auto``: bfloat16
where the CPU computes it natively, which pays when several strategies are compared at once),
``GRADIO_SERVER_NAME`` and ``GRADIO_SERVER_PORT``.
"""
from __future__ import annotations

import os

from demo.settings import Settings

SETTINGS = Settings.from_env()
# Offline and private: no analytics, no model hub; Gradio's own file cache lives in the output folder too.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_TEMP_DIR", str(SETTINGS.output_dir / "gradio"))

from demo.runtime import Runtime  # noqa: E402 - after the environment above, which Gradio reads on import
from demo.ui import build_demo, launch_options  # noqa: E402

RUNTIME = Runtime(SETTINGS)
demo = build_demo(RUNTIME)  # loads the models and the text encoder once, at start-up

if __name__ == "__main__":
    demo.launch(**launch_options(SETTINGS))
