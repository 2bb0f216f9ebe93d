"""Training configs: small TOML files under ``configs/`` mapped onto dataclasses."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..models.config import NetConfig
from .losses import GEOMETRY_MAX_T


@dataclass
class DataConfig:
    source: str = "corpus"  # or humanml3d:PATH (individual model), interhuman:PATH (in2IN texts): see sources.py
    n_individual: int = 10000
    n_interaction: int = 10000
    n_val: int = 500
    seed: int = 0
    max_frames: int = 240
    cache_dir: str = ".cache/corpus"
    text_store: str = ".cache/text/minilm.npz"
    person2_on_right: bool = False  # two-person clips side by side mirrored so person 2 walks on the right (sources.py)


@dataclass
class OptimConfig:
    steps: int = 20000
    batch_size: int = 128
    lr: float = 2e-4
    weight_decay: float = 0.01
    warmup: int = 500
    grad_clip: float = 1.0
    ema: float = 0.999
    cond_drop: float = 0.1
    high_t_share: float = 0.0  # share of each batch whose step is drawn from [high_t_from, 1000) instead of [0, 1000)
    high_t_from: int = 600  # the noisy range, where the prediction can only come from the text
    low_t_share: float = 0.0  # share of each batch whose step is drawn from [0, low_t_to): the nearly clean range,
    low_t_to: int = 100  # where a denoiser should give its input back (docs/evaluation.md, "damped positions")
    person_text_drop: float = 0.15
    text_noise: float = 0.0  # std per dimension of noise on each sentence embedding (its norm kept): wording robustness
    bone_weight: float = 0.01  # bone-length loss (cm^2) at t <= GEOMETRY_MAX_T, next to the x0 MSE
    foot_weight: float = 0.01  # planted-foot speed loss ((cm/frame)^2), likewise: raise it against foot skating
    skate_weight: float = 0.0  # low predicted feet's horizontal speed ((cm/frame)^2), likewise: sliding without
    # asking the gait to keep the clip's phase (losses.skating_loss)
    foot_height_weight: float = 0.0  # lowest foot joint's height against the clip's (cm^2), likewise: feet on the floor
    joint_velocity_weight: float = 0.0  # joints' frame-to-frame displacement against the clip's ((cm/frame)^2), likewise
    floor_weight: float = 0.0  # below-the-floor depth loss (cm^2), likewise: raise it against floor penetration
    distance_map_weight: float = 0.0  # two people only, likewise: joint-to-joint distances within 1 m (cm^2)
    affinity_weight: float = 0.0  # two people only: contacts of the real clip that open beyond 10 cm (cm^2)
    facing_weight: float = 0.0  # two people only: relative facing (squared cosine/sine error)
    interaction_max_t: int = GEOMETRY_MAX_T  # the three terms above act at t <= this; 999: at every step
    spacing_weight: float = 0.0  # two people only, at every t: pelvis-to-pelvis distance (cm^2)
    input_perturbation: float = 0.0  # DDPM-IP (Ning et al. 2023): the input's noise gets this much more noise,
    # the target stays the clip: the network learns not to trust states a sampling chain has drifted into
    rollout_share: float = 0.0  # share of each batch whose input is reached by the sampler, not by noising the clip:
    rollout_steps: int = 2  # noised at t + steps * stride, then this many guided DDIM steps of the network's
    rollout_stride: int = 50  # own predictions down to t; the target stays the clip (exposure bias)
    rollout_guidance: float = 1.5  # the guidance of those steps (the pipelines' default for M^a)
    log_every: int = 100
    val_every: int = 1000
    save_every: int = 1000
    seed: int = 0
    time_budget_s: float = 0.0  # stop (and checkpoint) after this many seconds; 0 = no limit
    anneal_by_time: bool = False  # decay the LR over the time budget (one-shot runs on a lent GPU)


@dataclass
class MixerOptimConfig(OptimConfig):
    lr: float = 1e-4
    d_lr: float = 1e-4
    d_b_lr: float = 0.0  # the individual discriminator's learning rate; 0 = d_lr (it out-learns D^a, see docs)
    balance: float = 0.1
    d_a_relation: bool = False  # D^a judges the pair's relation (representation.relation), not both bodies
    d_a_reach: bool = False  # with d_a_relation: D^a also reads each person's arms in the other's frame (arm_reach)
    d_a_max_t: int = 0  # D^a (and the Mixer's loss against it) judge only samples noised below this step; 0 = all
    d_noise: float = 0.0  # std of Gaussian instance noise on every discriminator input (normalised units; 0 = none)
    d_b_r1: float = 0.0  # weight of the R1 penalty on D^b: its squared input gradient at the real samples
    d_b_parts: bool = False  # D^b judges each body part on its own (models.discriminator.PartDiscriminator)
    d_warmup: int = 0  # the first this many steps of a run train only the discriminators (fresh ones need a start)
    smoothness: float = 0.0  # weight of the T/ST weights' mean squared change from frame to frame (a temporal prior)
    planted_feet: float = 0.0  # weight of the mixed people's foot speed (cm/frame)^2 where the mix plants the foot
    planted_by_height: bool = False  # planted_feet reads planted from the foot's height, not the contact channels
    bone_range: float = 0.0  # weight of the mix's bone lengths outside the two models' lengths (cm^2)
    decisiveness: float = 0.0  # weight of the mean w (1 - w) of the mixed people's weights (0 when each is 0 or 1)
    text_parts: float = 0.0  # weight of the squared gap between each mixed body part's mean weight and 1 where the
    text_parts_threshold: float = 0.2  # person's text moves the part past this share of its range, else 0 (text_parts.py)
    text_parts_free_contacts: bool = False  # the prior leaves out the arms whose hand x_a brings to the partner
    text_parts_below: int = 1000  # the prior asks for the text's parts only at steps t <= this, for none above it
    contact_affinity: float = 0.0  # weight of the mix's opening (cm^2) of the joint pairs x_a has in contact
    frame_smoothing: int = 0  # T/ST weights averaged over this many frames (odd), in training and in the checkpoint
    frame_stride: int = 1  # frames per Mixer token (models.mixer); the checkpoint records it
    swap_person_text: float = 0.5  # chance to replace a person's text by an unrelated individual text
    guidance: float = 2.5  # the frozen interaction model's classifier-free guidance (and the individual's, unless set)
    individual_guidance: float = 0.0  # the frozen individual model's; 0 = the same as ``guidance``
    cache_samples: int = 16384  # prediction cache (train mixer-cache): samples, frames per sample, samples per shard
    cache_frames: int = 120
    cache_shard: int = 512
    cache_source: str = "clips"  # "clips": noised real clips (official recipe); "rollouts": the sampler's own states
    cache_steps: int = 20  # DDIM steps of each rollout (every step is a sample)
    cache_blend_max: float = 1.0  # rollouts' blend weights drawn from [0, this]; 0 = each chain its own model's

    @property
    def guidances(self) -> tuple[float, float]:
        """(interaction, individual) guidance of the frozen models."""
        return self.guidance, self.individual_guidance or self.guidance


@dataclass
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    model: NetConfig = field(default_factory=NetConfig)
    train: OptimConfig = field(default_factory=OptimConfig)
    discriminator: NetConfig = field(default_factory=lambda: NetConfig(latent=128, layers=2, heads=4, ff=256))
    source: str = ""


def _fill(cls, values: dict):
    names = {f.name for f in fields(cls)}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {sorted(unknown)}")
    return cls(**values)


def load_config(path: str | Path, mixer: bool = False) -> TrainConfig:
    """Read a TOML config with optional [data], [model], [train], [discriminator] tables."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config not found: {path}")
    raw = tomllib.loads(path.read_text())
    unknown = set(raw) - {"data", "model", "train", "discriminator"}
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")
    optim_cls = MixerOptimConfig if mixer else OptimConfig
    cfg = TrainConfig(
        data=_fill(DataConfig, raw.get("data", {})),
        model=_fill(NetConfig, raw.get("model", {})),
        train=_fill(optim_cls, raw.get("train", {})),
        source=str(path),
    )
    if "discriminator" in raw:
        cfg.discriminator = _fill(NetConfig, raw["discriminator"])
    return cfg
