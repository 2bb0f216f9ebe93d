"""DDIM sampling over x0-predicting denoisers, one step at a time or a whole chain.

A denoiser here is any callable ``(x_t, t) -> x0`` on normalised tensors; conditions and guidance are
bound by the caller (see :func:`cfg_combine`). Keeping steps as plain functions lets the composition
sampler interleave two models and a mixer at every step.
"""
from __future__ import annotations

from typing import Callable, Sequence

import torch

from .schedule import NoiseSchedule

Denoise = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def ddim_timesteps(steps: int, num_train_steps: int = 1000) -> list[int]:
    """Descending training steps visited by a DDIM chain of ``steps`` steps, evenly spaced from the last one
    (pure noise) to 0: 999, 946, ..., 53, 0 for 20 steps.

    The official InterGen/in2IN/MixerMDM samplers use the "leading" spacing of improved DDPM instead (0, 20,
    ..., 980 for 50 steps; 0, 50, ..., 950 for 20), which tells the network that pure noise still holds
    signal: sqrt(alpha_bar) is 0.03 at t=980 and 0.08 at t=950 under the cosine schedule. With fewer steps the
    mismatch grows, and the shipped interaction model answered it by collapsing pairs side by side into one
    place (docs/evaluation.md, "Steps"). Starting at the last step, as Lin et al. (WACV 2024) recommend, keeps
    20 steps close to 50. The chain still ends at t=0, where the pipelines run float32 whatever the precision.
    """
    if not 1 <= steps <= num_train_steps:
        raise ValueError(f"steps must be in 1..{num_train_steps}, got {steps}")
    last = num_train_steps - 1
    if steps == 1:
        return [last]
    return [round(last * (1 - k / (steps - 1))) for k in range(steps)]


def ddim_step(
    x_t: torch.Tensor, x0: torch.Tensor, t: int, t_prev: int, schedule: NoiseSchedule,
    eta: float = 0.0, generator: torch.Generator | None = None,
) -> torch.Tensor:
    """One DDIM update from step t to t_prev (t_prev < 0 means the chain ends: return x0)."""
    if t_prev < 0:
        return x0
    ac = schedule.alphas_cumprod
    a_t, a_prev = float(ac[t]), float(ac[t_prev])
    eps = (x_t - a_t ** 0.5 * x0) / (1 - a_t) ** 0.5
    sigma = eta * ((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev)) ** 0.5
    x_prev = a_prev ** 0.5 * x0 + (1 - a_prev - sigma ** 2) ** 0.5 * eps
    if sigma > 0:
        x_prev = x_prev + sigma * torch.randn(x_t.shape, generator=generator, device=x_t.device, dtype=x_t.dtype)
    return x_prev


def ddim_sample(
    denoise: Denoise, noise: torch.Tensor, schedule: NoiseSchedule, steps: int = 50, eta: float = 0.0,
    generator: torch.Generator | None = None, callback: Callable[[int, int], None] | None = None,
) -> torch.Tensor:
    """Run a DDIM chain from ``noise`` (x_T) and return the final x0."""
    ts = ddim_timesteps(steps, schedule.num_steps)
    x = noise
    for i, t in enumerate(ts):
        t_batch = torch.full((x.shape[0],), t, device=x.device, dtype=torch.long)
        x0 = denoise(x, t_batch)
        x = ddim_step(x, x0, t, ts[i + 1] if i + 1 < len(ts) else -1, schedule, eta, generator)
        if callback is not None:
            callback(i + 1, len(ts))
    return x


def cfg_combine(cond: torch.Tensor, uncond: torch.Tensor, scale: float | torch.Tensor) -> torch.Tensor:
    """Classifier-free guidance on x0 predictions: uncond + scale * (cond - uncond); a tensor ``scale`` holds one
    scale per batch row."""
    if isinstance(scale, torch.Tensor):
        scale = scale.to(cond).reshape(-1, *[1] * (cond.dim() - 1))
    return uncond + scale * (cond - uncond)


def tapered_scale(scale: float, t: torch.Tensor, taper: tuple[int, float] | None) -> float | torch.Tensor:
    """The guidance scale for each row of ``t`` when guidance is tapered at the low-noise steps: ``scale`` above
    step ``taper[0]``, and at or below it a guidance that extrapolates only ``taper[1]`` of the way,
    1 + taper[1] (scale - 1). ``taper=None``: ``scale`` at every step."""
    if taper is None:
        return scale
    until, share = taper
    low = 1.0 + share * (float(scale) - 1.0)
    return torch.where(t <= until, low, float(scale)).float()


def guided_x0(net: Callable[..., torch.Tensor], x_t: torch.Tensor, t: torch.Tensor, conds: Sequence[torch.Tensor],
              mask: torch.Tensor | None, scale: float | torch.Tensor) -> torch.Tensor:
    """``net(x_t, t, *conds, mask)`` with classifier-free guidance: the conditioned pass and the unconditioned
    one (every condition zeroed, as dropped in training) run as one batch; a scale of 1 on every row skips the
    second. ``scale``: one number, or one per row of ``x_t`` (``tapered_scale``)."""
    if bool(torch.all(torch.as_tensor(scale) == 1.0)):
        return net(x_t, t, *conds, mask)
    b = x_t.shape[0]
    both = net(torch.cat((x_t, x_t)), torch.cat((t, t)), *[torch.cat((c, torch.zeros_like(c))) for c in conds],
               None if mask is None else torch.cat((mask, mask)))
    return cfg_combine(both[:b], both[b:], scale)
