"""Is one method better than another on the full table's prompts? Paired per-person differences, same prompts and seeds.

    PYTHONPATH=. python scripts/probe_paired.py CACHE CHECKPOINTS [CHECKPOINTS ...] [--against blend:0.4 | st]

Reads the batches a full-settings ``evaluate --cache CACHE`` run kept (it never samples: a missing batch is an
error). For ``--against`` (a method of the first folder; ``st`` is the first folder's ST) and each folder's ST it
prints foot skating raw and grounded (as the pipelines hand motions out) with the median and the largest person,
and the detail-transfer shares (action shown, interaction kept, both, contact); each as a mean with its bootstrap
95 % interval and the mean per-person difference from the first row (``--against``) with its interval. Paired,
the differences are far tighter than the two intervals suggest; grounded skating is 0 for most people and a few
sliding feet make its mean.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mixermdm_core import ComposedPipeline  # noqa: E402
from mixermdm_core.composition.pipeline import frames_for  # noqa: E402
from mixermdm_core.corpus import mixing_cases  # noqa: E402
from mixermdm_core.evaluate import SETTINGS, _files_tag  # noqa: E402
from mixermdm_core.evaluation import protocol  # noqa: E402
from mixermdm_core.evaluation.metrics import bootstrap_mean, foot_skating  # noqa: E402
from mixermdm_core.evaluation.signatures import Signatures, transfer_per_person  # noqa: E402
from mixermdm_core.representation.interhuman import features_to_joints  # noqa: E402
from mixermdm_core.representation.grounding import ground  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER  # noqa: E402


def cached_figures(folder: Path, cache_dir: Path, methods: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Per-person figures of each method's cached full-settings batches: foot skating (cm/frame) raw and grounded
    over every person, the detail-transfer booleans over the judged ones."""
    s, guidance = SETTINGS["full"], tuple(DEFAULT_GUIDANCE)
    pipe = ComposedPipeline.from_pretrained(folder, "cpu")
    anchoring = pipe.pair.anchors.strength if pipe.pair.anchors else 0.0
    cache = protocol.BatchCache(cache_dir, _files_tag(folder, None, "fp32", anchoring, 0.0, guidance,
                                                      list(INDIVIDUAL_GUIDANCE_TAPER), pipe.pair.velocity_readout))

    def refuse(*args, **kwargs):
        raise SystemExit(f"{folder}: a batch is not in {cache_dir}; run the full evaluate with --cache first")

    pipe.sample = refuse
    cases = mixing_cases(s["n"], seed=0)
    gen = protocol.generate(pipe, [c.texts for c in cases], protocol.strategies_for(methods, pipe, None),
                            frames_for(s["seconds"]), s["steps"], guidance, 0, None, 8, cache, "own")
    signatures, out = Signatures.load(), {}
    for name, g in gen.items():
        motions = g.stacked()[0]
        out[name] = {f"skating {kind}": np.array([foot_skating(j) for j in protocol._people(m)])
                     for kind, m in (("raw", motions), ("grounded", ground(motions)))}
        out[name].update(transfer_per_person(features_to_joints(motions).numpy(), [c.kind for c in cases],
                                             [c.actions for c in cases], signatures))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cache", type=Path)
    p.add_argument("folders", nargs="+", type=Path)
    p.add_argument("--against", default="blend:0.4")
    args = p.parse_args()
    rows = {} if args.against == "st" else cached_figures(args.folders[0], args.cache, [args.against])
    for folder in args.folders:
        rows[f"st ({folder})"] = cached_figures(folder, args.cache, ["st"])["st"]
    base = next(iter(rows.values()))
    for name, r in rows.items():
        print(name)
        for key, v in r.items():
            v = v.astype(float)
            mean, ci = bootstrap_mean(v)
            diff, diff_ci = bootstrap_mean(v - base[key].astype(float))
            spread = f"  median {np.median(v):.3f}  largest {v.max():.2f}" if key.startswith("skating") else ""
            print(f"  {key:24s} {mean:.3f} ± {ci:.3f}{spread}  minus the first row {diff:+.3f} ± {diff_ci:.3f}")


if __name__ == "__main__":
    main()
