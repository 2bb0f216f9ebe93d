"""The device check and the cost estimate: measured on tiny networks, the warning rule, the CLI's warning line."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core import sample
from mixermdm_core.composition import pipeline
from mixermdm_core.composition.cost import MAX_CPU_PARAMETERS, Cost, duration, measure, millions, parameter_count
from mixermdm_core.composition.pipeline import ComposedPipeline, IndividualPipeline, InteractionPipeline
from mixermdm_core.devices import check_device, default_device
from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.paths import DEFAULT_DIR

from test_app_fixtures import TINY, FakeEncoder, make_tiny_checkpoints, small_random
from test_official_folder import make_official_folder

BIG = Cost("cpu", 300_000_000, 2e-3, 1e-3)  # an official-size model on a CPU: 300M parameters, 2 ms per frame


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return make_tiny_checkpoints(tmp_path_factory.mktemp("ckpt"))


def test_devices_are_checked_with_a_message(monkeypatch):
    assert check_device("cpu") == "cpu"
    with pytest.raises(ValueError, match="unknown device 'gpu0'"):
        check_device("gpu0")
    with pytest.raises(ValueError, match="not supported here"):
        check_device("meta")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert default_device() == "cpu"
    with pytest.raises(ValueError, match="no CUDA GPU"):
        check_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    assert default_device() == "cuda" == check_device("cuda")
    with pytest.raises(ValueError, match="has 1 CUDA GPU"):
        check_device("cuda:3")


def test_the_estimate_is_measured_and_grows_with_the_request():
    nets = small_random(InteractionDenoiser(TINY), 1), small_random(IndividualDenoiser(TINY), 2)
    state = torch.random.get_rng_state()
    cost = measure("cpu", *nets)
    assert torch.equal(torch.random.get_rng_state(), state)  # measuring draws from its own generator
    assert cost.interaction_s > 0 and cost.individual_s > 0
    assert cost.parameters == sum(p.numel() for n in nets for p in n.parameters())
    few, many = cost.seconds(120, 10), cost.seconds(120, 50)
    assert 0 < few < many and many == pytest.approx(5 * few)
    assert cost.seconds(120, 10, strategies=3) == pytest.approx(3 * few)
    assert cost.seconds(120, 10, guidance=(1.0, 1.0)) == pytest.approx(few / 2)  # no unconditioned pass
    assert cost.seconds(120, 10, people=0) < few < cost.seconds(120, 10, people=2)


def test_the_warning_rule():
    small, seconds = Cost("cpu", 30_000_000, 2e-4, 1e-4), 1.5
    assert BIG.slow_on_cpu(1.0)  # parameters alone
    assert Cost("cpu", MAX_CPU_PARAMETERS + 1, 0, 0).slow_on_cpu(0) and not small.slow_on_cpu(seconds)
    assert small.slow_on_cpu(61.0)  # a long request on small networks
    assert not Cost("cuda", 300_000_000, 2e-5, 1e-5).slow_on_cpu(120.0)  # a GPU is the way to run them
    assert not Cost("cuda:0", 300_000_000, 2e-5, 1e-5).slow_on_cpu(120.0)
    text = BIG.describe(BIG.seconds(120, 50))
    assert "300M parameters" in text and "on cpu takes about 36 s" in text and "timed at load" in text
    assert [duration(s) for s in (0.84, 42.4, 210, 7200)] == ["0.8 s", "42 s", "3.5 min", "2.0 h"]
    assert [millions(n) for n in (377_146, 29_030_074, 412_345_678)] == ["0.4M", "29.0M", "412M"]


def test_tiny_and_shipped_networks_do_not_trigger_it(tiny, monkeypatch):
    for pipe in (ComposedPipeline.from_pretrained(tiny, encoder=FakeEncoder()),
                 InteractionPipeline.from_pretrained(tiny), IndividualPipeline.from_pretrained(tiny)):
        cost = pipe.cost
        assert cost is pipe.cost and cost.parameters < 1_000_000  # measured once, then kept
        assert not cost.slow_on_cpu(cost.seconds(120, 50, strategies=2))
    if not (DEFAULT_DIR / "interaction.safetensors").is_file():
        pytest.skip("no shipped checkpoints")
    # The shipped networks: below the parameter limit (their time depends on the machine and its load).
    monkeypatch.setenv("MIXERMDM_BACKEND", "torch")  # no ONNX export: only their sizes are read here
    shipped = ComposedPipeline.from_pretrained(DEFAULT_DIR, encoder=FakeEncoder())
    assert 10_000_000 < parameter_count([shipped.pair.interaction, shipped.pair.individual,
                                         *shipped.mixers.values()]) < MAX_CPU_PARAMETERS


def test_official_networks_are_timed_and_shared_weights_counted_once(tmp_path):
    pipe = ComposedPipeline.from_pretrained(make_official_folder(tmp_path / "official"))
    cost = pipe.cost
    assert cost.interaction_s > 0 and cost.individual_s > 0
    nets = [pipe.pair.interaction, pipe.pair.individual, *pipe.mixers.values()]
    assert cost.parameters == parameter_count(nets) < sum(p.numel() for n in nets for p in n.parameters())


def test_the_cli_warns_on_one_line_before_a_slow_request(tiny, tmp_path, monkeypatch, capsys):
    args = ["--checkpoints", str(tiny), "--model", "individual", "--person1", "the person jumps", "--seconds", "1",
            "--steps", "2", "--out", str(tmp_path / "m.npy")]
    monkeypatch.setattr(pipeline, "default_encoder", FakeEncoder)
    assert sample.main(args) == 0
    assert "warning" not in capsys.readouterr().err
    monkeypatch.setattr(pipeline, "measure", lambda *a, **k: BIG)
    assert sample.main(args) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: the networks have 300M parameters")
    assert lines[0].endswith("run with --device cuda")
    assert sample.main([*args, "--device", "tpu"]) == 2
    assert "unknown device 'tpu'" in capsys.readouterr().err
