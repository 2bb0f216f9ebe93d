"""Names every layer shares: the Mixer's granularities, the default guidance, who is mixed.

The feature layout (``FEATURE_DIM`` and its slices) lives with the representation it describes,
``representation.interhuman``.
"""
from __future__ import annotations

import torch

GRANULARITIES = ("G", "T", "S", "ST")  # one weight per person; per frame; per joint; per joint and frame
# Classifier-free guidance of (M^a interaction, M^b individual). in2IN/DualMDM use (3.5, 2.5); our small
# individual model under-articulates at 2.5 (on 32 validation mixing prompts it showed the asked action in 18 %
# of people at 2.5, 36 % at 4, 54 % at 6 and 54 % at 8, where the interaction started to suffer), so it runs at 6.
# Our interaction model runs at 1.5: guidance extrapolates where it stands the two people as well as how they move
# (greeters 2-4.5 m apart stood 8 m apart at 3.5) and loses raw hand contacts. On 96 validation clips, 1.5 against
# 3.5: mean |log ratio| of each kind's pelvis distance to the real clips' 0.15 against 0.27, raw contacts 88 %
# against 79 %, top-3 R-precision 0.753 against 0.750 (docs/evaluation.md, "The interaction model's guidance").
DEFAULT_GUIDANCE = (1.5, 6.0)
# The individual model's guidance is tapered at the low-noise steps: at t <= 110 it extrapolates 0.4 of the way
# (6 -> 3). Those last steps make most of the action it shows (unguided there, it shows the asked action in 32 % of
# people instead of 57 %), and at full scale they also slide its root and feet; tapered, on 32 validation mixing
# prompts at 50 steps it showed the action in 50 % of people (39 % untapered), raw foot skating 0.15 cm/frame
# against 0.27 (docs/evaluation.md, "The individual model's low-noise guidance"). (step, share), see
# ``diffusion.tapered_scale``.
INDIVIDUAL_GUIDANCE_TAPER = (110, 0.4)
# DDIM steps: the paper's 50 for the CLI and the evaluation tables; fewer where someone waits for the result (the
# app): the fewest at which ST and every method's motion figures equal the 20- and 50-step ones in the
# quality-against-steps sweep (docs/evaluation.md, "Steps"; the hand-set baselines' learned-evaluator scores
# drop by 0.04-0.05 against 50 steps).
PAPER_STEPS = 50
APP_STEPS = 15


def mixed_people(person_text: torch.Tensor) -> torch.Tensor:
    """(..., 2) bool from individual text embeddings (..., 2, D): the people who have an individual text and
    so are mixed; an empty text is embedded as zeros and that person follows the interaction model."""
    return person_text.abs().sum(-1) > 0
