"""The cosine noise schedule of improved DDPM, as InterGen/in2IN/MixerMDM train with (1000 steps)."""
from __future__ import annotations

import math

import torch


class NoiseSchedule:
    """Cumulative signal levels alpha_bar_t of a 1000-step cosine schedule, and forward noising."""

    def __init__(self, num_steps: int = 1000, s: float = 0.008, max_beta: float = 0.999):
        def f(u: float) -> float:
            return math.cos((u + s) / (1 + s) * math.pi / 2) ** 2

        betas = [min(1 - f((i + 1) / num_steps) / f(i / num_steps), max_beta) for i in range(num_steps)]
        self.num_steps = num_steps
        self.alphas_cumprod = torch.cumprod(1 - torch.tensor(betas, dtype=torch.float64), 0)

    def alpha_bar(self, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        """alpha_bar at integer steps t (B,), shaped to broadcast against ``like`` (B, ...)."""
        a = self.alphas_cumprod.to(like.device)[t.long()].to(like.dtype)
        return a.reshape(-1, *([1] * (like.dim() - 1)))

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """Draw x_t ~ q(x_t | x_0) with the given noise."""
        a = self.alpha_bar(t, x0)
        return a.sqrt() * x0 + (1 - a).sqrt() * noise
