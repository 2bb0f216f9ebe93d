"""Which discriminator moves which of the Mixer's weights, read from a Mixer training run's saved state.

    PYTHONPATH=. python scripts/probe_discriminator_pull.py RUN_DIR CONFIG CACHE_DIR

On 128 samples of the prediction cache (every 128th), with the run's EMA Mixer (ST) and its two discriminators:
- what D^b tells a mixed person from the individual model's own motion by: the first-order gain of its score if
  one feature group of the mix were moved to the individual model's (input gradient times the difference), per
  group (the path over the ground, the limbs' horizontal positions, heights, rotations, contacts);
- the push of each discriminator on the weights: minus the gradient of the Mixer's adversarial loss against D^a
  and against D^b with respect to w, summed per body part (positive: towards the individual model), at the
  Mixer's own weights and at uniform weights 0.25 / 0.5 / 0.75.
"""
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core.composition.centering import align_people, center_people  # noqa: E402
from mixermdm_core.composition.loading import load_pair  # noqa: E402
from mixermdm_core.composition.sampler import mix  # noqa: E402
from mixermdm_core.skeleton import BODY_PARTS  # noqa: E402
from mixermdm_core.models.mixer import Mixer  # noqa: E402
from mixermdm_core.representation.interhuman import POS, ROT, VEL, CONTACT  # noqa: E402
from mixermdm_core.training.adversarial import discriminators, seen_by_d_a  # noqa: E402
from mixermdm_core.training.prediction_cache import CachedPredictions  # noqa: E402
from mixermdm_core.training.recipe import load_config  # noqa: E402
from mixermdm_core.vocabulary import mixed_people  # noqa: E402

PARTS = {"pelvis": list(BODY_PARTS["root"]), "legs": list(BODY_PARTS["legs"]), "spine and head": list(BODY_PARTS["spine"]),
         "arms": list(BODY_PARTS["left_arm"] + BODY_PARTS["right_arm"])}


def feature_groups() -> dict[str, torch.Tensor]:
    pos = torch.arange(POS.start, POS.stop).reshape(22, 3)
    vel = torch.arange(VEL.start, VEL.stop).reshape(22, 3)
    return {"path": torch.cat([pos[0, [0, 2]], vel[0, [0, 2]]]),
            "limbs x,z": torch.cat([pos[1:, [0, 2]].flatten(), vel[1:, [0, 2]].flatten()]),
            "heights": torch.cat([pos[:, 1], vel[:, 1]]), "rotations": torch.arange(ROT.start, ROT.stop),
            "contacts": torch.arange(CONTACT.start, CONTACT.stop)}


def main(run: str, config: str, cache: str) -> None:
    cfg = load_config(config, mixer=True)
    state = torch.load(Path(run) / "state.pt", map_location="cpu", weights_only=True)
    mixer = Mixer(cfg.model, "ST", cfg.train.frame_smoothing, cfg.train.frame_stride)
    d_a, d_b = discriminators(cfg)
    for net, key in ((mixer, "ema"), (d_a, "d_a"), (d_b, "d_b")):
        net.load_state_dict(state[f"module.{key}"])
        net.eval()
    pair = load_pair("checkpoints")
    b = CachedPredictions(cache, pair).batch(torch.arange(5, 16384, 128))
    x_a, x_b_c, mask, t, text, pt = b["x_a"], b["x_b_c"], b["mask"], b["t"], b["text"], b["person_text"]
    x_b = align_people(x_b_c, x_a, mask)
    active = mixed_people(pt)
    norm_a, norm_b = pair.norm_a.normalize, pair.norm_b.normalize
    with torch.no_grad():
        w_mixer = mixer(norm_a(x_a), norm_a(x_b), t, text, pt, mask)
    print(f"{run} (step {state['step']}): {int(active.sum())} mixed people, mean weight {float(w_mixer.mean()):.2f}")

    x_m, _ = mix(x_a, x_b, w_mixer, active)
    fakes, reals = norm_b(center_people(x_m, mask)), norm_b(x_b_c)
    gains, scores, n = dict.fromkeys(feature_groups(), 0.0), [0.0, 0.0], 0
    for k in range(2):
        rows = active[:, k]
        fake = fakes[rows, :, k:k + 1].clone().requires_grad_(True)
        real = reals[rows, :, k:k + 1]
        score = d_b(fake, t[rows], pt[rows, k], mask[rows])
        score.sum().backward()
        gain = fake.grad * (real - fake.detach())
        for name, idx in feature_groups().items():
            gains[name] += float(gain[..., idx].sum())
        with torch.no_grad():
            scores[0] += float(d_b(real, t[rows], pt[rows, k], mask[rows]).sum())
        scores[1] += float(score.detach().sum())
        n += int(rows.sum())
    print(f"D^b score: individual model {scores[0] / n:.2f}, mix {scores[1] / n:.2f}; first-order gain of moving "
          "each feature group to the individual model's:", {g: round(v / n, 3) for g, v in gains.items()})

    for level in (None, 0.25, 0.5, 0.75):
        w = (w_mixer.clone() if level is None else torch.full_like(w_mixer, level)).requires_grad_(True)
        x_m, _ = mix(x_a, x_b, w, active)
        g_a = -d_a(seen_by_d_a(pair, x_m, cfg.train), t, text, mask).mean()
        fake_b = norm_b(center_people(x_m, mask))
        g_b = sum(-d_b(fake_b[:, :, k:k + 1], t, pt[:, k], mask).mean() for k in range(2)) / 2
        grad_a, = torch.autograd.grad(g_a, w, retain_graph=True)
        grad_b, = torch.autograd.grad(g_b, w)
        push = {part: (round(-1e3 * float(grad_a[..., j].sum()), 1), round(-1e3 * float(grad_b[..., j].sum()), 1))
                for part, j in PARTS.items()}
        label = "the Mixer's weights" if level is None else f"all weights {level}"
        print(f"{label}: push on w x 1e3 (D^a, D^b):", push)


if __name__ == "__main__":
    main(*sys.argv[1:4])
