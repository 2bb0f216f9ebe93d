"""Training of the contrastive text-motion evaluators (saved and loaded by ``models/pretrained.py``).

Loss: symmetric InfoNCE with the model's learnable temperature. Several clips share a caption, so identical
text embeddings are treated as positives of each other: each row's target is spread evenly over the batch
items with the same text (rather than de-duplicating the batch), in both directions.
"""
from __future__ import annotations

import logging
import math

import torch
import torch.nn.functional as F

from ..evaluation.metrics import mm_dist, r_precision, text_groups
from ..models.evaluator import TextMotionEvaluator

MAX_LOGIT_SCALE = 100.0
log = logging.getLogger(__name__)


def contrastive_loss(motion_emb: torch.Tensor, text_emb: torch.Tensor, groups: torch.Tensor,
                     logit_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE over a batch; items with the same ``groups`` id (same text) are all positives."""
    logits = logit_scale.exp().clamp(max=MAX_LOGIT_SCALE) * motion_emb @ text_emb.T
    positive = (groups[:, None] == groups[None, :]).float()
    target = positive / positive.sum(1, keepdim=True)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def _prepare_all(model: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor,
                 chunk: int = 256) -> torch.Tensor:
    """Network inputs for a whole set, computed once on the CPU (centring included)."""
    with torch.no_grad():
        return torch.cat([model.prepare(motions[i:i + chunk].cpu(), masks[i:i + chunk].cpu())
                          for i in range(0, len(motions), chunk)])


@torch.no_grad()
def _validate(model: TextMotionEvaluator, x: torch.Tensor, masks: torch.Tensor, text_emb: torch.Tensor,
              groups: torch.Tensor, device: torch.device, batch_size: int) -> dict[str, float]:
    model.eval()
    motion = torch.cat([model.encode_prepared(x[i:i + batch_size].to(device), masks[i:i + batch_size].to(device))
                        for i in range(0, len(x), batch_size)]).cpu()
    text = model.encode_text(text_emb.to(device)).cpu()
    model.train()
    top = r_precision(motion, text, groups=groups)
    return {"val_top1": top[1], "val_top2": top[2], "val_top3": top[3], "val_mm_dist": mm_dist(motion, text)}


def train_evaluator(model: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor, text_emb: torch.Tensor,
                    val_motions: torch.Tensor | None = None, val_masks: torch.Tensor | None = None,
                    val_text_emb: torch.Tensor | None = None, *, steps: int = 2000, batch_size: int = 64,
                    lr: float = 1e-4, weight_decay: float = 1e-2, seed: int = 0, device: str | torch.device = "cpu",
                    log_every: int = 100, fit_normalizer: bool = True) -> dict:
    """Train ``model`` in place on (N, T, P, 262) motions, (N, T) bool masks and (N, 384) text embeddings.

    AdamW with a linear warm-up over the first 5% of steps then cosine decay to 0, gradient clipping at 1.
    ``fit_normalizer`` first sets the model's statistics from the training motions. Validation R-precision
    (pools of 32, identical texts never distractors) and MM-Dist are computed every ``log_every`` steps and
    at the end when a validation set is given. Returns {"loss": mean training loss since the last log,
    "temperature", "steps", "val_top1/2/3" and "val_mm_dist" (with a validation set), "history": one record
    per log}.
    """
    if not (len(motions) == len(masks) == len(text_emb)):
        raise ValueError("motions, masks and text embeddings must have the same length")
    device = torch.device(device)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    if fit_normalizer:
        model.fit_normalizer(motions.cpu(), masks.cpu().bool())
    x, m, t = _prepare_all(model, motions, masks.bool()), masks.bool().cpu(), text_emb.float().cpu()
    groups = torch.from_numpy(text_groups(t))
    val = None
    if val_motions is not None:
        val_masks = val_masks.bool().cpu()
        val = (_prepare_all(model, val_motions, val_masks), val_masks, val_text_emb.float().cpu(),
               torch.from_numpy(text_groups(val_text_emb)))
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    warmup = max(1, steps // 20)

    def lr_factor(s: int) -> float:
        if s < warmup:
            return (s + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, steps - warmup)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    batch_size = min(batch_size, len(x))
    order, cursor, window, history = torch.randperm(len(x), generator=gen), 0, [], []
    for step in range(1, steps + 1):
        if cursor + batch_size > len(x):
            order, cursor = torch.randperm(len(x), generator=gen), 0
        idx = order[cursor:cursor + batch_size]
        cursor += batch_size
        motion_emb = model.encode_prepared(x[idx].to(device), m[idx].to(device))
        loss = contrastive_loss(motion_emb, model.encode_text(t[idx].to(device)), groups[idx].to(device),
                                model.logit_scale)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        window.append(loss.item())
        if step % log_every == 0 or step == steps:
            record = {"step": step, "loss": sum(window) / len(window)}
            if val is not None:
                record.update(_validate(model, *val, device, batch_size))
            history.append(record)
            window = []
            log.info(" ".join(f"{k}={v:.4g}" for k, v in record.items()))
    result = dict(history[-1])
    result.update(steps=steps, temperature=1 / model.logit_scale.exp().clamp(max=MAX_LOGIT_SCALE).item(),
                  history=history)
    del result["step"]
    model.eval()
    return result
