"""Gaussian diffusion: the noise schedule and samplers as plain functions over tensors."""
from .schedule import NoiseSchedule
from .samplers import cfg_combine, ddim_sample, ddim_step, ddim_timesteps, guided_x0, tapered_scale

__all__ = ["NoiseSchedule", "ddim_timesteps", "ddim_step", "ddim_sample", "cfg_combine", "guided_x0", "tapered_scale"]
