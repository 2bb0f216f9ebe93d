"""Batched, gradient-free embedding of motion sets and texts with an evaluator."""
from __future__ import annotations

import torch

from ..models.evaluator import TextMotionEvaluator


@torch.no_grad()
def embed_motions(model: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor | None = None,
                  batch_size: int = 64) -> torch.Tensor:
    """(N, T, P, 262) raw motions -> (N, embed) CPU embeddings, in eval mode on the model's device."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = []
    for start in range(0, len(motions), batch_size):
        chunk = motions[start:start + batch_size].to(device)
        mask = None if masks is None else masks[start:start + batch_size].to(device)
        out.append(model.encode_motion(chunk, mask).cpu())
    model.train(was_training)
    return torch.cat(out) if out else torch.zeros(0, model.config.embed)


@torch.no_grad()
def embed_texts(model: TextMotionEvaluator, text_emb: torch.Tensor) -> torch.Tensor:
    """(N, text_dim) sentence embeddings -> (N, embed) CPU embeddings, in eval mode."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = model.encode_text(text_emb.to(device)).cpu()
    model.train(was_training)
    return out
