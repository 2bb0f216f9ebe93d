"""Text anchoring: prompts pulled towards the training captions of their role, with known answers on hand-made
embeddings, its file round trip, its errors, and that each model reads only its own pulled texts."""
from __future__ import annotations

import pytest
import torch

from mixermdm_core.composition.loading import ANCHORS_FILE, INDIVIDUAL_ANCHORS_FILE, load_anchors
from mixermdm_core.composition.pipeline import ComposedPipeline
from mixermdm_core.composition.sampler import DenoiserPair
from mixermdm_core.diffusion import NoiseSchedule
from mixermdm_core.models.denoisers import IndividualDenoiser, InteractionDenoiser
from mixermdm_core.models.io import CheckpointError
from mixermdm_core.representation.normalization import Normalizer
from mixermdm_core.text.anchors import TextAnchors, from_captions

from test_app_fixtures import TINY, FakeEncoder, small_random


def unit(*values: float, dim: int = 8) -> torch.Tensor:
    v = torch.zeros(dim)
    v[: len(values)] = torch.tensor(values)
    return v / v.norm()


def anchors(strength: float = 0.5) -> TextAnchors:
    """Two interaction captions along axes 0 and 1, one person caption along axis 2."""
    return TextAnchors({"interaction": torch.stack((unit(1), unit(0, 1))), "person": unit(0, 0, 1)[None]}, "test",
                       strength)


def test_a_prompt_moves_towards_its_nearest_caption_and_stays_a_unit_vector():
    prompt = unit(0.8, 0.3, 0, 0.5)
    pulled = anchors(0.5).pull(prompt[None], "interaction")[0]
    assert pulled.norm() == pytest.approx(1.0, abs=1e-6)
    assert pulled @ unit(1) > prompt @ unit(1)  # towards the nearest caption
    assert pulled[3] > 0  # what the wording adds (axis 3, in no caption) is kept in part
    # weights: softmax of the similarities over the temperature, so the far caption hardly counts
    assert anchors(1.0).pull(prompt[None], "interaction")[0] @ unit(1) > 0.999


def test_each_role_has_its_own_captions():
    prompt = unit(1, 0, 0.2)
    assert torch.allclose(anchors(1.0).pull(prompt[None], "person")[0], unit(0, 0, 1), atol=1e-6)


def test_strength_zero_and_empty_prompts_change_nothing():
    prompts = torch.stack((unit(0.3, 0.1, 0.9), torch.zeros(8)))
    assert torch.equal(anchors(0.0).pull(prompts, "interaction"), prompts)
    assert torch.equal(anchors(0.7).pull(prompts, "interaction")[1], torch.zeros(8))  # "no condition" stays zero


def test_a_caption_stays_where_it_is():
    assert torch.allclose(anchors(0.9).pull(unit(0, 1)[None], "interaction")[0], unit(0, 1), atol=1e-5)


def test_batched_shapes_are_kept():
    prompts = torch.randn(3, 2, 8)
    assert anchors().pull(prompts, "person").shape == (3, 2, 8)


def test_bad_inputs_are_refused_clearly():
    with pytest.raises(ValueError, match="strength must be in 0..1"):
        anchors(1.5)
    with pytest.raises(ValueError, match="at least one role"):
        TextAnchors({}, "test")
    with pytest.raises(ValueError, match="lack the role"):
        TextAnchors({"interaction": unit(1)[None]}, "test").pull(unit(1)[None], "person")
    with pytest.raises(ValueError, match="8-d .* got 4-d embeddings from another text encoder"):
        anchors().pull(torch.ones(1, 4), "interaction")


def test_file_round_trip_and_strength_override(tmp_path):
    path = tmp_path / ANCHORS_FILE
    anchors(0.4).save(path)
    back = TextAnchors.load(path)
    assert back.strength == 0.4 and back.encoder == "test"
    assert torch.allclose(back.captions["interaction"], anchors().captions["interaction"], atol=1e-3)
    assert load_anchors(tmp_path, 0.8).strength == 0.8
    assert load_anchors(tmp_path, 0) is None
    assert load_anchors(tmp_path / "elsewhere") is None  # a folder without anchors samples as before
    with pytest.raises(ValueError, match="strength must be in 0..1"):
        load_anchors(tmp_path, -0.1)
    path.write_bytes(b"not safetensors")
    with pytest.raises(CheckpointError, match="text_anchors.safetensors are not a readable anchors file"):
        load_anchors(tmp_path)


def test_each_model_reads_its_own_file(tmp_path):
    individual = TextAnchors({"individual": unit(0, 0, 0, 1)[None]}, "test", 0.3)
    individual.save(tmp_path / INDIVIDUAL_ANCHORS_FILE)
    anchors(0.4).save(tmp_path / ANCHORS_FILE)
    assert load_anchors(tmp_path, model="individual").strength == 0.3
    assert load_anchors(tmp_path).strength == 0.4
    pulled = load_anchors(tmp_path, 1.0, "individual").pull(unit(1)[None], "individual")[0]
    assert torch.allclose(pulled, unit(0, 0, 0, 1), atol=1e-6)
    anchors().save(tmp_path / INDIVIDUAL_ANCHORS_FILE)  # the interaction model's file in the individual's place
    with pytest.raises(CheckpointError, match="lack the role"):
        load_anchors(tmp_path, model="individual")


def test_from_captions_embeds_distinct_captions_of_each_role():
    made = from_captions({"interaction": ["two people hug", "two people hug", ""], "person": ["a person waves"]},
                         FakeEncoder())
    assert made.captions["interaction"].shape == (1, 384) and made.encoder == "fake"
    assert made.captions["person"].norm(dim=1).allclose(torch.ones(1))
    with pytest.raises(ValueError, match="no captions for the role 'person'"):
        from_captions({"interaction": ["two people hug"], "person": [""]}, FakeEncoder())


def test_the_interaction_model_reads_pulled_texts_and_the_individual_model_does_not():
    """With strength 1 and one caption per role every text of the interaction model becomes its role's caption:
    two different prompts give the same motion, while the individual model still follows its own text."""
    enc, mean, std = FakeEncoder(), torch.zeros(262), torch.full((262,), 0.5)
    pair = DenoiserPair(small_random(InteractionDenoiser(TINY), 1, std=0.05), small_random(IndividualDenoiser(TINY), 2,
                        std=0.05), Normalizer(mean, std), Normalizer(mean, std), NoiseSchedule())
    pair.anchors = from_captions({"interaction": ["two people hug"], "person": ["a person stands"]}, enc, 1.0)
    pipe = ComposedPipeline(pair, {}, enc)
    alone = pipe.interaction_pipeline()
    a = alone("two people shake hands", texts=("a person waves", ""), seconds=1, steps=3, seed=1, ground=False).features
    b = alone("two people dance", texts=("a person jumps", ""), seconds=1, steps=3, seed=1, ground=False).features
    assert torch.allclose(torch.as_tensor(a), torch.as_tensor(b), atol=1e-5)
    mixed = [pipe("two people dance", texts=(t, ""), strategies=["blend:1"], seconds=1, steps=3, seed=1,
                  ground=False)["blend:1"].features for t in ("a person jumps", "a person sits down")]
    assert not torch.allclose(torch.as_tensor(mixed[0]), torch.as_tensor(mixed[1]), atol=1e-3)
    pair.anchors = None
    c = alone("two people dance", texts=("a person jumps", ""), seconds=1, steps=3, seed=1, ground=False).features
    assert not torch.allclose(torch.as_tensor(a), torch.as_tensor(c), atol=1e-3)


def test_the_individual_model_reads_its_own_pulled_texts():
    """With strength 1 and one caption per role every person text reaches both models as that caption: two
    different person texts give the same mix, and the same motion from M^b's own pipeline; without M^b's
    anchors they differ."""
    enc, mean, std = FakeEncoder(), torch.zeros(262), torch.full((262,), 0.5)
    pair = DenoiserPair(small_random(InteractionDenoiser(TINY), 1, std=0.05), small_random(IndividualDenoiser(TINY), 2,
                        std=0.05), Normalizer(mean, std), Normalizer(mean, std), NoiseSchedule())
    pair.anchors = from_captions({"interaction": ["two people hug"], "person": ["a person stands"]}, enc, 1.0)
    pair.individual_anchors = from_captions({"individual": ["a person stands"]}, enc, 1.0)
    pipe = ComposedPipeline(pair, {}, enc)

    def mixed(text: str) -> torch.Tensor:
        out = pipe("two people dance", texts=(text, ""), strategies=["blend:0.5"], seconds=1, steps=3, seed=1,
                   ground=False)
        return torch.as_tensor(out["blend:0.5"].features)

    def alone(text: str) -> torch.Tensor:
        return torch.as_tensor(pipe.individual_pipeline()(text, seconds=1, steps=3, seed=1, ground=False).features)

    assert torch.allclose(mixed("a person jumps"), mixed("a person sits down"), atol=1e-5)
    assert torch.allclose(alone("a person jumps"), alone("a person sits down"), atol=1e-5)
    pair.individual_anchors = None
    assert not torch.allclose(mixed("a person jumps"), mixed("a person sits down"), atol=1e-3)
    assert not torch.allclose(alone("a person jumps"), alone("a person sits down"), atol=1e-3)
