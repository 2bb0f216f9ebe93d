"""What sampling costs on the machine at hand: the networks' parameter count and an estimate of a request's
seconds, so a user can be told before a slow request starts (the released official models have hundreds of
millions of parameters and want a GPU; ours run in seconds on a CPU).

The estimate is measured here, not tabulated: :func:`measure` runs each denoiser once untimed on 2 frames (first
calls pay one-off set-up: ONNX Runtime's, CUDA's), then once timed on one guided row (conditioned and
unconditioned pass, a batch of 2) of ``PROBE_FRAMES`` frames. :meth:`Cost.seconds` scales that time per pass
and frame linearly to steps x guidance passes x rows x frames. It covers the denoisers only (not the Mixers, the
geometry between steps or rendering), and attention grows faster than linearly in frames: a rough figure, meant
to tell seconds from minutes. On our shipped networks the probe takes milliseconds.

The warning rule (:meth:`Cost.slow_on_cpu`): on a CPU, more than ``MAX_CPU_PARAMETERS`` parameters or a request
estimated at more than ``MAX_CPU_SECONDS``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable

import torch

from ..models.onnx_backend import OnnxNetwork
from ..models.precision import in_precision
from ..representation.interhuman import FEATURE_DIM
from ..skeleton import FPS
from ..vocabulary import DEFAULT_GUIDANCE

PROBE_FRAMES = FPS  # one second of motion
MAX_CPU_PARAMETERS = 100_000_000
MAX_CPU_SECONDS = 60.0


def guidance_passes(scale: float) -> int:
    """Network passes per step under classifier-free guidance: scale 1 skips the unconditioned one."""
    return 1 if scale == 1.0 else 2


def duration(seconds: float) -> str:
    """A duration for people: 0.8 s, 42 s, 3.5 min, 1.2 h."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def millions(count: int) -> str:
    """A parameter count in millions: 0.3M, 14.5M, 412M."""
    return f"{count / 1e6:.1f}M" if count < 1e8 else f"{count / 1e6:,.0f}M"


@dataclass(frozen=True)
class Cost:
    """The networks' parameter count and the measured seconds of one denoiser pass per frame of one sample on
    ``device`` (0 for a model the pipeline does not run)."""

    device: str
    parameters: int
    interaction_s: float
    individual_s: float

    def seconds(self, frames: int, steps: int, guidance: tuple[float, float] = DEFAULT_GUIDANCE, strategies: int = 1,
                people: int = 1) -> float:
        """Estimated sampling seconds of a request: ``strategies`` samples of ``frames`` frames over ``steps`` DDIM
        steps, the individual model on ``people`` people of each (those with an individual text)."""
        per_frame = (guidance_passes(guidance[0]) * self.interaction_s
                     + people * guidance_passes(guidance[1]) * self.individual_s)
        return steps * strategies * frames * per_frame

    def slow_on_cpu(self, seconds: float) -> bool:
        """The warning rule: on a CPU, networks of more than ``MAX_CPU_PARAMETERS`` parameters, or a request
        estimated at more than ``MAX_CPU_SECONDS``."""
        big = self.parameters > MAX_CPU_PARAMETERS or seconds > MAX_CPU_SECONDS
        return torch.device(self.device).type == "cpu" and big

    def describe(self, seconds: float) -> str:
        """One sentence: the parameter count and the request's estimated time on this device."""
        return (f"the networks have {millions(self.parameters)} parameters; sampling this request on {self.device} "
                f"takes about {duration(seconds)} (estimated from a denoiser pass timed at load)")


def parameter_count(nets: Iterable) -> int:
    """Parameters of the networks, each counted once (an official Mixer holds both denoisers)."""
    modules = [n.net if isinstance(n, OnnxNetwork) else n for n in nets]
    return sum({id(p): p.numel() for m in modules for p in m.parameters()}.values())


def _probe_inputs(net, rows: int, frames: int, device: torch.device) -> tuple[torch.Tensor, ...]:
    """Random inputs of a denoiser of ours or an official adapter (``people`` 1 or 2), at a mid-chain step; drawn
    from their own generator, so measuring leaves PyTorch's global random state as it was."""
    g = torch.Generator().manual_seed(0)
    width = getattr(net, "text_dim", None) or net.cfg.text_dim
    motion = (rows, frames, 2, FEATURE_DIM) if net.people == 2 else (rows, frames, FEATURE_DIM)
    shapes = [motion, (rows, width)] + ([(rows, 2, width)] if net.people == 2 else [])
    x, text, *person = (torch.randn(shape, generator=g).to(device) for shape in shapes)
    return (x, torch.full((rows,), 500, device=device, dtype=torch.long), text, *person)


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _pass_seconds(net, device: torch.device, precision: str) -> float:
    """Seconds of one pass per frame of one sample: a warm-up call, then one guided row timed."""
    warm = _probe_inputs(net, 1, 2, device)
    in_precision(net, precision, warm[1])(*warm, None)
    args = _probe_inputs(net, 2, PROBE_FRAMES, device)
    _synchronize(device)
    start = time.perf_counter()
    in_precision(net, precision, args[1])(*args, None)
    _synchronize(device)
    return (time.perf_counter() - start) / (2 * PROBE_FRAMES)


@torch.no_grad()
def measure(device: str | torch.device, interaction=None, individual=None, mixers: Iterable = (),
            precision: str = "fp32") -> Cost:
    """The :class:`Cost` of the given networks (loaded on ``device``, as sampling runs them): their parameters,
    and each denoiser's pass timed on this machine."""
    dev = torch.device(device)
    timed = [0.0 if net is None else _pass_seconds(net, dev, precision) for net in (interaction, individual)]
    nets = [n for n in (interaction, individual, *mixers) if n is not None]
    return Cost(str(device), parameter_count(nets), *timed)
