"""Training run of one evaluator on the corpus (the command ``train evaluator``), top to bottom.

The evaluators are trained apart from the generators, with their own seed and config, so the
figures they give are not the generators' own opinion of themselves. Resumable like the other runs:
``state.pt`` in the run folder holds the step, weights, optimiser and the history of validation figures.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import torch

from ..data.batching import ClipBatcher
from ..models.evaluator import EvaluatorConfig, TextMotionEvaluator
from ..models.pretrained import save_evaluator
from . import datasets, sources
from .contrastive import EvaluatorSet, train_evaluator
from .loop import Run
from .recipe import TrainConfig


def evaluator_data(people: int, cfg: TrainConfig, split: str) -> EvaluatorSet:
    """All clips of a split as (N, T, P, 262) padded motions, (N, T) masks and (N, 384) text embeddings."""
    clips = (sources.interaction_clips if people == 2 else sources.individual_clips)(cfg.data, split)
    texts = list(clips.texts)
    batcher = ClipBatcher(clips.features, clips.offsets, cfg.data.max_frames, clip_of=clips.clip_of)
    motions, masks = batcher.gather(torch.arange(len(batcher)))
    return motions, masks, datasets.text_store(cfg.data, texts).lookup(texts)


def train_evaluator_run(people: int, cfg: TrainConfig, out_dir: str | Path, device: str | None = None,
                        resume: bool = True) -> Path:
    """Train and save ``evaluator_interaction`` (people=2) or ``evaluator_individual`` (people=1); returns the
    checkpoint path. Its card (validation figures, history, run) is written next to it as ``<name>.json``."""
    name = "evaluator_interaction" if people == 2 else "evaluator_individual"
    # The evaluators' schedule: warm-up over the first 5 % of the steps, then cosine decay to 0.
    oc = replace(cfg.train, warmup=max(1, cfg.train.steps // 20))
    run = Run(out_dir, oc, device, f"train {name}", lr_floor=0.0)
    train, val = evaluator_data(people, cfg, "train"), evaluator_data(people, cfg, "val")
    model = TextMotionEvaluator(people, EvaluatorConfig(max_frames=cfg.data.max_frames))
    result = train_evaluator(model, train, val, run, resume)
    path = run.out_dir / f"{name}.safetensors"
    if run.dist.main:
        save_evaluator(model.cpu(), path)
        summary = {k: v for k, v in result.items() if k != "history"}
        summary.update(run.info(config=cfg.source, n_train=len(train[0]), n_val=len(val[0])), history=result["history"])
        (run.out_dir / f"{name}.json").write_text(json.dumps(summary, indent=1))
        print(json.dumps({k: v for k, v in summary.items() if k != "history"}))
    run.dist.close()
    return path
