"""Text path of the official in2IN / MixerMDM models: CLIP ViT-L/14's text tower, then a trainable head.

The official models tokenize with CLIP (77 tokens), run CLIP's token embedding + positional embedding, its
12-layer causal transformer and ``ln_final`` (frozen, except that MixerMDM trains its positional embedding),
then a trainable 2-layer ``nn.TransformerEncoder`` (768 wide, 8 heads, feed-forward 2048, GELU) and a
LayerNorm, and keep the vector at the end-of-text token (the largest token id, ``argmax``).

CLIP is kept separable: ``ClipTextTower.attach`` adds its four parts to a module under the official names,
``ClipTextTower.strip`` removes them from a state dict, and ``SentenceHead.apply`` starts from CLIP's output
(B, 77, 768), which is what tests feed when CLIP's weights are absent. The tower here is plain PyTorch with
CLIP's parameter names, so CLIP weights found inside an official checkpoint (they are saved there) or in an
OpenAI/open_clip state dict load into it without the ``clip`` or ``open_clip`` packages.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn

TEXT_DIM = 768  # CLIP ViT-L/14 text width, the sentence vector size every official network takes
CONTEXT = 77
VOCAB = 49408
CLIP_LAYERS = 12
CLIP_HEADS = 12
CLIP_PARTS = ("token_embedding", "clip_transformer", "positional_embedding", "ln_final")  # attribute names


@dataclass(frozen=True)
class ClipConfig:
    """Size of the CLIP text tower; the defaults are ViT-L/14@336px's (tests use smaller ones)."""

    layers: int = CLIP_LAYERS
    vocab: int = VOCAB


class SentenceHead:
    """Factory and forward of the trainable layers after CLIP (they are stored under names of the owner)."""

    def __init__(self, layers: int = 2, heads: int = 8, ff: int = 2048, dropout: float = 0.1):
        layer = nn.TransformerEncoderLayer(d_model=TEXT_DIM, nhead=heads, dim_feedforward=ff, dropout=dropout,
                                           activation="gelu", batch_first=True)
        self.clipTransEncoder = nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
        self.clip_ln = nn.LayerNorm(TEXT_DIM)

    @staticmethod
    def apply(encoder: nn.TransformerEncoder, norm: nn.LayerNorm, clip_out: torch.Tensor,
              tokens: torch.Tensor) -> torch.Tensor:
        """(B, 77, 768) CLIP states and (B, 77) token ids -> (B, 768) vector at each end-of-text token.

        No padding mask is used (as in the official code): every one of the 77 positions is attended."""
        h = norm(encoder(clip_out))
        return h[torch.arange(h.shape[0], device=h.device), tokens.argmax(dim=-1)]


class QuickGELU(nn.Module):
    """CLIP's activation, x * sigmoid(1.702 x)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class ClipBlock(nn.Module):
    """Pre-norm residual block of CLIP's text transformer (``ln_1``, ``attn``, ``ln_2``, ``mlp.c_fc/c_proj``)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads, batch_first=True)
        self.ln_1 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict(c_fc=nn.Linear(width, 4 * width), gelu=QuickGELU(),
                                             c_proj=nn.Linear(4 * width, width)))
        self.ln_2 = nn.LayerNorm(width)

    def forward(self, x: torch.Tensor, causal: torch.Tensor) -> torch.Tensor:
        q = self.ln_1(x)
        x = x + self.attn(q, q, q, attn_mask=causal, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class ClipTransformer(nn.Module):
    """The stack of CLIP text blocks (``resblocks.N``) with a causal mask; batch-first here."""

    def __init__(self, width: int = TEXT_DIM, layers: int = CLIP_LAYERS, heads: int = CLIP_HEADS):
        super().__init__()
        self.resblocks = nn.ModuleList(ClipBlock(width, heads) for _ in range(layers))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = x.shape[1]
        causal = torch.full((n, n), float("-inf"), device=x.device, dtype=x.dtype).triu_(1)
        for block in self.resblocks:
            x = block(x, causal)
        return x


class ClipTextTower:
    """CLIP's text tower attached to an owner module under the official names."""

    @staticmethod
    def attach(owner: nn.Module, cfg: ClipConfig = ClipConfig()) -> None:
        owner.token_embedding = nn.Embedding(cfg.vocab, TEXT_DIM)
        owner.clip_transformer = ClipTransformer(layers=cfg.layers)
        owner.positional_embedding = nn.Parameter(torch.zeros(CONTEXT, TEXT_DIM))
        owner.ln_final = nn.LayerNorm(TEXT_DIM)

    @staticmethod
    def run(owner: nn.Module, tokens: torch.Tensor) -> torch.Tensor:
        """(B, 77) token ids -> (B, 77, 768) states after ``ln_final``."""
        x = owner.token_embedding(tokens) + owner.positional_embedding
        return owner.ln_final(owner.clip_transformer(x))

    @staticmethod
    def is_clip_key(key: str) -> bool:
        """Whether a key (optionally prefixed by a submodule path such as ``model1.``) is a CLIP weight."""
        return any(part in CLIP_PARTS for part in key.split("."))

    @staticmethod
    def strip(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """The state dict without CLIP's weights (at the top level or under any submodule)."""
        return {k: v for k, v in state.items() if not ClipTextTower.is_clip_key(k)}


class TextConditioned(nn.Module):
    """Base of the official top-level modules (in2IN, InterGen, MixerMDM): a trainable sentence head after CLIP,
    CLIP's text tower when ``with_clip``, and loading of official state dicts with or without CLIP."""

    with_clip: bool

    def text_head(self) -> tuple[nn.TransformerEncoder, nn.LayerNorm]:
        """The module's own ``clipTransEncoder`` and ``clip_ln`` (their names differ between the models)."""
        return self.clipTransEncoder, self.clip_ln

    def sentence(self, clip_out: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        """CLIP's last hidden states (B, 77, 768) and the token ids -> (B, 768) sentence vectors."""
        return SentenceHead.apply(*self.text_head(), clip_out, tokens)

    def encode_tokens(self, tokens: torch.Tensor) -> torch.Tensor:
        """Token ids (B, 77) -> (B, 768) sentence vectors through this module's CLIP tower (``with_clip`` only)."""
        return self.sentence(ClipTextTower.run(self, tokens), tokens)

    def load_official(self, state: dict[str, torch.Tensor], strict: bool = True):
        """Loads an official state dict (any Lightning ``model.`` prefix already removed); without CLIP, CLIP's
        weights are dropped first."""
        if not self.with_clip:
            state = ClipTextTower.strip(state)
        return self.load_state_dict(state, strict=strict)


class ClipSentence(TextConditioned):
    """A sentence head and (with ``with_clip``) CLIP's text tower, both at the top level: InterGen's text path,
    and MixerMDM's own, read out of a whole checkpoint."""

    def __init__(self, clip: ClipConfig = ClipConfig(), with_clip: bool = True):
        super().__init__()
        self.with_clip = with_clip
        if with_clip:
            ClipTextTower.attach(self, clip)
        head = SentenceHead()
        self.clipTransEncoder, self.clip_ln = head.clipTransEncoder, head.clip_ln
