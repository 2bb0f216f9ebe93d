"""Compute precision of the networks at sampling time.

``bf16`` runs every network under bfloat16 autocast (matrix products in bfloat16, normalisations and
softmax in float32) and hands float32 back, so the diffusion arithmetic, the mixing and the geometry stay
in float32. On CPUs with AVX-512 BF16 it samples about twice as fast; on a GPU it saves memory too.

The last step of a DDIM chain (t = 0) always runs in float32: bfloat16's rounding differs from frame to
frame, and left in the final motion it shows as foot jitter (measured on the shipped models: foot
skating 0.41 cm/frame against 0.11 in float32; with the last step in float32, 0.11 again).
"""
from __future__ import annotations

from typing import Callable

import torch

PRECISIONS = ("fp32", "bf16")


def check_precision(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    return precision


def native_cpu_precision() -> str:
    """bf16 where this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), else fp32: elsewhere bfloat16
    is emulated and slower than float32."""
    probes = [getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported")]
    return "bf16" if any(probe is not None and probe() for probe in probes) else "fp32"


def in_precision(fn: Callable[..., torch.Tensor], precision: str, t: torch.Tensor) -> Callable[..., torch.Tensor]:
    """``fn`` (a network or a mixing strategy) for the denoising step ``t`` (B,), run in ``precision``
    (float32 at t = 0 whatever is asked), returning float32."""
    if check_precision(precision) == "fp32" or not bool((t > 0).all()):
        return fn

    def call(*args) -> torch.Tensor:
        with torch.autocast(t.device.type, dtype=torch.bfloat16):
            return fn(*args).float()

    return call


def flush_denormals() -> None:
    """Treat subnormal floats as zero on the CPU (FTZ/DAZ).

    Activations of the trained networks can fall into the subnormal range, where x86 arithmetic is tens of
    times slower: under the old DDIM timestep spacing this flag cut one ST + DualMDM request by a quarter
    (GELU alone 6x; ``scripts/profile_sample.py --keep-denormals``). With the current spacing that request
    shows none, and the flag stays as a guard: values below 1.2e-38 become 0, which changes no motion
    measurably."""
    torch.set_flush_denormal(True)


def set_threads() -> None:
    """Use every core for one request on CPU machines (PyTorch's default can be lower)."""
    import os

    torch.set_num_threads(max(1, os.cpu_count() or 1))
