"""A disk store of sentence embeddings keyed by the exact text.

Training looks up thousands of corpus texts at once; the store lets that happen without the text
model being installed (e.g. on a GPU machine that receives only the store file), and makes
re-runs skip encoding.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from .encoders import TextEncoder, clean_prompt


class EmbeddingStore:
    def __init__(self, path: str | Path, dim: int = 384):
        self.path = Path(path)
        self.dim = dim
        self._table: dict[str, np.ndarray] = {}
        if self.path.is_file():
            data = np.load(self.path, allow_pickle=False)
            self.dim = int(data["emb"].shape[1])
            self._table = dict(zip(data["texts"].tolist(), data["emb"]))

    def __contains__(self, text: str) -> bool:
        return clean_prompt(text) in self._table

    def add(self, texts: Sequence[str], encoder: TextEncoder) -> int:
        """Encode the texts not yet stored; returns how many were new."""
        missing = sorted({clean_prompt(t) for t in texts} - self._table.keys() - {""})
        if missing:
            emb = encoder.encode(missing).numpy().astype(np.float16)
            self._table.update(zip(missing, emb))
        return len(missing)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = sorted(self._table)
        emb = np.stack([self._table[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float16)
        np.savez(self.path, texts=np.array(texts, dtype=np.str_), emb=emb)

    def lookup(self, texts: Sequence[str]) -> torch.Tensor:
        """(N, dim) float32 embeddings; the empty text maps to zeros."""
        out = np.zeros((len(texts), self.dim), np.float32)
        missing = []
        for i, t in enumerate(texts):
            key = clean_prompt(t)
            if key:
                vec = self._table.get(key)
                if vec is None:
                    missing.append(key)
                else:
                    out[i] = vec
        if missing:
            raise KeyError(f"{len(missing)} texts are not in {self.path}, e.g. {missing[0]!r}; add them with an encoder first")
        return torch.from_numpy(out)
