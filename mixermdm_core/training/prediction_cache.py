"""A disk cache of the frozen denoisers' predictions, so a Mixer trains without running them.

Mixer training draws one step t per clip and runs both frozen models once on the noised clip (the official
recipe). Those predictions depend only on (clip, t, noise, texts), not on the Mixer, so they are computed
once: each sample stores t, the valid-frame mask, the interaction and individual text embeddings actually
used (a person's text may have been swapped for an unrelated one), and the guided raw predictions x_a and
centred x_b, normalised in their models' spaces and kept in float16. The cache is written in shards of
safetensors, resumably (a finished shard is never made again), and ``meta.json`` records its settings and
the SHA-256 of both denoiser checkpoints: a cache made with other settings or other denoisers is refused.

``source="rollouts"`` fills the same fields from the sampler's own two chains instead: training texts sampled
with a random DiffusionBlending weight per prompt, every DDIM step one sample. The official recipe never shows
the Mixer those states (the individual chain following its own prediction, the interaction chain taking the
mix), and at sampling its inputs differ from the noised clips' (docs/evaluation.md, "Second H200 session").
The blend weights are drawn from [0, ``blend_max``]. With weights up to 1 the interaction chain has taken much
of the individual motion into x_a, D^a's real sample, and a Mixer trained on it drifts to w = 1; with
``blend_max = 0`` each chain follows its own model, so x_a and x_b are the two models' own samples at that step
(docs/evaluation.md, "Rollouts, two more CPU tries").
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from tqdm import tqdm

from ..composition.centering import center_people
from ..composition.sampler import Conditions, DenoiserPair, composed_sample
from ..composition.strategies import MixInputs
from .recipe import TrainConfig
from .datasets import TrainingSet, mixing_set

META = "meta.json"
FIELDS = ("t", "mask", "text", "person_text", "x_a", "x_b_c")


@dataclass
class CacheSpec:
    """What a cache was made from; two caches with equal specs hold the same samples."""

    samples: int
    frames: int
    guidance: float
    swap_person_text: float
    seed: int
    shard_size: int
    denoisers: dict  # checkpoint file name -> SHA-256
    individual_guidance: float = 2.5  # the individual model's guidance (``guidance`` is the interaction model's)
    source: str = "clips"  # "clips" (noised real clips) or "rollouts" (the sampler's states, ``steps`` DDIM steps)
    steps: int = 20
    blend_max: float = 1.0  # rollouts: blend weights drawn from [0, blend_max]; 0 = each chain its own model's
    individual_taper: list | None = None  # the individual model's low-noise guidance (step, share); None: untapered
    velocity_readout: bool = False  # M^b's joint positions refitted to its velocities (representation.readout)

    @property
    def shards(self) -> int:
        return -(-self.samples // self.shard_size)


class StaleCacheError(ValueError):
    """The cache on disk was made with other settings or other denoiser checkpoints."""


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def denoiser_hashes(checkpoints: str | Path) -> dict:
    folder = Path(checkpoints)
    return {name: file_sha256(folder / name) for name in ("interaction.safetensors", "individual.safetensors")}


def check_spec(folder: Path, spec: CacheSpec) -> None:
    """Write ``meta.json`` for a new cache, or refuse a folder whose cache was made differently."""
    meta = folder / META
    if not meta.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(asdict(spec), indent=1) + "\n")
        return
    saved = asdict(CacheSpec(**json.loads(meta.read_text())))  # fills fields older caches did not record
    if saved != asdict(spec):
        diff = sorted(k for k in saved.keys() | asdict(spec).keys() if saved.get(k) != asdict(spec).get(k))
        raise StaleCacheError(f"{folder} holds a prediction cache made with other {', '.join(diff)}; "
                              "build it again in a new folder (or delete this one)")


def shard_path(folder: Path, k: int) -> Path:
    return folder / f"shard_{k:05d}.safetensors"


class _RandomBlend:
    """DiffusionBlending with one weight per batch row that keeps every step's inputs (for rollouts)."""

    name = "random_blend"

    def __init__(self, weights: torch.Tensor):
        self.weights, self.seen = weights, []

    def __call__(self, inp: MixInputs) -> torch.Tensor:
        self.seen.append(inp)
        return self.weights.to(inp.x_a)[:, None, None, None].expand(-1, 1, 2, 1)


@torch.no_grad()
def rollout_samples(pair: DenoiserPair, text: torch.Tensor, person_text: torch.Tensor, spec: CacheSpec,
                    generator: torch.Generator) -> dict[str, torch.Tensor]:
    """The Mixer's inputs at every step of two-chain sampling of these texts (one random blend weight in
    [0, ``spec.blend_max``] per prompt), as cache fields: ``len(text) * spec.steps`` samples, x_a and centred x_b
    normalised."""
    blend = _RandomBlend(torch.rand(len(text), generator=generator) * spec.blend_max)
    seeds = torch.randint(2**31 - 1, (len(text),), generator=generator).tolist()
    composed_sample(pair, [blend], Conditions(text, person_text), spec.frames, spec.steps,
                    (spec.guidance, spec.individual_guidance), seeds)
    out = {f: [] for f in FIELDS}
    for inp in blend.seen:
        x_b_c = center_people(pair.norm_a.denormalize(inp.x_b))
        for f, v in (("t", inp.t), ("mask", torch.ones(len(text), spec.frames, dtype=torch.bool)), ("text", inp.text),
                     ("person_text", inp.person_text), ("x_a", inp.x_a), ("x_b_c", pair.norm_b.normalize(x_b_c))):
            out[f].append(v.cpu())
    return {f: torch.cat(v) for f, v in out.items()}


def build_cache(pair: DenoiserPair, data: TrainingSet, pool: torch.Tensor, spec: CacheSpec, folder: str | Path,
                batch_size: int = 32, time_budget_s: float = 0.0) -> int:
    """Compute the missing shards (each from its own seed, so the order of runs does not matter), stopping after
    the shard that passes ``time_budget_s``; returns how many shards are complete. ``data`` must crop to
    ``spec.frames``; ``pool`` holds the swap texts. Rollouts take ``batch_size // 2`` prompts at a time, each
    giving ``spec.steps`` samples."""
    from .adversarial import mixer_step_inputs, swap_texts

    if spec.source not in ("clips", "rollouts"):
        raise ValueError(f"a prediction cache's source is 'clips' or 'rollouts', got {spec.source!r}")
    folder = Path(folder)
    check_spec(folder, spec)
    pair = replace(pair, individual_taper=None if spec.individual_taper is None else tuple(spec.individual_taper),
                   velocity_readout=spec.velocity_readout)
    start, done = time.time(), 0
    bar = tqdm(total=spec.shards, desc="prediction cache", unit="shard")
    for k in range(spec.shards):
        path = shard_path(folder, k)
        if path.is_file():
            done += 1
            bar.update(1)
            continue
        g = torch.Generator().manual_seed(spec.seed * 100_003 + k)
        size = min(spec.shard_size, spec.samples - k * spec.shard_size)
        per_batch = batch_size if spec.source == "clips" else max(1, batch_size // 2) * spec.steps
        parts = []
        for offset in range(0, size, per_batch):
            b = min(per_batch, size - offset)
            torch.manual_seed(int(torch.randint(2**31 - 1, (1,), generator=g)))
            if spec.source == "rollouts":
                _, _, idx = data.batcher.sample(-(-b // spec.steps))
                person_text = swap_texts(data.person_texts[idx], pool, spec.swap_person_text)
                part = rollout_samples(pair, data.texts[idx], person_text, spec, g)
                parts.append({f: v[:b] for f, v in part.items()})
                continue
            x0, mask, idx = data.batcher.sample(b)
            text, person_text = data.texts[idx], swap_texts(data.person_texts[idx], pool, spec.swap_person_text)
            t, x_a, x_b_c = mixer_step_inputs(pair, x0, mask, text, person_text,
                                                    (spec.guidance, spec.individual_guidance))
            parts.append({"t": t, "mask": mask, "text": text, "person_text": person_text,
                          "x_a": pair.norm_a.normalize(x_a), "x_b_c": pair.norm_b.normalize(x_b_c)})
        shard = {f: torch.cat([p[f] for p in parts]).cpu() for f in FIELDS}
        shard = {f: v.half() if v.is_floating_point() else v for f, v in shard.items()}
        tmp = path.with_suffix(".tmp")
        save_file({f: v.contiguous() for f, v in shard.items()}, str(tmp))
        tmp.replace(path)
        done += 1
        bar.update(1)
        if time_budget_s and time.time() - start > time_budget_s:
            break
    bar.close()
    return done


class CachedPredictions:
    """All complete shards of a cache in memory, served as random batches in float32."""

    def __init__(self, folder: str | Path, pair: DenoiserPair, device: torch.device | str = "cpu",
                 denoisers: dict | None = None):
        folder = Path(folder)
        if not (folder / META).is_file():
            raise FileNotFoundError(f"no prediction cache in {folder} (build one with `train mixer-cache`)")
        self.spec = CacheSpec(**json.loads((folder / META).read_text()))
        if denoisers is not None and denoisers != self.spec.denoisers:
            raise StaleCacheError(f"the prediction cache in {folder} was made with other denoiser checkpoints; "
                                  "build it again for these ones")
        shards = [load_file(str(shard_path(folder, k))) for k in range(self.spec.shards) if shard_path(folder, k).is_file()]
        if not shards:
            raise FileNotFoundError(f"the prediction cache in {folder} has no finished shard yet")
        self.tensors = {f: torch.cat([s[f] for s in shards]).to(device) for f in FIELDS}
        self.pair, self.device = pair, torch.device(device)

    def __len__(self) -> int:
        return len(self.tensors["t"])

    def batch(self, idx: torch.Tensor) -> dict[str, torch.Tensor]:
        """Samples ``idx``: t, mask, text, person_text and raw (de-normalised) x_a and centred x_b."""
        out = {f: self.tensors[f][idx] for f in FIELDS}
        out = {f: v.float() if v.is_floating_point() else v for f, v in out.items()}
        out["x_a"] = self.pair.norm_a.denormalize(out["x_a"])
        out["x_b_c"] = self.pair.norm_b.denormalize(out["x_b_c"])
        return out

    def sample(self, batch_size: int) -> dict[str, torch.Tensor]:
        return self.batch(torch.randint(len(self), (batch_size,), device=self.device))


def build_from_config(pair: DenoiserPair, cfg: TrainConfig, checkpoints: str | Path, folder: str | Path,
                      device: torch.device | str = "cpu", time_budget_s: float = 0.0) -> int:
    """Build (or continue) the prediction cache that ``cfg``'s [train] cache settings describe; returns the
    number of complete shards."""
    oc = cfg.train
    spec = CacheSpec(oc.cache_samples, oc.cache_frames, oc.guidances[0], oc.swap_person_text, oc.seed, oc.cache_shard,
                     denoiser_hashes(checkpoints), oc.guidances[1], oc.cache_source, oc.cache_steps, oc.cache_blend_max,
                     None if pair.individual_taper is None else list(pair.individual_taper), pair.velocity_readout)
    pair.frozen_on(device)
    data, pool = mixing_set(cfg.data, oc.cache_frames, device)
    return build_cache(pair, data, pool, spec, folder, time_budget_s=time_budget_s)
