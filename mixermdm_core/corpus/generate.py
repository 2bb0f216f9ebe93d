"""Clip generation: sample an action and a body, animate, run FK, canonicalise, make features and texts.

Every clip is a pure function of (kind, split, seed, index), so corpora are reproducible whatever the number
of worker processes. The split only changes the random stream, except ``heldout``, which draws the reserved
templates and parameter combinations.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from multiprocessing import get_context

import numpy as np
import torch

from ..kinematics import forward_kinematics
from ..representation.interhuman import (
    RigidTransform,
    canonical_transform,
    joints_to_features,
)
from .actions import ACTIONS, sample_params
from .body import Body
from .interactions import INTERACTIONS, Contact
from .moves import add_idle
from .params import Params
from .texts import individual_text, interaction_texts
from .track import Track, pose

VERSION = 2
SPLITS = {"train": 0, "val": 1, "test": 2, "heldout": 3}
KINDS = {"individual": 0, "interaction": 1}
HEIGHTS = (1.55, 1.90)


@dataclass
class Clip:
    """One generated clip with everything needed for storage, statistics and rendering."""

    kind: str
    action: str
    params: Params
    text: str  # individual text (individual clips) or interaction text
    person_texts: tuple[str, ...]  # per-person individual texts (interaction clips), empty otherwise
    joints: np.ndarray  # (P, T+1, 22, 3) canonical joints
    features: np.ndarray  # (T, P, 262) float32
    contacts: list[Contact] = field(default_factory=list)  # hand contacts, persons in stored order


def clip_rng(kind: str, split: str, seed: int, index: int) -> np.random.Generator:
    return np.random.default_rng([KINDS[kind], SPLITS[split], seed, index])


def action_names(kind: str) -> list[str]:
    return list(ACTIONS if kind == "individual" else INTERACTIONS)


def _joints(track: Track) -> tuple[np.ndarray, np.ndarray]:
    local, root = pose(track)
    return forward_kinematics(local, root, track.body.offsets), local


def canonical_features(joints: np.ndarray, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Canonicalise (P, T+1, 22, 3) joints as InterHuman does (person 1 at the origin facing +Z, floor 0;
    person 2 in person 1's frame on its own floor) and return (canonical joints, features (T, P, 262))."""
    j = torch.from_numpy(joints).float()
    first = canonical_transform(j[0])
    out = [first.apply_points(j[0])]
    for other in j[1:]:
        out.append(RigidTransform(first.yaw, first.shift, other[..., 1].amin()).apply_points(other))
    canon = torch.stack(out)
    feats = joints_to_features(canon, torch.from_numpy(local).float())
    return canon.numpy(), feats.permute(1, 0, 2).contiguous().numpy()


def make_clip(kind: str, split: str = "train", seed: int = 0, index: int = 0, action: str | None = None) -> Clip:
    """Generate clip ``index`` of a corpus; ``action`` forces the action or interaction kind."""
    if kind not in KINDS or split not in SPLITS:
        raise ValueError(f"unknown kind {kind!r} or split {split!r}")
    rng = clip_rng(kind, split, seed, index)
    names = action_names(kind)
    name = action or names[int(rng.integers(len(names)))]
    heldout = split == "heldout"
    if kind == "individual":
        spec = ACTIONS[name]
        params = sample_params(spec, rng, heldout)
        track = spec.build(Body(rng.uniform(*HEIGHTS)), params, rng)
        add_idle(track, rng)
        joints, local = _joints(track)
        canon, feats = canonical_features(joints[None], local[None])
        return Clip(kind, name, params, individual_text(name, params, rng, heldout), (), canon, feats)
    spec = INTERACTIONS[name]
    params = sample_params(spec, rng, heldout)
    tracks = spec.build(Body(rng.uniform(*HEIGHTS)), Body(rng.uniform(*HEIGHTS)), params, rng)
    text, text_a, text_b = interaction_texts(name, tracks.params, rng, heldout)
    (ja, la), (jb, lb) = _joints(tracks.a), _joints(tracks.b)
    contacts = tracks.contacts
    if rng.random() < 0.5:  # either person may be person 1
        (ja, la, text_a), (jb, lb, text_b) = (jb, lb, text_b), (ja, la, text_a)
        contacts = [Contact(c.frames, c.joint_b, c.joint_a) for c in contacts]
    canon, feats = canonical_features(np.stack((ja, jb)), np.stack((la, lb)))
    return Clip(kind, name, tracks.params, text, (text_a, text_b), canon, feats, contacts)


def _make_chunk(args: tuple[str, str, int, int, int]) -> list[tuple[np.ndarray, str, str, tuple[str, ...]]]:
    kind, split, seed, start, stop = args
    out = []
    for i in range(start, stop):
        c = make_clip(kind, split, seed, i)
        out.append((c.features.astype(np.float16), c.action, c.text, c.person_texts))
    return out


def _init_worker() -> None:
    torch.set_num_threads(1)


def generate_clips(kind: str, n: int, split: str, seed: int, workers: int) -> list[tuple[np.ndarray, str, str, tuple[str, ...]]]:
    """(features float16, action, text, person texts) for clips 0..n-1, in order."""
    chunk = max(1, min(250, n // max(4 * workers, 1) or 1))
    jobs = [(kind, split, seed, s, min(s + chunk, n)) for s in range(0, n, chunk)]
    if workers <= 1 or n < 50:
        _init_worker()
        parts = [_make_chunk(j) for j in jobs]
    else:
        with get_context("fork").Pool(workers, initializer=_init_worker) as pool:
            parts = pool.map(_make_chunk, jobs)
    return [item for part in parts for item in part]
