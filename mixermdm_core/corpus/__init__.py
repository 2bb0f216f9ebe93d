"""Procedural motion corpus: seeded individual actions and two-person interactions with in2IN-style texts.

Public API: :class:`MotionCorpus`, :func:`generate_corpus`, :func:`load_or_generate`, :func:`mixing_cases` (and their texts, :func:`mixing_prompts`),
:func:`make_clip` (one clip with joints and contact annotations), and the action/interaction registries.
"""
from .actions import ACTIONS
from .generate import VERSION, Clip, make_clip
from .interactions import INTERACTIONS
from .prompts import MixingCase, mixing_cases, mixing_prompts
from .storage import MotionCorpus, generate_corpus, load_or_generate

__all__ = ["ACTIONS", "INTERACTIONS", "VERSION", "Clip", "MotionCorpus", "generate_corpus", "load_or_generate",
           "make_clip", "MixingCase", "mixing_cases", "mixing_prompts"]
