"""Distilling a trained Mixer into a cheaper one that reads blocks of frames (``frame_stride``), top to bottom.

The adversarial recipe is what finds a Mixer's weights; a Mixer that reads one token per block of s frames costs
about 1/s as much per denoising step (models.mixer), which is what keeps its share of a CPU request small. The
student has the teacher's sizes, starts from the teacher's parameters and learns to give the teacher's
per-joint-per-frame weights (mean squared error over the mixed people) on the inputs of a prediction cache,
so it keeps what the adversarial training found without running that again.
"""
from __future__ import annotations

from pathlib import Path

import torch

from ..composition.centering import align_people
from ..composition.sampler import DenoiserPair
from ..models.io import save_checkpoint
from ..models.mixer import Mixer, weights_per_joint
from ..models.pretrained import load_mixer
from ..vocabulary import mixed_people
from .loop import Run, clipped_update, make_ema
from .prediction_cache import CachedPredictions
from .recipe import TrainConfig


def weight_gap(student: Mixer, teacher: Mixer, pair: DenoiserPair, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean squared difference of the two Mixers' per-joint weights over the mixed people's valid frames of a
    prediction-cache batch (gradients flow into the student only)."""
    mask, x_a = batch["mask"], batch["x_a"]
    x_b = align_people(batch["x_b_c"], x_a, mask)
    args = (pair.norm_a.normalize(x_a), pair.norm_a.normalize(x_b), batch["t"], batch["text"], batch["person_text"], mask)
    frames = x_a.shape[1]
    with torch.no_grad():
        target = weights_per_joint(teacher(*args), frames)
    got = weights_per_joint(student(*args), frames)
    keep = (mask[:, :, None] & mixed_people(batch["person_text"])[:, None, :]).to(got)  # (B, T, 2)
    return ((got - target).pow(2).mean(-1) * keep).sum() / keep.sum().clamp_min(1)


def distill_mixer(teacher_path: str | Path, pair: DenoiserPair, cfg: TrainConfig, out_dir: str | Path, cache: str | Path,
                  device: str | None = None, resume: bool = True, denoisers: dict | None = None) -> Path:
    """Distil the Mixer in ``teacher_path`` into one with ``cfg.train.frame_stride`` frames per token, on the
    prediction cache ``cache``; returns the student's checkpoint (named as the teacher's)."""
    oc = cfg.train
    run = Run(out_dir, oc, device, "distill mixer")
    pair.frozen_on(run.device)
    cached = CachedPredictions(cache, pair, run.device, denoisers)
    teacher = load_mixer(teacher_path, str(run.device))
    student = Mixer(teacher.cfg, teacher.granularity, teacher.frame_smoothing, oc.frame_stride).to(run.device)
    student.load_state_dict(teacher.state_dict())
    ema = make_ema(student)
    opt = torch.optim.AdamW(student.parameters(), lr=oc.lr, weight_decay=oc.weight_decay)
    run.resume({"student": student, "ema": ema}, {"opt": opt}, resume)
    curve = run.extra.setdefault("curve", [])

    while run.running:
        run.set_lr(opt)
        loss = weight_gap(student, teacher, pair, cached.sample(oc.batch_size))
        clipped_update(opt, loss, oc.grad_clip)
        run.update_ema(ema, student)
        run.advance()
        if run.every(oc.log_every):
            curve.append({"step": run.step, "weight_mse": loss.item()})
            run.log(**curve[-1])
    run.finish()
    with torch.no_grad():  # the EMA student on a fresh batch of the cache (samples it trained on), for the card
        gap = weight_gap(ema, teacher, pair, cached.sample(oc.batch_size)).item()
    run.log(step=run.step, final_weight_rmse=gap ** 0.5)
    final = run.out_dir / Path(teacher_path).name
    info = run.info(granularity=teacher.granularity, distilled_from=str(teacher_path), cache=str(cache),
                    weight_rmse=round(gap ** 0.5, 4), config=cfg.source, curve=curve[-20:])
    config = {**teacher.cfg.to_dict(), "granularity": teacher.granularity, "frame_smoothing": teacher.frame_smoothing,
              "frame_stride": student.frame_stride}
    save_checkpoint(final, ema, "mixer", config, {}, info)
    return final
