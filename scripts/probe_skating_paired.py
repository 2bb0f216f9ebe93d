"""Is one method's foot skating worse than another's? Paired per-person differences on the same prompts and seeds.

    PYTHONPATH=. python scripts/probe_skating_paired.py CACHE CHECKPOINTS [CHECKPOINTS ...] [--against blend:0.4]

Reads the batches a full-settings ``evaluate --cache CACHE`` run kept (it never samples: a missing batch is an
error) and prints, for ``--against`` and each folder's ST, the mean foot skating raw and grounded (as the pipelines
hand motions out) with bootstrap 95 % intervals, the median and the largest person, and the mean per-person
difference from ``--against`` with its bootstrap interval. Grounded skating is 0 for most people and a few sliding
feet make the mean, so two means that differ by their intervals' width can still be the same method.
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
from mixermdm_core.representation.grounding import ground  # noqa: E402
from mixermdm_core.vocabulary import DEFAULT_GUIDANCE, INDIVIDUAL_GUIDANCE_TAPER  # noqa: E402


def cached_skating(folder: Path, cache_dir: Path, methods: list[str]) -> dict[str, dict[str, np.ndarray]]:
    """Per-person foot skating (cm/frame), raw and grounded, of each method's cached full-settings batches."""
    s, guidance = SETTINGS["full"], tuple(DEFAULT_GUIDANCE)
    pipe = ComposedPipeline.from_pretrained(folder, "cpu")
    pipe.pair.individual_taper = INDIVIDUAL_GUIDANCE_TAPER
    anchoring = pipe.pair.anchors.strength if pipe.pair.anchors else 0.0
    cache = protocol.BatchCache(cache_dir, _files_tag(folder, None, "fp32", anchoring, 0.0, guidance,
                                                      list(INDIVIDUAL_GUIDANCE_TAPER), pipe.pair.velocity_readout))

    def refuse(*args, **kwargs):
        raise SystemExit(f"{folder}: a batch is not in {cache_dir}; run the full evaluate with --cache first")

    pipe.sample = refuse
    prompts = [c.texts for c in mixing_cases(s["n"], seed=0)]
    gen = protocol.generate(pipe, prompts, protocol.strategies_for(methods, pipe, None), frames_for(s["seconds"]),
                            s["steps"], guidance, 0, None, 8, cache, "own")
    out = {}
    for name, g in gen.items():
        motions = g.stacked()[0]
        out[name] = {kind: np.array([foot_skating(j) for j in protocol._people(m)])
                     for kind, m in (("raw", motions), ("grounded", ground(motions)))}
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("cache", type=Path)
    p.add_argument("folders", nargs="+", type=Path)
    p.add_argument("--against", default="blend:0.4")
    args = p.parse_args()
    rows = cached_skating(args.folders[0], args.cache, [args.against])
    for folder in args.folders:
        rows[f"st ({folder})"] = cached_skating(folder, args.cache, ["st"])["st"]
    base = rows[args.against]
    for name, r in rows.items():
        print(name)
        for kind, v in r.items():
            mean, ci = bootstrap_mean(v)
            diff, diff_ci = bootstrap_mean(v - base[kind])
            print(f"  {kind:8s} {mean:.3f} ± {ci:.3f}  median {np.median(v):.3f}  largest {v.max():.2f}  "
                  f"minus {args.against} {diff:+.3f} ± {diff_ci:.3f}")


if __name__ == "__main__":
    main()
