"""Training sets assembled from the corpus: packed clips, their text embeddings and normalisers."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch

from ..data.batching import ClipBatcher
from ..representation.interhuman import canonicalize_features
from ..representation.normalization import Normalizer
from ..text.store import EmbeddingStore
from .config import DataConfig

if TYPE_CHECKING:
    from ..corpus import MotionCorpus

STATS_DIR = Path(__file__).resolve().parents[2] / "assets" / "stats"


@dataclass
class TrainingSet:
    batcher: ClipBatcher
    texts: torch.Tensor  # (N, text_dim): interaction text, or the person's text for individual sets
    person_texts: torch.Tensor | None  # (N, 2, text_dim) for interaction sets
    raw_texts: list[str]
    raw_person_texts: list[tuple[str, str]]


def corpora(cfg: DataConfig, split: str) -> tuple[MotionCorpus, MotionCorpus]:
    """The (individual, interaction) corpora of a split, generated once and cached on disk."""
    from ..corpus import load_or_generate

    n_ind, n_int = (cfg.n_individual, cfg.n_interaction) if split == "train" else (cfg.n_val, cfg.n_val)
    workers = max(1, min(32, os.cpu_count() or 1))
    return (load_or_generate("individual", n_ind, split, cfg.seed, cfg.cache_dir, workers),
            load_or_generate("interaction", n_int, split, cfg.seed, cfg.cache_dir, workers))


def text_store(cfg: DataConfig, texts: list[str]) -> EmbeddingStore:
    """The embedding store holding every text given, encoding (and saving) the missing ones."""
    store = EmbeddingStore(cfg.text_store)
    if any(t and t not in store for t in texts):
        from ..text import default_encoder

        store.add(texts, default_encoder())
        store.save()
    return store


def individual_people(individual: MotionCorpus, interaction: MotionCorpus) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Individual clips plus every person of the interaction clips, each centred on its own.

    Returns packed features (frames, 1, 262) float16, offsets and the matching texts.
    """
    chunks = [individual.features.astype(np.float16)]
    lengths = list(np.diff(individual.offsets))
    texts = list(individual.texts)
    for i in range(len(interaction)):
        clip = torch.from_numpy(interaction.clip(i))
        for k in range(2):
            centred, _ = canonicalize_features(clip[:, k])
            chunks.append(centred[:, None].numpy().astype(np.float16))
            lengths.append(len(clip))
            texts.append(interaction.person_texts[i][k])
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return np.concatenate(chunks), offsets, texts


def fit_normalizer(features: np.ndarray, name: str, save: bool) -> Normalizer:
    """Per-dimension stats over all frames and people; saved under assets/stats when ``save``."""
    norm = Normalizer.fit(features.reshape(-1, features.shape[-1]).astype(np.float32))
    if save:
        norm.save(STATS_DIR / name)
    return norm


def interaction_set(corpus: MotionCorpus, store: EmbeddingStore, max_frames: int, device) -> TrainingSet:
    person = [p for pair in corpus.person_texts for p in pair]
    return TrainingSet(
        ClipBatcher(corpus.features, corpus.offsets, max_frames, device),
        store.lookup(corpus.texts).to(device),
        store.lookup(person).reshape(len(corpus), 2, -1).to(device),
        list(corpus.texts), list(corpus.person_texts),
    )


def individual_set(features: np.ndarray, offsets: np.ndarray, texts: list[str], store: EmbeddingStore,
                   max_frames: int, device) -> TrainingSet:
    return TrainingSet(ClipBatcher(features, offsets, max_frames, device), store.lookup(texts).to(device), None, texts, [])


def mixing_set(cfg: DataConfig, max_frames: int, device) -> tuple[TrainingSet, torch.Tensor]:
    """What Mixer training draws from: the interaction clips with their texts, and the pool of individual texts
    (N, text_dim) that may replace a person's text."""
    ind, inter = corpora(cfg, "train")
    store = text_store(cfg, list(inter.texts) + [p for pr in inter.person_texts for p in pr] + list(ind.texts))
    return interaction_set(inter, store, max_frames, device), store.lookup(sorted(set(ind.texts))).to(device)
