"""Reader for the InterHuman dataset (InterGen's release) and InterGen's processing of its raw files.

Layout: ``motions_processed/person1/{id}.npy`` and ``person2/{id}.npy`` raw per-person arrays,
``annots/{id}.txt`` interaction descriptions (one per line), ``split/{train,val,test}.txt`` id lists.
A raw array is (T, 492) at 30 fps, Z up: columns 0:186 are 62 joint positions (the first 22 are the
body) and 186:492 are 51 rotations in 6D (the first 21 are the body's non-root joints).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..representation import interhuman as ih
from ..representation.humanml3d import intergen_canonical_transform
from ..representation.normalization import Normalizer
from ..skeleton import NUM_JOINTS
from ._io import DatasetFormatError, load_array, read_ids, read_lines, require_dir

WHAT = "InterHuman"
RAW_POSITIONS = slice(0, NUM_JOINTS * 3)
RAW_ROTATIONS = slice(62 * 3, 62 * 3 + (NUM_JOINTS - 1) * 6)


@dataclass(frozen=True)
class InterHumanClip:
    """One two-person clip as stored: raw (T, D >= 312) arrays and the interaction texts."""

    clip: str
    person1: np.ndarray
    person2: np.ndarray
    texts: list[str]


def raw_to_yup(positions: np.ndarray | torch.Tensor) -> torch.Tensor:
    """(..., 3) raw Z-up positions -> Y up, as InterGen maps them: (x, y, z) -> (x, z, -y)."""
    p = torch.as_tensor(np.asarray(positions), dtype=torch.float32)
    return torch.stack((p[..., 0], p[..., 2], -p[..., 1]), dim=-1)


def _person_features(joints: torch.Tensor, rot6d: torch.Tensor, transform: ih.RigidTransform) -> torch.Tensor:
    """(T, 262): positions moved by ``transform``, their frame differences, the raw 6D copied untouched,
    contacts; the last frame only feeds the velocities."""
    pos = transform.apply_points(joints)
    out = torch.zeros(len(pos) - 1, ih.FEATURE_DIM)
    out[:, ih.POS] = pos[:-1].reshape(-1, NUM_JOINTS * 3)
    out[:, ih.VEL] = (pos[1:] - pos[:-1]).reshape(-1, NUM_JOINTS * 3)
    out[:, ih.ROT] = rot6d[:-1]
    out[:, ih.CONTACT] = ih.foot_contacts(pos)
    return out


def process_raw_pair(raw1: np.ndarray, raw2: np.ndarray) -> np.ndarray:
    """Two raw (T, D >= 312) arrays -> (T-1, 2, 262) float32 features, as InterGen's data loader makes them.

    Each person's lowest joint goes to the floor; person 1's frame-0 pelvis goes to the xz origin and its
    hip facing to +Z (:func:`~mixermdm_core.representation.humanml3d.intergen_canonical_transform`);
    person 2 is moved by the same yaw and shift, so it keeps its pose relative to person 1 (InterGen
    does this with a relative quaternion; the result is the same). No crop, swap or mirroring.
    """
    for raw in (raw1, raw2):
        if raw.ndim != 2 or raw.shape[1] < RAW_ROTATIONS.stop or raw.shape[0] < 2:
            raise ValueError(f"raw InterHuman motions must be (T >= 2, D >= {RAW_ROTATIONS.stop}), got {raw.shape}")
    if raw1.shape[0] != raw2.shape[0]:
        raise ValueError(f"the two people have different lengths: {raw1.shape[0]} and {raw2.shape[0]}")
    joints = [raw_to_yup(raw[:, RAW_POSITIONS].reshape(-1, NUM_JOINTS, 3)) for raw in (raw1, raw2)]
    first = intergen_canonical_transform(joints[0])
    second = ih.RigidTransform(first.yaw, first.shift, joints[1][..., 1].amin())
    people = [
        _person_features(j, torch.as_tensor(raw[:, RAW_ROTATIONS], dtype=torch.float32), t)
        for j, raw, t in zip(joints, (raw1, raw2), (first, second))
    ]
    return torch.stack(people, dim=1).numpy()


class InterHumanReader:
    """Read raw clips, texts, splits and processed features from an InterHuman root folder."""

    def __init__(self, root: str | Path):
        self.root = require_dir(Path(root), WHAT)

    def ids(self, split: str) -> list[str]:
        """Clip ids listed in ``split/{split}.txt``."""
        return read_ids(self.root / "split" / f"{split}.txt", f"{WHAT} split")

    def raw(self, clip: str) -> tuple[np.ndarray, np.ndarray]:
        """The two people's raw float32 arrays, (T, D >= 312) each, of equal length."""
        folder = self.root / "motions_processed"
        people = [load_array(folder / person / f"{clip}.npy", (None, None), f"{WHAT} motion")
                  for person in ("person1", "person2")]
        for person, arr in zip(("person1", "person2"), people):
            if arr.shape[1] < RAW_ROTATIONS.stop or arr.shape[0] < 2:
                raise DatasetFormatError(
                    f"{folder / person / f'{clip}.npy'}: expected (T >= 2, D >= {RAW_ROTATIONS.stop}), got {arr.shape}")
        if people[0].shape[0] != people[1].shape[0]:
            raise DatasetFormatError(f"{folder / 'person1' / f'{clip}.npy'} and {folder / 'person2' / f'{clip}.npy'}: "
                                     f"lengths differ, {people[0].shape[0]} and {people[1].shape[0]} frames")
        return people[0].astype(np.float32), people[1].astype(np.float32)

    def texts(self, clip: str) -> list[str]:
        """The interaction descriptions of one clip; a file without any is an error."""
        path = self.root / "annots" / f"{clip}.txt"
        texts = read_lines(path, f"{WHAT} annotation")
        if not texts:
            raise DatasetFormatError(f"{path}: no descriptions")
        return texts

    def clip(self, clip: str) -> InterHumanClip:
        return InterHumanClip(clip, *self.raw(clip), self.texts(clip))

    def features(self, clip: str) -> np.ndarray:
        """(T-1, 2, 262) float32 features of one clip (:func:`process_raw_pair`)."""
        return process_raw_pair(*self.raw(clip))


def load_intergen_normalizer(folder: str | Path) -> Normalizer:
    """InterGen's 262-d statistics, ``global_mean.npy``/``global_std.npy`` (one set for both people)."""
    return Normalizer.load(Path(folder) / "global", dim=ih.FEATURE_DIM)
