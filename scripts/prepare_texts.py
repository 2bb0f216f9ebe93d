"""Embed every text the training and evaluation runs will look up, into .cache/text/minilm.npz.

Run it where the text model is installed, before training on a machine that has none:
    python scripts/prepare_texts.py
It generates (and caches) the training and validation corpora as a side effect.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core.corpus import load_or_generate, mixing_prompts  # noqa: E402
from mixermdm_core.evaluation.generators import POOL  # noqa: E402
from mixermdm_core.training.recipe import DataConfig  # noqa: E402
from mixermdm_core.training.datasets import text_store  # noqa: E402
from mixermdm_core.training.sources import corpora  # noqa: E402

EVAL_PROMPTS = ((256, 0), (64, 10_000))  # (count, seed) of the test and validation mixing prompts
HELD_OUT_CLIPS = 256  # evaluate --models (full) scores each model on this many held-out clips


def main() -> None:
    cfg, texts, t0 = DataConfig(), [], time.time()
    for split in ("train", "val"):
        ind, inter = corpora(cfg, split)
        texts += list(ind.texts) + list(inter.texts) + [p for pair in inter.person_texts for p in pair]
        print(f"{split}: {len(ind)} individual + {len(inter)} interaction clips ({time.time() - t0:.0f} s)")
    for n, seed in EVAL_PROMPTS:
        texts += [t for prompt in mixing_prompts(n, seed) for t in prompt]
    for kind in ("individual", "interaction"):
        held = load_or_generate(kind, POOL * HELD_OUT_CLIPS, "heldout", cfg.seed, cfg.cache_dir)
        texts += list(held.texts) + [p for pair in held.person_texts for p in pair]
    store = text_store(cfg, texts)
    print(f"{len(set(texts))} distinct texts in {store.path} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
