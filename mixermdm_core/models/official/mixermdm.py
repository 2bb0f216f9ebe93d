"""A whole official MixerMDM checkpoint as one module, so that its state dict loads with ``strict=True``.

The official top-level module holds: ``model1`` (the in2IN individual model, with its own CLIP text tower),
``model2`` (the in2IN interaction model, whose CLIP token embedding, transformer and ``ln_final`` are replaced by
the top level's, so the same tensors appear under both names; its positional embedding stays its own), the
``mixing`` Mixer (whose ``denoiser1``/``denoiser2`` are ``model1``'s and ``model2``'s nets, listed again, and
listed a third time at the top level),
both discriminators, CLIP's text tower at the top level (its positional embedding is trained with the Mixer)
and the Mixer's own sentence head ``clipTransEncoder``/``clip_ln``. The released file prefixes every key with
``model.`` (Lightning); ``read_official_mixermdm`` removes it.
"""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from ..foreign_checkpoints import read_state_dict
from .discriminator import DiscriminatorConfig, MotionDiscriminator
from .in2in import DenoiserConfig, In2IN
from .mixer import Mixer, MixerConfig
from .text import ClipConfig, ClipTextTower, SentenceHead


class MixerMDM(nn.Module):
    """Container with the official layout (see the module docstring); ``with_clip=False`` leaves every CLIP
    tower out (load with ``load_official``, which drops those keys)."""

    def __init__(self, mixer: MixerConfig = MixerConfig(), individual: DenoiserConfig = DenoiserConfig(),
                 interaction: DenoiserConfig = DenoiserConfig(),
                 discriminator: DiscriminatorConfig = DiscriminatorConfig(), with_clip: bool = True,
                 clip: ClipConfig = ClipConfig()):
        super().__init__()
        self.with_clip = with_clip
        self.model1 = In2IN("individual", individual, with_clip=with_clip, clip=clip)
        self.model2 = In2IN("interaction", interaction, with_clip=with_clip, clip=clip)
        self.denoiser1, self.denoiser2 = self.model1.denoiser, self.model2.denoiser  # listed a third time
        self.mixing = Mixer(self.denoiser1, self.denoiser2, mixer)
        self.discriminator_i = MotionDiscriminator(discriminator, persons=1)
        self.discriminator_I = MotionDiscriminator(discriminator, persons=2)
        if with_clip:
            ClipTextTower.attach(self, clip)
            self.model2.token_embedding = self.token_embedding
            self.model2.clip_transformer = self.clip_transformer
            self.model2.ln_final = self.ln_final
        head = SentenceHead()
        self.clipTransEncoder, self.clip_ln = head.clipTransEncoder, head.clip_ln

    def encode_tokens(self, tokens: torch.Tensor) -> torch.Tensor:
        """Token ids (B, 77) -> the Mixer's (B, 768) sentence vectors through the top-level CLIP tower."""
        return self.sentence(ClipTextTower.run(self, tokens), tokens)

    def sentence(self, clip_out: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """The Mixer's own sentence vectors from CLIP's output (B, 77, 768) and the token ids."""
        return SentenceHead.apply(self.clipTransEncoder, self.clip_ln, clip_out, tokens)

    def load_official(self, state: dict[str, torch.Tensor], strict: bool = True):
        """Loads an official state dict (``model.`` prefix already removed); without CLIP its CLIP weights are
        dropped first."""
        if not self.with_clip:
            state = ClipTextTower.strip(state)
        return self.load_state_dict(state, strict=strict)


def read_official_mixermdm(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a released MixerMDM checkpoint with the Lightning ``model.`` prefix removed."""
    return read_state_dict(path, strip_prefix="model.")
