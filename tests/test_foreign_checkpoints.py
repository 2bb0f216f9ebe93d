"""Weights out of checkpoints other code wrote, never running what their pickles name."""
from __future__ import annotations

import os
import pickle

import pytest
import torch
from safetensors.torch import save_file

from mixermdm_core.models.foreign_checkpoints import ForeignCheckpointError, Inert, read_state_dict


class Hostile:
    """A pickled object that would run a command when unpickled by a plain reader."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


class LightningLikeConfig:
    """Stands for a trainer's config class that is not importable where the checkpoint is read."""

    def __init__(self):
        self.lr, self.layers = 1e-4, 8


def lightning_checkpoint(path, marker) -> dict[str, torch.Tensor]:
    weights = {"model.linear.weight": torch.randn(3, 4), "model.linear.bias": torch.randn(3)}
    torch.save({"epoch": 7, "global_step": 1200, "state_dict": weights,
                "hyper_parameters": {"cfg": LightningLikeConfig(), "hook": Hostile(str(marker))},
                "optimizer_states": [{"state": {}, "param_groups": [{"lr": 1e-4}]}]}, path)
    return weights


def test_a_lightning_checkpoint_gives_its_weights_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    weights = lightning_checkpoint(tmp_path / "model.ckpt", marker)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(tmp_path / "model.ckpt", weights_only=True)  # what a plain safe load says of such a file
    got = read_state_dict(tmp_path / "model.ckpt", strip_prefix="model.")
    assert not marker.exists()  # the hostile object's command never ran
    assert set(got) == {"linear.weight", "linear.bias"}
    assert all(torch.equal(got[k.removeprefix("model.")], v) for k, v in weights.items())


def test_the_inert_placeholder_keeps_what_the_file_said(tmp_path):
    from mixermdm_core.models.foreign_checkpoints import _restricted

    lightning_checkpoint(tmp_path / "model.ckpt", tmp_path / "ran")
    obj = torch.load(tmp_path / "model.ckpt", weights_only=False, pickle_module=_restricted)
    assert isinstance(obj["hyper_parameters"]["cfg"], Inert) and obj["hyper_parameters"]["cfg"].state["layers"] == 8
    assert isinstance(obj["hyper_parameters"]["hook"], Inert) and not (tmp_path / "ran").exists()


def test_plain_state_dicts_and_safetensors(tmp_path):
    weights = {"a.weight": torch.randn(2, 2), "b": torch.arange(3)}
    torch.save(weights, tmp_path / "plain.pt")
    torch.save({"model_state_dict": weights, "step": 3}, tmp_path / "trainer.pth")
    save_file(weights, str(tmp_path / "w.safetensors"))
    for name in ("plain.pt", "trainer.pth", "w.safetensors"):
        got = read_state_dict(tmp_path / name)
        assert set(got) == set(weights) and all(torch.equal(got[k], v) for k, v in weights.items())


def test_bad_files_get_a_clear_message(tmp_path):
    with pytest.raises(FileNotFoundError, match="no checkpoint at"):
        read_state_dict(tmp_path / "missing.ckpt")
    (tmp_path / "cut.ckpt").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ForeignCheckpointError, match="not a PyTorch checkpoint|cannot be read"):
        read_state_dict(tmp_path / "cut.ckpt")
    (tmp_path / "text.ckpt").write_bytes(b"not a checkpoint")  # the inert reader fails inside the unpickler
    with pytest.raises(ForeignCheckpointError, match="cannot be read"):
        read_state_dict(tmp_path / "text.ckpt")
    torch.save({"epoch": 3, "note": "no weights here"}, tmp_path / "empty.ckpt")
    with pytest.raises(ForeignCheckpointError, match="holds no tensors"):
        read_state_dict(tmp_path / "empty.ckpt")
