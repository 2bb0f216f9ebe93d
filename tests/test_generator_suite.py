"""The generators' table (each model alone against real held-out clips) and the mixing protocol's
generation, on tiny networks and clips."""
from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest
import torch

from mixermdm_core.composition.loading import load_pair
from mixermdm_core.composition.pipeline import ComposedPipeline
from mixermdm_core.evaluation import generators, protocol
from mixermdm_core.models.evaluator import EvaluatorConfig, TextMotionEvaluator
from mixermdm_core.models.mixer import Mixer

from conftest import tiny_corpus
from test_app_fixtures import TINY, FakeEncoder, make_tiny_checkpoints, small_random

SMALL = EvaluatorConfig(latent=32, layers=1, heads=2, ff=64, embed=16)


@pytest.fixture
def suite(tmp_path, monkeypatch):
    monkeypatch.setattr(generators, "load_or_generate", lambda kind, n, split, seed, *a: tiny_corpus(kind, n, seed))
    pipe = ComposedPipeline(load_pair(make_tiny_checkpoints(tmp_path)), {}, FakeEncoder())
    pipes = (pipe.interaction_pipeline(), pipe.individual_pipeline())
    evals = (TextMotionEvaluator(2, SMALL).eval(), TextMotionEvaluator(1, SMALL).eval())
    return lambda seed: generators.evaluate_models(pipes, evals, FakeEncoder().encode, n=6, frames=20, steps=3,
                                                   guidance=(2.0, 2.0), replications=2, multimodality_shape=(2, 3),
                                                   seed=seed)


def test_rows_hold_the_suite_for_real_clips_and_each_model(suite):
    rows = suite(0)
    assert [r["model"] for r in rows] == ["real held-out interaction clips", "interaction",
                                         "real held-out individual clips", "individual"]
    for real, model in (rows[0:2], rows[2:4]):
        assert "fid" not in real and "multimodality" not in real
        for key in ("top1", "top2", "top3", "fid", "mm_dist", "diversity", "multimodality", "foot_skating_cm",
                    "raw_foot_skating_cm", "raw_floor_penetration_cm", "bone_length_error_pct", "top3_of_real"):
            assert math.isfinite(model[key]), key
        assert model["floor_penetration_cm"] == 0.0  # scored grounded, as the pipelines hand motions out
        assert "raw_foot_skating_cm" not in real
        assert 0 <= model["top1"] <= model["top2"] <= model["top3"] <= 1
        assert model["top3_of_real"] == pytest.approx(model["top3"] / real["top3"])
    assert rows[0]["pelvis_distance_cm"] > 50  # the toy pair stands about a metre apart
    assert "pelvis_distance_cm" in rows[1] and "pelvis_distance_cm" not in rows[3]


def test_pipelines_ground_their_output_unless_asked_not_to(tmp_path):
    from mixermdm_core.composition.pipeline import InteractionPipeline
    from mixermdm_core.representation.grounding import ground

    pipe = InteractionPipeline.from_pretrained(make_tiny_checkpoints(tmp_path), "cpu", FakeEncoder())
    raw = pipe("two people hug", seconds=1, steps=2, seed=1, ground=False)
    grounded = pipe("two people hug", seconds=1, steps=2, seed=1)
    torch.testing.assert_close(torch.from_numpy(grounded.features), ground(torch.from_numpy(raw.features)))
    assert grounded.joints[..., 1].min() >= -1e-6


def test_hand_distance_counts_only_interactions_whose_hands_meet():
    clip = torch.from_numpy(tiny_corpus("interaction", 2).clip(0))[None]
    assert "hand_distance_cm" not in generators.hand_distance(clip, ["hug"])
    assert generators.hand_distance(clip, ["handshake"])["hand_distance_cm"] > 0


def test_the_table_is_reproducible_from_its_seed(suite):
    assert suite(3) == suite(3)


def test_too_few_long_clips_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(generators, "load_or_generate", lambda kind, n, split, seed, *a: tiny_corpus(kind, n, seed))
    with pytest.raises(ValueError, match="held-out interaction clips last 200 frames"):
        generators.held_out("interaction", 4, 200, FakeEncoder().encode)


def test_command_line_writes_the_table_csv_and_json(tmp_path, monkeypatch):
    from mixermdm_core import evaluate
    from mixermdm_core.composition import pipeline
    from mixermdm_core.models.pretrained import save_evaluator

    monkeypatch.setattr(generators, "load_or_generate", lambda kind, n, split, seed, *a: tiny_corpus(kind, n, seed))
    monkeypatch.setattr(pipeline, "default_encoder", FakeEncoder)
    ckpt = make_tiny_checkpoints(tmp_path / "ckpt")
    save_evaluator(TextMotionEvaluator(2, SMALL), ckpt / "evaluator_interaction.safetensors")
    save_evaluator(TextMotionEvaluator(1, SMALL), ckpt / "evaluator_individual.safetensors")
    out = tmp_path / "models"
    code = evaluate.main(["--models", "--quick", "--n", "6", "--steps", "2", "--seconds", "1", "--checkpoints", str(ckpt),
                          "--csv", f"{out}.csv", "--json", f"{out}.json", "--md", f"{out}.md"])
    assert code == 0
    header = (out.with_suffix(".csv")).read_text().splitlines()[0].split(",")
    assert header[:4] == ["model", "top1", "top2", "top3"]
    table = json.loads(out.with_suffix(".json").read_text())
    assert len(table["rows"]) == 4 and table["settings"]["guidance"] == list(evaluate.DEFAULT_GUIDANCE)
    models, interactions = out.with_suffix(".md").read_text().split("\n\nGenerated, grounded")
    assert models.count("\n") == 5  # header, rule, and real + generated rows of both models
    assert "| x | 6 | - |" in interactions  # one line per interaction kind (the tiny corpus has one, no contact)


def test_mixing_protocol_gives_the_same_motions_whatever_the_prompt_batching(tmp_path):
    pipe = ComposedPipeline.from_pretrained(make_tiny_checkpoints(tmp_path), "cpu", FakeEncoder())
    prompts = [("two people hug", "the person waves", ""), ("two people shake hands", "", "the person jumps"),
               ("two people dance", "the person limps", "the person sits")]
    strategies = protocol.strategies_for(["interaction", "st", "dualmdm"], pipe, None)
    one = protocol.generate(pipe, prompts, strategies, frames=12, steps=3, guidance=(2.0, 2.0), seed=5, prompts_per_batch=1)
    all_ = protocol.generate(pipe, prompts, strategies, frames=12, steps=3, guidance=(2.0, 2.0), seed=5, prompts_per_batch=3)
    for name in one:
        for a, b in zip(one[name].motions + list(one[name].weights), all_[name].motions + list(all_[name].weights)):
            assert torch.allclose(torch.as_tensor(a), torch.as_tensor(b), atol=1e-4)


def test_a_cached_evaluation_resumes_from_its_batches_and_remakes_broken_ones(tmp_path, monkeypatch):
    pipe = ComposedPipeline.from_pretrained(make_tiny_checkpoints(tmp_path), "cpu", FakeEncoder())
    prompts = [("two people hug", "the person waves", ""), ("two people shake hands", "", "the person jumps")]
    strategies = protocol.strategies_for(["interaction", "st"], pipe, None)
    cache = protocol.BatchCache(tmp_path / "cache", tag="these checkpoints")
    run = lambda: protocol.generate(pipe, prompts, strategies, frames=12, steps=3, guidance=(2.0, 2.0), seed=5,
                                    prompts_per_batch=1, cache=cache)
    first = run()
    files = sorted((tmp_path / "cache").glob("*.pt"))
    assert len(files) == 4  # one per prompt batch and method
    files[0].write_bytes(b"cut short")
    made = []
    real_sample = pipe.sample
    monkeypatch.setattr(pipe, "sample", lambda *a, **k: made.append([s.name for s in a[1]]) or real_sample(*a, **k))
    again = run()
    assert len(made) == 1 and len(made[0]) == 1  # only the broken batch's method was sampled again
    for name in first:
        assert all(torch.equal(a, b) for a, b in zip(first[name].motions, again[name].motions))
        assert all(np.array_equal(a, b) for a, b in zip(first[name].weights, again[name].weights))
    other = protocol.BatchCache(tmp_path / "cache", tag="other checkpoints")
    assert other.path("x") != cache.path("x")


def test_a_cached_evaluation_samples_again_only_the_mixer_that_changed(tmp_path, monkeypatch):
    pipe = ComposedPipeline.from_pretrained(make_tiny_checkpoints(tmp_path), "cpu", FakeEncoder())
    prompts = [("two people hug", "the person waves", ""), ("two people shake hands", "", "the person jumps")]
    cache = protocol.BatchCache(tmp_path / "cache", tag="these denoisers")
    run = lambda methods: protocol.generate(pipe, prompts, protocol.strategies_for(methods, pipe, 0.3), frames=12,
                                            steps=3, guidance=(2.0, 2.0), seed=5, cache=cache)
    first = run(["blend:best", "st", "dualmdm"])
    made = []
    real_sample = pipe.sample
    monkeypatch.setattr(pipe, "sample", lambda *a, **k: made.append([s.name for s in a[1]]) or real_sample(*a, **k))
    assert torch.equal(run(["st"])["st"].motions[0], first["st"].motions[0]) and made == []
    pipe.mixers["ST"] = small_random(Mixer(TINY, "ST"), 9)  # a retrained ST under the same name
    again = run(["blend:best", "st", "dualmdm"])
    assert made == [["st"]]
    assert all(torch.equal(a, b) for a, b in zip(first["dualmdm"].motions, again["dualmdm"].motions))
    assert not torch.equal(first["st"].motions[0], again["st"].motions[0])
    assert protocol.strategy_key(protocol.strategies_for(["blend:best"], pipe, 0.3)[0]) != \
        protocol.strategy_key(protocol.strategies_for(["blend:best"], pipe, 0.4)[0])  # the tuned weight counts


def test_mixing_command_line_with_a_cache_gives_the_same_table_when_run_again(tmp_path, monkeypatch):
    from mixermdm_core import evaluate
    from mixermdm_core.composition import pipeline
    from mixermdm_core.models.pretrained import save_evaluator

    monkeypatch.setattr(pipeline, "default_encoder", FakeEncoder)
    ckpt = make_tiny_checkpoints(tmp_path / "ckpt")
    save_evaluator(TextMotionEvaluator(2, SMALL), ckpt / "evaluator_interaction.safetensors")
    save_evaluator(TextMotionEvaluator(1, SMALL), ckpt / "evaluator_individual.safetensors")
    args = ["--quick", "--n", "6", "--steps", "2", "--seconds", "1", "--checkpoints", str(ckpt),
            "--methods", "interaction", "blend:0.5", "st", "--cache", str(tmp_path / "cache")]
    tables = []
    for k in range(2):
        assert evaluate.main(args + ["--csv", str(tmp_path / f"{k}.csv")]) == 0
        tables.append((tmp_path / f"{k}.csv").read_text())
    assert tables[0] == tables[1] and tables[0].splitlines()[0].startswith("method,overall_alignment")
    for row in csv.DictReader(io.StringIO(tables[0])):  # sliding also as the pipelines hand motions out
        assert 0 <= float(row["grounded_foot_skating_cm"]) <= float(row["foot_skating_cm"]) + 1e-6
        assert float(row["foot_skating_cm_ci95"]) >= 0 and float(row["grounded_foot_skating_cm_ci95"]) >= 0
    assert len(list((tmp_path / "cache").glob("*.pt"))) == 3  # one batch of each method
    assert evaluate.main(args + ["--precision", "bf16"]) == 0
    assert len(list((tmp_path / "cache").glob("*.pt"))) == 6  # another precision is sampled, not read back
    monkeypatch.setattr(evaluate, "DEFAULT_GUIDANCE", (2.0, 6.0))
    assert evaluate.main(args) == 0
    assert len(list((tmp_path / "cache").glob("*.pt"))) == 9  # and so is another guidance
    monkeypatch.setattr(evaluate, "INDIVIDUAL_GUIDANCE_TAPER", None)
    assert evaluate.main(args + ["--json", str(tmp_path / "untapered.json")]) == 0
    assert len(list((tmp_path / "cache").glob("*.pt"))) == 12  # and another taper
    assert json.loads((tmp_path / "untapered.json").read_text())["settings"]["individual_taper"] is None
