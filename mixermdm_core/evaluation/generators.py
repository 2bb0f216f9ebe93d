"""Each pre-trained model alone against real held-out clips: the table InterGen (two people) and MDM (one
person) report. R-precision top 1-3, FID, MM-Dist, Diversity and MultiModality in the evaluator's space,
plus physical figures and, for two people, interaction figures per kind (contact, spacing, facing,
penetration: ``signatures.interaction_figures``); the row of real clips is the ceiling a generator is judged
against. Generated motions
are scored as the pipelines hand them out, grounded (``representation.grounding``); the physical figures of
the raw network output are kept next to them.

Held-out clips come from the corpus's ``heldout`` split (unseen parameters and wording). Clips are cropped
to one length (keeping their canonical first frame) so every generation runs as one batch per chunk.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from ..composition.pipeline import IndividualPipeline, InteractionPipeline
from ..composition.sampler import Conditions
from ..corpus import load_or_generate
from ..models.evaluator import TextMotionEvaluator
from ..representation.grounding import ground
from ..representation.interhuman import features_to_joints
from .embeddings import embed_motions, embed_texts
from .metrics import diversity, fid, min_hand_distance, mm_dist, multimodality, r_precision, replicate, text_groups
from .protocol import physical
from .signatures import HAND_CONTACT_KINDS, interaction_figures

Progress = Callable[[int, int], None]
POOL = 3  # held-out clips generated per clip asked for, so that enough last the requested length


@dataclass
class HeldOut:
    """Real clips of one kind, cropped to ``frames``, with their text embeddings."""

    motions: torch.Tensor  # (N, frames, P, 262)
    text_emb: torch.Tensor  # (N, D): the interaction text, or the person's text
    person_emb: torch.Tensor | None  # (N, 2, D) individual texts of two-person clips
    actions: list[str]  # the corpus action or interaction of each clip


def held_out(kind: str, n: int, frames: int, embed: Callable[[list[str]], torch.Tensor], seed: int = 0,
             cache_dir: str = ".cache/corpus", workers: int = 2) -> HeldOut:
    """The first ``n`` held-out clips of ``kind`` that last at least ``frames`` frames."""
    corpus = load_or_generate(kind, POOL * n, "heldout", seed, cache_dir, workers)
    keep = [i for i in range(len(corpus)) if corpus.offsets[i + 1] - corpus.offsets[i] >= frames][:n]
    if len(keep) < n:
        raise ValueError(f"only {len(keep)} held-out {kind} clips last {frames} frames; ask for fewer or shorter")
    motions = torch.stack([torch.from_numpy(corpus.clip(i)[:frames]) for i in keep])
    text_emb = embed([corpus.texts[i] for i in keep])
    person = None
    if kind == "interaction":
        person = embed([p for i in keep for p in corpus.person_texts[i]]).reshape(len(keep), 2, -1)
    return HeldOut(motions, text_emb, person, [corpus.actions[i] for i in keep])


def generate(pipe: InteractionPipeline | IndividualPipeline, text_emb: torch.Tensor, person_emb: torch.Tensor | None,
             frames: int, steps: int, guidance: float, seed: int, batch: int = 32,
             progress: Progress | None = None) -> torch.Tensor:
    """Raw motions (N, frames, P, 262) from one model alone, ``batch`` prompts per DDIM chain, prompt i from
    seed + i; M^b's are centred."""
    out = []
    for start in range(0, len(text_emb), batch):
        rows = slice(start, start + batch)
        seeds = range(seed + start, seed + start + len(text_emb[rows]))
        cond = text_emb[rows] if person_emb is None else Conditions(text_emb[rows], person_emb[rows])
        out.append(pipe.sample(cond, frames, steps, guidance, seeds).cpu())
        if progress is not None:
            progress(start + len(text_emb[rows]), len(text_emb))
    return torch.cat(out)


def hand_distance(motions: torch.Tensor, actions: list[str]) -> dict[str, float]:
    """Over clips of interactions whose hands meet, the mean closest approach of the two people's hands (cm)."""
    joints = features_to_joints(motions)  # (N, T, 2, 22, 3)
    touch = [n for n, a in enumerate(actions) if a in HAND_CONTACT_KINDS]
    return {"hand_distance_cm": float(np.mean([min_hand_distance(joints[n]) for n in touch]))} if touch else {}


def score(evaluator: TextMotionEvaluator, motions: torch.Tensor, text_emb: torch.Tensor, replications: int,
          real_emb: torch.Tensor | None = None, repeats: torch.Tensor | None = None) -> dict[str, float]:
    """The suite for one set of motions against its texts; ``real_emb`` (evaluator space) adds FID against it,
    ``repeats`` (prompts, generations, T, P, 262) adds MultiModality. R-precision and Diversity draw random
    pools and pairs, so they get a 95 % interval over ``replications``; the others are computed once."""
    m = embed_motions(evaluator, motions)
    t = embed_texts(evaluator, text_emb)
    groups = text_groups(text_emb)

    def once(seed: int) -> dict[str, float]:
        top = r_precision(m, t, 32, (1, 2, 3), groups=groups, seed=seed)
        return {"top1": top[1], "top2": top[2], "top3": top[3], "diversity": diversity(m, seed=seed)}

    row = {}
    for key, (mean, ci) in replicate(once, replications).items():
        row[key], row[key + "_ci95"] = mean, ci
    row["mm_dist"] = mm_dist(m, t)
    if real_emb is not None:
        row["fid"] = fid(real_emb, m)
    if repeats is not None:
        flat = embed_motions(evaluator, repeats.flatten(0, 1)).reshape(*repeats.shape[:2], -1)
        row["multimodality"] = multimodality(flat)
    row.update(physical(motions))
    return row


def _repeat_first(emb: torch.Tensor | None, prompts: int, generations: int) -> torch.Tensor | None:
    """The first ``prompts`` conditions, each repeated ``generations`` times (for MultiModality)."""
    return None if emb is None else emb[:prompts].repeat_interleave(generations, 0)


def evaluate_models(pipes: tuple[InteractionPipeline, IndividualPipeline], evaluators: tuple[TextMotionEvaluator, TextMotionEvaluator],
                    embed: Callable[[list[str]], torch.Tensor], n: int, frames: int, steps: int,
                    guidance: tuple[float, float], replications: int, multimodality_shape: tuple[int, int], seed: int,
                    progress: Callable[[str], None] | None = None) -> list[dict]:
    """Rows (real clips, then the model) for M^a on held-out two-person clips and M^b on held-out
    individual clips; each model row also holds ``top3_of_real``, its top-3 R-precision over the real one."""
    rows = []
    prompts, generations = min(multimodality_shape[0], n), multimodality_shape[1]
    for kind, evaluator, pipe, scale in zip(("interaction", "individual"), evaluators, pipes, guidance):
        data = held_out(kind, n, frames, embed, seed)
        real_emb = embed_motions(evaluator, data.motions)
        real = {"model": f"real held-out {kind} clips", **score(evaluator, data.motions, data.text_emb, replications)}

        def run(texts: torch.Tensor, people: torch.Tensor | None, seed_: int) -> torch.Tensor:
            return generate(pipe, texts, people, frames, steps, scale, seed_)

        if progress is not None:
            progress(f"sampling {n} + {prompts}x{generations} {kind} motions")
        raw = run(data.text_emb, data.person_emb, seed)
        motions = ground(raw)
        repeats = ground(run(_repeat_first(data.text_emb, prompts, generations),
                             _repeat_first(data.person_emb, prompts, generations), seed + 1))
        repeats = repeats.reshape(prompts, generations, *motions.shape[1:])
        row = {"model": kind, **score(evaluator, motions, data.text_emb, replications, real_emb, repeats)}
        row.update({f"raw_{k}": v for k, v in physical(raw).items() if k != "bone_length_error_pct"})
        if kind == "interaction":
            for r, m in ((real, data.motions), (row, motions), (row, raw)):
                per_kind = interaction_figures(features_to_joints(m).numpy(), data.actions)
                prefix = "raw_" if m is raw else ""
                r.update({prefix + k: v for k, v in per_kind["all"].items() if k != "clips"})
                r[prefix + "per_kind"] = per_kind
                if m is not raw:
                    r.update(hand_distance(m, data.actions))
        row["top3_of_real"] = row["top3"] / real["top3"]
        rows += [real, row]
    return rows
