"""Centring (before the individual model) and alignment (after it), per person.

Centring moves a person so the floor is at y=0, the frame-0 pelvis is at the xz origin and the
frame-0 facing is +Z: the frame the individual model was trained in. Alignment places a centred
motion where a reference motion of the same person is (frame-0 root position, facing and floor):
``align(centre(x), reference=x) == x``. The reference is the interaction model's prediction, so
the individual model supplies the body motion and the interaction model decides where each
person stands and faces.
"""
from __future__ import annotations

import torch

from ..representation.interhuman import canonical_transform, canonicalize_features, features_to_joints


def center_people(x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """(B, T, P, 262) raw features -> each person centred on their own."""
    m = None if mask is None else mask[:, None].expand(-1, x.shape[2], -1)
    centred, _ = canonicalize_features(x.transpose(1, 2), m)
    return centred.transpose(1, 2)


def align_people(x: torch.Tensor, reference: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    """Put people (B, T, P, 262) at the frame-0 place, facing and floor of ``reference`` (same shape).

    ``x`` is centred first, so the result matches the reference exactly even when the individual
    model's output is not perfectly centred.
    """
    m = None if mask is None else mask[:, None].expand(-1, reference.shape[2], -1)
    transform = canonical_transform(features_to_joints(reference.transpose(1, 2)), m)
    return transform.inverse().apply(center_people(x, mask).transpose(1, 2)).transpose(1, 2)
