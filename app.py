"""MixerMDM studio: the Gradio demo (``python app.py``; also the entry point of a Hugging Face Space).

Environment: ``MIXERMDM_CHECKPOINTS`` (default: the shipped ``checkpoints/``), ``MIXERMDM_OUTPUT_DIR``
(default: ``<tmp>/mixermdm_studio``), ``MIXERMDM_PRECISION`` (``fp32``; ``bf16``, or ``auto``: bfloat16
where the CPU computes it natively, which pays when several strategies are compared at once),
``MIXERMDM_DEVICE`` (``cuda`` where PyTorch sees a GPU, else ``cpu``; the official models want a GPU),
``GRADIO_SERVER_NAME`` and ``GRADIO_SERVER_PORT``.
"""
from __future__ import annotations

from demo.main import build, launch, settings_from_env

SETTINGS = settings_from_env()
RUNTIME, demo = build(SETTINGS)  # loads the models and the text encoder once, at start-up

if __name__ == "__main__":
    launch(demo, SETTINGS)
