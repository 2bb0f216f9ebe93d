"""The scaffolding every training loop shares: resuming where a run stopped, the time budget, the LR schedule."""
from __future__ import annotations

import torch

from mixermdm_core.training.recipe import OptimConfig
from mixermdm_core.training.loop import Run, make_ema


def steps_of(out_dir, oc: OptimConfig) -> tuple[Run, torch.nn.Linear]:
    """A toy loop in the shape of the real ones: fit y = 2x, checkpointing as configured."""
    run = Run(out_dir, oc, "cpu", "toy")
    model = torch.nn.Linear(1, 1)
    ema = make_ema(model)
    opt = torch.optim.SGD(model.parameters(), lr=oc.lr)
    run.resume({"model": model, "ema": ema}, {"opt": opt})
    while run.running:
        run.set_lr(opt)
        x = torch.randn(8, 1)
        loss = (model(x) - 2 * x).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        run.update_ema(ema, model)
        run.advance()
    run.finish()
    return run, model


def test_a_stopped_run_resumes_where_it_stopped(tmp_path):
    whole, model = steps_of(tmp_path / "whole", OptimConfig(steps=6, warmup=1, lr=0.1, save_every=2))
    steps_of(tmp_path / "parts", OptimConfig(steps=3, warmup=1, lr=0.1, save_every=2))
    # the second session asks for the same 6 steps; the first stopped after 3 (its own target)
    resumed, _ = steps_of(tmp_path / "parts", OptimConfig(steps=6, warmup=1, lr=0.1, save_every=2))
    assert resumed.step == whole.step == 6
    assert resumed.extra["wall_s"] > 0
    assert torch.load(tmp_path / "parts" / "state.pt", weights_only=True)["step"] == 6


def test_the_time_budget_stops_a_run_and_saves_it(tmp_path):
    run, _ = steps_of(tmp_path, OptimConfig(steps=10**9, warmup=1, time_budget_s=0.2, save_every=10**9))
    assert 0 < run.step < 10**9
    assert torch.load(tmp_path / "state.pt", weights_only=True)["step"] == run.step


def test_learning_rate_warms_up_then_decays_to_a_tenth(tmp_path):
    run = Run(tmp_path, OptimConfig(steps=100, warmup=10, lr=1.0), "cpu", "toy")
    opt = torch.optim.SGD(torch.nn.Linear(1, 1).parameters(), lr=1.0)
    run.resume({}, {"opt": opt})
    seen = []
    for step in (0, 9, 55, 100):
        run.step = step
        seen.append(run.set_lr(opt))
    assert seen[0] == 0.1 and seen[1] == 1.0 and 0.1 < seen[2] < 1.0 and abs(seen[3] - 0.1) < 1e-9
    assert opt.param_groups[0]["lr"] == seen[3]
