"""MixerMDM core: learnable composition of human motion diffusion models.

    from mixermdm_core import ComposedPipeline
    pipe = ComposedPipeline.from_pretrained("checkpoints")

Layout follows the data flow: ``skeleton``/``kinematics``/``rotations`` (the body), ``representation``
(feature vectors), ``data`` and ``corpus`` (motion sources), ``text`` (text encoders), ``models``
(networks), ``diffusion`` (schedules and samplers), ``composition`` (mixing strategies and pipelines),
``evaluation`` (metrics), ``visualize``/``export`` (outputs); ``vocabulary`` holds the names they share.
No module here imports Gradio. The names below load on first use, so ``python -m mixermdm_core.corpus``
and the other tools start without importing the networks.
"""
from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "ComposedPipeline": "composition.pipeline", "InteractionPipeline": "composition.pipeline",
    "IndividualPipeline": "composition.pipeline", "Motion": "composition.pipeline",
    "DualMDM": "composition.strategies", "DiffusionBlending": "composition.strategies",
    "MixerStrategy": "composition.strategies",
    "parse_strategy": "composition.strategies", "GRANULARITIES": "vocabulary", "DEFAULT_GUIDANCE": "vocabulary",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mixermdm_core' has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
