"""Pipelines: text in, motion out. Thin wrappers that bind checkpoints, the text encoder and samplers.

    pipe = ComposedPipeline.from_pretrained("checkpoints")
    result = pipe("two people shake hands", texts=("the person is limping", ""), strategies=["st", "dualmdm"])
    result["st"].joints  # (frames, 2, 22, 3)

Calling a pipeline makes one request, checked and grounded, as the app and the CLI need. ``sample`` is the
batched form behind it, for evaluation and scripts: a list of prompts (``conditions``), one seed per prompt,
raw features out. Prompt i's motion depends only on its own seed, whatever else shares the batch.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch

from ..diffusion import NoiseSchedule, ddim_sample, guided_x0, tapered_scale
from ..models.precision import check_precision, in_precision
from ..representation.grounding import ground as ground_features
from ..representation.interhuman import FEATURE_DIM, features_to_joints
from ..representation.readout import velocity_consistent
from ..skeleton import FPS
from ..text.anchors import TextAnchors
from ..text.encoders import TextEncoder, clean_prompt, default_encoder
from ..vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER
from ..models.official.folder import is_official_folder
from ..models.pretrained import load_denoiser
from ..paths import DEFAULT_DIR
from .cost import Cost, measure
from .loading import for_sampling, load_anchors, load_models
from .sampler import ComposedOutput, Conditions, DenoiserPair, composed_sample, initial_noise
from .strategies import parse_strategy

MIN_SECONDS, MAX_SECONDS = 1.0, 8.0
Progress = Callable[[int, int], None]
Prompt = tuple[str, str, str]  # interaction text, person 1's text, person 2's text (either may be empty)


def frames_for(seconds: float) -> int:
    """Frame count for a duration, with a clear error outside what the models were trained on."""
    try:
        seconds = float(seconds)
    except (TypeError, ValueError) as err:
        raise ValueError(f"seconds must be a number, got {seconds!r}") from err
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValueError(f"motion length must be between {MIN_SECONDS:g} and {MAX_SECONDS:g} s, got {seconds:g}")
    return int(round(seconds * FPS))


def check_sampling(steps: int, guidance: float) -> None:
    """Refuse step counts and guidance scales the samplers cannot use (whole-number floats are fine)."""
    whole = isinstance(steps, (int, np.integer)) or (isinstance(steps, float) and steps.is_integer())
    if not whole or not 1 <= steps <= 1000:
        raise ValueError(f"steps must be a whole number in 1..1000, got {steps!r}")
    if not 0.0 <= float(guidance) <= 20.0:
        raise ValueError(f"guidance must be in 0..20, got {guidance!r}")


@dataclass
class Motion:
    features: np.ndarray  # (T, P, 262) float32, InterHuman layout
    joints: np.ndarray  # (T, P, 22, 3) float32, metres

    @classmethod
    def from_features(cls, features: torch.Tensor, ground: bool = True) -> "Motion":
        """From raw features (T, P, 262); ``ground`` pins planted feet and lifts the body above the floor."""
        f = features.detach().float().cpu()
        if ground:
            f = ground_features(f)
        return cls(f.numpy(), features_to_joints(f).numpy())


@dataclass
class StrategyResult(Motion):
    weights: np.ndarray = field(default=None)  # (steps, T, 2, 22) per-joint weights at every step
    interaction: np.ndarray = field(default=None)  # (T, 2, 262) interaction model's last prediction
    individual: np.ndarray = field(default=None)  # (T, 2, 262) individual model's last prediction, aligned


@dataclass
class CompositionResult:
    strategies: dict[str, StrategyResult]
    timesteps: list[int]
    texts: tuple[str, str, str]
    seconds: float  # wall time of the request

    def __getitem__(self, name: str) -> StrategyResult:
        return self.strategies[name]


class _Texts:
    def __init__(self, encoder: TextEncoder | None):
        self.encoder = encoder

    def embed(self, texts: Sequence[str], device) -> torch.Tensor:
        if self.encoder is None:
            self.encoder = default_encoder()
        return self.encoder.encode(list(texts)).to(device)

    def conditions(self, prompts: Sequence[Prompt], device="cpu") -> Conditions:
        """The text embeddings of a list of prompts, for ``sample``."""
        flat = self.embed([t for p in prompts for t in p], device).reshape(len(prompts), 3, -1)
        return Conditions(flat[:, 0], flat[:, 1:])


def _seeds(seeds: int | Sequence[int], prompts: int) -> list[int]:
    seeds = [int(seeds)] if np.ndim(seeds) == 0 else [int(s) for s in seeds]
    if len(seeds) != prompts:
        raise ValueError(f"{prompts} prompts need as many seeds, got {len(seeds)}")
    return seeds


class InteractionPipeline(_Texts):
    """M^a alone: a two-person motion from an interaction text and optional per-person texts."""

    def __init__(self, pair: DenoiserPair, encoder: TextEncoder | None = None, device: str = "cpu"):
        super().__init__(encoder)
        self.pair, self.device = pair, device

    @classmethod
    def from_pretrained(cls, directory: str | Path = DEFAULT_DIR, device: str = "cpu", encoder=None,
                        precision: str = "fp32", text_anchoring: float | None = None) -> "InteractionPipeline":
        """``text_anchoring`` (0..1, None: the folder's default, 0: off): see ``text.anchors``."""
        if is_official_folder(directory):
            pair, _, encoder = load_models(directory, device, precision, encoder)
            return cls(DenoiserPair(pair.interaction, None, pair.norm_a, None, pair.schedule, precision), encoder, device)
        net, norm = load_denoiser(Path(directory) / "interaction.safetensors", "interaction", device)
        net = for_sampling(net, "interaction", device, precision)
        return cls(DenoiserPair(net, None, norm, None, NoiseSchedule(), precision, load_anchors(directory, text_anchoring)),
                   encoder, device)

    @cached_property
    def cost(self) -> Cost:
        """M^a's parameters and a pass timed on this device, measured when first asked (``composition.cost``)."""
        return measure(self.device, interaction=self.pair.interaction, precision=self.pair.precision)

    @torch.no_grad()
    def __call__(self, interaction_text: str, texts: tuple[str, str] = ("", ""), seconds: float = 4.0, steps: int = 50,
                 guidance: float = DEFAULT_GUIDANCE[0], seed: int = 0, callback: Progress | None = None,
                 ground: bool = True) -> Motion:
        """``ground=False`` returns the network's raw output, feet unpinned."""
        frames = frames_for(seconds)
        check_sampling(steps, guidance)
        cond = self.conditions([(interaction_text, *texts)], self.device)
        raw = self.sample(cond, frames, int(steps), guidance, seed, callback)
        return Motion.from_features(raw[0], ground)

    @torch.no_grad()
    def sample(self, cond: Conditions, frames: int, steps: int = 50, guidance: float = DEFAULT_GUIDANCE[0],
               seeds: int | Sequence[int] = 0, callback: Progress | None = None) -> torch.Tensor:
        """Raw motions (N, frames, 2, 262), one DDIM chain for all N prompts of ``cond``."""
        noise = torch.cat([initial_noise(1, frames, s, self.device) for s in _seeds(seeds, len(cond.text))])
        text, person, norm = cond.text.to(self.device), cond.person_text.to(self.device), self.pair.norm_a

        def denoise(x, t):
            return norm.normalize(self.pair.predict_interaction(x, t, text, person, None, guidance))

        return norm.denormalize(ddim_sample(denoise, noise, self.pair.schedule, steps, callback=callback)).float()


class IndividualPipeline(_Texts):
    """M^b alone: one person (centred at the origin, facing +Z) from a text."""

    def __init__(self, net, norm, encoder: TextEncoder | None = None, device: str = "cpu", precision: str = "fp32",
                 taper: tuple[int, float] | None = INDIVIDUAL_GUIDANCE_TAPER, velocity_readout: bool = True,
                 anchors: TextAnchors | None = None):
        """``taper``: the guidance at the low-noise steps, ``velocity_readout`` whether positions are refitted to
        the predicted velocities, and ``anchors`` the texts' anchoring, as in the composed sampler
        (``diffusion.tapered_scale``, ``representation.readout``, ``text.anchors``)."""
        super().__init__(encoder)
        self.net, self.norm, self.device, self.schedule = net, norm, device, NoiseSchedule()
        self.precision, self.taper, self.velocity_readout = check_precision(precision), taper, velocity_readout
        self.anchors = anchors

    @classmethod
    def from_pretrained(cls, directory: str | Path = DEFAULT_DIR, device: str = "cpu", encoder=None,
                        precision: str = "fp32", text_anchoring: float | None = None) -> "IndividualPipeline":
        """``text_anchoring`` (0..1, None: the folder's default, 0: off) pulls the texts towards the individual
        model's training captions (``text.anchors``)."""
        if is_official_folder(directory):
            pair, _, encoder = load_models(directory, device, precision, encoder)
            return cls(pair.individual, pair.norm_b, encoder, device, precision, velocity_readout=pair.velocity_readout)
        net, norm = load_denoiser(Path(directory) / "individual.safetensors", "individual", device)
        return cls(for_sampling(net, "individual", device, precision), norm, encoder, device, precision,
                   anchors=load_anchors(directory, text_anchoring, "individual"))

    @cached_property
    def cost(self) -> Cost:
        """M^b's parameters and a pass timed on this device, measured when first asked (``composition.cost``)."""
        return measure(self.device, individual=self.net, precision=self.precision)

    @torch.no_grad()
    def __call__(self, text: str, seconds: float = 4.0, steps: int = 50, guidance: float = DEFAULT_GUIDANCE[1],
                 seed: int = 0, callback: Progress | None = None, ground: bool = True) -> Motion:
        """``ground=False`` returns the network's raw output, feet unpinned."""
        frames = frames_for(seconds)
        check_sampling(steps, guidance)
        steps = int(steps)
        if not clean_prompt(text):
            raise ValueError("the individual model needs a text describing the person's motion")
        raw = self.sample(self.embed([text], self.device), frames, steps, guidance, seed, callback)
        return Motion.from_features(raw[0], ground)

    @torch.no_grad()
    def sample(self, text: torch.Tensor, frames: int, steps: int = 50, guidance: float = DEFAULT_GUIDANCE[1],
               seeds: int | Sequence[int] = 0, callback: Progress | None = None) -> torch.Tensor:
        """Raw centred motions (N, frames, 1, 262) for N text embeddings, one DDIM chain for all."""
        seeds = _seeds(seeds, len(text))
        noise = torch.cat([torch.randn((1, frames, FEATURE_DIM), generator=torch.Generator().manual_seed(s))
                           for s in seeds]).to(self.device)
        text = text.to(self.device)
        if self.anchors is not None:
            text = self.anchors.pull(text, "individual")

        def denoise(x, t):
            scale = tapered_scale(guidance, t, self.taper)
            x0 = guided_x0(in_precision(self.net, self.precision, t), x, t, (text,), None, scale)
            if not self.velocity_readout:
                return x0
            return self.norm.normalize(velocity_consistent(self.norm.denormalize(x0)[:, :, None])[:, :, 0])

        x0 = ddim_sample(denoise, noise, self.schedule, steps, callback=callback)
        return self.norm.denormalize(x0)[:, :, None].float()


class ComposedPipeline(_Texts):
    """MixerMDM: both models mixed by one or more strategies, run together as one batch."""

    def __init__(self, pair: DenoiserPair, mixers: dict, encoder: TextEncoder | None = None, device: str = "cpu"):
        super().__init__(encoder)
        self.pair, self.mixers, self.device = pair, mixers, device

    @classmethod
    def from_pretrained(cls, directory: str | Path = DEFAULT_DIR, device: str = "cpu", encoder=None,
                        precision: str = "fp32", text_anchoring: float | None = None,
                        individual_anchoring: float | None = None) -> "ComposedPipeline":
        """``precision='bf16'`` runs the networks in bfloat16 (about 2x faster on CPUs with AVX-512 BF16);
        ``text_anchoring`` and ``individual_anchoring`` (0..1, None: the folder's default, 0: off) pull the
        interaction and the individual model's texts towards their training captions (``text.anchors``)."""
        return cls(*load_models(directory, device, precision, encoder, text_anchoring, individual_anchoring), device)

    @cached_property
    def cost(self) -> Cost:
        """Parameters of both models and the Mixers, and each model's pass timed on this device, measured when
        first asked (``composition.cost``): the app and the CLI ask right after loading."""
        p = self.pair
        return measure(self.device, p.interaction, p.individual, self.mixers.values(), p.precision)

    @torch.no_grad()
    def __call__(self, interaction_text: str, texts: tuple[str, str] = ("", ""), strategies: Sequence = ("st",),
                 seconds: float = 4.0, steps: int = 50, guidance: tuple[float, float] = DEFAULT_GUIDANCE, seed: int = 0,
                 callback: Progress | None = None, ground: bool = True,
                 individual_chain: str = "own") -> CompositionResult:
        """``strategies``: CLI names (st, dualmdm, blend:0.3, ...) or strategy instances (a DualMDM with edited
        parameters, say), mixed freely. ``ground=False`` keeps the
        mixes as sampled, feet unpinned; the two models' last predictions are always kept raw.
        ``individual_chain="mix"`` feeds the individual model the mix, as the official sampler does."""
        start = time.perf_counter()
        frames = frames_for(seconds)
        check_sampling(steps, guidance[0])
        check_sampling(steps, guidance[1])
        steps = int(steps)
        if len(texts) != 2:
            raise ValueError("texts must hold one individual text per person (either may be empty)")
        cleaned = tuple(clean_prompt(t) for t in (interaction_text, *texts))
        if not any(cleaned):
            raise ValueError("type an interaction text or an individual text")
        objs = self.strategies(strategies)
        out = self.sample(self.conditions([cleaned], self.device), objs, frames, steps, guidance, seed, callback,
                          individual_chain)
        results = {}
        for k, name in enumerate(o.name for o in objs):
            m = Motion.from_features(out.mixed[k], ground)
            results[name] = StrategyResult(m.features, m.joints, out.weights[:, k].cpu().numpy(),
                                           out.interaction[k].cpu().numpy(), out.individual[k].cpu().numpy())
        return CompositionResult(results, out.timesteps, cleaned, time.perf_counter() - start)

    def interaction_pipeline(self) -> InteractionPipeline:
        """M^a alone, sharing this pipeline's networks and text encoder."""
        return InteractionPipeline(self.pair, self.encoder, self.device)

    def individual_pipeline(self) -> IndividualPipeline:
        """M^b alone, sharing this pipeline's networks and text encoder."""
        return IndividualPipeline(self.pair.individual, self.pair.norm_b, self.encoder, self.device, self.pair.precision,
                                  self.pair.individual_taper, self.pair.velocity_readout, self.pair.individual_anchors)

    def strategies(self, strategies: Sequence) -> list:
        """Strategy objects from CLI names (st, dualmdm, blend:0.3, ...) or objects, mixed freely; names must differ."""
        objs = [parse_strategy(s, self.mixers) if isinstance(s, str) else s for s in strategies]
        if not objs:
            raise ValueError("choose at least one strategy")
        names = [o.name for o in objs]
        if len(set(names)) != len(names):
            raise ValueError(f"strategies must differ, got {names}")
        return objs

    @torch.no_grad()
    def sample(self, cond: Conditions, strategies: Sequence, frames: int, steps: int = 50,
               guidance: tuple[float, float] = DEFAULT_GUIDANCE, seeds: int | Sequence[int] = 0,
               callback: Progress | None = None, individual_chain: str = "own") -> ComposedOutput:
        """Every prompt of ``cond`` under every strategy, as one batch: row p * S + k of the output is prompt p
        under strategy k, all strategies of a prompt from the same noise (its seed)."""
        seeds = _seeds(seeds, len(cond.text))
        cond = Conditions(cond.text.to(self.device), cond.person_text.to(self.device))
        return composed_sample(self.pair, self.strategies(strategies), cond, frames, steps, guidance, seeds, callback,
                               individual_chain)
