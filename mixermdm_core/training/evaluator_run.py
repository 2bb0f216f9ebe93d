"""Training run of one evaluator on the corpus (the command ``train evaluator``).

The evaluators are trained apart from the generators, with their own seed and config, so the
figures they give are not the generators' own opinion of themselves.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from ..data.batching import ClipBatcher
from ..models.evaluator import EvaluatorConfig, TextMotionEvaluator
from . import datasets, sources
from .recipe import TrainConfig
from ..models.pretrained import save_evaluator
from .contrastive import train_evaluator
from .loop import device_name


def evaluator_data(people: int, cfg: TrainConfig, split: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """All clips of a split as (N, T, P, 262) padded motions, (N, T) masks and (N, 384) text embeddings."""
    clips = (sources.interaction_clips if people == 2 else sources.individual_clips)(cfg.data, split)
    texts = list(clips.texts)
    batcher = ClipBatcher(clips.features, clips.offsets, cfg.data.max_frames, clip_of=clips.clip_of)
    motions, masks = batcher.gather(torch.arange(len(batcher)))
    return motions, masks, datasets.text_store(cfg.data, texts).lookup(texts)


def train_evaluator_run(people: int, cfg: TrainConfig, out_dir: str | Path, device: str | None = None,
                        resume: bool = False) -> Path:
    """Train and save ``evaluator_interaction`` (people=2) or ``evaluator_individual`` (people=1).

    Evaluators train in one go (minutes); ``resume`` is accepted for a uniform CLI and ignored.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "evaluator_interaction" if people == 2 else "evaluator_individual"
    train, val = evaluator_data(people, cfg, "train"), evaluator_data(people, cfg, "val")
    model = TextMotionEvaluator(people, EvaluatorConfig(max_frames=cfg.data.max_frames))
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    oc = cfg.train
    result = train_evaluator(model, *train, *val, steps=oc.steps, batch_size=oc.batch_size, lr=oc.lr,
                             weight_decay=oc.weight_decay, seed=oc.seed, device=device, log_every=oc.log_every)
    path = save_evaluator(model.cpu(), out_dir / f"{name}.safetensors")
    summary = {k: v for k, v in result.items() if k != "history"}
    summary.update(config=cfg.source, device=device_name(device),
                   n_train=len(train[0]), n_val=len(val[0]), history=result["history"])
    (out_dir / f"{name}.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps({k: v for k, v in summary.items() if k != "history"}))
    return path
