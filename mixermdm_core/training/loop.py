"""Pieces every training loop shares: schedules, EMA, resumable state, DDP set-up, a logger, and ``Run``, the
scaffolding of a resumable, time-boxed run that holds them together."""
from __future__ import annotations

import copy
import json
import math
import os
import time
from pathlib import Path

import torch
from torch import nn
from tqdm import tqdm


def lr_at(step: int, base: float, warmup: int, total: int, time_fraction: float = 0.0, floor: float = 0.1) -> float:
    """Linear warm-up then cosine decay to ``floor`` times the base rate (10 % unless told).

    ``time_fraction`` (elapsed / time budget) lets a time-boxed run anneal fully even when it stops
    before ``total`` steps: the decay follows whichever of steps or time is further along.
    """
    if step < warmup:
        return base * (step + 1) / warmup
    progress = min(1.0, max((step - warmup) / max(1, total - warmup), time_fraction))
    return base * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


def device_name(device: torch.device | str) -> str:
    """The accelerator's name for model cards ("cpu" on the CPU)."""
    device = torch.device(device)
    return torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"


def make_ema(model: nn.Module) -> nn.Module:
    return copy.deepcopy(model).eval().requires_grad_(False)


@torch.no_grad()
def update_ema(ema: nn.Module, model: nn.Module, decay: float) -> None:
    for e, p in zip(ema.parameters(), model.parameters()):
        e.lerp_(p.detach(), 1 - decay)


def clipped_update(opt: torch.optim.Optimizer, loss: torch.Tensor, clip: float) -> None:
    """One optimiser step on ``loss`` with its parameters' gradient norm clipped to ``clip``."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for g in opt.param_groups for p in g["params"]], clip)
    opt.step()


def save_state(path: Path, step: int, modules: dict[str, nn.Module], optimizers: dict[str, torch.optim.Optimizer], extra: dict) -> None:
    """Everything needed to resume; written atomically and read back with weights_only=True."""
    state = {"step": step, "extra": extra}
    state.update({f"module.{k}": m.state_dict() for k, m in modules.items()})
    state.update({f"optim.{k}": o.state_dict() for k, o in optimizers.items()})
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def load_state(path: Path, modules: dict[str, nn.Module], optimizers: dict[str, torch.optim.Optimizer]) -> tuple[int, dict]:
    state = torch.load(path, map_location="cpu", weights_only=True)
    for k, m in modules.items():
        m.load_state_dict(state[f"module.{k}"])
    for k, o in optimizers.items():
        o.load_state_dict(state[f"optim.{k}"])
    return int(state["step"]), state.get("extra", {})


class Distributed:
    """torchrun / DDP set-up; a no-op when not launched by torchrun."""

    def __init__(self, device: str | None):
        self.enabled = "RANK" in os.environ and int(os.environ.get("WORLD_SIZE", "1")) > 1
        if self.enabled:
            torch.distributed.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
            self.rank, self.world = torch.distributed.get_rank(), torch.distributed.get_world_size()
            local = int(os.environ.get("LOCAL_RANK", 0))
            self.device = torch.device(f"cuda:{local}") if torch.cuda.is_available() else torch.device("cpu")
            if self.device.type == "cuda":
                torch.cuda.set_device(self.device)
        else:
            self.rank, self.world = 0, 1
            self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))

    @property
    def main(self) -> bool:
        return self.rank == 0

    def wrap(self, model: nn.Module) -> nn.Module:
        if not self.enabled:
            return model
        ids = [self.device.index] if self.device.type == "cuda" else None
        return nn.parallel.DistributedDataParallel(model, device_ids=ids)

    def close(self) -> None:
        if self.enabled:
            torch.distributed.destroy_process_group()


def time_fraction(start: float, budget_s: float) -> float:
    """Share of the time budget used since ``start`` (0 when there is no budget)."""
    return (time.time() - start) / budget_s if budget_s else 0.0


class Log:
    """Appends JSON lines to ``log.jsonl`` in the run folder and prints a short line."""

    def __init__(self, out_dir: Path, enabled: bool):
        self.path, self.enabled, self.t0 = out_dir / "log.jsonl", enabled, time.time()

    def __call__(self, **values) -> None:
        if not self.enabled:
            return
        values["elapsed_s"] = round(time.time() - self.t0, 1)
        with open(self.path, "a") as f:
            f.write(json.dumps(values) + "\n")
        print(" ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()), flush=True)


class Run:
    """One resumable training run: its folder, device, seed, step counter, wall clock, time budget, learning-rate
    schedule, EMA decay and checkpoints (``state.pt``, with ``wall_s`` summed over sessions).

    A loop builds its networks, calls ``resume``, then repeats ``while run.running``: ``set_lr``, one update,
    ``advance``; and ends with ``finish``. ``oc`` is the config's [train] section; ``lr_floor`` is where the
    learning rate's cosine decay ends, as a share of ``oc.lr``."""

    def __init__(self, out_dir: str | Path, oc, device: str | None, desc: str, lr_floor: float = 0.1):
        self.dist = Distributed(device)
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.oc, self.desc, self.lr_floor = oc, desc, lr_floor
        torch.manual_seed(oc.seed + self.dist.rank)
        self.state_path = self.out_dir / "state.pt"
        self.log = Log(self.out_dir, self.dist.main)
        self.step, self.extra = 0, {"wall_s": 0.0}

    @property
    def device(self) -> torch.device:
        return self.dist.device

    def resume(self, modules: dict[str, nn.Module], optimizers: dict[str, torch.optim.Optimizer],
               resume: bool = True) -> bool:
        """Load the run's saved state when asked and present (returns whether it did); starts the clock."""
        self.modules, self.optimizers = modules, optimizers
        loaded = resume and self.state_path.is_file()
        if loaded:
            self.step, self.extra = load_state(self.state_path, modules, optimizers)
        self.start, self.wall0 = time.time(), self.extra.get("wall_s", 0.0)
        self.bar = tqdm(total=self.oc.steps, initial=self.step, disable=not self.dist.main, desc=self.desc)
        return loaded

    @property
    def running(self) -> bool:
        """Steps are left and the time budget (if any) is not spent."""
        budget = self.oc.time_budget_s
        return self.step < self.oc.steps and not (budget and time.time() - self.start > budget)

    def set_lr(self, optimizer: torch.optim.Optimizer) -> float:
        """Warm-up then cosine decay over the steps (or over the time budget with ``anneal_by_time``)."""
        oc = self.oc
        lr = lr_at(self.step, oc.lr, oc.warmup, oc.steps,
                   time_fraction(self.start, oc.time_budget_s) if oc.anneal_by_time else 0.0, self.lr_floor)
        for group in optimizer.param_groups:
            group["lr"] = lr
        return lr

    def update_ema(self, ema: nn.Module, model: nn.Module) -> None:
        """EMA of the weights, a plain copy during warm-up."""
        update_ema(ema, model, self.oc.ema if self.step > self.oc.warmup else 0.0)

    def advance(self) -> None:
        """Count a finished update; checkpoint every ``save_every`` steps."""
        self.step += 1
        self.bar.update(1)
        if self.every(self.oc.save_every):
            self.checkpoint()

    def every(self, n: int) -> bool:
        return bool(n) and self.step % n == 0

    def checkpoint(self) -> None:
        self.extra["wall_s"] = self.wall0 + time.time() - self.start
        if self.dist.main:
            save_state(self.state_path, self.step, self.modules, self.optimizers, self.extra)

    def finish(self) -> None:
        """Close the progress bar and save the final state."""
        self.bar.close()
        self.checkpoint()

    def info(self, **more) -> dict:
        """What a model card records of the run."""
        return {"steps": self.step, "target_steps": self.oc.steps, "wall_s": round(self.extra["wall_s"], 1),
                "device": device_name(self.device), "batch_size": self.oc.batch_size * self.dist.world, **more}
