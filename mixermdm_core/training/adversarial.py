"""Adversarial training of a Mixer over two frozen denoisers, top to bottom.

There is no ground truth for a mix. Each step: take real interaction clips, noise them at a random
step t (both chains from the same noise, the individual chain centred), let the frozen models predict
x_a and x_b (guided, as at inference; or read those predictions from a prediction cache, which is what
makes this fit a CPU), align x_b onto x_a, let the Mixer choose w and mix. Two
discriminators judge the mix: D^a against x_a (two people) and D^b against x_b (each person centred). Where the
pair reads M^b's positions through its velocities (``DenoiserPair.velocity_readout``), D^b reads both of its
inputs through the same read-out: x_b's positions agree with its velocities and x_a's (damped) do not, so without
it D^b tells any mix with w < 1 from x_b by that agreement alone, and its gradient stops pointing at the movement.
Discriminators use the hinge loss; the Mixer minimises -D^a(x_m) - D^b(x_m) plus an L1 penalty on
the gap between the two, so it cannot win by pleasing only one model, and optionally (``smoothness``) a
temporal prior on T/ST weights: their mean squared change from frame to frame, and (``planted_feet``) a
physical prior on the mix: a foot the mixed motion marks as planted (its own contact channels, or with
``planted_by_height`` a foot joint below its contact height) should not move, as the denoisers' foot-contact term
asks of real data. Weights that differ between the root and the legs or
change over the frames slide feet that neither model slides. ``bone_range`` is the same kind of prior on the
body: each of the mix's bones should stay as long as the two models make it (between their two lengths), where
per-joint weights that differ along a limb would stretch or shrink it. ``decisiveness`` asks each mixed person's
weights to commit, joint by joint, to one model (the mean of w (1 - w), 0 at w = 0 or 1): a limb mixed halfway
keeps neither the individual action nor the interaction's pose (the blend weight's effect on an action's amplitude
is a cliff, docs/evaluation.md), so the discriminators should decide which joints go to which model, not how far
to average them. ``text_parts`` asks each mixed person's body parts to follow what their text moves, as a map
learned from the individual model's own training clips says (``text_parts.py``): the individual model's whole limb
where the text moves it, the interaction model's elsewhere (with ``text_parts_free_contacts``, an arm whose hand the
interaction model brings to the partner is left to the discriminators; with ``text_parts_below``, only at steps t at
or below it, every part the interaction model's above, where the pair's layout and contacts are set). The
adversarial terms alone spread the weights over every limb whatever the text asks (docs/evaluation.md).
``contact_affinity`` is InterGen's joint-affinity term on the mix: the joints of the two people that x_a brings
within TOUCH_M of each other should stay together in the mix (neither discriminator asks for a contact, and with the
text-parts prior mixes lost most of them). Optional instance noise
(``d_noise``) on every discriminator input, real and fake, keeps a discriminator from separating the two on
details the weights cannot change, so its gradient keeps telling the Mixer which way to move; the R1 penalty
on D^b (``d_b_r1``, Mescheder et al. 2018: half the squared gradient of its score with respect to its real
inputs), the discriminator that wins, aims at the same by keeping it flat around the real samples, so that it
does not win by a cliff whose far side gives the Mixer no direction. With
``d_a_relation`` D^a judges only the pair's relation (distances between key joints of the two people, facing;
``representation.relation``) instead of both bodies, so that it guards the interaction without objecting to
the individual action wherever that leaves the relation as the interaction model has it; ``d_a_max_t`` lets D^a
judge only the low-noise samples (t below it), leaving the noisier steps to D^b.

To teach the Mixer the task it faces at inference (an interaction plus an individual request the
interaction data does not hold), a person's text is replaced by an unrelated individual text with
probability ``swap_person_text``. Every ``val_every`` steps, and at the end, the EMA Mixer samples a few
validation mixing prompts and the log records how often the asked action shows in the motion.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from ..composition.centering import align_people, center_people
from ..models.pretrained import load_mixer
from ..composition.sampler import Conditions, DenoiserPair, composed_sample, mix
from ..composition.strategies import MixerStrategy
from ..evaluation.signatures import Signatures, detail_transfer
from ..models.discriminator import MotionDiscriminator, PartDiscriminator
from ..models.io import save_checkpoint
from ..models.mixer import Mixer
from ..representation.interhuman import CONTACT, CONTACT_HEIGHTS, features_to_joints
from ..representation.readout import velocity_consistent
from ..representation.relation import REACH_DIM, RELATION_DIM, arm_reach, pair_relation
from ..skeleton import FOOT_JOINTS
from ..vocabulary import mixed_people
from . import datasets
from .recipe import TrainConfig
from .text_parts import TextPartsMap, fit_on_training_data, hands_at_partner, part_target_gap
from .prediction_cache import CachedPredictions
from .loop import Run, clipped_update, make_ema
from .losses import GEOMETRY_MAX_T, affinity_loss, foot_speed2, limb_lengths


VALIDATION_SEED = 10_000  # mixing prompts of this seed check training; evaluation tests on seed 0


def swap_texts(person_text: torch.Tensor, pool: torch.Tensor, p: float) -> torch.Tensor:
    """Replace each person's text embedding by a random one from ``pool`` with probability p."""
    b = person_text.shape[0]
    swap = torch.rand(b, 2, 1, device=person_text.device) < p
    random = pool[torch.randint(len(pool), (b, 2), device=pool.device)]
    return torch.where(swap, random, person_text)


def weighted_mean(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Mean of per-sample values ``x`` (B, ...) weighted by ``weight`` (B,) (a part-wise judge scores (B, parts));
    0 where every weight is 0."""
    weight = weight.reshape(-1, *[1] * (x.dim() - 1)).expand_as(x)
    return (x * weight).sum() / weight.sum().clamp_min(1)


def hinge_d(real: torch.Tensor, fake: torch.Tensor, weight: torch.Tensor | None = None) -> torch.Tensor:
    loss = F.relu(1 - real) + F.relu(1 + fake)
    return loss.mean() if weight is None else weighted_mean(loss, weight)


def with_noise(x: torch.Tensor, std: float) -> torch.Tensor:
    """Instance noise: ``x`` plus Gaussian noise of standard deviation ``std`` (``x`` itself when 0)."""
    return x + std * torch.randn_like(x) if std else x


def mixer_step_inputs(pair: DenoiserPair, x0: torch.Tensor, mask: torch.Tensor, text, person_text,
                      guidance: tuple[float, float]):
    """Noise real clips at a random step t and run both frozen models as at inference, with ``guidance`` (interaction,
    individual): returns t, the guided raw x_a and the guided raw centred x_b (zeros for people without an
    individual text)."""
    b = x0.shape[0]
    t = torch.randint(0, pair.schedule.num_steps, (b,), device=x0.device)
    noise = torch.randn_like(x0)
    x_a_t = pair.schedule.q_sample(pair.norm_a.normalize(x0), t, noise)
    x_b_t = pair.schedule.q_sample(pair.norm_b.normalize(center_people(x0, mask)), t, noise)
    active = mixed_people(person_text)
    with torch.no_grad(), torch.autocast(x0.device.type, dtype=torch.bfloat16, enabled=x0.device.type == "cuda"):
        x_a = pair.predict_interaction(x_a_t, t, text, person_text, mask, guidance[0])
        x_b_c = pair.predict_individual(x_b_t, t, person_text, mask, guidance[1], active)
    return t, x_a.float(), x_b_c.float()


def live_batch(pair: DenoiserPair, data: datasets.TrainingSet, pool: torch.Tensor, oc) -> dict[str, torch.Tensor]:
    """One batch of frozen-model predictions computed now (what a prediction cache stores)."""
    x0, mask, idx = data.batcher.sample(oc.batch_size)
    text, person_text = data.texts[idx], swap_texts(data.person_texts[idx], pool, oc.swap_person_text)
    t, x_a, x_b_c = mixer_step_inputs(pair, x0, mask, text, person_text, oc.guidances)
    return {"t": t, "mask": mask, "text": text, "person_text": person_text, "x_a": x_a, "x_b_c": x_b_c}


def roughness(w: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Mean squared frame-to-frame change of weights (B, Tw, 2, Jw) over valid frame pairs (0 when Tw is 1): what
    the temporal prior on T/ST weights penalises, since weights that flicker between frames make feet slide."""
    if w.shape[1] < 2:
        return w.new_zeros(())
    step = (w[:, 1:] - w[:, :-1]).pow(2).mean((2, 3))  # (B, Tw - 1)
    if mask is None:
        return step.mean()
    m = mask.bool()
    valid = (m[:, 1:] & m[:, :-1]).to(step)
    return (step * valid).sum() / valid.sum().clamp_min(1)


def geometry_frames(t: torch.Tensor, mask: torch.Tensor | None, x: torch.Tensor) -> torch.Tensor:
    """(B, T) 1 for the valid frames of samples noised at most to GEOMETRY_MAX_T, else 0 (x: (B, T, ...))."""
    frames = torch.ones_like(x[:, :, 0, 0]) if mask is None else mask.to(x)
    return frames * (t <= GEOMETRY_MAX_T).to(x)[:, None]


def planted_slide(x_m: torch.Tensor, active: torch.Tensor, t: torch.Tensor, mask: torch.Tensor | None,
                  by_height: bool = False) -> torch.Tensor:
    """Mean squared speed (cm/frame)^2 of the mixed people's foot joints over the frame steps where the foot is
    planted, in samples noised at most to GEOMETRY_MAX_T (where a prediction has feet to speak of); 0 when no foot
    is planted. Planted is what the mix's own contact channels say, or with ``by_height`` a foot joint below its
    contact height at both ends of the step (a lifted foot the mixed channels call planted is then free, a low
    foot they leave unplanted is not). x_m: raw mix (B, T, 2, 262); active: (B, 2) mixed people."""
    speed2 = foot_speed2(x_m)  # (B, T - 1, 2, 4)
    if by_height:
        heights = features_to_joints(x_m.detach())[..., list(FOOT_JOINTS), 1]  # (B, T, 2, 4)
        low = heights < heights.new_tensor(CONTACT_HEIGHTS)
        planted = low[:, 1:] & low[:, :-1]
    else:
        planted = x_m[:, :-1, :, CONTACT].detach() > 0.5
    frames = torch.ones_like(speed2[..., 0, 0]) if mask is None else (mask[:, 1:] * mask[:, :-1]).to(speed2)
    frames = frames * (t <= GEOMETRY_MAX_T).to(speed2)[:, None]
    where = planted * active[:, None, :, None] * frames[..., None, None]
    return (speed2 * where).sum() / where.sum().clamp_min(1)


def bone_stretch(x_m: torch.Tensor, x_a: torch.Tensor, x_b: torch.Tensor, active: torch.Tensor, t: torch.Tensor,
                 mask: torch.Tensor | None) -> torch.Tensor:
    """Mean squared length (cm^2) by which the mixed people's bones leave the range between the two models' lengths
    of that bone at that frame, in samples noised at most to GEOMETRY_MAX_T; 0 for any bone within it. Raw
    pairs (B, T, 2, 262); active: (B, 2) mixed people."""
    la, lb, lm = limb_lengths(x_a), limb_lengths(x_b), limb_lengths(x_m)  # (B, T, 2, 21)
    outside = (F.relu(torch.minimum(la, lb) - lm) + F.relu(lm - torch.maximum(la, lb))) * 100
    where = (active[:, None, :].to(lm) * geometry_frames(t, mask, lm)[..., None])[..., None].expand_as(lm)
    return (outside.pow(2) * where).sum() / where.sum().clamp_min(1)


def indecision(w: torch.Tensor, active: torch.Tensor) -> torch.Tensor:
    """Mean of w (1 - w) over the mixed people's weights (B, Tw, 2, Jw): 0 where every weight is 0 or 1, at most
    0.25 (every weight 0.5). active: (B, 2) mixed people."""
    where = active[:, None, :, None].to(w).expand_as(w)
    return (w * (1 - w) * where).sum() / where.sum().clamp_min(1)


def r1_penalty(judge, real: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Half the squared norm of the gradient of ``judge``'s scores (B,) with respect to its real inputs, averaged over
    the samples with ``weight`` (B,)."""
    real = real.detach().requires_grad_(True)
    with sdpa_kernel(SDPBackend.MATH):  # the fused attention kernels have no second derivative
        (grad,) = torch.autograd.grad(judge(real).sum(), real, create_graph=True)
    return weighted_mean(0.5 * grad.pow(2).flatten(1).sum(1), weight)


def discriminators(cfg: TrainConfig) -> tuple[MotionDiscriminator, MotionDiscriminator | PartDiscriminator]:
    """D^a (the pair, or its relation with ``d_a_relation``) and D^b (one person, or its body parts with
    ``d_b_parts``), as ``cfg`` sizes them."""
    if cfg.train.d_a_relation:
        dim = RELATION_DIM + (REACH_DIM if cfg.train.d_a_reach else 0)
        d_a = MotionDiscriminator(replace(cfg.discriminator, feature_dim=dim), people=1)
    else:
        d_a = MotionDiscriminator(cfg.discriminator, people=2)
    d_b = PartDiscriminator(cfg.discriminator) if cfg.train.d_b_parts else MotionDiscriminator(cfg.discriminator, people=1)
    return d_a, d_b


def seen_by_d_a(pair: DenoiserPair, x: torch.Tensor, oc) -> torch.Tensor:
    """What D^a reads of a raw pair (B, T, 2, 262): the normalised pair, or its relation (B, T, 1, RELATION_DIM),
    followed by the arms' reach with ``d_a_reach``."""
    if not oc.d_a_relation:
        return pair.norm_a.normalize(x)
    relation = pair_relation(x)
    if oc.d_a_reach:
        relation = torch.cat((relation, arm_reach(x)), -1)
    return relation[:, :, None]


def adversarial_step(pair: DenoiserPair, mixer, d_a, d_b, opt_g, opt_d, batch: dict[str, torch.Tensor],
                     oc, update_mixer: bool = True, parts: TextPartsMap | None = None
                     ) -> tuple[dict[str, float], torch.Tensor, torch.Tensor]:
    """One discriminator update then one Mixer update (unless ``update_mixer`` is off) on a batch of frozen-model
    predictions (live or cached); returns the losses, the weights and who is mixed. ``parts`` (needed when
    ``oc.text_parts`` is set) says which body parts each person's text moves."""
    t, mask, text, person_text = batch["t"], batch["mask"], batch["text"], batch["person_text"]
    x_a, x_b_c = batch["x_a"], batch["x_b_c"]
    x_b = align_people(x_b_c, x_a, mask)
    active = mixed_people(person_text)
    norm_a, norm_b = pair.norm_a.normalize, pair.norm_b.normalize
    w = mixer(norm_a(x_a), norm_a(x_b), t, text, person_text, mask)
    x_m, w_joints = mix(x_a, x_b, w, active)
    fake_b = norm_b(velocity_consistent(center_people(x_m, mask), pair.velocity_readout, mask))
    real_b = norm_b(velocity_consistent(x_b_c, pair.velocity_readout, mask))
    people = active.float()  # (B, 2): D^b only judges people who have an individual text

    def judge_a(x: torch.Tensor) -> torch.Tensor:
        return d_a(with_noise(seen_by_d_a(pair, x, oc), oc.d_noise), t, text, mask)

    def judge_b(x: torch.Tensor, k: int) -> torch.Tensor:
        return d_b(with_noise(x[:, :, k:k + 1], oc.d_noise), t, person_text[:, k], mask)

    # Discriminators: real = each model's own prediction, fake = the mix; D^a only where t < d_a_max_t, if set.
    judged_a = (t < oc.d_a_max_t).float() if oc.d_a_max_t else torch.ones_like(t, dtype=torch.float)
    d_loss_a = hinge_d(judge_a(x_a), judge_a(x_m.detach()), judged_a)
    d_loss_b = sum(hinge_d(judge_b(real_b, k), judge_b(fake_b.detach(), k), people[:, k]) for k in range(2)) / 2
    r1 = x_m.new_zeros(())
    if oc.d_b_r1:
        r1 = sum(r1_penalty(lambda x: d_b(x, t, person_text[:, k], mask), real_b[:, :, k:k + 1], people[:, k])
                 for k in range(2)) / 2
    clipped_update(opt_d, d_loss_a + d_loss_b + oc.balance * (d_loss_a - d_loss_b).abs() + oc.d_b_r1 * r1,
                   oc.grad_clip)

    # Mixer: fool both discriminators, evenly.
    g_a = weighted_mean(-judge_a(x_m), judged_a)
    g_b = sum(weighted_mean(-judge_b(fake_b, k), people[:, k]) for k in range(2)) / 2
    rough = roughness(w, mask)
    slide = planted_slide(x_m, active, t, mask, oc.planted_by_height) if oc.planted_feet else x_m.new_zeros(())
    stretch = bone_stretch(x_m, x_a, x_b, active, t, mask) if oc.bone_range else x_m.new_zeros(())
    halfway = indecision(w, active) if oc.decisiveness else w.new_zeros(())
    off_parts = w.new_zeros(())
    if oc.text_parts:
        if parts is None:
            raise ValueError("text_parts is set but no TextPartsMap was given")
        counted = ~hands_at_partner(x_a, mask) if oc.text_parts_free_contacts else None
        target = parts.whole_parts(person_text, oc.text_parts_threshold) * (t <= oc.text_parts_below)[:, None, None]
        off_parts = part_target_gap(w_joints, target, active, mask, counted)
    held = affinity_loss(x_m, x_a, geometry_frames(t, mask, x_m)) if oc.contact_affinity else w.new_zeros(())
    g_loss = (g_a + g_b + oc.balance * (g_a - g_b).abs() + oc.smoothness * rough + oc.planted_feet * slide
              + oc.bone_range * stretch + oc.decisiveness * halfway + oc.text_parts * off_parts
              + oc.contact_affinity * held)
    if update_mixer:
        clipped_update(opt_g, g_loss, oc.grad_clip)
    losses = {"d_a": d_loss_a.item(), "d_b": d_loss_b.item(), "g_a": g_a.item(), "g_b": g_b.item(),
              "w_roughness": rough.item(), "planted_slide": slide.item(), "bone_stretch": stretch.item(),
              "d_b_r1": r1.item(), "indecision": halfway.item(),
              "text_parts_gap": off_parts.item(), "contact_opening": held.item()}
    return losses, w, active


def weight_by_noise(w: torch.Tensor, t: torch.Tensor, active: torch.Tensor, num_steps: int) -> dict[str, float]:
    """Mean weight of the mixed people over the noisiest, middle and cleanest third of the steps (1 = individual)."""
    per = (w * active[:, None, :, None]).sum((1, 2, 3)) / (active.sum(1) * w.shape[1] * w.shape[3]).clamp_min(1)
    third = t * 3 // num_steps  # 0: t < 333 (clean), 2: t >= 667 (noisy)
    out = {}
    for k, name in ((2, "w_noisy"), (1, "w_middle"), (0, "w_clean")):
        rows = (third == k) & active.any(1)
        if rows.any():
            out[name] = float(per[rows].mean())
    return out


class TransferCheck:
    """Detail transfer of the Mixer being trained, on validation mixing prompts (never the test ones): a few
    prompts sampled briefly with the EMA weights, read by the kinematic signatures."""

    def __init__(self, pair: DenoiserPair, cfg: TrainConfig, prompts: int = 8, steps: int = 10, frames: int = 90):
        from ..corpus import mixing_cases

        self.cases = mixing_cases(prompts, seed=VALIDATION_SEED)
        store = datasets.text_store(cfg.data, [t for c in self.cases for t in c.texts])
        emb = store.lookup([t for c in self.cases for t in c.texts]).reshape(prompts, 3, -1)
        self.cond = Conditions(emb[:, 0], emb[:, 1:])
        self.pair, self.steps, self.frames, self.signatures = pair, steps, frames, Signatures.load()

    def __call__(self, mixer: Mixer) -> dict[str, float]:
        device = next(mixer.parameters()).device
        cond = Conditions(self.cond.text.to(device), self.cond.person_text.to(device))
        out = composed_sample(self.pair, [MixerStrategy(mixer)], cond, self.frames, self.steps, seed=range(len(self.cases)))
        joints = features_to_joints(out.mixed.float().cpu()).numpy()
        found = detail_transfer(joints, [c.kind for c in self.cases], [c.actions for c in self.cases], self.signatures)
        return {f"val_{k}": v for k, v in found.items() if k != "people"}


def train_mixer(granularity: str, pair: DenoiserPair, cfg: TrainConfig, out_dir: str | Path,
                device: str | None = None, resume: bool = True, init: str | Path | None = None,
                cache: str | Path | None = None, denoisers: dict | None = None) -> Path:
    """Train one Mixer of the given granularity; returns the shipped checkpoint path. ``init`` starts the
    Mixer (not the discriminators) from a shipped mixer checkpoint, e.g. after the denoisers changed.
    ``cache`` reads the frozen models' predictions from a prediction cache instead of running them (its
    denoiser hashes must equal ``denoisers`` when given)."""
    oc = cfg.train
    run = Run(out_dir, oc, device, f"train mixer {granularity}")
    pair.frozen_on(run.device)
    if cache is not None:
        cached = CachedPredictions(cache, pair, run.device, denoisers)
        next_batch = lambda: cached.sample(oc.batch_size)  # noqa: E731
    else:
        data, pool = datasets.mixing_set(cfg.data, cfg.data.max_frames, run.device)
        next_batch = lambda: live_batch(pair, data, pool, oc)  # noqa: E731

    mixer = Mixer(cfg.model, granularity, oc.frame_smoothing, oc.frame_stride).to(run.device)
    ema = make_ema(mixer)
    d_a, d_b = (net.to(run.device) for net in discriminators(cfg))
    opt_g = torch.optim.AdamW(mixer.parameters(), lr=oc.lr, weight_decay=oc.weight_decay, betas=(0.5, 0.9))
    opt_d = torch.optim.AdamW([{"params": d_a.parameters()}, {"params": d_b.parameters(), "lr": oc.d_b_lr or oc.d_lr}],
                              lr=oc.d_lr, weight_decay=oc.weight_decay, betas=(0.5, 0.9))
    modules = {"mixer": mixer, "ema": ema, "d_a": d_a, "d_b": d_b}
    if not run.resume(modules, {"g": opt_g, "d": opt_d}, resume) and init is not None:
        start_from = load_mixer(init)
        if start_from.granularity != granularity:
            raise ValueError(f"{init} holds a {start_from.granularity} mixer, not {granularity}")
        for net in (mixer, ema):
            net.load_state_dict(start_from.state_dict())
        run.extra["init"] = str(init)
    g_mixer, g_da, g_db = run.dist.wrap(mixer), run.dist.wrap(d_a), run.dist.wrap(d_b)
    check = None
    curve = run.extra.setdefault("curve", [])
    parts = None
    if oc.text_parts:
        parts, r2 = fit_on_training_data(cfg.data)
        parts = parts.to(run.device)
        run.log(step=run.step, text_parts_r2=[round(float(v), 3) for v in r2])

    while run.running:
        batch = next_batch()
        run.set_lr(opt_g)
        losses, w, active = adversarial_step(pair, g_mixer, g_da, g_db, opt_g, opt_d, batch, oc,
                                             update_mixer=run.step >= oc.d_warmup, parts=parts)
        run.update_ema(ema, mixer)
        run.advance()
        if run.every(oc.log_every):
            w = w.detach()
            entry = {"step": run.step, **losses, "w_std": float(w.std()),
                     **weight_by_noise(w, batch["t"], active, pair.schedule.num_steps)}
            curve.append(entry)
            run.log(**entry)
        if run.dist.main and run.every(oc.val_every):
            check = check or TransferCheck(pair, cfg)
            run.log(step=run.step, **check(ema))
    run.finish()
    if run.dist.main and oc.val_every and not run.every(oc.val_every):  # the run's last word on detail transfer
        run.log(step=run.step, **(check or TransferCheck(pair, cfg))(ema))
    final = run.out_dir / f"mixer_{granularity.lower()}.safetensors"
    if run.dist.main:
        info = run.info(granularity=granularity, init=run.extra.get("init"), cache=str(cache) if cache else None,
                        config=cfg.source, curve=curve[-50:])
        config = {**cfg.model.to_dict(), "granularity": granularity, "frame_smoothing": mixer.frame_smoothing,
                  "frame_stride": mixer.frame_stride}
        save_checkpoint(final, ema, "mixer", config, {}, info)
    run.dist.close()
    return final
