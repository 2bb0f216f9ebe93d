"""Training of the two motion denoisers (interaction M^a, individual M^b), top to bottom.

x0-prediction diffusion on normalised features: pick clips, pick a step t, noise the clips, predict
them back, regress (plus bone-length, foot-contact and, for two people, distance, contact and facing
terms at low noise). Conditions are dropped at random so classifier-free guidance works at sampling.
Resumable: ``state.pt`` in the run folder holds the step, weights, EMA and optimiser; the shipped
checkpoint is the EMA in float16.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ..diffusion import NoiseSchedule, guided_x0
from ..models.blocks import TextProjection
from ..models.config import NetConfig
from ..models.denoisers import IndividualDenoiser, InteractionDenoiser
from ..models.io import load_weights, read_checkpoint, read_normalizer, save_checkpoint
from ..representation.normalization import Normalizer
from . import datasets, sources
from .recipe import TrainConfig
from .loop import Run, clipped_update, make_ema
from .losses import (GEOMETRY_MAX_T, affinity_loss, bone_length_loss, distance_map_loss, floor_loss, foot_contact_loss,
                     foot_height_loss, joint_velocity_loss, masked_mse, relative_facing_loss, skating_loss,
                     spacing_loss)

VAL_STEPS = (50, 200, 400, 600, 800, 950)
TEXT_CHECK_T = 900


def build_sets(kind: str, cfg: TrainConfig, device, norm: Normalizer | None = None
               ) -> tuple[datasets.TrainingSet, datasets.TrainingSet, Normalizer]:
    """Train and validation sets of one kind, and the normaliser: ``norm`` when given (fine-tuning keeps
    its checkpoint's space), else fitted on the training frames and saved under assets/stats."""
    d = cfg.data
    sets = []
    for split in ("train", "val"):
        if kind == "interaction":
            clips = sources.interaction_clips(d, split)
            store = datasets.text_store(d, list(clips.texts) + [p for pair in clips.person_texts for p in pair])
            make = datasets.interaction_set
        else:
            clips = sources.individual_clips(d, split)
            store = datasets.text_store(d, list(clips.texts))
            make = datasets.individual_set
        if norm is None:
            norm = datasets.fit_normalizer(clips.features, kind, save=True)
        sets.append(make(clips, store, d.max_frames, device))
    return sets[0], sets[1], norm


def init_from_checkpoint(model: nn.Module, path: str | Path, kind: str) -> Normalizer:
    """Start fine-tuning from a shipped checkpoint: load its weights into ``model`` (rescaling the text
    projections when the checkpoint used another text gain, and starting person roles it lacks at zero)
    and return its normaliser."""
    config, tensors, _ = read_checkpoint(path, expected_kind=kind)
    ratio = NetConfig.from_dict(config).text_gain / model.cfg.text_gain
    tensors = {k: v * ratio if k.endswith(".weight") and isinstance(model.get_submodule(k[:-7]), TextProjection) else v
               for k, v in tensors.items()}
    if getattr(model, "role", None) is not None and "role" not in tensors:
        tensors["role"] = torch.zeros_like(model.role)
    load_weights(model, tensors, path)
    return read_normalizer(tensors, "motion", path)


def sample_steps(batch: int, schedule: NoiseSchedule, high_share: float, high_from: int, device,
                 low_share: float = 0.0, low_to: int = 100) -> torch.Tensor:
    """Training steps t: uniform over the schedule, except a ``high_share`` of the batch drawn from the
    noisy end [high_from, T), where the text is all the denoiser has to go on, and a ``low_share`` from the
    clean end [0, low_to), where the input holds nearly all of the motion and the denoiser should give it back."""
    t = torch.randint(0, schedule.num_steps, (batch,), device=device)
    u = torch.rand(batch, device=device)
    t = torch.where(u < high_share, torch.randint(high_from, schedule.num_steps, (batch,), device=device), t)
    if low_share <= 0:
        return t
    return torch.where((u >= high_share) & (u < high_share + low_share),
                       torch.randint(0, low_to, (batch,), device=device), t)


def denoise(model, kind: str, x_t, t, text, person_text, mask):
    """Call either denoiser on (B, T, P, 262) inputs."""
    if kind == "interaction":
        return model(x_t, t, text, person_text, mask)
    return model(x_t[:, :, 0], t, text, mask)[:, :, None]


def drop_conditions(text, person_text, p_all: float, p_person: float, generator=None):
    """Zero whole condition sets with prob p_all, and each person's text with prob p_person."""
    b = text.shape[0]
    keep = (torch.rand(b, 1, device=text.device) >= p_all).to(text.dtype)
    text = text * keep
    if person_text is not None:
        keep_p = (torch.rand(b, 2, 1, device=text.device) >= p_person).to(text.dtype)
        person_text = person_text * keep[:, None] * keep_p
    return text, person_text


def perturbed_noise(x: torch.Tensor, perturbation: float) -> torch.Tensor:
    """The noise that makes x_t: standard normal, plus ``perturbation`` times another draw (DDPM-IP)."""
    noise = torch.randn_like(x)
    return noise + perturbation * torch.randn_like(x) if perturbation > 0 else noise


@torch.no_grad()
def rollout_inputs(model, kind: str, x: torch.Tensor, t: torch.Tensor, noise: torch.Tensor, text, person_text, mask,
                   schedule: NoiseSchedule, steps: int, stride: int, guidance: float) -> torch.Tensor:
    """Inputs at step t as a sampling chain reaches them: each clip noised at t + steps * stride (at most the last
    step), then ``steps`` deterministic DDIM steps of ``stride`` down to t on the network's own guided x0
    predictions. The state then carries the network's earlier mistakes, so a target of the clean clip teaches it
    to correct them instead of compounding them (exposure bias; docs/evaluation.md, "the chain, not the step")."""
    last = schedule.num_steps - 1
    levels = [torch.clamp(t + k * stride, max=last) for k in range(steps, -1, -1)]
    keep = mask[..., None, None]
    x_t = schedule.q_sample(x, levels[0], noise) * keep
    conds = (text,) if person_text is None else (text, person_text)

    def net(x_in, t_in, *conds_and_mask):
        *c, m = conds_and_mask
        return denoise(model, kind, x_in, t_in, c[0], c[1] if len(c) > 1 else None, m)

    for hi, lo in zip(levels, levels[1:]):
        x0 = guided_x0(net, x_t, hi, conds, mask, guidance).float()
        a_hi = schedule.alpha_bar(hi, x)
        eps = (x_t - a_hi.sqrt() * x0) / (1 - a_hi).sqrt()
        x_t = schedule.q_sample(x0, lo, eps) * keep  # eta = 0: the predicted clip at t_lo with the implied noise
    return x_t


def jitter_texts(texts: torch.Tensor, std: float) -> torch.Tensor:
    """Sentence embeddings (..., D) moved by Gaussian noise of ``std`` per dimension and scaled back to their own
    norm; empty (zero) embeddings stay zero. Unseen paraphrases land near, not on, the training texts
    (cosine 0.6-0.9 with MiniLM), so training on nearby points teaches the denoiser that neighbourhood."""
    if std <= 0:
        return texts
    norm = texts.norm(dim=-1, keepdim=True)
    moved = texts + std * torch.randn_like(texts)
    return torch.where(norm > 0, moved * norm / moved.norm(dim=-1, keepdim=True).clamp_min(1e-8), texts)


def _neighbours(cond: torch.Tensor | None) -> torch.Tensor | None:
    """Each clip's condition replaced by the next clip's (a text that does not describe it, mostly)."""
    return None if cond is None else cond.roll(1, dims=0)


@torch.no_grad()
def validation_loss(model, kind, val: datasets.TrainingSet, norm: Normalizer, schedule: NoiseSchedule,
                    batch: int) -> tuple[float, float]:
    """Mean x0 MSE on the first clips of the validation set at fixed noise levels (deterministic), and the
    text gain: how much the MSE at t = TEXT_CHECK_T rises when every clip gets another clip's texts
    (about 0 for a denoiser that ignores its text)."""
    g = torch.Generator(device=val.batcher.device).manual_seed(0)
    idx = torch.arange(min(batch, len(val.batcher)), device=val.batcher.device)
    x, mask = val.batcher.gather(idx)
    x = norm.normalize(x)
    pt = None if val.person_texts is None else val.person_texts[idx]
    losses = {}
    for t_val in VAL_STEPS + (TEXT_CHECK_T,):
        t = torch.full((len(idx),), t_val, device=x.device)
        x_t = schedule.q_sample(x, t, torch.randn(x.shape, generator=g, device=x.device))
        losses[t_val] = masked_mse(denoise(model, kind, x_t, t, val.texts[idx], pt, mask), x, mask).item()
    swapped = masked_mse(denoise(model, kind, x_t, t, _neighbours(val.texts[idx]), _neighbours(pt), mask), x, mask).item()
    return sum(losses[v] for v in VAL_STEPS) / len(VAL_STEPS), swapped - losses[TEXT_CHECK_T]


def train_denoiser(kind: str, cfg: TrainConfig, out_dir: str | Path, device: str | None = None, resume: bool = True,
                   init: str | Path | None = None) -> Path:
    """Train M^a (``kind='interaction'``) or M^b (``'individual'``); returns the shipped checkpoint path.
    ``init``: a checkpoint to fine-tune from (used when the run folder has no state to resume)."""
    opt_cfg = cfg.train
    run = Run(out_dir, opt_cfg, device, f"train {kind}")
    net_cls = InteractionDenoiser if kind == "interaction" else IndividualDenoiser
    model = net_cls(cfg.model)
    init_norm = init_from_checkpoint(model, init, kind) if init is not None else None
    train_set, val_set, norm = build_sets(kind, cfg, run.device, init_norm)
    model = model.to(run.device)
    ema = make_ema(model)
    opt = torch.optim.AdamW(model.parameters(), lr=opt_cfg.lr, weight_decay=opt_cfg.weight_decay)
    run.resume({"model": model, "ema": ema}, {"opt": opt}, resume)
    ddp_model = run.dist.wrap(model)
    schedule = NoiseSchedule()
    use_amp = run.device.type == "cuda"

    while run.running:
        x, mask, idx = train_set.batcher.sample(opt_cfg.batch_size)
        x = norm.normalize(x)
        t = sample_steps(x.shape[0], schedule, opt_cfg.high_t_share, opt_cfg.high_t_from, x.device,
                         opt_cfg.low_t_share, opt_cfg.low_t_to)
        noise = perturbed_noise(x, opt_cfg.input_perturbation)
        x_t = schedule.q_sample(x, t, noise) * mask[..., None, None]
        pt = None if train_set.person_texts is None else train_set.person_texts[idx]
        text, pt = drop_conditions(train_set.texts[idx], pt, opt_cfg.cond_drop, opt_cfg.person_text_drop)
        text, pt = jitter_texts(text, opt_cfg.text_noise), None if pt is None else jitter_texts(pt, opt_cfg.text_noise)
        rolled = torch.rand(x.shape[0], device=x.device) < opt_cfg.rollout_share
        if rolled.any():
            r = rolled.nonzero()[:, 0]
            x_t = x_t.index_copy(0, r, rollout_inputs(
                ema, kind, x[r], t[r], noise[r], text[r], None if pt is None else pt[r], mask[r], schedule,
                opt_cfg.rollout_steps, opt_cfg.rollout_stride, opt_cfg.rollout_guidance))
        lr = run.set_lr(opt)
        with torch.autocast(run.device.type, dtype=torch.bfloat16, enabled=use_amp):
            pred = denoise(ddp_model, kind, x_t, t, text, pt, mask)
        pred = pred.float()
        loss_x0 = masked_mse(pred, x, mask)
        geo_w = mask * (t <= GEOMETRY_MAX_T)[:, None]
        pred_raw, x_raw = norm.denormalize(pred), norm.denormalize(x)
        loss_bone = bone_length_loss(pred_raw, x_raw, geo_w)
        loss_foot = foot_contact_loss(pred_raw, x_raw, geo_w)
        loss_floor = floor_loss(pred_raw, geo_w)
        loss_vel = joint_velocity_loss(pred_raw, x_raw, geo_w)
        loss_skate = skating_loss(pred_raw, geo_w)
        loss_height = foot_height_loss(pred_raw, x_raw, geo_w)
        loss = (loss_x0 + opt_cfg.bone_weight * loss_bone + opt_cfg.foot_weight * loss_foot
                + opt_cfg.floor_weight * loss_floor + opt_cfg.joint_velocity_weight * loss_vel
                + opt_cfg.skate_weight * loss_skate + opt_cfg.foot_height_weight * loss_height)
        terms = {}
        if kind == "interaction":
            pair_w = mask * (t <= opt_cfg.interaction_max_t)[:, None]
            terms = {"distance_cm2": distance_map_loss(pred_raw, x_raw, pair_w),
                     "affinity_cm2": affinity_loss(pred_raw, x_raw, pair_w),
                     "facing": relative_facing_loss(pred_raw, x_raw, pair_w),
                     "spacing_cm2": spacing_loss(pred_raw, x_raw, mask)}
            loss = loss + (opt_cfg.distance_map_weight * terms["distance_cm2"]
                           + opt_cfg.affinity_weight * terms["affinity_cm2"] + opt_cfg.facing_weight * terms["facing"]
                           + opt_cfg.spacing_weight * terms["spacing_cm2"])
        clipped_update(opt, loss, opt_cfg.grad_clip)
        run.update_ema(ema, model)
        run.advance()
        if run.every(opt_cfg.log_every):
            run.log(step=run.step, loss=loss.item(), x0=loss_x0.item(), bone_cm2=loss_bone.item(),
                    foot_cm2=loss_foot.item(), skate_cm2=loss_skate.item(), foot_height_cm2=loss_height.item(),
                    floor_cm2=loss_floor.item(), joint_velocity_cm2=loss_vel.item(),
                    **{k: v.item() for k, v in terms.items()}, lr=lr)
        if run.every(opt_cfg.val_every) and run.dist.main:
            ema_val, text_gain = validation_loss(ema, kind, val_set, norm, schedule, 256)
            run.extra["val_loss"] = ema_val
            run.log(step=run.step, val_loss=ema_val, val_text_gain=text_gain)
    run.finish()
    final = run.out_dir / f"{kind}.safetensors"
    if run.dist.main:
        val, text_gain = validation_loss(ema, kind, val_set, norm, schedule, 256)
        info = run.info(init=str(init) if init else None, val_loss=val, val_text_gain=text_gain, config=cfg.source,
                        data={"n_individual": cfg.data.n_individual, "n_interaction": cfg.data.n_interaction,
                              "seed": cfg.data.seed})
        save_checkpoint(final, ema, kind, cfg.model.to_dict(), {"motion": norm}, info)
        run.log(step=run.step, final_val_loss=val, final_val_text_gain=text_gain)
    run.dist.close()
    return final
