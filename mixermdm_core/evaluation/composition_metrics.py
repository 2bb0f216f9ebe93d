"""MixerMDM's composition metrics: how well a mixed motion follows both of its conditions, and how much the
learned mixing weights adapt to their inputs.

- Interaction alignment a: R-precision top-3 (pools of 32) of the mixed two-person motions against their
  interaction texts, in the interaction evaluator's space.
- Individual alignment b: R-precision top-3 of each mixed person, centred, against that person's individual
  text, in the individual evaluator's space; people whose individual text is empty are skipped.
- Overall alignment: the harmonic mean 2ab / (a + b) (0 when a = b = 0), so a mix must satisfy both.
- Adaptability: the released code does not define it; here it is the spread of the weights across inputs,
  mean over (step, frame, person, joint) of the std over test samples of w. A weight that ignores its input
  (a fixed schedule, or a G weight that barely moves) scores about 0; see :func:`adaptability`.

Weights are (samples, steps, T, 2, 22) arrays in [0, 1]; G, T and S weights may keep size-1 axes (or be
broadcast to that shape): a size-1 axis has no spread along it.
"""
from __future__ import annotations

import numpy as np
import torch

from ..models.evaluator import TextMotionEvaluator
from ..vocabulary import mixed_people
from .embeddings import embed_motions, embed_texts
from .metrics import r_precision, text_groups


def interaction_alignment(evaluator: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor | None,
                          text_emb: torch.Tensor, top_k: int = 3, pool: int = 32, seed: int = 0) -> float:
    """R-precision top-``top_k`` of (N, T, 2, 262) motions against their (N, 384) interaction text embeddings.
    Identical texts are never each other's distractors."""
    if evaluator.people != 2:
        raise ValueError("interaction alignment needs the two-person evaluator")
    m = embed_motions(evaluator, motions, masks)
    t = embed_texts(evaluator, text_emb)
    return r_precision(m, t, pool, (top_k,), groups=text_groups(text_emb), seed=seed)[top_k]


def individual_alignment(evaluator: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor | None,
                         individual_text_emb: torch.Tensor, top_k: int = 3, pool: int = 32,
                         seed: int = 0) -> float:
    """R-precision top-``top_k`` of every person of (N, T, 2, 262) motions against their (N, 2, 384) individual
    text embeddings; a person whose embedding is all zeros (the empty text) is skipped. The evaluator centres
    each person itself. Returns nan when nobody has an individual text."""
    if evaluator.people != 1:
        raise ValueError("individual alignment needs the one-person evaluator")
    if individual_text_emb.shape[:2] != motions.shape[:1] + (2,):
        raise ValueError(f"individual texts must be (N, 2, dim) for N = {len(motions)}, "
                         f"got {tuple(individual_text_emb.shape)}")
    present = mixed_people(individual_text_emb)  # (N, 2)
    if not present.any():
        return float("nan")
    people = motions.transpose(1, 2)[present]  # (M, T, 262)
    person_masks = None if masks is None else masks[:, None, :].expand(-1, 2, -1)[present]
    texts = individual_text_emb[present]
    m = embed_motions(evaluator, people, person_masks)
    t = embed_texts(evaluator, texts)
    return r_precision(m, t, pool, (top_k,), groups=text_groups(texts), seed=seed)[top_k]


def overall_alignment(interaction: float, individual: float) -> float:
    """Harmonic mean 2ab / (a + b) of the two alignments; 0 when both are 0."""
    total = interaction + individual
    return 0.0 if total == 0 else 2 * interaction * individual / total


def _masked_std(weights: np.ndarray, valid: np.ndarray, axis: int) -> float:
    """Population std along ``axis`` over valid entries, averaged over positions with >= 2 valid entries."""
    count = valid.sum(axis)
    mean = np.where(valid, weights, 0).sum(axis) / np.maximum(count, 1)
    dev = np.where(valid, weights - np.expand_dims(mean, axis), 0)
    std = np.sqrt((dev ** 2).sum(axis) / np.maximum(count, 1))
    used = count >= 2
    return float(std[used].mean()) if used.any() else 0.0


def _prepare(weights: np.ndarray | torch.Tensor, mask: np.ndarray | torch.Tensor | None,
             people: np.ndarray | torch.Tensor | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Weights as float64 (samples, steps, T, 2, 22) and a matching bool array of valid entries: frames in
    ``mask`` (samples, T) and people in ``people`` (samples, 2), e.g. those that have an individual text."""
    w = weights.detach().cpu().numpy() if isinstance(weights, torch.Tensor) else np.asarray(weights)
    if w.ndim != 5:
        raise ValueError(f"weights must be (samples, steps, frames, people, joints), got {w.shape}")
    w = w.astype(np.float64)
    frames = np.ones((w.shape[0], w.shape[2]), dtype=bool) if mask is None else _np_bool(mask)
    who = np.ones((w.shape[0], w.shape[3]), dtype=bool) if people is None else _np_bool(people)
    if frames.ndim != 2 or frames.shape[0] != w.shape[0]:
        raise ValueError(f"mask must be (samples, frames), got {frames.shape}")
    if who.shape != (w.shape[0], w.shape[3]):
        raise ValueError(f"people must be (samples, {w.shape[3]}), got {who.shape}")
    shape = np.broadcast_shapes(w.shape, (w.shape[0], 1, frames.shape[1], who.shape[1], 1))
    valid = frames[:, None, :, None, None] & who[:, None, None, :, None]
    return np.broadcast_to(w, shape), np.broadcast_to(valid, shape)


def _np_bool(x: np.ndarray | torch.Tensor) -> np.ndarray:
    return (x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x)).astype(bool)


def adaptability(weights: np.ndarray | torch.Tensor, mask: np.ndarray | torch.Tensor | None = None,
                 people: np.ndarray | torch.Tensor | None = None) -> float:
    """How much the learned weights depend on the input: A = mean over (step, frame, person, joint) of
    std_n w[n, step, frame, person, joint], the population std across the N test samples.

    ``mask`` (samples, T) marks valid frames: a position's std uses only the samples valid there, and
    positions with fewer than 2 valid samples are left out. ``people`` (samples, 2) keeps only the people
    that are mixed (a person without an individual text has w = 0 by construction, which is no adaptation).
    Identical weights for every sample give 0.
    """
    w, valid = _prepare(weights, mask, people)
    return _masked_std(w, valid, axis=0)


def weight_spread(weights: np.ndarray | torch.Tensor, mask: np.ndarray | torch.Tensor | None = None,
                  people: np.ndarray | torch.Tensor | None = None) -> dict[str, float]:
    """The plain variation of the weights within a sample: {"steps", "frames", "joints"} = population std
    along that axis, averaged over all other positions (padded frames excluded when ``mask`` is given, people
    left out where ``people`` is False)."""
    w, valid = _prepare(weights, mask, people)
    return {name: _masked_std(w, valid, axis) for name, axis in (("steps", 1), ("frames", 2), ("joints", 4))}
