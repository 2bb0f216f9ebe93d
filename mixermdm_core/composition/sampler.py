"""The composed sampler: two frozen denoisers, a mixing strategy, one DDIM chain per model.

At each step t the interaction model predicts x_a from its chain, the individual model predicts each
centred person from its own chain, that prediction is aligned onto x_a, a strategy gives w, and the
mix x_m = x_a + w (x_b - x_a) (raw metres, world frame) becomes the x0 of the interaction chain's DDIM
update, so the interaction model reacts to what the mixed person does. Each model applies its own
classifier-free guidance before mixing, so the Mixer runs once per step. Several strategies run as one
batch from the same noise, so they are compared on equal terms and share every model call.

The individual chain follows its own prediction by default (``individual_chain="own"``). The official
sampler feeds it the mix too (``"mix"``), and measured here that loop erases the individual action: fed a
mix that holds less of the action, the individual model gives it up at the next step, so a blend weight of
0.5 keeps about 2 % of a sit's depth and 0.9 keeps 80 %, and no learned weight in between transfers it
(README, "Two chains"). With its own chain the individual model keeps proposing the full action, as it
did in every Mixer training step, and a weight keeps about that share of it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import torch

from ..diffusion import NoiseSchedule, ddim_step, ddim_timesteps, guided_x0, tapered_scale
from ..models.denoisers import IndividualDenoiser, InteractionDenoiser
from ..models.mixer import weights_per_joint, weights_to_features
from ..models.precision import check_precision, in_precision
from ..representation.interhuman import FEATURE_DIM, POS, VEL
from ..representation.normalization import Normalizer
from ..representation.readout import velocity_consistent
from ..text.anchors import TextAnchors
from ..vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER, mixed_people
from .centering import align_people, center_people
from .strategies import MixInputs


@dataclass
class DenoiserPair:
    """The two frozen pre-trained models with the statistics of their data spaces."""

    interaction: InteractionDenoiser
    individual: IndividualDenoiser
    norm_a: Normalizer
    norm_b: Normalizer
    schedule: NoiseSchedule
    precision: str = "fp32"  # of the networks (models.precision): fp32 or bf16
    anchors: TextAnchors | None = None  # pull the interaction model's texts towards its training captions
    individual_anchors: TextAnchors | None = None  # and the individual model's towards its own
    individual_taper: tuple[int, float] | None = INDIVIDUAL_GUIDANCE_TAPER  # M^b's low-noise guidance (tapered_scale)
    velocity_readout: bool = True  # M^b's joint positions refitted to its predicted velocities (representation.readout)

    def __post_init__(self):
        check_precision(self.precision)

    def frozen_on(self, device: torch.device | str) -> "DenoiserPair":
        """Move both networks and both normalisers to ``device``, networks in eval mode without gradients
        (what training a Mixer over them needs); returns self."""
        for net in (self.interaction, self.individual):
            net.to(device).eval().requires_grad_(False)
        for norm in (self.norm_a, self.norm_b):
            norm.mean, norm.std = norm.mean.to(device), norm.std.to(device)
        return self

    def predict_interaction(self, x_t: torch.Tensor, t: torch.Tensor, text: torch.Tensor, person_text: torch.Tensor,
                            mask: torch.Tensor | None, guidance: float) -> torch.Tensor:
        """Guided raw x0 (B, T, 2, 262) from the interaction chain state x_t (normalised)."""
        if self.anchors is not None:
            text, person_text = self.anchors.pull(text, "interaction"), self.anchors.pull(person_text, "person")
        net = in_precision(self.interaction, self.precision, t)
        return self.norm_a.denormalize(guided_x0(net, x_t, t, (text, person_text), mask, guidance))

    def predict_individual(self, x_t: torch.Tensor, t: torch.Tensor, person_text: torch.Tensor,
                           mask: torch.Tensor | None, guidance: float, active: torch.Tensor) -> torch.Tensor:
        """Guided raw centred x0 (B, T, 2, 262) for the people with ``active`` (B, 2) set; zeros elsewhere.
        ``guidance`` is tapered at the low-noise steps by ``individual_taper``; positions are refitted to the
        velocities where ``velocity_readout`` is set; texts are anchored by ``individual_anchors``."""
        out = torch.zeros_like(x_t)
        bi, pi = active.nonzero(as_tuple=True)
        if len(bi) == 0:
            return out
        if self.individual_anchors is not None:
            person_text = self.individual_anchors.pull(person_text, "individual")
        m = None if mask is None else mask[bi]
        net = in_precision(self.individual, self.precision, t)
        scale = tapered_scale(guidance, t[bi], self.individual_taper)
        x0 = self.norm_b.denormalize(guided_x0(net, x_t[bi, :, pi], t[bi], (person_text[bi, pi],), m, scale))
        out[bi, :, pi] = velocity_consistent(x0[:, :, None], self.velocity_readout, m)[:, :, 0].to(out.dtype)
        return out


@dataclass
class Conditions:
    text: torch.Tensor  # (B, D) interaction text embeddings
    person_text: torch.Tensor  # (B, 2, D)

    @property
    def active(self) -> torch.Tensor:
        """(B, 2) people that have an individual text (the others follow the interaction model)."""
        return mixed_people(self.person_text)


@dataclass
class ComposedOutput:
    mixed: torch.Tensor  # (B, T, 2, 262) raw features of the final mix
    interaction: torch.Tensor  # (B, T, 2, 262) the interaction model's last prediction
    individual: torch.Tensor  # (B, T, 2, 262) the individual model's last prediction, aligned
    weights: torch.Tensor  # (steps, B, T, 2, 22) per-joint weights at every step
    timesteps: list[int]


def mix(x_a: torch.Tensor, x_b: torch.Tensor, w: torch.Tensor, active: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """x_a + w (x_b - x_a) with w (B, Tw, 2, Jw) of any granularity; inactive people get w = 0.

    With per-joint weights (S, ST, body parts) the root (pelvis) mixes with its own weight and every other joint
    mixes its offset from the root with the joint's weight, so limbs stay on the mixed body: the positions and
    velocities of joint j gain (w_root - w_j) (root_b - root_a). Mixing world positions instead leaves an arm
    taken from an individual model that stands still at the spot where the interaction model's runner started
    (measured: shoulder to wrist up to 2 m in a chase). With one weight for the whole body (G, T,
    DiffusionBlending, DualMDM) the term is zero: the plain formula. Returns the mix and the per-joint weights
    actually used (B, T, 2, 22).
    """
    w = w * active[:, None, :, None].to(w)
    frames = x_a.shape[1]
    # lerp is exact at both ends: w = 0 returns x_a and w = 1 returns x_b bit for bit.
    x_m = torch.lerp(x_a, x_b, weights_to_features(w, frames))
    w_joint = weights_per_joint(w, frames)
    if w.shape[-1] > 1:
        lag = (w_joint[..., :1] - w_joint)[..., None]  # (B, T, 2, 22, 1): w_root - w_j
        for part in (POS, VEL):
            root_gap = (x_b[..., part] - x_a[..., part])[..., None, :3]  # (B, T, 2, 1, 3)
            x_m[..., part] = x_m[..., part] + (lag * root_gap).flatten(-2)
    return x_m, w_joint


def initial_noise(batch: int, frames: int, seed: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """The seeded x_T shared by every strategy of a request, drawn on the CPU for reproducibility."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn((1, frames, 2, FEATURE_DIM), generator=g).expand(batch, -1, -1, -1).to(device).clone()


INDIVIDUAL_CHAINS = ("own", "mix")


@torch.no_grad()
def composed_sample(
    models: DenoiserPair, strategies: Sequence[Callable[[MixInputs], torch.Tensor]], cond: Conditions, frames: int,
    steps: int = 50, guidance: tuple[float, float] = DEFAULT_GUIDANCE, seed: int | Sequence[int] = 0,
    callback: Callable[[int, int], None] | None = None, individual_chain: str = "own",
) -> ComposedOutput:
    """Sample one motion per (prompt, strategy) as one batch, prompt-major: row p * S + k is prompt p
    (row p of ``cond``) under strategy k. ``seed`` holds one seed per prompt (an int for one prompt);
    every strategy of a prompt starts from that prompt's noise, and each strategy is called once per
    step on all its rows, so many prompts cost few calls (what makes a GPU fast here).
    ``individual_chain``: what the individual chain's DDIM update takes as x0, its own centred
    prediction (``"own"``) or the centred mix as in the official sampler (``"mix"``)."""
    if individual_chain not in INDIVIDUAL_CHAINS:
        raise ValueError(f"individual_chain must be one of {INDIVIDUAL_CHAINS}, got {individual_chain!r}")
    seeds = [seed] if isinstance(seed, int) else [int(s) for s in seed]
    prompts, per = cond.text.shape[0], len(strategies)
    if len(seeds) != prompts:
        raise ValueError(f"{prompts} prompts need as many seeds, got {len(seeds)}")
    device = cond.text.device
    cond = Conditions(cond.text.repeat_interleave(per, 0), cond.person_text.repeat_interleave(per, 0))
    batch = prompts * per
    active = cond.active
    x_a_t = torch.cat([initial_noise(per, frames, s, device) for s in seeds])
    x_b_t = x_a_t.clone()
    ts = ddim_timesteps(steps, models.schedule.num_steps)
    history = []
    for i, t_int in enumerate(ts):
        t = torch.full((batch,), t_int, device=device, dtype=torch.long)
        x_a = models.predict_interaction(x_a_t, t, cond.text, cond.person_text, None, guidance[0])
        x_b_c = models.predict_individual(x_b_t, t, cond.person_text, None, guidance[1], active)
        x_b = align_people(x_b_c, x_a)
        inputs = MixInputs(models.norm_a.normalize(x_a), models.norm_a.normalize(x_b), t, cond.text, cond.person_text, None)
        run = [in_precision(strategy, models.precision, t) for strategy in strategies]
        w = torch.stack([weights_per_joint(r(_rows(inputs, slice(k, None, per))), frames) for k, r in enumerate(run)],
                        dim=1).flatten(0, 1)
        x_m, w_joint = mix(x_a, x_b, w, active)
        history.append(w_joint)
        t_prev = ts[i + 1] if i + 1 < len(ts) else -1
        x_a_t = ddim_step(x_a_t, models.norm_a.normalize(x_m), t_int, t_prev, models.schedule)
        x0_b = x_b_c if individual_chain == "own" else center_people(x_m)
        x_b_t = ddim_step(x_b_t, models.norm_b.normalize(x0_b), t_int, t_prev, models.schedule)
        if callback is not None:
            callback(i + 1, len(ts))
    return ComposedOutput(x_m, x_a, x_b, torch.stack(history), ts)


def _rows(inp: MixInputs, rows: slice) -> MixInputs:
    """The inputs of some batch rows (one strategy's rows across the prompts)."""
    return MixInputs(inp.x_a[rows], inp.x_b[rows], inp.t[rows], inp.text[rows], inp.person_text[rows],
                     None if inp.mask is None else inp.mask[rows])
