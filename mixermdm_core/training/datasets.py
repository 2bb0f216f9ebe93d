"""Training sets assembled from a source's clips (``sources.py``): packed clips, their text embeddings
and normalisers."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..data.batching import ClipBatcher
from ..representation.normalization import Normalizer
from ..text.store import EmbeddingStore
from .recipe import DataConfig
from .sources import Clips, mixing_clips

STATS_DIR = Path(__file__).resolve().parents[2] / "assets" / "stats"


@dataclass
class TrainingSet:
    batcher: ClipBatcher
    texts: torch.Tensor  # (N, text_dim): interaction text, or the person's text for individual sets
    person_texts: torch.Tensor | None  # (N, 2, text_dim) for interaction sets
    raw_texts: list[str]
    raw_person_texts: list[tuple[str, str]]


def text_store(cfg: DataConfig, texts: list[str]) -> EmbeddingStore:
    """The embedding store holding every text given, encoding (and saving) the missing ones."""
    store = EmbeddingStore(cfg.text_store)
    if any(t and t not in store for t in texts):
        from ..text import default_encoder

        store.add(texts, default_encoder())
        store.save()
    return store


def fit_normalizer(features: np.ndarray, name: str, save: bool) -> Normalizer:
    """Per-dimension stats over all frames and people; saved under assets/stats when ``save``."""
    norm = Normalizer.fit(features.reshape(-1, features.shape[-1]).astype(np.float32))
    if save:
        norm.save(STATS_DIR / name)
    return norm


def interaction_set(clips: Clips, store: EmbeddingStore, max_frames: int, device) -> TrainingSet:
    person = [p for pair in clips.person_texts for p in pair]
    return TrainingSet(
        ClipBatcher(clips.features, clips.offsets, max_frames, device, clip_of=clips.clip_of),
        store.lookup(clips.texts).to(device),
        store.lookup(person).reshape(len(clips), 2, -1).to(device),
        list(clips.texts), list(clips.person_texts),
    )


def individual_set(clips: Clips, store: EmbeddingStore, max_frames: int, device) -> TrainingSet:
    return TrainingSet(ClipBatcher(clips.features, clips.offsets, max_frames, device, clip_of=clips.clip_of),
                       store.lookup(clips.texts).to(device), None, list(clips.texts), [])


def mixing_set(cfg: DataConfig, max_frames: int, device) -> tuple[TrainingSet, torch.Tensor]:
    """What Mixer training draws from: the interaction clips with their texts, and the pool of individual texts
    (N, text_dim) that may replace a person's text."""
    inter, pool = mixing_clips(cfg, "train")
    store = text_store(cfg, list(inter.texts) + [p for pr in inter.person_texts for p in pr] + pool)
    return interaction_set(inter, store, max_frames, device), store.lookup(pool).to(device)
