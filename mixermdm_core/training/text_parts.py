"""Which body parts a person's text moves, learned from the individual model's own training clips.

For every individual training clip, how much each body part moves: the pelvis by its height range, the other parts
by the spread of their joints around their mean place relative to the pelvis. A ridge regression (closed form) from
the clip's text embedding to those five numbers then says, for any text the encoder reads, which parts it moves, as
a share of the training clips' range of each part (their 10th to 90th percentile). Mixer training can ask the
weights of each mixed person's body parts to follow it (``text_parts`` in the Mixer recipe): the individual model's
whole limb where its text moves that limb, the interaction model's elsewhere. The map reads only texts and the
individual model's training data, never an evaluator or a test prompt.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..representation.interhuman import features_to_joints
from ..skeleton import BODY_PARTS, JOINT, NUM_JOINTS
from .datasets import text_store
from .recipe import DataConfig
from .sources import corpora, individual_clips, parse_source

PART_JOINTS = [list(idx) for idx in BODY_PARTS.values()]
ARM_PARTS = (list(BODY_PARTS).index("left_arm"), list(BODY_PARTS).index("right_arm"))


def part_motion(joints: np.ndarray) -> np.ndarray:
    """(T, 22, 3) -> (5,) metres each body part moves: pelvis height range, then the RMS spread of each other part's
    joints about their mean place relative to the pelvis."""
    rel = joints - joints[:, :1]
    out = [np.ptp(joints[:, 0, 1])]
    for name, idx in BODY_PARTS.items():
        if name != "root":
            r = rel[:, list(idx)]
            out.append(float(np.sqrt(((r - r.mean(0)) ** 2).sum(-1).mean())))
    return np.array(out)


@dataclass
class TextPartsMap:
    """Ridge map from a text embedding (with a bias) to each body part's movement, and that movement's 10th and
    90th percentile over the clips it was fitted on."""

    coef: torch.Tensor  # (text_dim + 1, 5)
    low: torch.Tensor  # (5,)
    high: torch.Tensor  # (5,)

    @classmethod
    def fit(cls, text: torch.Tensor, motion: torch.Tensor, ridge: float = 1.0) -> "TextPartsMap":
        """text (N, D) embeddings, motion (N, 5) ``part_motion`` of the clip each describes."""
        x = _with_bias(text.double())
        y = motion.double()
        coef = torch.linalg.solve(x.T @ x + ridge * torch.eye(x.shape[1], dtype=x.dtype), x.T @ y)
        return cls(coef, torch.quantile(y, 0.1, dim=0), torch.quantile(y, 0.9, dim=0))

    def r2(self, text: torch.Tensor, motion: torch.Tensor) -> torch.Tensor:
        """(5,) share of each part's movement variance the map explains."""
        y = motion.double()
        return 1 - ((_with_bias(text.double()) @ self.coef - y) ** 2).mean(0) / y.var(0, unbiased=False)

    def shares(self, text: torch.Tensor) -> torch.Tensor:
        """(..., D) -> (..., 5) how far into the clips' range the text is predicted to move each part, in [0, 1]."""
        pred = _with_bias(text.to(self.coef)) @ self.coef
        return ((pred - self.low) / (self.high - self.low)).clamp(0, 1)

    def whole_parts(self, text: torch.Tensor, threshold: float) -> torch.Tensor:
        """(..., D) -> (..., 5): 1 for the parts the text moves past ``threshold`` of their range, else 0."""
        return (self.shares(text) > threshold).float()

    def to(self, device) -> "TextPartsMap":
        return TextPartsMap(self.coef.to(device), self.low.to(device), self.high.to(device))


def _with_bias(x: torch.Tensor) -> torch.Tensor:
    return torch.cat((x, torch.ones(*x.shape[:-1], 1, dtype=x.dtype, device=x.device)), -1)


def part_means(w: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Per-joint weights (B, T, 2, 22) -> (B, 2, 5) each body part's mean weight over the (valid) frames."""
    frames = torch.ones_like(w[:, :, 0, 0]) if mask is None else mask.to(w)
    per_joint = (w * frames[:, :, None, None]).sum(1) / frames.sum(1).clamp_min(1)[:, None, None]
    return torch.stack([per_joint[..., idx].mean(-1) for idx in PART_JOINTS], -1)


def part_weights_per_joint(parts: torch.Tensor) -> torch.Tensor:
    """(..., 5) one value per body part -> (..., 22) each joint with its part's value: the inverse of
    ``part_means`` for weights that are constant over the frames."""
    out = parts.new_zeros(*parts.shape[:-1], NUM_JOINTS)
    for part, joints in enumerate(PART_JOINTS):
        out[..., joints] = parts[..., part:part + 1]
    return out


def hands_at_partner(pair: torch.Tensor, mask: torch.Tensor | None = None, reach: float = 0.15) -> torch.Tensor:
    """(B, 2, 5) True for the arm parts whose wrist comes within ``reach`` metres of any joint of the other person in
    some valid frame of ``pair`` (B, T, 2, 262 raw features): the arms that make a contact in that motion."""
    joints = features_to_joints(pair)  # (B, T, 2, 22, 3)
    near = torch.zeros(pair.shape[0], 2, len(PART_JOINTS), dtype=torch.bool, device=pair.device)
    frames = torch.ones_like(pair[:, :, 0, 0], dtype=torch.bool) if mask is None else mask.bool()
    for k in range(2):
        for part, wrist in ((ARM_PARTS[0], JOINT["left_wrist"]), (ARM_PARTS[1], JOINT["right_wrist"])):
            gap = (joints[:, :, k, wrist, None] - joints[:, :, 1 - k]).norm(dim=-1).amin(-1)  # (B, T)
            near[:, k, part] = ((gap < reach) & frames).any(1)
    return near


def part_target_gap(w: torch.Tensor, target: torch.Tensor, active: torch.Tensor,
                    mask: torch.Tensor | None = None, counted: torch.Tensor | None = None) -> torch.Tensor:
    """Mean squared gap between each mixed person's part weights and ``target`` (B, 2, 5); 0 on the target.
    w: per-joint weights (B, T, 2, 22); active: (B, 2) mixed people; ``counted`` (B, 2, 5), if given, the parts
    that count (e.g. not the arms that make a contact, ``hands_at_partner``)."""
    if w.shape[-1] != NUM_JOINTS:
        raise ValueError(f"part targets need per-joint weights (..., {NUM_JOINTS}), got {tuple(w.shape)}")
    where = active[..., None].to(w).expand_as(target)
    if counted is not None:
        where = where * counted.to(w)
    return ((part_means(w, mask) - target.to(w)) ** 2 * where).sum() / where.sum().clamp_min(1)


def fit_on_clips(features: list[np.ndarray], text: torch.Tensor,
                 ridge: float = 1.0) -> tuple[TextPartsMap, torch.Tensor]:
    """The map fitted on one-person clips (each (T, 262)) and their text embeddings (N, D); returns it with its R^2."""
    motion = torch.from_numpy(np.stack([part_motion(features_to_joints(torch.as_tensor(f, dtype=torch.float32)).numpy())
                                        for f in features]))
    parts = TextPartsMap.fit(text, motion, ridge)
    return parts, parts.r2(text, motion)


def fit_on_training_data(data: DataConfig, interaction_people: bool = False) -> tuple[TextPartsMap, torch.Tensor]:
    """The map fitted on the individual model's training clips of ``data`` and their texts: the corpus's own
    individual clips, unless ``interaction_people`` adds the people of its interaction clips (who move as their
    interaction asks as much as their text says; the map then shows the action inside the interaction less often,
    docs/evaluation.md), or every person of a real dataset."""
    if parse_source(data.source)[0] == "corpus" and not interaction_people:
        corpus = corpora(data, "train")[0]
        texts, features = list(corpus.texts), [corpus.clip(i)[:, 0] for i in range(len(corpus))]
    else:
        clips = individual_clips(data, "train")
        texts, features = clips.texts, [clips.packed(c)[:, 0] for c in clips.items()]
    store = text_store(data, sorted(set(texts)))
    return fit_on_clips(features, store.lookup(texts).float())
