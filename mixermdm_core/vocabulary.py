"""Names every layer shares: the Mixer's granularities, the default guidance, who is mixed.

The feature layout (``FEATURE_DIM`` and its slices) lives with the representation it describes,
``representation.interhuman``.
"""
from __future__ import annotations

import torch

GRANULARITIES = ("G", "T", "S", "ST")  # one weight per person; per frame; per joint; per joint and frame
DEFAULT_GUIDANCE = (3.5, 2.5)  # classifier-free guidance of (M^a interaction, M^b individual), as in in2IN/DualMDM


def mixed_people(person_text: torch.Tensor) -> torch.Tensor:
    """(..., 2) bool from individual text embeddings (..., 2, D): the people who have an individual text and
    so are mixed; an empty text is embedded as zeros and that person follows the interaction model."""
    return person_text.abs().sum(-1) > 0
