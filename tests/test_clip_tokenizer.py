"""CLIP's BPE tokenizer against openai/CLIP's own (d05afc4) on a small merges file learnt from the corpus's
templates (scripts/make_official_goldens.py: the same file, the ids openai's tokenizer gave)."""
from __future__ import annotations

import gzip
import json

import pytest

from mixermdm_core.text.clip_tokenizer import CONTEXT, ClipTokenizer

from official_goldens import FIXTURES, load, t


@pytest.fixture(scope="module")
def tokenizer():
    return ClipTokenizer(FIXTURES / "bpe_small.txt.gz")


def test_ids_match_openai_clip(tokenizer):
    texts = json.loads((FIXTURES / "clip_tokenizer.json").read_text())
    data = load("clip_tokenizer.npz")
    assert len(tokenizer) == int(data["vocab"])
    ids = tokenizer(texts)
    assert ids.shape == (len(texts), CONTEXT)
    assert (ids == t(data["ids"])).all()


def test_long_texts_are_cut_and_still_end_with_the_end_marker(tokenizer):
    ids = tokenizer(["walk " * 200])[0]
    assert ids[0] == tokenizer.start and ids[-1] == tokenizer.end and (ids != 0).all()
    short = tokenizer(["the person walks"])[0]
    assert short[(short != 0).sum() - 1] == tokenizer.end == short.max()  # CLIP reads the sentence at argmax


def test_missing_or_wrong_files_say_what_is_needed(tmp_path):
    with pytest.raises(FileNotFoundError, match="bpe_simple_vocab_16e6"):
        ClipTokenizer(tmp_path / "nothing.txt.gz")
    (tmp_path / "plain.txt.gz").write_text("not gzip")
    with pytest.raises(ValueError, match="not CLIP's gzipped BPE merges file"):
        ClipTokenizer(tmp_path / "plain.txt.gz")
    with gzip.open(tmp_path / "ok.txt.gz", "wt") as f:
        f.write("#version: 0.2")
    assert len(ClipTokenizer(tmp_path / "ok.txt.gz")) == 512 + 2  # bytes, bytes at word ends, the two markers
