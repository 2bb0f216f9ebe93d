"""Coerce the raw values of the UI (or of an API call) into typed request parameters.

Only types are checked here; ranges (length, steps, guidance, empty prompts) are the pipeline's
job, which raises ``ValueError`` with a clear message before any sampling.
"""
from __future__ import annotations

from dataclasses import dataclass

from mixermdm_core.text.encoders import MAX_PROMPT_CHARS

from .choices import number

MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class Request:
    interaction: str
    texts: tuple[str, str]
    seconds: float
    seed: int
    steps: int
    guidance: tuple[float, float]
    notes: tuple[str, ...] = ()  # remarks that do not stop the request (a prompt was shortened)

    @property
    def mixed(self) -> list[bool]:
        """Which people have an individual text (and so are mixed)."""
        return [bool(t.strip()) for t in self.texts]


def _text(name: str, value: object, notes: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"the {name} must be text, got {type(value).__name__}")
    if len(value) > MAX_PROMPT_CHARS:
        notes.append(f"the {name} has {len(value):,} characters; only the first {MAX_PROMPT_CHARS:,} are used")
    return value


def whole(name: str, value: object) -> int:
    """``value`` as an int (integral floats such as 50.0 accepted); ValueError otherwise."""
    x = number(name, value)
    if not x.is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    return int(x)


def seed(value: object) -> int:
    """A seed in [0, MAX_SEED]."""
    x = whole("seed", value)
    if not 0 <= x <= MAX_SEED:
        raise ValueError(f"seed must be between 0 and {MAX_SEED:,}, got {x:,}")
    return x


def parse(interaction: object, text1: object, text2: object, seconds: object, seed_value: object, steps: object,
          guidance_interaction: object, guidance_individual: object) -> Request:
    """A :class:`Request` from the UI's values; ValueError with a message meant for the user."""
    notes: list[str] = []
    texts = (_text("interaction text", interaction, notes), _text("text of person 1", text1, notes),
             _text("text of person 2", text2, notes))
    return Request(
        interaction=texts[0], texts=texts[1:], seconds=number("motion length", seconds),
        seed=seed(seed_value), steps=whole("DDIM steps", steps),
        guidance=(number("interaction guidance", guidance_interaction), number("individual guidance", guidance_individual)),
        notes=tuple(notes),
    )
