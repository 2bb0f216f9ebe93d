"""Contrastive text-motion evaluator: the embedding space that R-precision, FID and alignment are measured in.

Two instances are used: an interaction evaluator (``people=2``) that reads both people's features per frame,
and an individual evaluator (``people=1``) that reads one person after centring it (floor at 0, frame-0 pelvis
at the origin, facing +Z), so it scores the body motion and not where the person stands. Foot contacts are
dropped from the input (258 of the 262 features per person are used), as the InterHuman evaluator does:
generated contacts are unreliable and the mixer's alignment step zeroes them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..representation.interhuman import CONTACT, FEATURE_DIM, canonicalize_features
from ..representation.normalization import Normalizer

INPUT_DIM = CONTACT.start  # 258 features per person reach the network


@dataclass
class EvaluatorConfig:
    """Sizes of the evaluator; ``embed`` is the dimension of the shared, L2-normalised space."""

    latent: int = 256
    layers: int = 4
    heads: int = 4
    ff: int = 512
    dropout: float = 0.1
    max_frames: int = 300
    embed: int = 256
    text_dim: int = 384


class TextMotionEvaluator(nn.Module):
    """Motion encoder (transformer over frames, pooled by a learned token) and text projection (MLP over a frozen
    sentence embedding), both mapping into one L2-normalised space; ``logit_scale`` is the learned inverse
    temperature of the contrastive loss.

    Motions are (B, T, P, 262) raw features (``(B, T, 262)`` is accepted when P = 1) with a (B, T) bool mask of
    valid frames. They are normalised with the model's own mean/std buffers (saved with the weights).
    """

    def __init__(self, people: int, config: EvaluatorConfig | None = None):
        super().__init__()
        if people not in (1, 2):
            raise ValueError(f"people must be 1 or 2, got {people}")
        self.people = people
        self.config = cfg = config or EvaluatorConfig()
        self.register_buffer("feature_mean", torch.zeros(FEATURE_DIM))
        self.register_buffer("feature_std", torch.ones(FEATURE_DIM))
        self.input = nn.Linear(people * INPUT_DIM, cfg.latent)
        self.pool_token = nn.Parameter(torch.randn(cfg.latent) * 0.02)
        self.position = nn.Parameter(torch.randn(cfg.max_frames + 1, cfg.latent) * 0.02)
        layer = nn.TransformerEncoderLayer(cfg.latent, cfg.heads, cfg.ff, cfg.dropout, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.motion_head = nn.Sequential(nn.LayerNorm(cfg.latent), nn.Linear(cfg.latent, cfg.embed))
        self.text_head = nn.Sequential(nn.Linear(cfg.text_dim, cfg.latent), nn.GELU(), nn.Dropout(cfg.dropout),
                                       nn.Linear(cfg.latent, cfg.embed))
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    @property
    def normalizer(self) -> Normalizer:
        return Normalizer(self.feature_mean.cpu(), self.feature_std.cpu())

    def set_normalizer(self, normalizer: Normalizer) -> None:
        """Use these 262-d statistics for every person's features."""
        if normalizer.mean.shape != (FEATURE_DIM,):
            raise ValueError(f"the evaluator needs {FEATURE_DIM}-d statistics, got {tuple(normalizer.mean.shape)}")
        self.feature_mean.copy_(normalizer.mean)
        self.feature_std.copy_(normalizer.std)

    def _people_view(self, motions: torch.Tensor) -> torch.Tensor:
        """Check the input and return it as (B, T, P, 262)."""
        if self.people == 1 and motions.ndim == 3:
            motions = motions.unsqueeze(2)
        if motions.ndim != 4 or motions.shape[2:] != (self.people, FEATURE_DIM):
            raise ValueError(f"expected motions (batch, frames, {self.people}, {FEATURE_DIM}), "
                             f"got {tuple(motions.shape)}")
        return motions

    def view_features(self, motions: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """The raw features as this evaluator sees them: (B, T, P, 262), each person centred when P = 1."""
        motions = self._people_view(motions).float()
        if self.people == 1:
            motions = canonicalize_features(motions[:, :, 0], mask)[0].unsqueeze(2)
        return motions

    def fit_normalizer(self, motions: torch.Tensor, mask: torch.Tensor) -> None:
        """Set the statistics from the valid frames of a training set, as this evaluator views them."""
        seen = self.view_features(motions, mask)[mask]  # (frames, P, 262)
        self.set_normalizer(Normalizer.fit(seen.reshape(-1, FEATURE_DIM)))

    def prepare(self, motions: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Network input (B, T, P * 258): viewed, normalised, contacts dropped, padded frames zeroed."""
        x = (self.view_features(motions, mask) - self.feature_mean.to(motions.device)) \
            / self.feature_std.to(motions.device)
        x = x[..., :INPUT_DIM].flatten(2)
        return x if mask is None else x * mask[..., None].to(x)

    def encode_prepared(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T, P * 258) prepared input -> (B, embed) unit vectors; padded frames are not attended to."""
        batch, frames = x.shape[:2]
        if frames > self.config.max_frames:
            raise ValueError(f"at most {self.config.max_frames} frames, got {frames}")
        tokens = torch.cat((self.pool_token.expand(batch, 1, -1), self.input(x)), dim=1)
        tokens = tokens + self.position[: frames + 1]
        pad = None
        if mask is not None:
            pad = torch.cat((torch.zeros(batch, 1, dtype=torch.bool, device=x.device), ~mask.bool()), dim=1)
        pooled = self.encoder(tokens, src_key_padding_mask=pad)[:, 0]
        return F.normalize(self.motion_head(pooled), dim=-1)

    def encode_motion(self, motions: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T, P, 262) raw motions -> (B, embed) unit vectors."""
        return self.encode_prepared(self.prepare(motions, mask), mask)

    def encode_text(self, text_emb: torch.Tensor) -> torch.Tensor:
        """(B, text_dim) frozen sentence embeddings -> (B, embed) unit vectors."""
        return F.normalize(self.text_head(text_emb.float()), dim=-1)

    def forward(self, motions: torch.Tensor, mask: torch.Tensor | None, text_emb: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        return self.encode_motion(motions, mask), self.encode_text(text_emb)
