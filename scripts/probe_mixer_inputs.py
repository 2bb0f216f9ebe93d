"""Does the Mixer see at sampling what it saw in training? Its inputs and weights by noise level, both ways.

    PYTHONPATH=. python scripts/probe_mixer_inputs.py [GRANULARITY]

Training inputs: the official recipe's, as `train mixer` draws them (noised real interaction clips of the
training split, half the person texts swapped, both frozen models at the config's guidance). Sampling inputs: what
the default sampler hands the Mixer at each of 20 DDIM steps on 16 validation mixing prompts (seed 10,000; the
evaluation's test prompts use seed 0). For the mixed people, per third of the steps: the mean absolute difference
between the aligned individual prediction and the interaction prediction (normalised units) and the mean weight.
"""
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.centering import align_people  # noqa: E402
from mixermdm_core.composition.strategies import MixerStrategy  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.models.precision import set_threads  # noqa: E402
from mixermdm_core.training import datasets  # noqa: E402
from mixermdm_core.training.adversarial import VALIDATION_SEED, live_batch  # noqa: E402
from mixermdm_core.training.recipe import load_config  # noqa: E402
from mixermdm_core.vocabulary import mixed_people  # noqa: E402

FRAMES, PROMPTS, STEPS, TRAIN_BATCHES = 90, 16, 20, 2


def rows(t: torch.Tensor, x_a: torch.Tensor, x_b: torch.Tensor, w: torch.Tensor, person_text: torch.Tensor) -> list:
    """(t, mean |x_b - x_a|, mean weight) of every mixed person of a batch (inputs normalised, weights any shape)."""
    active, diff, weight = mixed_people(person_text), (x_b - x_a).abs().mean((1, 3)), w.mean((1, 3))
    return [(int(t[b]), float(diff[b, k]), float(weight[b, k])) for b, k in active.nonzero().tolist()]


@dataclass
class Recorder(MixerStrategy):
    """A Mixer strategy that keeps what it was given and what it answered."""

    seen: list = field(default_factory=list)

    def __call__(self, inp):
        w = super().__call__(inp)
        self.seen += rows(inp.t, inp.x_a, inp.x_b, w, inp.person_text)
        return w


def main() -> None:
    granularity = sys.argv[1].lower() if len(sys.argv) > 1 else "st"
    set_threads()
    torch.manual_seed(0)
    pipe = ComposedPipeline.from_pretrained("checkpoints")
    mixer = pipe.strategies([granularity])[0].mixer
    recorder = Recorder(mixer, name=granularity)
    cases = mixing_cases(PROMPTS, seed=VALIDATION_SEED)
    pipe.sample(pipe.conditions([c.texts for c in cases]), [recorder], frames=FRAMES, steps=STEPS, seeds=range(PROMPTS))

    cfg = load_config("configs/mixer.toml", mixer=True)
    data, pool = datasets.mixing_set(cfg.data, FRAMES, "cpu")
    cfg.train.batch_size = 48
    normalize, trained = pipe.pair.norm_a.normalize, []
    for _ in range(TRAIN_BATCHES):
        b = live_batch(pipe.pair, data, pool, cfg.train)
        x_a, x_b = normalize(b["x_a"]), normalize(align_people(b["x_b_c"], b["x_a"], b["mask"]))
        with torch.no_grad():
            w = mixer(x_a, x_b, b["t"], b["text"], b["person_text"], b["mask"])
        trained += rows(b["t"], x_a, x_b, w, b["person_text"])

    for name, table in (("training inputs", np.array(trained)), ("sampling inputs", np.array(recorder.seen))):
        for lo, hi in ((667, 1000), (333, 667), (0, 333)):
            part = table[(table[:, 0] >= lo) & (table[:, 0] < hi)]
            print(f"{name} t in [{lo}, {hi}): {len(part)} people, mean |x_b - x_a| {part[:, 1].mean():.3f}, "
                  f"mean {granularity.upper()} weight {part[:, 2].mean():.3f}")


if __name__ == "__main__":
    main()
