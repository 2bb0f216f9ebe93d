"""Command line: ``python -m mixermdm_core.corpus stats|render|generate``."""
from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from multiprocessing import get_context

import numpy as np

from . import plausibility as pl
from .actions import ACTIONS
from .generate import _init_worker, make_clip
from .interactions import INTERACTIONS
from .render import render_animation, render_strip
from .storage import load_or_generate


def _clip_stats(args: tuple[str, str, int, int]) -> dict:
    kind, split, seed, index = args
    c = make_clip(kind, split, seed, index)
    people = list(c.joints)
    skate = [pl.foot_skating(j) for j in people]
    out = {
        "action": c.action,
        "bone": max(pl.bone_length_variation(j) for j in people),
        "floor": min(pl.min_foot_height(j) for j in people),
        "skate_sum": sum(s * k for s, k in skate), "skate_n": sum(k for _, k in skate),
        "contact": [float(pl.contact_distance(people[0], ct.joint_a, people[1], ct.joint_b, ct.frames).max())
                    for ct in c.contacts if ct.frames.any()],
    }
    if len(people) == 2:
        out["torso"] = pl.min_torso_distance(people[0], people[1])
    return out


def stats(n: int, split: str, seed: int, workers: int) -> None:
    for kind in ("individual", "interaction"):
        jobs = [(kind, split, seed, i) for i in range(n)]
        with get_context("fork").Pool(workers, initializer=_init_worker) as pool:
            rows = pool.map(_clip_stats, jobs, chunksize=16)
        counts = Counter(r["action"] for r in rows)
        print(f"== {kind}: {n} clips, split {split}, seed {seed}")
        print("   " + ", ".join(f"{a} {counts[a]}" for a in (ACTIONS if kind == "individual" else INTERACTIONS)))
        skate_sum, skate_n = defaultdict(float), defaultdict(int)
        for r in rows:
            skate_sum[r["action"]] += r["skate_sum"]
            skate_n[r["action"]] += r["skate_n"]
        worst = max(skate_sum, key=lambda a: skate_sum[a] / max(skate_n[a], 1))
        print(f"   bone-length variation (max over clips): {max(r['bone'] for r in rows):.2e}")
        print(f"   min foot height (floor penetration if < 0): {min(r['floor'] for r in rows) * 100:.2f} cm")
        print(f"   foot skating, mean horizontal speed of contact feet: {sum(skate_sum.values()) / max(sum(skate_n.values()), 1) * 100:.3f} cm/frame"
              f" (worst action {worst}: {skate_sum[worst] / max(skate_n[worst], 1) * 100:.3f})")
        if kind == "interaction":
            per = defaultdict(list)
            for r in rows:
                per[r["action"]].extend(r["contact"])
            for a, d in per.items():
                if d:
                    print(f"   {a}: hand distance at contact frames mean {np.mean(d) * 100:.1f} cm, max {np.max(d) * 100:.1f} cm ({len(d)} contacts)")
            print(f"   min torso-to-torso joint distance: {min(r['torso'] for r in rows) * 100:.1f} cm")


def render(action: str, out: str, split: str, seed: int, index: int) -> None:
    kind = "individual" if action in ACTIONS else "interaction"
    c = make_clip(kind, split, seed, index, action=action)
    (render_strip if out.endswith(".png") else render_animation)(c.joints, out, title=c.text)
    print(f"{out}: {c.text}" + (f" | {c.person_texts[0]} | {c.person_texts[1]}" if c.person_texts else ""))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m mixermdm_core.corpus")
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stats", help="counts per action and plausibility figures on freshly generated clips")
    s.add_argument("--n", type=int, default=300)
    s.add_argument("--split", default="train")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--workers", type=int, default=2)
    r = sub.add_parser("render", help="render one clip as .gif/.mp4 animation or a .png strip of key frames")
    r.add_argument("--action", required=True, choices=sorted(list(ACTIONS) + list(INTERACTIONS)))
    r.add_argument("--out", required=True)
    r.add_argument("--split", default="train")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--index", type=int, default=0)
    g = sub.add_parser("generate", help="generate (or load from the cache) a corpus and report the time")
    g.add_argument("--kind", default="individual", choices=("individual", "interaction"))
    g.add_argument("--n", type=int, default=10000)
    g.add_argument("--split", default="train")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--cache-dir", default=".cache/corpus")
    a = parser.parse_args(argv)
    if a.cmd == "stats":
        stats(a.n, a.split, a.seed, a.workers)
    elif a.cmd == "render":
        render(a.action, a.out, a.split, a.seed, a.index)
    else:
        t = time.time()
        corpus = load_or_generate(a.kind, a.n, a.split, a.seed, a.cache_dir)
        print(f"{a.kind}: {len(corpus)} clips, {corpus.features.shape[0]} frames in {time.time() - t:.1f} s")


if __name__ == "__main__":
    main()
