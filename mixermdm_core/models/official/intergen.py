"""The InterGen denoiser (Liang et al., IJCV 2024) with the official parameter names.

in2IN grew out of InterGen, and InterGen's network is in2IN's interaction denoiser with a single condition:
the two people share the weights, and one vector (step embedding + projected interaction text) drives every
AdaLN of every block (self-attention, cross-attention to the partner, feed-forward). Input (B, T, 2*262),
condition (B, 768). ``InterGen`` wraps it as the official top-level module does (``decoder.net``, the trainable
text layers ``clipTransEncoder`` / ``clip_ln`` and, optionally, CLIP's text tower), so a released checkpoint
(configs/model.yaml: 8 layers, 8 heads, latent 1024, feed-forward 2048) loads strictly.
"""
from __future__ import annotations

import torch
from torch import nn

from .in2in import DenoiserConfig, In2INDenoiser
from .text import ClipConfig, ClipSentence


class InterGenDenoiser(In2INDenoiser):
    """x_t (normalised features of two people), integer step, interaction sentence vector -> predicted x_0."""

    def __init__(self, cfg: DenoiserConfig = DenoiserConfig()):
        super().__init__("interaction", cfg)

    def conditions(self, steps: torch.Tensor, cond: torch.Tensor) -> list[torch.Tensor]:
        """The one condition, in the three places in2IN's interaction network reads (interaction, person 1,
        person 2)."""
        shared = self.embed_timestep(steps) + self.text_embed(cond)
        return [shared, shared, shared]


class InterGenDecoder(nn.Module):
    """Holds the denoiser as ``net``, where the official diffusion wrapper keeps it (it has no other weights)."""

    def __init__(self, cfg: DenoiserConfig):
        super().__init__()
        self.net = InterGenDenoiser(cfg)


class InterGen(ClipSentence):
    """An official InterGen checkpoint as one module: ``decoder.net``, the sentence head trained with it and, with
    ``with_clip``, CLIP ViT-L/14's text tower. Without CLIP, ``load_official`` sets CLIP's weights aside."""

    def __init__(self, cfg: DenoiserConfig = DenoiserConfig(), with_clip: bool = True, clip: ClipConfig = ClipConfig()):
        super().__init__(clip, with_clip)
        self.decoder = InterGenDecoder(cfg)

    @property
    def denoiser(self) -> InterGenDenoiser:
        return self.decoder.net
