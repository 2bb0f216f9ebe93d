"""CLIP's byte-level BPE tokenizer, read from the merges file every CLIP release ships.

The official InterGen / in2IN / MixerMDM models condition on CLIP ViT-L/14, whose tokenizer is defined by one
file, ``bpe_simple_vocab_16e6.txt.gz`` (a header line, then one merge per line). The vocabulary is the 256
byte symbols, the same with an end-of-word mark, one token per merge (the first 48,894 merges) and the two
markers; a text is cleaned (HTML entities, white space), lower-cased, split into words, numbers and
punctuation, and each piece is merged by rank. Ids are checked against openai/CLIP's own tokenizer by
tests/test_clip_tokenizer.py. ``ftfy``'s mojibake repair, which CLIP runs first, is left out: it changes
nothing in plain text.
"""
from __future__ import annotations

import gzip
import html
import math
from functools import lru_cache
from pathlib import Path

import regex
import torch

START, END = "<|startoftext|>", "<|endoftext|>"
MERGES = 49152 - 256 - 2  # CLIP's vocabulary: 512 byte symbols + these merges + 2 markers = 49,408 ids
CONTEXT = 77
FILE_NAME = "bpe_simple_vocab_16e6.txt.gz"
_PIECES = regex.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+",
                        regex.IGNORECASE)


@lru_cache(maxsize=1)
def byte_symbols() -> dict[int, str]:
    """Each byte value -> a printable character (printable Latin-1 bytes stand for themselves; the others are
    moved to code points from 256 up), so that BPE works on strings without white space or control codes."""
    kept = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    moved = [b for b in range(256) if b not in kept]
    return {**{b: chr(b) for b in kept}, **{b: chr(256 + i) for i, b in enumerate(moved)}}


class ClipTokenizer:
    """Texts -> (N, 77) token ids, start and end markers included, zero-padded; over-long texts are cut and
    end with the end marker, as CLIP's ``tokenize(truncate=True)`` does."""

    def __init__(self, path: str | Path):
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"CLIP's BPE merges file is missing: {path} (it ships with CLIP as {FILE_NAME})")
        try:
            lines = gzip.open(path).read().decode("utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as err:
            raise ValueError(f"{path} is not CLIP's gzipped BPE merges file: {err}") from None
        merges = [tuple(line.split()) for line in lines[1:MERGES + 1]]
        symbols = list(byte_symbols().values())
        vocab = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + [START, END]
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.ranks = {merge: i for i, merge in enumerate(merges)}
        self.start, self.end = self.ids[START], self.ids[END]
        self._words: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def bpe(self, word: str) -> list[str]:
        """One piece (as byte symbols) -> its tokens: the lowest-ranked adjacent pair is merged until none is
        a known merge; the last symbol carries the end-of-word mark."""
        if word not in self._words:
            parts = [*word[:-1], word[-1] + "</w>"]
            while len(parts) > 1:
                pair = min(zip(parts, parts[1:]), key=lambda p: self.ranks.get(p, math.inf))
                if pair not in self.ranks:
                    break
                merged, i = [], 0
                while i < len(parts):
                    if i + 1 < len(parts) and (parts[i], parts[i + 1]) == pair:
                        merged.append(parts[i] + parts[i + 1])
                        i += 2
                    else:
                        merged.append(parts[i])
                        i += 1
                parts = merged
            self._words[word] = parts
        return self._words[word]

    def encode(self, text: str) -> list[int]:
        """Token ids of one text, without the markers."""
        text = " ".join(html.unescape(html.unescape(text)).split()).lower()
        symbols = byte_symbols()
        ids = []
        for piece in _PIECES.findall(text):
            if piece in (START, END):  # the markers written out in a text are the markers
                ids.append(self.ids[piece])
                continue
            ids.extend(self.ids[token] for token in self.bpe("".join(symbols[b] for b in piece.encode("utf-8"))))
        return ids

    def __call__(self, texts: list[str]) -> torch.Tensor:
        out = torch.zeros(len(texts), CONTEXT, dtype=torch.long)
        for row, text in enumerate(texts):
            ids = [self.start, *self.encode(text), self.end][:CONTEXT]
            ids[-1] = self.end
            out[row, :len(ids)] = torch.tensor(ids)
        return out
