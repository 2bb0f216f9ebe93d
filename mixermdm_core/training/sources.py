"""Where training clips come from, behind one interface: the procedural corpus (``corpus``), HumanML3D
(``humanml3d:PATH``, its ``new_joint_vecs`` and ``texts``) and InterHuman with in2IN's individual texts
(``interhuman:PATH``). Every source hands out packed 262-d clips at 30 fps with their texts.

A real dataset without a split file (``train.txt``, ``val.txt``) gives every clip it holds to each split,
which suits a small folder tried out, not a model to report.
"""
from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..representation.interhuman import canonicalize_features, mirror_features
from .recipe import DataConfig

log = logging.getLogger(__name__)
SOURCES = ("corpus", "humanml3d", "interhuman")
MIN_CLIP_FRAMES = 20  # shorter captioned stretches (under 0.7 s) are left out
HUMANML3D_FPS = 20


@dataclass
class Clips:
    """Training items over packed clips: ``features`` (frames, people, 262) float16 cut at ``offsets``. Item i
    reads packed clip ``clip_of[i]`` (items may share a clip: one per description of it; by default item i is
    clip i) with its text (the interaction text, or the person's own) and, for two people, each person's text."""

    features: np.ndarray
    offsets: np.ndarray
    texts: list[str]
    person_texts: list[tuple[str, str]]
    clip_of: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def packed(self, i: int) -> np.ndarray:
        """Packed clip i (not item i)."""
        return self.features[self.offsets[i]:self.offsets[i + 1]]

    def items(self) -> np.ndarray:
        return np.arange(len(self)) if self.clip_of is None else self.clip_of


def parse_source(spec: str) -> tuple[str, Path | None]:
    """``corpus`` or ``NAME:PATH`` -> (name, folder), with a clear error for anything else."""
    name, _, path = spec.partition(":")
    if name not in SOURCES or (name == "corpus") != (not path):
        raise ValueError(f"data source must be 'corpus', 'humanml3d:PATH' or 'interhuman:PATH', got {spec!r}")
    return name, Path(path) if path else None


def pack(clips: list[np.ndarray], texts: list[str], person_texts: list[tuple[str, str]],
         clip_of: list[int] | None = None) -> Clips:
    offsets = np.concatenate(([0], np.cumsum([len(c) for c in clips]))).astype(np.int64)
    return Clips(np.concatenate(clips).astype(np.float16, copy=False), offsets, texts, person_texts,
                 None if clip_of is None else np.asarray(clip_of, dtype=np.int64))


def interaction_clips(cfg: DataConfig, split: str) -> Clips:
    """Two-person clips of a split, (frames, 2, 262), person 1 canonical at frame 0 (and, with
    ``cfg.person2_on_right``, person 2 on person 1's right wherever they stand side by side)."""
    name, path = parse_source(cfg.source)
    if name == "corpus":
        clips = _as_clips(corpora(cfg, split)[1])
    elif name == "interhuman":
        clips = _interhuman(path, split)
    else:
        raise ValueError(f"{cfg.source}: HumanML3D holds one person per clip; train the individual model on it")
    return put_person2_on_right(clips) if cfg.person2_on_right else clips


def swap_sides(text: str) -> str:
    """The text of a mirrored motion: 'left' and 'right' exchanged (case kept)."""
    other = {"left": "right", "right": "left"}
    return re.sub(r"\b(left|right)\b", lambda m: other[m[0].lower()].capitalize() if m[0][0].isupper()
                  else other[m[0].lower()], text, flags=re.IGNORECASE)


def put_person2_on_right(clips: Clips) -> Clips:
    """Mirror (motion and texts) the clips whose person 2 starts beside person 1 on the left, more to the side
    than ahead or behind, so that a pair side by side always has person 2 on the right.

    Which side a companion walks on is a coin toss in the data and seldom in the text; a denoiser that must
    average the two places puts the two people inside each other. Face-to-face and front-to-back clips keep
    their handedness.
    """
    features = clips.features.copy()
    mirrored = np.zeros(len(clips.offsets) - 1, dtype=bool)
    for c in range(len(mirrored)):
        x, z = (float(v) for v in clips.packed(c)[0, 1, [0, 2]])
        if x > abs(z):
            mirrored[c] = True
            span = slice(clips.offsets[c], clips.offsets[c + 1])
            features[span] = mirror_features(torch.from_numpy(features[span].astype(np.float32))).numpy()
    flip = mirrored[clips.items()]
    texts = [swap_sides(t) if f else t for t, f in zip(clips.texts, flip)]
    person = [tuple(swap_sides(p) for p in pair) if f else pair for pair, f in zip(clips.person_texts, flip)]
    return Clips(features, clips.offsets, texts, person, clips.clip_of)


def individual_clips(cfg: DataConfig, split: str) -> Clips:
    """One-person clips of a split, (frames, 1, 262), each centred on its own. The corpus gives its
    individual clips and every person of its interaction clips; InterHuman gives both people of each clip."""
    name, path = parse_source(cfg.source)
    if name == "humanml3d":
        return _humanml3d(path, split)
    if name == "corpus":
        ind, corpus = corpora(cfg, split)
        singles, texts, clip_of = [ind.clip(i) for i in range(len(ind))], list(ind.texts), list(range(len(ind)))
        inter = _as_clips(corpus)
    else:
        inter, singles, texts, clip_of = _interhuman(path, split), [], [], []
    items_of = [[] for _ in range(len(inter.offsets) - 1)]  # the items (descriptions) of each packed clip
    for i, c in enumerate(inter.items()):
        items_of[c].append(i)
    for c, items in enumerate(items_of):
        clip = torch.from_numpy(inter.packed(c).astype(np.float32))
        for k in range(2):
            singles.append(canonicalize_features(clip[:, k])[0][:, None].numpy())
            texts += [inter.person_texts[i][k] for i in items]
            clip_of += [len(singles) - 1] * len(items)
    return pack(singles, texts, [], clip_of)


def _as_clips(corpus) -> Clips:
    """A procedural two-person corpus as training items, one per clip."""
    return Clips(corpus.features, corpus.offsets, list(corpus.texts), list(corpus.person_texts))


def corpora(cfg: DataConfig, split: str):
    """The (individual, interaction) procedural corpora of a split, generated once and cached on disk."""
    from ..corpus import load_or_generate

    n_ind, n_int = (cfg.n_individual, cfg.n_interaction) if split == "train" else (cfg.n_val, cfg.n_val)
    workers = max(1, min(32, os.cpu_count() or 1))
    return (load_or_generate("individual", n_ind, split, cfg.seed, cfg.cache_dir, workers),
            load_or_generate("interaction", n_int, split, cfg.seed, cfg.cache_dir, workers))


def mixing_clips(cfg: DataConfig, split: str) -> tuple[Clips, list[str]]:
    """What Mixer training draws from, each source read once: the two-person clips, and the distinct texts of
    one person's own motion that may replace a person's text (the corpus's individual clips, or the
    InterHuman people's descriptions)."""
    name, path = parse_source(cfg.source)
    if name == "corpus":
        ind, inter = corpora(cfg, split)
        clips = _as_clips(inter)
        return (put_person2_on_right(clips) if cfg.person2_on_right else clips), sorted(set(ind.texts))
    clips = interaction_clips(cfg, split)
    return clips, sorted({t for pair in clips.person_texts for t in pair})


def _split_ids(listed, folder: Path, split: str, what: str) -> list[str]:
    """The split file's clip ids, or every ``*.npy`` in ``folder`` when the dataset has no split file."""
    from ..data._io import DatasetFormatError

    try:
        return listed(split)
    except (FileNotFoundError, DatasetFormatError):
        ids = sorted(p.stem for p in folder.glob("*.npy"))
        if not ids:
            raise
        log.warning("%s has no %s split file: using all %d clips", what, split, len(ids))
        return ids


def _humanml3d(root: Path, split: str) -> Clips:
    """One clip per caption (its time range, when it has one), converted to the 262-d layout at 30 fps."""
    from ..data.humanml3d_reader import HumanML3DReader
    from ..representation.humanml3d import humanml3d_to_interhuman
    from ..skeleton import FPS

    reader = HumanML3DReader(root)
    clips, texts, uncaptioned = [], [], 0
    for clip in _split_ids(reader.ids, root / "new_joint_vecs", split, f"HumanML3D folder {root}"):
        if not (root / "texts" / f"{clip}.txt").is_file():  # skipped, as the official loader does
            uncaptioned += 1
            continue
        motion = humanml3d_to_interhuman(reader.motion(clip), src_fps=HUMANML3D_FPS, dst_fps=FPS)
        for caption in reader.captions(clip):
            part = motion[caption.frames(FPS)]
            if len(part) >= MIN_CLIP_FRAMES:
                clips.append(canonicalize_features(torch.from_numpy(part))[0][:, None].numpy())
                texts.append(caption.text)
    if uncaptioned:
        log.warning("HumanML3D folder %s: %d %s clips have no texts file and are left out", root, uncaptioned, split)
    if not clips:
        raise ValueError(f"HumanML3D folder {root}: no captioned {split} clip of at least {MIN_CLIP_FRAMES} frames")
    return pack(clips, texts, [])


def _interhuman(root: Path, split: str) -> Clips:
    """One clip per (interaction, person 1, person 2) description triple of in2IN."""
    from ..data.in2in_reader import In2INReader

    reader = In2INReader(root)
    clips, texts, people, clip_of = [], [], [], []
    for clip in reader.ids(split):
        clips.append(reader.interhuman.features(clip))
        for triple in reader.triples(clip):
            texts.append(triple.interaction)
            people.append((triple.person1, triple.person2))
            clip_of.append(len(clips) - 1)
    if not clips:
        raise ValueError(f"InterHuman folder {root}: no {split} clip with in2IN individual descriptions")
    return pack(clips, texts, people, clip_of)
