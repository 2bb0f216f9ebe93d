"""The stored corpus: clips concatenated in one float16 array with offsets, texts as string arrays."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..representation.interhuman import FEATURE_DIM
from .generate import VERSION, generate_clips


@dataclass
class MotionCorpus:
    """Clips of one kind; clip i is ``features[offsets[i]:offsets[i+1]]`` (canonical InterHuman features)."""

    kind: str  # "individual" or "interaction"
    features: np.ndarray  # float16 (total_frames, P, 262)
    offsets: np.ndarray  # int64 (N+1,)
    actions: list[str]
    texts: list[str]  # individual text (P=1) or interaction text (P=2)
    person_texts: list[tuple[str, str]]  # per-person individual texts; empty for individual corpora

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def clip(self, i: int) -> np.ndarray:
        """(T_i, P, 262) float32 features of clip ``i``."""
        return self.features[self.offsets[i] : self.offsets[i + 1]].astype(np.float32)

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        person = np.array(self.person_texts, dtype=str).reshape(-1, 2)
        with open(path, "wb") as f:  # a file handle keeps np.savez from appending ".npz"
            np.savez(f, kind=np.array(self.kind), features=self.features, offsets=self.offsets,
                     actions=np.array(self.actions, dtype=str), texts=np.array(self.texts, dtype=str),
                     person_texts=person)

    @classmethod
    def load(cls, path: str | Path) -> MotionCorpus:
        with np.load(path, allow_pickle=False) as z:
            return cls(kind=str(z["kind"]), features=z["features"], offsets=z["offsets"].astype(np.int64),
                       actions=[str(a) for a in z["actions"]], texts=[str(t) for t in z["texts"]],
                       person_texts=[(str(a), str(b)) for a, b in z["person_texts"]])


def generate_corpus(kind: str, n: int, split: str = "train", seed: int = 0, workers: int = 2) -> MotionCorpus:
    """Generate ``n`` clips of ``kind`` ("individual" or "interaction") for ``split`` with ``seed``."""
    items = generate_clips(kind, n, split, seed, workers)
    lengths = np.array([f.shape[0] for f, *_ in items], dtype=np.int64)
    features = np.concatenate([f for f, *_ in items]) if items else np.zeros((0, 1 if kind == "individual" else 2, FEATURE_DIM), np.float16)
    return MotionCorpus(
        kind=kind, features=features, offsets=np.concatenate(([0], np.cumsum(lengths))).astype(np.int64),
        actions=[a for _, a, _, _ in items], texts=[t for _, _, t, _ in items],
        person_texts=[(p[0], p[1]) for *_, p in items] if kind == "interaction" else [],
    )


def load_or_generate(kind: str, n: int, split: str, seed: int, cache_dir: str | Path = ".cache/corpus", workers: int = 2) -> MotionCorpus:
    """The corpus for (kind, n, split, seed), read from ``cache_dir`` or generated and cached there."""
    path = Path(cache_dir) / f"{kind}-{split}-n{n}-s{seed}-v{VERSION}.npz"
    if path.exists():
        return MotionCorpus.load(path)
    corpus = generate_corpus(kind, n, split, seed, workers)
    tmp = path.with_suffix(".tmp")
    corpus.save(tmp)
    tmp.replace(path)
    return corpus
