"""bfloat16 sampling: close to float32, float32 out, clear errors."""
import pytest
import torch

from mixermdm_core.composition.loading import load_pair
from mixermdm_core.models.pretrained import load_mixers
from mixermdm_core.composition.sampler import Conditions, composed_sample
from mixermdm_core.composition.strategies import DiffusionBlending, MixerStrategy
from mixermdm_core.models.precision import check_precision, in_precision

from test_app_fixtures import make_tiny_checkpoints


def test_bf16_call_returns_float32_close_to_fp32_and_the_last_step_is_exact():
    net = torch.nn.Sequential(torch.nn.Linear(16, 64), torch.nn.GELU(), torch.nn.Linear(64, 8))
    x, noisy, last = torch.randn(4, 16), torch.full((4,), 500), torch.zeros(4, dtype=torch.long)
    exact = in_precision(net, "fp32", noisy)(x)
    low = in_precision(net, "bf16", noisy)(x)
    assert exact.dtype == low.dtype == torch.float32
    assert torch.equal(exact, net(x))
    assert not torch.equal(low, exact)  # really ran in bfloat16
    assert torch.allclose(low, exact, atol=0.05, rtol=0.05)
    assert torch.equal(in_precision(net, "bf16", last)(x), exact)  # t = 0 runs in float32


def test_unknown_precision_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="precision must be one of fp32, bf16"):
        check_precision("fp16")
    with pytest.raises(ValueError, match="precision must be one of fp32, bf16"):
        load_pair(make_tiny_checkpoints(tmp_path, ()), precision="fp16")


def test_bf16_composed_sample_stays_close_and_keeps_mix_exact(tmp_path):
    folder = make_tiny_checkpoints(tmp_path, ("ST",))
    strategies = [DiffusionBlending(0.0, name="interaction"), DiffusionBlending(1.0, name="individual"), MixerStrategy(load_mixers(folder)["ST"])]
    cond = Conditions(torch.randn(1, 384), torch.randn(1, 2, 384))
    exact = composed_sample(load_pair(folder), strategies, cond, 24, steps=4, seed=3)
    low = composed_sample(load_pair(folder, precision="bf16"), strategies, cond, 24, steps=4, seed=3)
    assert low.mixed.dtype == low.weights.dtype == torch.float32
    # the mix itself stays exact: w=0 returns x_a and w=1 returns x_b
    assert torch.equal(low.mixed[0], low.interaction[0]) and torch.equal(low.mixed[1], low.individual[1])
    assert not torch.equal(low.mixed, exact.mixed)
    assert (low.mixed - exact.mixed).abs().mean() < 0.05 * exact.mixed.abs().mean()
    assert (low.weights - exact.weights).abs().max() < 0.05
