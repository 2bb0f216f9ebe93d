"""Per-feature mean/std normalisation, stored as plain .npy files (no pickles)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch


class Normalizer:
    """Maps raw features to zero mean and unit variance per dimension and back."""

    def __init__(self, mean: np.ndarray | torch.Tensor, std: np.ndarray | torch.Tensor, eps: float = 1e-4):
        mean = torch.as_tensor(np.asarray(mean, dtype=np.float32))
        std = torch.as_tensor(np.asarray(std, dtype=np.float32))
        if mean.shape != std.shape or mean.ndim != 1:
            raise ValueError(f"mean and std must be 1-d of one shape, got {tuple(mean.shape)} and {tuple(std.shape)}")
        self.mean, self.std = mean, std.clamp_min(eps)

    @classmethod
    def fit(cls, features: torch.Tensor | np.ndarray, eps: float = 1e-4) -> "Normalizer":
        """Statistics over every leading dimension of (..., D) features."""
        flat = torch.as_tensor(np.asarray(features, dtype=np.float32)).reshape(-1, np.shape(features)[-1])
        return cls(flat.mean(0), flat.std(0), eps)

    @classmethod
    def load(cls, prefix: str | Path, dim: int | None = None) -> "Normalizer":
        """Read ``{prefix}_mean.npy`` and ``{prefix}_std.npy``."""
        prefix = Path(prefix)
        return cls.from_files(prefix.with_name(prefix.name + "_mean.npy"), prefix.with_name(prefix.name + "_std.npy"), dim)

    @classmethod
    def from_files(cls, mean_path: str | Path, std_path: str | Path, dim: int | None = None) -> "Normalizer":
        """Read statistics saved under any names (e.g. HumanML3D's ``Mean.npy``/``Std.npy``).

        Each file must be a plain (never pickled) 1-d numeric array, of length ``dim`` when given;
        errors name the offending file.
        """
        arrays = []
        for path in (Path(mean_path), Path(std_path)):
            if not path.is_file():
                raise FileNotFoundError(f"normalisation statistics not found: {path}")
            try:
                arr = np.load(path, allow_pickle=False)
            except (ValueError, OSError, EOFError) as err:
                raise ValueError(f"{path}: not a plain numeric .npy file ({err})") from err
            if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "fiu" or arr.ndim != 1:
                raise ValueError(f"{path}: expected a 1-d numeric array, got {getattr(arr, 'dtype', type(arr))} "
                                 f"of shape {getattr(arr, 'shape', '?')}")
            if dim is not None and arr.shape != (dim,):
                raise ValueError(f"{path}: expected shape ({dim},), got {arr.shape}")
            arrays.append(arr)
        return cls(arrays[0], arrays[1])

    def save(self, prefix: str | Path) -> None:
        prefix = Path(prefix)
        prefix.parent.mkdir(parents=True, exist_ok=True)
        np.save(prefix.with_name(prefix.name + "_mean.npy"), self.mean.numpy())
        np.save(prefix.with_name(prefix.name + "_std.npy"), self.std.numpy())

    def normalize(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean.to(x)) / self.std.to(x)

    def denormalize(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.std.to(x) + self.mean.to(x)
