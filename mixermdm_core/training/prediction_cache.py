"""A disk cache of the frozen denoisers' predictions, so a Mixer trains without running them.

Mixer training draws one step t per clip and runs both frozen models once on the noised clip (the official
recipe). Those predictions depend only on (clip, t, noise, texts), not on the Mixer, so they are computed
once: each sample stores t, the valid-frame mask, the interaction and individual text embeddings actually
used (a person's text may have been swapped for an unrelated one), and the guided raw predictions x_a and
centred x_b, normalised in their models' spaces and kept in float16. The cache is written in shards of
safetensors, resumably (a finished shard is never made again), and ``meta.json`` records its settings and
the SHA-256 of both denoiser checkpoints: a cache made with other settings or other denoisers is refused.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from tqdm import tqdm

from ..composition.sampler import DenoiserPair
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


def build_cache(pair: DenoiserPair, data: TrainingSet, pool: torch.Tensor, spec: CacheSpec, folder: str | Path,
                batch_size: int = 32, time_budget_s: float = 0.0) -> int:
    """Compute the missing shards (each from its own seed, so the order of runs does not matter), stopping after
    the shard that passes ``time_budget_s``; returns how many shards are complete. ``data`` must crop to
    ``spec.frames``; ``pool`` holds the swap texts."""
    from .adversarial import mixer_step_inputs, swap_texts

    folder = Path(folder)
    check_spec(folder, spec)
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
        parts = []
        for offset in range(0, size, batch_size):
            b = min(batch_size, size - offset)
            torch.manual_seed(int(torch.randint(2**31 - 1, (1,), generator=g)))
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
                     denoiser_hashes(checkpoints), oc.guidances[1])
    pair.frozen_on(device)
    data, pool = mixing_set(cfg.data, oc.cache_frames, device)
    return build_cache(pair, data, pool, spec, folder, time_budget_s=time_budget_s)
