"""Checkpoint files: a round trip, and a clear error naming the file for every way one can be wrong."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core.composition.loading import load_pair
from mixermdm_core.models.pretrained import load_denoiser, load_mixer
from mixermdm_core.models.config import NetConfig
from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.models.io import CheckpointError, save_checkpoint
from mixermdm_core.models.mixer import Mixer
from mixermdm_core.representation.normalization import Normalizer
from mixermdm_core.training.denoiser import init_from_checkpoint

from test_app_fixtures import TINY, small_random

NORM = {"motion": Normalizer(torch.zeros(262), torch.ones(262))}


def test_round_trip(tmp_path):
    net = IndividualDenoiser(TINY)
    path = save_checkpoint(tmp_path / "individual.safetensors", net, "individual", TINY.to_dict(), NORM, {"steps": 3})
    loaded, norm = load_denoiser(path, "individual")
    for k, v in net.state_dict().items():
        assert torch.allclose(loaded.state_dict()[k], v.half().float())
    assert torch.equal(norm.std, NORM["motion"].std)


def test_config_without_text_gain_reads_as_the_ungained_networks_of_older_checkpoints():
    old = {k: v for k, v in TINY.to_dict().items() if k != "text_gain"}
    assert NetConfig.from_dict(old).text_gain == 1.0
    assert NetConfig.from_dict(TINY.to_dict()).text_gain == pytest.approx(384 ** 0.5)


def _swap_people(x: torch.Tensor) -> torch.Tensor:
    return x.flip(2) if x.dim() == 4 else x.flip(1)


def test_interaction_denoiser_without_roles_cannot_tell_the_people_apart_and_with_roles_can():
    torch.manual_seed(0)
    x, t, text, person = torch.randn(2, 16, 2, 262), torch.tensor([5, 900]), torch.randn(2, 384), torch.randn(2, 2, 384)
    blind = small_random(InteractionDenoiser(NetConfig(**{**TINY.to_dict(), "person_roles": False})), 1)
    torch.testing.assert_close(blind(_swap_people(x), t, text, _swap_people(person)), _swap_people(blind(x, t, text, person)))
    roles = InteractionDenoiser(TINY).eval()
    roles.load_state_dict({**blind.state_dict(), "role": torch.randn(2, TINY.latent)})
    assert not torch.allclose(roles(_swap_people(x), t, text, _swap_people(person)), _swap_people(roles(x, t, text, person)))


def test_checkpoint_without_roles_loads_as_before_and_fine_tunes_from_the_same_function(tmp_path):
    old = {k: v for k, v in TINY.to_dict().items() if k != "person_roles"}
    assert NetConfig.from_dict(old).person_roles is False
    blind = small_random(InteractionDenoiser(NetConfig.from_dict(old)), 2)
    path = save_checkpoint(tmp_path / "interaction.safetensors", blind, "interaction", old, NORM)
    loaded, _ = load_denoiser(path, "interaction")
    assert loaded.role is None
    new = InteractionDenoiser(TINY).eval()
    init_from_checkpoint(new, path, "interaction")
    assert torch.equal(new.role, torch.zeros_like(new.role))
    x, t, text, person = torch.randn(2, 16, 2, 262), torch.tensor([5, 900]), torch.randn(2, 384), torch.randn(2, 2, 384)
    torch.testing.assert_close(new(x, t, text, person), loaded.eval()(x, t, text, person))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(CheckpointError, match="not found: .*interaction.safetensors"):
        load_pair(tmp_path)


def test_corrupt_file_is_named(tmp_path):
    path = tmp_path / "individual.safetensors"
    path.write_bytes(b"\x80\x04 not a safetensors file")
    with pytest.raises(CheckpointError, match="individual.safetensors is not a readable safetensors file"):
        load_denoiser(path, "individual")


def test_wrong_kind_is_named(tmp_path):
    path = save_checkpoint(tmp_path / "m.safetensors", Mixer(TINY, "ST"), "mixer", {**TINY.to_dict(), "granularity": "ST"}, {})
    with pytest.raises(CheckpointError, match="holds a 'mixer' model, expected 'individual'"):
        load_denoiser(path, "individual")


def test_wrong_shape_names_tensor_and_expected_shape(tmp_path):
    wide = NetConfig(**{**TINY.to_dict(), "latent": 48})
    path = save_checkpoint(tmp_path / "m.safetensors", Mixer(wide, "S"), "mixer", {**TINY.to_dict(), "granularity": "S"}, {})
    with pytest.raises(CheckpointError, match=r"m.safetensors: tensor \S+ has shape \(\d+.*\), expected \(\d+"):
        load_mixer(path)


def test_missing_statistics_are_named(tmp_path):
    path = save_checkpoint(tmp_path / "i.safetensors", IndividualDenoiser(TINY), "individual", TINY.to_dict(), {})
    with pytest.raises(CheckpointError, match="lacks the 'motion' normalisation statistics"):
        load_denoiser(path, "individual")
