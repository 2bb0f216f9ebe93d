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

from ..foreign_checkpoints import read_state_dict
from .discriminator import DiscriminatorConfig, MotionDiscriminator
from .in2in import DenoiserConfig, In2IN
from .mixer import Mixer, MixerConfig
from .text import ClipConfig, ClipTextTower, SentenceHead, TextConditioned


class MixerMDM(TextConditioned):
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


def read_official_mixermdm(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a released MixerMDM checkpoint with the Lightning ``model.`` prefix removed."""
    return read_state_dict(path, strip_prefix="model.")
