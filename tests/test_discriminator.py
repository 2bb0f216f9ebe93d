"""The part-wise discriminator: every feature belongs to one judged part, and each part's score reads only its own."""
from __future__ import annotations

import torch

from mixermdm_core.models.discriminator import JUDGED_PARTS, PartDiscriminator, part_feature_index
from mixermdm_core.skeleton import NUM_JOINTS

from test_app_fixtures import TINY, small_random


def test_the_judged_parts_share_out_every_joint_and_every_feature_once():
    joints = [j for part in JUDGED_PARTS.values() for j in part]
    assert sorted(joints) == list(range(NUM_JOINTS))
    features = [i for part in JUDGED_PARTS.values() for i in part_feature_index(part)]
    assert sorted(features) == list(range(262))
    assert part_feature_index((0,)) == [0, 1, 2, 66, 67, 68, 258, 259, 260, 261]  # the root: no rotation, the contacts


@torch.no_grad()
def test_each_part_is_scored_from_its_own_features_only():
    torch.manual_seed(0)
    judge = small_random(PartDiscriminator(TINY), 3).eval()
    x, t, text = torch.randn(2, 20, 1, 262), torch.tensor([5, 600]), torch.randn(2, 384)
    base = judge(x, t, text)
    assert base.shape == (2, len(JUDGED_PARTS))
    for k, part in enumerate(JUDGED_PARTS.values()):
        moved = x.clone()
        moved[..., part_feature_index(part)] += 1.0
        changed = (judge(moved, t, text) - base).abs().amax(0) > 1e-6
        assert changed.tolist() == [i == k for i in range(len(JUDGED_PARTS))]
