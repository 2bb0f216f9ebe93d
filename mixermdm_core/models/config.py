"""Size settings shared by the networks (stored in every checkpoint's metadata)."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields


@dataclass
class NetConfig:
    latent: int = 256
    layers: int = 6
    heads: int = 4
    ff: int = 1024
    dropout: float = 0.1
    text_dim: int = 384
    feature_dim: int = 262
    max_frames: int = 300
    text_gain: float | None = None  # sentence embeddings are scaled by this before projection; None = sqrt(text_dim)
    person_roles: bool = True  # the two-person denoiser tells person 1 (at the origin) from person 2

    def __post_init__(self) -> None:
        if self.text_gain is None:
            # Unit-norm sentence embeddings have entries of about 1/sqrt(dim): without the gain the text
            # shifts the step-plus-text condition by ~5 % and the denoisers learn to follow it very slowly.
            self.text_gain = math.sqrt(self.text_dim)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "NetConfig":
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in d.items() if k in names}
        values.setdefault("text_gain", 1.0)  # checkpoints saved before the gain existed used none
        values.setdefault("person_roles", False)  # nor did they tell the two people apart
        return cls(**values)
