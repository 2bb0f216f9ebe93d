"""Random batches of padded clips drawn straight from one packed tensor (CPU or GPU).

Clips are stored back to back ((total_frames, P, 262) plus offsets); a batch gathers frames by index
arithmetic, so training needs no worker processes and the whole corpus can live on the GPU.
"""
from __future__ import annotations

import numpy as np
import torch


class ClipBatcher:
    def __init__(self, features: np.ndarray | torch.Tensor, offsets: np.ndarray, max_frames: int,
                 device: str | torch.device = "cpu", dtype: torch.dtype = torch.float32,
                 clip_of: np.ndarray | None = None):
        """``clip_of``: the packed clip each item reads, when items share clips (default: item i is clip i)."""
        self.features = torch.as_tensor(np.asarray(features)).to(device=device, dtype=dtype)
        clip_of = np.arange(len(offsets) - 1) if clip_of is None else np.asarray(clip_of)
        self.starts = torch.as_tensor(offsets[:-1][clip_of], dtype=torch.long, device=device)
        self.lengths = torch.as_tensor(np.diff(offsets)[clip_of], dtype=torch.long, device=device)
        if (self.lengths < 2).any():
            raise ValueError("every clip needs at least 2 frames")
        self.max_frames = max_frames
        self.device = torch.device(device)

    def __len__(self) -> int:
        return len(self.starts)

    def gather(self, idx: torch.Tensor, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Clips ``idx`` padded with zeros to max_frames: (B, T, P, 262) and a (B, T) valid-frame mask.

        Clips longer than max_frames are cropped at the start so their canonical frame 0 is kept.
        """
        idx = idx.to(self.device)
        lengths = self.lengths[idx].clamp_max(self.max_frames)
        frames = torch.arange(self.max_frames, device=self.device)
        mask = frames[None] < lengths[:, None]
        rows = (self.starts[idx][:, None] + frames[None]).clamp_max(len(self.features) - 1)
        x = self.features[rows] * mask[..., None, None]
        return x, mask

    def sample(self, batch_size: int, generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        idx = torch.randint(len(self), (batch_size,), generator=generator, device="cpu" if generator is None else generator.device)
        x, mask = self.gather(idx)
        return x, mask, idx.to(self.device)
