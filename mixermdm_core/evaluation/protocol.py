"""The comparison protocol: generate every method on the same held-out prompts and seeds, then score.

Each prompt is an interaction text plus individual texts that ask for something the interaction data
does not hold (``corpus.mixing_prompts``). All methods of a prompt run as one batch from the same noise.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch

from ..composition.pipeline import ComposedPipeline
from ..composition.strategies import DiffusionBlending, parse_strategy
from ..corpus.prompts import MixingCase
from ..models.evaluator import TextMotionEvaluator
from ..representation.grounding import ground
from ..representation.interhuman import features_to_joints
from ..vocabulary import mixed_people
from .composition_metrics import adaptability, individual_alignment, interaction_alignment, overall_alignment, weight_spread
from .metrics import bone_length_error, bootstrap_mean, floor_penetration, foot_skating, replicate
from .signatures import Signatures, amplitude_kept, detail_transfer, shown_per_action

Prompt = tuple[str, str, str]


@dataclass
class Generated:
    motions: list[torch.Tensor] = field(default_factory=list)  # each (T, 2, 262)
    weights: list[np.ndarray] = field(default_factory=list)  # each (steps, T, 2, 22)

    def stacked(self) -> tuple[torch.Tensor, np.ndarray]:
        return torch.stack(self.motions), np.stack(self.weights)


@dataclass
class BatchCache:
    """Each method's batch of generated motions kept on disk, so that a long evaluation can stop and resume, and a
    table rerun after one Mixer changed samples only that Mixer. A batch is reused only when its prompts, method
    (``strategy_key``: a Mixer's weights included), settings, seed and ``tag`` (the denoisers) are the same."""

    folder: Path
    tag: str

    def path(self, *key) -> Path:
        digest = hashlib.sha1(json.dumps([self.tag, *key]).encode()).hexdigest()[:20]
        return Path(self.folder) / f"{digest}.pt"

    def load(self, path: Path) -> tuple[torch.Tensor, torch.Tensor] | None:
        """(mixed, weights) saved at ``path``, or None when absent or unreadable (then it is made again)."""
        try:
            saved = torch.load(path, weights_only=True)
            return saved["mixed"], saved["weights"]
        except (OSError, RuntimeError, KeyError, EOFError, pickle.UnpicklingError):
            return None

    def save(self, path: Path, mixed: torch.Tensor, weights: torch.Tensor) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        torch.save({"mixed": mixed, "weights": weights}, tmp)
        tmp.replace(path)


def strategy_key(strategy) -> str:
    """What decides a strategy's motions: its fields, with a Mixer's plain settings and a hash of its weights (the
    Mixer itself, or the network an ONNX Runtime session was made from)."""
    parts = []
    for f in fields(strategy):
        value = getattr(strategy, f.name)
        net = value if isinstance(value, torch.nn.Module) else getattr(value, "net", None)
        if isinstance(net, torch.nn.Module):
            digest = hashlib.sha1()
            for name, tensor in net.state_dict().items():
                digest.update(name.encode())
                digest.update(tensor.detach().float().cpu().numpy().tobytes())
            plain = {k: v for k, v in vars(net).items() if not k.startswith("_") and isinstance(v, (int, float, str))}
            value = (digest.hexdigest(), sorted(plain.items()))
        parts.append(f"{f.name}={value!r}")
    return f"{type(strategy).__name__}({', '.join(parts)})"


def generate(pipe: ComposedPipeline, prompts: Sequence[Prompt], strategies: Sequence, frames: int, steps: int,
             guidance: tuple[float, float], seed: int, progress: Callable[[int, int], None] | None = None,
             prompts_per_batch: int = 8, cache: BatchCache | None = None,
             individual_chain: str = "own") -> dict[str, Generated]:
    """One motion per (prompt, strategy); prompt i uses seed + i for every strategy, whatever the batching. With a
    cache, each strategy's batch is read back when saved, and the missing strategies are sampled together."""
    out = {s.name: Generated() for s in strategies}
    keys = {s.name: strategy_key(s) for s in strategies} if cache is not None else {}
    for start in range(0, len(prompts), prompts_per_batch):
        chunk = prompts[start:start + prompts_per_batch]
        paths = {s.name: cache.path(list(chunk), keys[s.name], frames, steps, list(guidance), seed + start,
                                    individual_chain) for s in strategies} if cache is not None else {}
        saved = {name: cache.load(path) for name, path in paths.items()}
        missing = [s for s in strategies if saved.get(s.name) is None]
        if missing:
            res = pipe.sample(pipe.conditions(chunk), missing, frames, steps, guidance,
                              range(seed + start, seed + start + len(chunk)), individual_chain=individual_chain)
            for k, s in enumerate(missing):  # rows are prompt-major: prompt p, strategy k at p * len(missing) + k
                saved[s.name] = res.mixed[k::len(missing)].cpu(), res.weights[:, k::len(missing)].cpu()
                if cache is not None:
                    cache.save(paths[s.name], *saved[s.name])
        for s in strategies:
            mixed, weights = saved[s.name]
            out[s.name].motions.extend(mixed)
            out[s.name].weights.extend(weights.transpose(0, 1).numpy())
        if progress is not None:
            progress(start + len(chunk), len(prompts))
    return out


def _people(motions: torch.Tensor) -> list[np.ndarray]:
    """Each person's joints (T, 22, 3) of motions (N, T, P, 262)."""
    joints = features_to_joints(motions).numpy()  # (N, T, P, 22, 3)
    return [joints[n, :, k] for n in range(len(joints)) for k in range(joints.shape[2])]


def physical(motions: torch.Tensor) -> dict[str, float]:
    """Foot skating (cm/frame, with a bootstrap 95 % half-interval over people), floor penetration (cm), bone-length
    error (%) averaged over people."""
    people = _people(motions)
    skating, skating_ci = bootstrap_mean([foot_skating(j) for j in people])
    return {"foot_skating_cm": skating, "foot_skating_cm_ci95": skating_ci,
            "floor_penetration_cm": float(np.mean([floor_penetration(j) for j in people])),
            "bone_length_error_pct": float(np.mean([bone_length_error(j) for j in people]))}


def score(gen: Generated, eval_inter: TextMotionEvaluator, eval_indiv: TextMotionEvaluator, text_emb: torch.Tensor,
          person_emb: torch.Tensor, replications: int, cases: Sequence[MixingCase] | None = None,
          signatures: Signatures | None = None) -> dict[str, float]:
    """Alignment (mean and 95 % CI over random R-precision pools), adaptability, weight spread, physics (foot
    skating also after grounding, as the pipelines hand motions out, each with a bootstrap CI over people), and,
    given the prompts' ``cases``, detail transfer read from the motion's kinematics (``evaluation.signatures``)."""
    motions, weights = gen.stacked()

    def once(seed: int) -> dict[str, float]:
        a = interaction_alignment(eval_inter, motions, None, text_emb, seed=seed)
        b = individual_alignment(eval_indiv, motions, None, person_emb, seed=seed)
        return {"interaction_alignment": a, "individual_alignment": b, "overall_alignment": overall_alignment(a, b)}

    row = {}
    for k, (mean, ci) in replicate(once, replications).items():
        row[k], row[k + "_ci95"] = mean, ci
    mixed = mixed_people(person_emb).numpy()
    row["adaptability"] = adaptability(weights, people=mixed)
    row.update({f"w_std_{k}": v for k, v in weight_spread(weights, people=mixed).items()})
    row["w_mean"] = float(weights.mean(axis=(1, 2, 4))[mixed].mean())
    row.update(physical(motions))
    row["grounded_foot_skating_cm"], row["grounded_foot_skating_cm_ci95"] = bootstrap_mean(
        [foot_skating(j) for j in _people(ground(motions))])
    if cases is not None:
        joints = features_to_joints(motions).numpy()
        signatures = signatures or Signatures.load()
        row.update(detail_transfer(joints, [c.kind for c in cases], [c.actions for c in cases], signatures))
        row["per_action"] = shown_per_action(joints, [c.actions for c in cases], signatures)
    return row


def best_fixed_weight(pipe: ComposedPipeline, prompts: Sequence[Prompt], candidates: Sequence[float], frames: int,
                      steps: int, guidance: tuple[float, float], seed: int, evals, replications: int = 3,
                      prompts_per_batch: int = 8, cache: BatchCache | None = None,
                      individual_chain: str = "own") -> tuple[float, dict]:
    """The DiffusionBlending weight with the best overall alignment on validation prompts (not the test ones)."""
    strategies = [DiffusionBlending(w) for w in candidates]
    gen = generate(pipe, prompts, strategies, frames, steps, guidance, seed, prompts_per_batch=prompts_per_batch,
                   cache=cache, individual_chain=individual_chain)
    text_emb, person_emb = embed_prompts(pipe, prompts)
    scores = {s.name: score(gen[s.name], *evals, text_emb, person_emb, replications)["overall_alignment"] for s in strategies}
    best = max(strategies, key=lambda s: scores[s.name])
    return best.weight, scores


def embed_prompts(pipe: ComposedPipeline, prompts: Sequence[Prompt]) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, D) interaction and (N, 2, D) individual text embeddings of the prompts."""
    cond = pipe.conditions(prompts)
    return cond.text, cond.person_text


def strategies_for(methods: Sequence[str], pipe: ComposedPipeline, best_weight: float | None):
    """Strategy objects for method names; ``blend:best`` becomes the tuned fixed weight."""
    out = []
    for m in methods:
        if m == "blend:best":
            out.append(DiffusionBlending(best_weight, name="blend:best"))
        else:
            out.append(parse_strategy(m, pipe.mixers))
    return out


def _asked(cases: Sequence[MixingCase], signatures: Signatures) -> list[tuple[int, int, str]]:
    """(prompt, person, action) of every mixed person whose asked action has a reliable rule."""
    return [(n, k, a) for n, c in enumerate(cases) for k, a in enumerate(c.actions) if a and signatures.reliable(a)]


def _action_values(gen: Generated, people: list[tuple[int, int, str]], signatures: Signatures) -> np.ndarray:
    joints = features_to_joints(gen.stacked()[0]).numpy()
    return np.array([signatures.feature(a, joints[n, :, k]) for n, k, a in people])


def amplitude_shares(gen: dict[str, Generated], cases: Sequence[MixingCase],
                     signatures: Signatures | None = None) -> dict[str, float]:
    """Per method, the median share of the individual model's action amplitude that it keeps, measured from the
    interaction model's value (0) to the individual model's (1) on the same prompt and noise; only people whose
    individual-model motion shows the action count. Needs the ``interaction`` and ``individual`` methods."""
    signatures = signatures or Signatures.load()
    people = _asked(cases, signatures)
    low, high = (_action_values(gen[m], people, signatures) for m in ("interaction", "individual"))
    thresholds = np.array([signatures.actions[a].threshold for _, _, a in people])
    return {name: float(amplitude_kept(np.stack([low, _action_values(g, people, signatures), high]), thresholds)[1])
            for name, g in gen.items()}


def weight_effect(pipe: ComposedPipeline, cases: Sequence[MixingCase], weights: Sequence[float], frames: int,
                  steps: int, guidance: tuple[float, float], seed: int, prompts_per_batch: int = 8,
                  cache: BatchCache | None = None, individual_chain: str = "own",
                  signatures: Signatures | None = None) -> list[float]:
    """DiffusionBlending at each of ``weights`` (from 0 to 1): the median share of the individual model's action
    amplitude that the mix keeps, over the mixed people whose asked action has a reliable rule."""
    signatures = signatures or Signatures.load()
    gen = generate(pipe, [c.texts for c in cases], [DiffusionBlending(w) for w in weights], frames, steps, guidance, seed,
                   prompts_per_batch=prompts_per_batch, cache=cache, individual_chain=individual_chain)
    people = _asked(cases, signatures)
    values = np.stack([_action_values(gen[DiffusionBlending(w).name], people, signatures) for w in weights])
    thresholds = np.array([signatures.actions[a].threshold for _, _, a in people])
    return amplitude_kept(values, thresholds).tolist()
