"""Size settings shared by the networks (stored in every checkpoint's metadata)."""
from __future__ import annotations

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

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "NetConfig":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
