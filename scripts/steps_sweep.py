"""Quality against DDIM steps: the quick table at several step counts, one markdown table to read the knee from.

    PYTHONPATH=. python scripts/steps_sweep.py docs/steps 10 15 20 30 50

For each step count runs ``evaluate --quick --steps N`` on a few methods (the test prompts, as the quick table)
and writes ``OUT/quick_steps_N.json``; then prints overall/interaction/individual alignment with their 95 %
intervals, the kinematic detail-transfer shares, contact, raw foot skating and the run's wall time. A step
count whose JSON already exists is read, not rerun, so the sweep resumes.
"""
import json
import sys
import time
from pathlib import Path

from mixermdm_core.evaluate import main as evaluate

METHODS = ["interaction", "individual", "st", "dualmdm", "blend:0.5"]
COLUMNS = {"overall_alignment": "overall", "interaction_alignment": "interaction", "individual_alignment": "individual",
           "action_shown": "action shown", "interaction_kept": "interaction kept", "detail_and_interaction": "both",
           "contact": "contact", "foot_skating_cm": "foot skating (cm/frame)"}


def run(out: Path, steps: int) -> dict:
    path = out / f"quick_steps_{steps}.json"
    if not path.exists():
        t0 = time.time()
        evaluate(["--quick", "--steps", str(steps), "--methods", *METHODS, "--json", str(path)])
        result = json.loads(path.read_text())
        result["wall_s"] = round(time.time() - t0, 1)
        path.write_text(json.dumps(result, indent=1))
    return json.loads(path.read_text())


def main() -> None:
    out, counts = Path(sys.argv[1]), [int(a) for a in sys.argv[2:]]
    out.mkdir(parents=True, exist_ok=True)
    results = {n: run(out, n) for n in counts}
    print("| steps | method | " + " | ".join(COLUMNS.values()) + " | run (s) |")
    print("|---" * (len(COLUMNS) + 3) + "|")
    for n, result in results.items():
        for row in result["rows"]:
            cells = []
            for c in COLUMNS:
                ci = row.get(f"{c}_ci95")
                cells.append(f"{row[c]:.3f}" + (f" ± {ci:.3f}" if ci else ""))
            print(f"| {n} | {row['method']} | " + " | ".join(cells) + f" | {result.get('wall_s', '-')} |")


if __name__ == "__main__":
    main()
