"""Shared test helpers: a tiny synthetic corpus made from forward kinematics (fast, no generator)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import torch

from mixermdm_core.kinematics import forward_kinematics
from mixermdm_core.representation.interhuman import canonical_transform, canonicalize_pair, joints_to_features
from mixermdm_core.rotations import axis_angle_to_matrix

SHARED_FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


def smooth_person(frames: int, seed: int, offset=(0.0, 0.0), yaw: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """(frames+1, 22, 3) joints and local rotations of a smoothly moving random pose."""
    g = torch.Generator().manual_seed(seed)
    phase = torch.linspace(0, 2 * np.pi, frames + 1)[:, None, None]
    amp = 0.3 * torch.rand(1, 22, 3, generator=g)
    aa = amp * torch.sin(phase + torch.rand(1, 22, 3, generator=g) * 6)
    aa[:, 0] = torch.tensor([0.0, yaw, 0.0])
    rots = axis_angle_to_matrix(aa)
    root = torch.stack([torch.full((frames + 1,), offset[0]), torch.full((frames + 1,), 0.95),
                        offset[1] + 0.01 * torch.arange(frames + 1)], dim=-1)
    return forward_kinematics(rots, root), rots


@dataclass
class TinyCorpus:
    kind: str
    features: np.ndarray
    offsets: np.ndarray
    actions: list[str]
    texts: list[str]
    person_texts: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def clip(self, i: int) -> np.ndarray:
        return self.features[self.offsets[i]:self.offsets[i + 1]].astype(np.float32)


def tiny_corpus(kind: str, n: int, seed: int = 0) -> TinyCorpus:
    clips, texts, person_texts = [], [], []
    for i in range(n):
        frames = 20 + (i % 3) * 5
        if kind == "individual":
            joints, rots = smooth_person(frames, seed * 1000 + i)
            t = canonical_transform(joints[:-1])
            feats = t.apply(joints_to_features(joints, rots))
            clips.append(feats[:, None])
            texts.append(["a person waves", "someone walks forward", "a person jumps"][i % 3])
        else:
            j1, r1 = smooth_person(frames, seed * 1000 + i)
            j2, r2 = smooth_person(frames, seed * 1000 + i + 500, offset=(0.2, 1.0), yaw=np.pi)
            pair = torch.stack((joints_to_features(j1, r1), joints_to_features(j2, r2)), dim=1)
            clips.append(canonicalize_pair(pair))
            texts.append(["two people shake hands", "two people hug"][i % 2])
            person_texts.append(("the person reaches out", "the person takes the hand"))
    lengths = [len(c) for c in clips]
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    feats = torch.cat(clips).numpy().astype(np.float16)
    return TinyCorpus(kind, feats, offsets, ["x"] * n, texts, person_texts)


@pytest.fixture
def tiny_corpora(monkeypatch):
    """Make every training loop read tiny synthetic corpora instead of the procedural one."""
    from mixermdm_core.training import sources

    def fake(cfg, split):
        s = 0 if split == "train" else 1
        return tiny_corpus("individual", 6, s), tiny_corpus("interaction", 6, s)

    monkeypatch.setattr(sources, "corpora", fake)
    return fake


@pytest.fixture
def one_thread():
    """One thread for the test (the official golden fixtures were made on one: matrix products summed in
    another order drift by about 1e-6)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
