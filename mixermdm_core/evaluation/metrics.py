"""The text-to-motion metric suite over evaluator embeddings, and physical plausibility figures over joints.

Embedding metrics take (N, D) arrays (numpy or torch) of motion and text embeddings from an evaluator.
Physical metrics take joint positions in metres (Y up, 22 SMPL joints) and report centimetres.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import torch

from ..skeleton import JOINT, bone_lengths

Array = np.ndarray | torch.Tensor

CONTACT_HEIGHT = 0.05  # a foot joint lower than this (metres) is on the floor
SKATE_JOINTS = (JOINT["left_foot"], JOINT["right_foot"])
HANDS = (JOINT["left_wrist"], JOINT["right_wrist"])


def _np(x: Array) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64)


def fid(real: Array, generated: Array) -> float:
    """Fréchet distance between Gaussians fitted to two embedding sets (N, D):
    |mu_r - mu_g|^2 + tr(C_r + C_g - 2 (C_r C_g)^(1/2)).

    The trace of the matrix square root is computed as the sum of square roots of the eigenvalues of
    C_r^(1/2) C_g C_r^(1/2), which is symmetric, so the result is real and exactly 0 for identical sets.
    """
    a, b = _np(real), _np(generated)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or min(len(a), len(b)) < 2:
        raise ValueError(f"need two (N >= 2, D) sets of one width, got {a.shape} and {b.shape}")
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    vals, vecs = np.linalg.eigh(cov_a)
    root_a = (vecs * np.sqrt(vals.clip(min=0))) @ vecs.T
    cross = np.sqrt(np.linalg.eigvalsh(root_a @ cov_b @ root_a).clip(min=0)).sum()
    value = ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * cross
    return float(max(value, 0.0))


def text_groups(text_emb: Array) -> np.ndarray:
    """(N,) integer id per sample, equal for samples whose text embeddings are identical."""
    return np.unique(_np(text_emb), axis=0, return_inverse=True)[1].reshape(-1)


def r_precision(motion_emb: Array, text_emb: Array, pool: int = 32, top_k: Sequence[int] = (1, 2, 3),
                groups: Array | None = None, seed: int = 0) -> dict[int, float]:
    """Fraction of motions whose own text ranks within the k nearest (Euclidean) of a pool of ``pool`` texts.

    Each motion i gets its own pool: its text plus ``pool - 1`` texts of other samples drawn at random, as
    the field does (one true text among 31 others); chance level is k / pool. With ``groups`` (e.g.
    :func:`text_groups`), samples sharing the true text's group are never drawn as distractors, so a
    duplicated caption does not count against a motion. The rank is 1 + the number of distractors strictly
    closer than the true text. With fewer candidates (N minus the largest group) the pool shrinks to them.
    Returns {k: fraction} for each k.
    """
    m, t = _np(motion_emb), _np(text_emb)
    n = len(m)
    if m.shape != t.shape or m.ndim != 2:
        raise ValueError(f"motion and text embeddings must both be (N, D), got {m.shape} and {t.shape}")
    group = np.arange(n) if groups is None else _np(groups).astype(np.int64).reshape(-1)
    rng = np.random.default_rng(seed)
    hits = {k: 0 for k in top_k}
    true_dist = np.linalg.norm(m - t, axis=1)
    draws = min(pool - 1, n - int(np.unique(group, return_counts=True)[1].max()))
    for start in range(0, n, 1024):
        rows = np.arange(start, min(start + 1024, n))
        keys = np.where(group[rows, None] != group[None, :], rng.random((len(rows), n)), np.inf)
        picks = np.argpartition(keys, draws - 1, axis=1)[:, :draws] if draws > 0 else np.zeros((len(rows), 0), int)
        dist = np.linalg.norm(m[rows, None, :] - t[picks], axis=-1)
        rank = 1 + (dist < true_dist[rows, None]).sum(1)
        for k in top_k:
            hits[k] += int((rank <= k).sum())
    return {k: hits[k] / n for k in top_k}


def mm_dist(motion_emb: Array, text_emb: Array) -> float:
    """Mean Euclidean distance between each motion embedding and its own text embedding."""
    return float(np.linalg.norm(_np(motion_emb) - _np(text_emb), axis=1).mean())


def diversity(emb: Array, pairs: int = 300, seed: int = 0) -> float:
    """Mean distance between ``pairs`` random pairs of distinct samples (N, D): how varied a set is."""
    x = _np(emb)
    if len(x) < 2:
        raise ValueError("diversity needs at least 2 samples")
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(x), pairs)
    j = (i + rng.integers(1, len(x), pairs)) % len(x)
    return float(np.linalg.norm(x[i] - x[j], axis=1).mean())


def multimodality(emb: Array, pairs: int = 10, seed: int = 0) -> float:
    """Mean distance between generations of the same prompt, emb (prompts, generations, D): for each prompt,
    ``pairs`` random pairs of distinct generations."""
    x = _np(emb)
    if x.ndim != 3 or x.shape[1] < 2:
        raise ValueError(f"need (prompts, generations >= 2, D), got {x.shape}")
    rng = np.random.default_rng(seed)
    g = x.shape[1]
    i = rng.integers(0, g, (len(x), pairs))
    j = (i + rng.integers(1, g, (len(x), pairs))) % g
    rows = np.arange(len(x))[:, None]
    return float(np.linalg.norm(x[rows, i] - x[rows, j], axis=-1).mean())


def replicate(fn: Callable[[int], float | dict], n: int, seed: int = 0) -> tuple[float, float] | dict:
    """Run ``fn(seed + r)`` for r < n and summarise: (mean, 95% half-interval 1.96 * std / sqrt(n)), with the
    population std as the field reports it. A dict-valued ``fn`` gives {key: (mean, interval)}."""
    if n < 1:
        raise ValueError("replicate needs n >= 1")
    runs = [fn(seed + r) for r in range(n)]

    def summary(values: list[float]) -> tuple[float, float]:
        v = np.asarray(values, dtype=np.float64)
        return float(v.mean()), float(1.96 * v.std() / np.sqrt(n))

    if isinstance(runs[0], dict):
        return {key: summary([r[key] for r in runs]) for key in runs[0]}
    return summary(runs)


def bootstrap_mean(values: Array, resamples: int = 2000, seed: int = 0) -> tuple[float, float]:
    """(mean, 95 % half-interval) of per-sample values, the interval from the 2.5th and 97.5th percentiles of
    ``resamples`` bootstrap means. For figures that a few samples dominate (a foot that slides while the rest
    stand still), where a normal interval would understate the spread."""
    v = _np(values).ravel()
    if v.size == 0:
        raise ValueError("bootstrap_mean needs at least one value")
    rng = np.random.default_rng(seed)
    means = v[rng.integers(0, v.size, (resamples, v.size))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(v.mean()), float((hi - lo) / 2)


def foot_skating(joints: Array, contact_height: float = CONTACT_HEIGHT,
                 feet: Sequence[int] = SKATE_JOINTS) -> float:
    """Mean horizontal speed (cm/frame) of the foot joints over the frame steps where the joint is in contact
    (below ``contact_height`` at both ends of the step); joints (..., T, 22, 3). 0 when no foot touches.

    The default joints are the toes (SMPL ``left_foot``/``right_foot``): the ankles stand about 8 cm above
    the floor, above the 5 cm contact height."""
    j = _np(joints)[..., list(feet), :]
    low = j[..., 1] < contact_height
    planted = low[..., 1:, :] & low[..., :-1, :]
    step = np.linalg.norm((j[..., 1:, :, :] - j[..., :-1, :, :])[..., [0, 2]], axis=-1)
    return float(step[planted].mean() * 100) if planted.any() else 0.0


def floor_penetration(joints: Array) -> float:
    """Mean over frames of how far (cm) the lowest joint is below the floor y = 0; joints (..., T, 22, 3)."""
    lowest = _np(joints)[..., 1].min(-1)
    return float(np.clip(-lowest, 0, None).mean() * 100)


def bone_length_error(joints: Array, reference: Array | None = None) -> float:
    """Mean relative bone-length error (percent) of joints (..., T, 22, 3).

    The reference is the clip's per-bone median over frames, or ``reference``: a (22, 3) skeleton or (21,)
    bone lengths. Measures how much a generated body stretches.
    """
    lengths = bone_lengths(_np(joints))
    if reference is None:
        ref = np.median(lengths, axis=-2, keepdims=True)
    else:
        ref = _np(reference)
        ref = bone_lengths(ref) if ref.shape == (22, 3) else ref
    return float((np.abs(lengths - ref) / np.clip(ref, 1e-8, None)).mean() * 100)


def min_hand_distance(pair_joints: Array) -> float:
    """Closest approach (cm) between any hand (wrist) of person 1 and any hand of person 2 over a clip;
    pair_joints (T, 2, 22, 3). For contact interactions (handshake, high five) this should be near 0."""
    j = _np(pair_joints)
    a, b = j[:, 0, list(HANDS)], j[:, 1, list(HANDS)]
    return float(np.linalg.norm(a[:, :, None] - b[:, None, :], axis=-1).min() * 100)
