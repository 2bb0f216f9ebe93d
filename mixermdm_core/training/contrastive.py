"""Training of the contrastive text-motion evaluators (saved and loaded by ``models/pretrained.py``), top to bottom.

Loss: symmetric InfoNCE with the model's learnable temperature. Several clips share a caption, so identical
text embeddings are treated as positives of each other: each row's target is spread evenly over the batch
items with the same text (rather than de-duplicating the batch), in both directions. The clips are visited in
shuffled epochs. ``loop.Run`` holds the run around the loop: resuming from ``state.pt``, the time budget, the
learning rate and log.jsonl.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ..evaluation.metrics import mm_dist, r_precision, text_groups
from ..models.evaluator import TextMotionEvaluator
from .loop import Run, clipped_update

MAX_LOGIT_SCALE = 100.0
EvaluatorSet = tuple[torch.Tensor, torch.Tensor, torch.Tensor]  # (N, T, P, 262) motions, (N, T) masks, (N, 384) texts


def contrastive_loss(motion_emb: torch.Tensor, text_emb: torch.Tensor, groups: torch.Tensor,
                     logit_scale: torch.Tensor) -> torch.Tensor:
    """Symmetric InfoNCE over a batch; items with the same ``groups`` id (same text) are all positives."""
    logits = logit_scale.exp().clamp(max=MAX_LOGIT_SCALE) * motion_emb @ text_emb.T
    positive = (groups[:, None] == groups[None, :]).float()
    target = positive / positive.sum(1, keepdim=True)
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def _prepare_set(model: TextMotionEvaluator, motions: torch.Tensor, masks: torch.Tensor, text_emb: torch.Tensor,
                 chunk: int = 256) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """A set as the loop reads it, on the CPU: network inputs computed once (centring included), bool masks, text
    embeddings and text-group ids (one per distinct text)."""
    masks, text_emb = masks.bool().cpu(), text_emb.float().cpu()
    with torch.no_grad():
        x = torch.cat([model.prepare(motions[i:i + chunk].cpu(), masks[i:i + chunk])
                       for i in range(0, len(motions), chunk)])
    return x, masks, text_emb, torch.from_numpy(text_groups(text_emb))


@torch.no_grad()
def _validate(model: TextMotionEvaluator, x: torch.Tensor, masks: torch.Tensor, text_emb: torch.Tensor,
              groups: torch.Tensor, device: torch.device, batch_size: int) -> dict[str, float]:
    """R-precision top-1/2/3 and MM-Dist of the model on a prepared validation set (left in training mode)."""
    model.eval()
    motion = torch.cat([model.encode_prepared(x[i:i + batch_size].to(device), masks[i:i + batch_size].to(device))
                        for i in range(0, len(x), batch_size)]).cpu()
    text = model.encode_text(text_emb.to(device)).cpu()
    model.train()
    top = r_precision(motion, text, groups=groups)
    return {"val_top1": top[1], "val_top2": top[2], "val_top3": top[3], "val_mm_dist": mm_dist(motion, text)}


def train_evaluator(model: TextMotionEvaluator, train: EvaluatorSet, val: EvaluatorSet | None, run: Run,
                    resume: bool = True) -> dict:
    """Train ``model`` in place within ``run`` (its device, steps, schedule and time budget) on a training set.

    The model's normalisation statistics are first set from the training motions. AdamW, gradient norm clipped
    at ``grad_clip``. Every ``log_every`` steps, and where the run stops between two, the mean training loss since
    the last record and, with a validation set, R-precision (pools of 32, identical texts never distractors) and
    MM-Dist are logged. Returns {"loss", "val_top1/2/3" and "val_mm_dist" (with a validation set), "steps",
    "temperature", "history": every record, over all sessions of the run}.
    """
    if not (len(train[0]) == len(train[1]) == len(train[2])):
        raise ValueError("motions, masks and text embeddings must have the same length")
    oc, device = run.oc, run.device
    model.fit_normalizer(train[0].cpu(), train[1].cpu().bool())
    x, m, t, groups = _prepare_set(model, *train)
    val = None if val is None else _prepare_set(model, *val)
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=oc.lr, weight_decay=oc.weight_decay)
    run.resume({"model": model}, {"opt": opt}, resume)
    history = run.extra.setdefault("history", [])
    gen = torch.Generator().manual_seed(oc.seed + run.step)  # a resumed session shuffles anew
    batch_size = min(oc.batch_size, len(x))
    order, cursor, window = torch.randperm(len(x), generator=gen), 0, []

    def record() -> None:
        """Log the mean loss since the last record and the validation figures, and keep them in the history."""
        entry = {"step": run.step, "loss": sum(window) / len(window)}
        if val is not None:
            entry.update(_validate(model, *val, device, batch_size))
        history.append(entry)
        window.clear()
        run.log(**entry)

    while run.running:
        if cursor + batch_size > len(x):
            order, cursor = torch.randperm(len(x), generator=gen), 0
        idx = order[cursor:cursor + batch_size]
        cursor += batch_size
        run.set_lr(opt)
        motion_emb = model.encode_prepared(x[idx].to(device), m[idx].to(device))
        loss = contrastive_loss(motion_emb, model.encode_text(t[idx].to(device)), groups[idx].to(device),
                                model.logit_scale)
        clipped_update(opt, loss, oc.grad_clip)
        run.advance()
        window.append(loss.item())
        if run.every(oc.log_every):
            record()
    if window:  # stopped between two records: by the time budget, or at a step count off the log_every grid
        record()
    run.finish()
    model.eval()
    result = {k: v for k, v in history[-1].items() if k != "step"}
    result.update(steps=run.step, temperature=1 / model.logit_scale.exp().clamp(max=MAX_LOGIT_SCALE).item(),
                  history=history)
    return result
