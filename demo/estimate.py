"""The warning under the Generate button when the loaded networks are too big for this CPU.

The rule is the library's (``Cost.slow_on_cpu``: on a CPU, more than 100M parameters or a request estimated at
more than 60 s), applied once at load to the request the page opens with, one person mixed as in every example;
when it holds, the warning stays on the page and its estimate follows the current settings. Our shipped networks
never show it.
"""
from __future__ import annotations

from mixermdm_core.composition.cost import Cost
from mixermdm_core.composition.pipeline import frames_for
from mixermdm_core.vocabulary import APP_STEPS, DEFAULT_GUIDANCE

from .choices import default_selection

DEFAULT_SECONDS = 4.0  # the motion length the page opens with


def opening_warning(cost: Cost | None) -> str | None:
    """The warning the page opens with, for its default request with one person mixed; None where the rule does
    not hold for that request, or nothing is loaded."""
    if cost is None:
        return None
    strategies = len(default_selection([]))
    seconds = cost.seconds(frames_for(DEFAULT_SECONDS), APP_STEPS, DEFAULT_GUIDANCE, strategies, 1)
    if not cost.slow_on_cpu(seconds):
        return None
    return warning_text(cost, DEFAULT_SECONDS, APP_STEPS, strategies, DEFAULT_GUIDANCE, 1)


def warning_text(cost: Cost, seconds: float, steps: int, strategies: int, guidance: tuple[float, float],
                 people: int) -> str:
    """The warning's Markdown for a request: the parameter count, its estimated time here, and the way out."""
    strategies = max(1, strategies)
    estimate = cost.seconds(frames_for(seconds), steps, guidance, strategies, people)
    request = f"{strategies} strateg{'y' if strategies == 1 else 'ies'}, {steps} steps, {seconds:g} s of motion"
    return (f"**Slow on this CPU** ({request}): {cost.describe(estimate)}. These models are meant for a GPU: "
            "start the app with `MIXERMDM_DEVICE=cuda` on a machine with one.")
