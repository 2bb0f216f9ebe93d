"""Evaluator networks: shapes, masking, centring, a tiny contrastive training run, alignment on it, resuming a
run, and files."""
import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from mixermdm_core.evaluation.composition_metrics import individual_alignment, interaction_alignment
from mixermdm_core.evaluation.embeddings import embed_motions, embed_texts
from mixermdm_core.evaluation.metrics import r_precision, text_groups
from mixermdm_core.models.evaluator import EvaluatorConfig, TextMotionEvaluator
from mixermdm_core.representation.interhuman import RigidTransform
from mixermdm_core.models.io import CheckpointError
from mixermdm_core.models.pretrained import load_evaluator, save_evaluator
from mixermdm_core.training.contrastive import train_evaluator
from mixermdm_core.training.loop import Run
from mixermdm_core.training.recipe import OptimConfig

SMALL = EvaluatorConfig(latent=32, layers=2, heads=2, ff=64, dropout=0.1, max_frames=32, embed=16)


def small(people: int, seed: int = 0) -> TextMotionEvaluator:
    torch.manual_seed(seed)
    return TextMotionEvaluator(people, SMALL).eval()


def toy_set(n: int, frames: int, people: int, texts: torch.Tensor, seed: int):
    """Motions of 4 classes (a class pattern in the rotation features plus noise, random positions) with each
    clip's class text; clips are 10 to ``frames`` frames long, zero-padded."""
    g = torch.Generator().manual_seed(seed)
    patterns = torch.randn(4, frames, 262, generator=torch.Generator().manual_seed(99))
    labels = torch.randint(0, 4, (n, people), generator=g)
    motions = torch.randn(n, frames, people, 262, generator=g)
    motions[..., 132:258] = patterns[labels].transpose(1, 2)[..., 132:258] + 0.3 * motions[..., 132:258]
    lengths = torch.randint(10, frames + 1, (n,), generator=g)
    masks = torch.arange(frames)[None] < lengths[:, None]
    motions[~masks] = 0
    return motions, masks, texts[labels], labels


def test_shapes_unit_norm_and_input_checks():
    pair, single = small(2), small(1)
    m, t = pair(torch.randn(3, 20, 2, 262), torch.ones(3, 20, dtype=torch.bool), torch.randn(3, 384))
    assert m.shape == t.shape == (3, 16)
    assert torch.allclose(m.norm(dim=-1), torch.ones(3)) and torch.allclose(t.norm(dim=-1), torch.ones(3))
    x = torch.randn(2, 20, 262)
    assert torch.allclose(single.encode_motion(x), single.encode_motion(x[:, :, None]), atol=1e-6)
    with pytest.raises(ValueError):
        pair.encode_motion(torch.randn(2, 20, 262))
    with pytest.raises(ValueError):
        pair.encode_motion(torch.randn(2, 40, 2, 262))  # over max_frames
    with pytest.raises(ValueError):
        TextMotionEvaluator(3, SMALL)


@pytest.mark.parametrize("people", [1, 2])
def test_padding_does_not_change_the_embedding(people):
    model = small(people)
    x = torch.randn(2, 12, people, 262)
    padded = torch.cat((x, 100 * torch.randn(2, 8, people, 262)), dim=1)
    mask = torch.arange(20)[None].expand(2, -1) < 12
    assert torch.allclose(model.encode_motion(x), model.encode_motion(padded, mask), atol=1e-5)


def test_individual_evaluator_ignores_where_the_person_stands():
    model = small(1)
    x = torch.randn(2, 15, 262)
    moved = RigidTransform(torch.tensor([0.7, -2.0]), torch.tensor([[3.0, 0.0, -2.0], [-1.0, 0.0, 4.0]]),
                           torch.tensor([-0.5, 0.2])).apply(x)
    assert torch.allclose(model.encode_motion(x), model.encode_motion(moved), atol=1e-4)
    assert not torch.allclose(small(2).encode_motion(torch.stack((x, x), 2)),
                              small(2).encode_motion(torch.stack((x, moved), 2)), atol=1e-3)


@pytest.fixture(scope="module")
def texts():
    return torch.nn.functional.normalize(torch.randn(4, 384, generator=torch.Generator().manual_seed(5)), dim=-1)


def toy_sets(people: int, texts: torch.Tensor, n_train: int, n_val: int):
    """Training and validation sets of toy clips as the loop takes them; the text follows person 1's class."""
    return tuple((motions, masks, person_texts[:, 0])
                 for motions, masks, person_texts, _ in (toy_set(n_train, 24, people, texts, seed=1),
                                                         toy_set(n_val, 24, people, texts, seed=2)))


def train_toy(people: int, texts: torch.Tensor, out_dir):
    """Train a small evaluator on toy clips, with the evaluators' schedule (5 % warm-up, cosine decay to 0)."""
    train, val = toy_sets(people, texts, 256, 64)
    model = TextMotionEvaluator(people, SMALL)
    before = r_precision(embed_motions(model, val[0], val[1]), embed_texts(model, val[2]),
                         groups=text_groups(val[2]))[1]
    oc = OptimConfig(steps=150, batch_size=32, lr=2e-3, warmup=7, log_every=50, save_every=0, seed=0)
    result = train_evaluator(model, train, val, Run(out_dir, oc, "cpu", "toy", lr_floor=0.0))
    return model, result, before


@pytest.fixture(scope="module")
def individual(texts, tmp_path_factory):
    return train_toy(1, texts, tmp_path_factory.mktemp("individual"))


@pytest.fixture(scope="module")
def interaction(texts, tmp_path_factory):
    return train_toy(2, texts, tmp_path_factory.mktemp("interaction"))


@pytest.mark.parametrize("which", ["individual", "interaction"])
def test_tiny_training_separates_toy_classes(which, request):
    model, result, before = request.getfixturevalue(which)
    assert before < 0.5  # untrained: near chance (1/32)
    assert result["val_top1"] > 0.9 and result["val_top3"] >= result["val_top1"]
    assert result["loss"] < result["history"][0]["loss"]
    assert [h["step"] for h in result["history"]] == [50, 100, 150]
    assert not model.training and torch.all(model.feature_std != 1)  # normaliser fitted from the data


def test_a_run_stopped_by_its_time_budget_resumes_its_step_count(texts, tmp_path):
    train, val = toy_sets(1, texts, 32, 16)
    oc = OptimConfig(steps=10**9, batch_size=8, warmup=1, log_every=2, save_every=0, time_budget_s=0.3)
    model = TextMotionEvaluator(1, SMALL)
    first = train_evaluator(model, train, val, Run(tmp_path, oc, "cpu", "toy"))
    stopped = first["steps"]
    assert 0 < stopped < 10**9 and torch.load(tmp_path / "state.pt", weights_only=True)["step"] == stopped
    assert first["history"][-1]["step"] == stopped  # the run's last figures, even between two log steps
    unbounded = replace(oc, time_budget_s=0.0)
    again = TextMotionEvaluator(1, SMALL)
    train_evaluator(again, train, val, Run(tmp_path, replace(unbounded, steps=stopped), "cpu", "toy"))
    assert all(torch.equal(a, b) for a, b in zip(again.state_dict().values(), model.state_dict().values()))
    resumed = train_evaluator(again, train, val, Run(tmp_path, replace(unbounded, steps=stopped + 3), "cpu", "toy"))
    assert resumed["steps"] == stopped + 3 == torch.load(tmp_path / "state.pt", weights_only=True)["step"]
    steps = [h["step"] for h in resumed["history"]]
    assert steps[:len(first["history"])] == [h["step"] for h in first["history"]] and steps[-1] == stopped + 3
    assert steps == sorted(set(steps))
    log = [json.loads(line)["step"] for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert log == steps


def test_command_line_trains_an_evaluator_then_continues_it(tmp_path, tiny_corpora, monkeypatch):
    import mixermdm_core.text
    from mixermdm_core import train
    from test_app_fixtures import FakeEncoder

    monkeypatch.setattr(mixermdm_core.text, "default_encoder", FakeEncoder)
    config = tmp_path / "evaluator.toml"
    config.write_text(f'[data]\nmax_frames = 32\ntext_store = "{tmp_path / "text.npz"}"\n'
                      "[train]\nsteps = 2\nbatch_size = 4\nlog_every = 1\n")
    args = ["evaluator", "--people", "1", "--config", str(config), "--out", str(tmp_path / "run")]
    train.main(args)
    train.main(args + ["--steps", "3"])
    card = json.loads((tmp_path / "run" / "evaluator_individual.json").read_text())
    assert card["steps"] == 3 and [h["step"] for h in card["history"]] == [1, 2, 3]
    assert {"val_top1", "val_mm_dist", "temperature", "wall_s"} <= set(card)
    assert load_evaluator(tmp_path / "run" / "evaluator_individual.safetensors").people == 1


def test_alignment_with_the_trained_evaluators(individual, interaction, texts):
    motions, masks, person_texts, _ = toy_set(64, 24, 2, texts, seed=3)
    assert interaction_alignment(interaction[0], motions, masks, person_texts[:, 0]) > 0.9
    assert interaction_alignment(interaction[0], motions, masks, person_texts[:, 1]) < 0.5  # wrong texts
    model = individual[0]
    assert individual_alignment(model, motions, masks, person_texts) > 0.9
    person_texts[::2, 1] = 0  # empty individual texts are skipped, not scored
    assert individual_alignment(model, motions, masks, person_texts) > 0.9
    assert np.isnan(individual_alignment(model, motions, masks, torch.zeros_like(person_texts)))
    with pytest.raises(ValueError):
        interaction_alignment(model, motions, masks, person_texts[:, 0])
    with pytest.raises(ValueError):
        individual_alignment(interaction[0], motions, masks, person_texts)


def test_save_load_round_trip(individual, texts, tmp_path):
    model = individual[0]
    path = save_evaluator(model, tmp_path / "ind.safetensors")
    loaded = load_evaluator(path)
    assert loaded.people == 1 and loaded.config == SMALL and not loaded.training
    x, mask = torch.randn(3, 24, 262), torch.ones(3, 24, dtype=torch.bool)
    assert torch.equal(loaded.feature_mean, model.feature_mean)
    assert torch.allclose(loaded.encode_motion(x, mask), model.encode_motion(x, mask), atol=1e-6)
    assert torch.allclose(loaded.encode_text(texts), model.encode_text(texts), atol=1e-6)


def test_bad_files_name_the_file_and_shape(tmp_path):
    missing = tmp_path / "nope.safetensors"
    with pytest.raises(CheckpointError, match="nope.safetensors"):
        load_evaluator(missing)
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(b"\x00\x01 not a safetensors file" * 10)
    with pytest.raises(CheckpointError, match="corrupt.safetensors"):
        load_evaluator(corrupt)
    model = small(2)
    tensors = {k: v.contiguous() for k, v in model.state_dict().items()}
    wrong = tmp_path / "wrong.safetensors"
    bigger = {"people": 2, **SMALL.__dict__, "latent": 48}
    save_file(tensors, str(wrong), metadata={"kind": "evaluator", "config": json.dumps(bigger)})
    with pytest.raises(CheckpointError, match=r"wrong\.safetensors: tensor .* expected \(.*48"):
        load_evaluator(wrong)
    bare = tmp_path / "bare.safetensors"
    save_file(tensors, str(bare))
    with pytest.raises(CheckpointError, match="bare.safetensors"):
        load_evaluator(bare)
