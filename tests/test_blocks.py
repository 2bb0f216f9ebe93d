"""The building blocks' own attention path computes what nn.MultiheadAttention does with the same weights."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from mixermdm_core.models.blocks import attend


@pytest.mark.parametrize("padded", [False, True])
def test_attend_matches_multihead_attention_and_its_gradients(padded):
    torch.manual_seed(0)
    attn = nn.MultiheadAttention(32, 4, batch_first=True)
    x, kv = torch.randn(3, 10, 32, requires_grad=True), torch.randn(3, 7, 32)
    pad = None
    if padded:
        pad = torch.zeros(3, 7, dtype=torch.bool)
        pad[1, 5:] = True  # the second sample's last keys are padding
    ref = attn(x, kv, kv, key_padding_mask=pad, need_weights=False)[0]
    ours = attend(attn, x, kv, pad)
    assert ours.shape == (3, 10, 32) and torch.allclose(ours, ref, atol=1e-6)
    (g_ref,) = torch.autograd.grad(ref.square().sum(), x)
    (g_ours,) = torch.autograd.grad(ours.square().sum(), x)
    assert torch.allclose(g_ours, g_ref, atol=1e-5)
    if padded:  # padded keys are not read: changing them changes nothing
        kv2 = kv.clone()
        kv2[1, 5:] += 10
        assert torch.allclose(attend(attn, x, kv2, pad), ours)
