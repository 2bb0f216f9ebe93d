"""The official networks behind the project's network interfaces, so every sampler and pipeline runs them.

The project's denoisers take motions as (B, T, people, 262) and one sentence vector per text; the official
ones take both people side by side (B, T, 524) and packed 768-d sentence vectors, each model from its own
sentence head. ``OfficialTextEncoder`` therefore gives every text one packed vector,
[interaction model's sentence, individual model's sentence, Mixer's sentence] (3 x 768), and each adapter
reads its own slice. An empty text gives zeros, which the samplers read as "no individual text" and which is
the official unconditional input of classifier-free guidance.

What differs from the official samplers, on purpose: guidance is one scale per model (in2IN's interaction
sampler also runs the interaction-only and individual-only conditions and weights four passes), and the
Mixer's 23rd output (the foot contacts' weight) is not used: contacts follow their foot joints' weights and
rotations their own joint's, which is the official code's off-by-one fixed (method facts, section 4).
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from ...representation.normalization import Normalizer
from ...skeleton import NUM_JOINTS
from ...text.clip_tokenizer import ClipTokenizer
from ...text.encoders import clean_prompt
from .in2in import In2INDenoiser
from .mixer import MODES, Mixer
from .text import TEXT_DIM, TextConditioned

SLOTS = ("interaction", "individual", "mixer")  # the packed sentence vector's slices, 768 each
GRANULARITY_OF_MODE = {mode: name.upper() for name, mode in MODES.items()}


def slot(text: torch.Tensor, name: str) -> torch.Tensor:
    """One model's 768-d sentence vectors from packed ones (..., 3 * 768)."""
    k = SLOTS.index(name)
    return text[..., k * TEXT_DIM:(k + 1) * TEXT_DIM]


class OfficialTextEncoder:
    """Texts -> packed sentence vectors (N, 3 * 768): CLIP ViT-L/14 with each model's own positional embedding
    and sentence head (a model is skipped, its slice zero, when absent)."""

    name = "CLIP ViT-L/14 (official heads)"
    dim = len(SLOTS) * TEXT_DIM

    def __init__(self, tokenizer: ClipTokenizer, models: dict[str, TextConditioned]):
        unknown = set(models) - set(SLOTS)
        if unknown:
            raise ValueError(f"text models are {SLOTS}, got {sorted(unknown)}")
        self.tokenizer, self.models = tokenizer, models

    @torch.no_grad()
    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        texts = [clean_prompt(t) for t in texts]
        out = torch.zeros(len(texts), self.dim)
        rows = [i for i, t in enumerate(texts) if t]
        if not rows:
            return out
        tokens = self.tokenizer([texts[i] for i in rows])
        for name, model in self.models.items():
            slot(out, name)[rows] = model.encode_tokens(tokens.to(model.positional_embedding.device)).float().cpu()
        return out


class InteractionAdapter(nn.Module):
    """An official in2IN interaction denoiser as the project's interaction network: x (B, T, 2, 262), step,
    interaction text (B, 3*768), person texts (B, 2, 3*768), valid frames (B, T) -> x0 (B, T, 2, 262)."""

    people = 2
    text_dim = len(SLOTS) * TEXT_DIM  # the packed sentence vectors it reads

    def __init__(self, net: In2INDenoiser):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, person_text: torch.Tensor,
                mask: torch.Tensor | None = None) -> torch.Tensor:
        b, frames = x.shape[:2]
        person = slot(person_text, "interaction")
        cond = torch.cat((slot(text, "interaction"), person[:, 0], person[:, 1]), dim=-1)
        out = self.net(x.reshape(b, frames, -1), t, mask=mask, cond=cond)
        return out.reshape(b, frames, 2, -1)


class IndividualAdapter(nn.Module):
    """An official in2IN individual denoiser as the project's individual network: x (B, T, 262), step, the
    person's text (B, 3*768), valid frames (B, T) -> x0 (B, T, 262)."""

    people = 1
    text_dim = len(SLOTS) * TEXT_DIM

    def __init__(self, net: In2INDenoiser):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor, t: torch.Tensor, text: torch.Tensor, mask: torch.Tensor | None = None):
        return self.net(x, t, mask=mask, cond=slot(text, "individual"))


class MixerAdapter(nn.Module):
    """The official MixerMDM Mixer as the project's Mixer: normalised (interaction space) predictions x_a and
    aligned x_b (B, T, 2, 262), step, packed texts -> weights (B, Tw, 2, Jw) in [0, 1] (Tw = T for T/ST,
    Jw = 22 for S/ST)."""

    def __init__(self, mixer: Mixer, norm_a: Normalizer):
        super().__init__()
        self.mixer, self.norm_a = mixer, norm_a
        self.granularity = GRANULARITY_OF_MODE[mixer.mixing_mode]

    def forward(self, x_a: torch.Tensor, x_b: torch.Tensor, t: torch.Tensor, text: torch.Tensor,
                person_text: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        b, frames = x_a.shape[:2]
        raw_a = self.norm_a.denormalize(x_a).reshape(b, frames, -1)
        raw_b = self.norm_a.denormalize(x_b).reshape(b, frames, -1)
        # The packed condition the official Mixer slices: interaction model's 3 sentences, individual model's 2,
        # the Mixer's own 3 (the official Mixer only reads the last three).
        inter, indiv, own = (slot(person_text, name) for name in SLOTS)
        cond = torch.cat((slot(text, "interaction"), inter[:, 0], inter[:, 1], indiv[:, 0], indiv[:, 1],
                          slot(text, "mixer"), own[:, 0], own[:, 1]), dim=-1)
        per_person = self.mixer.mixing_weights(raw_b, raw_a, t, cond, mask)
        w = torch.stack(per_person, dim=1)  # (B, 2, [T,] 1 or 23)
        if w.dim() == 3:  # G and S: pooled over frames
            w = w[:, :, None]
        w = w.permute(0, 2, 1, 3)  # (B, Tw, 2, 1 or 23)
        return w[..., :NUM_JOINTS] if w.shape[-1] > 1 else w
