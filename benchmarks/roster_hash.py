"""Roster fingerprints: the sha256 of the HR roster each benchmark instance gives in deterministic
mode (one worker, fixed solver seed, every stage stopped on work counts), to show that a
refactor of the roster engine changed no behaviour.

Instances: seeded ``roster_instances.make_instance`` shapes (agents × days, instance seeds), the
pyworkforce variant, and the demo scenario (data/sample/double11-2026.toml) through the pipeline.
Writes a Markdown table (``--out``); compare two such files with ``--compare OLD.md``, which exits
1 when any fingerprint differs.

Usage: python benchmarks/roster_hash.py [--time-limit 5] [--out benchmarks/results/roster_hash.md]
       [--compare OLD.md]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.roster_instances import make_instance, pyworkforce_variant  # noqa: E402
from scheduler.roster import solve as solve_module  # noqa: E402
from scheduler.roster.checks.validator import roster_frame_from_assignments  # noqa: E402
from scheduler.roster.schema import SolverConfig  # noqa: E402
from scheduler.roster.solve import solve_roster  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "roster_hash.md"
def _long_rest(problem):
    """16 h minimum rest: rest can bind across two dates, so the local search is skipped and
    CP-SAT (whole model, then LNS; LNS only above 20,000 Booleans) builds the roster."""
    return problem.model_copy(update={"rules": problem.rules.model_copy(
        update={"min_rest_hours": 16})})


#: (label, builder, time limit s or None for ``--time-limit``) — agents × days, instance seed.
#: The pyworkforce 4 × 3 instance is small enough for CP-SAT's exact whole model; at 30 s the
#: 40 × 14 and 60 × 14 instances also get the restricted integer master and CP-SAT after the
#: local search.
CASES = [
    ("20 × 7 seed 0", lambda: make_instance(20, 7, 0), None),
    ("20 × 7 seed 1", lambda: make_instance(20, 7, 1), None),
    ("30 × 7 seed 2", lambda: make_instance(30, 7, 2), None),
    ("40 × 14 seed 0", lambda: make_instance(40, 14, 0), None),
    ("60 × 14 seed 1", lambda: make_instance(60, 14, 1), None),
    ("pyworkforce 20 × 7", lambda: pyworkforce_variant(20, 7, 0), None),
    ("pyworkforce 4 × 3 (exact model)", lambda: pyworkforce_variant(4, 3, 0), None),
    ("20 × 7 seed 0, 16 h rest", lambda: _long_rest(make_instance(20, 7, 0)), None),
    ("60 × 14 seed 1, 16 h rest", lambda: _long_rest(make_instance(60, 14, 1)), None),
    ("40 × 14 seed 0, 30 s", lambda: make_instance(40, 14, 0), 30.0),
    ("60 × 14 seed 1, 30 s", lambda: make_instance(60, 14, 1), 30.0),
]


def _counted(owner, name: str, seen: Counter) -> None:
    """Count the calls of ``owner.name`` in ``seen[name]`` (which engines ran)."""
    inner = getattr(owner, name)

    def wrapper(*args, **kwargs):
        seen[name] += 1
        return inner(*args, **kwargs)
    setattr(owner, name, wrapper)


SEEN: Counter = Counter()
for _owner, _name in ((solve_module, "_monolithic"), (solve_module.Lns, "run"),
                      (solve_module.BestResponse, "improve"),
                      (solve_module.BestResponse, "perturb_search")):
    _counted(_owner, _name, SEEN)
STAGE_NAMES = {"improve": "local search", "perturb_search": "kicks",
               "_monolithic": "CP-SAT whole", "run": "CP-SAT LNS"}


def _instance_row(label: str, build, time_limit: float) -> tuple[str, str, float, str]:
    cfg = SolverConfig(time_limit_s=time_limit, num_workers=1, random_seed=0, deterministic=True)
    SEEN.clear()
    t = time.perf_counter()
    res = solve_roster(build(), cfg)
    csv = roster_frame_from_assignments(res.assignments).to_csv(index=False).encode()
    stages = ", ".join(STAGE_NAMES[k] for k in STAGE_NAMES if SEEN[k]) or "constructive only"
    if any("safety time limit" in w for w in res.warnings):  # the work plan overran the clock
        stages += " -- **safety clock fired** (the roster may differ between runs)"
    return label, hashlib.sha256(csv).hexdigest()[:16], time.perf_counter() - t, stages


def _demo_row(time_limit: float) -> tuple[str, str, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scenarios.cli", "run",
             str(ROOT / "data/sample/double11-2026.toml"),
             "--out", str(out), "--deterministic", "--workers", "1", "--seed", "0",
             "--time-limit", str(time_limit), "--no-lp-bound", "--quiet"],
            check=True, cwd=ROOT, capture_output=True,
        )
        digest = hashlib.sha256((out / "roster.csv").read_bytes()).hexdigest()[:16]
        return "demo scenario", digest, time.perf_counter() - t, "(pipeline, not traced)"


def _read(path: Path) -> dict[str, str]:
    rows = [line.split("|") for line in path.read_text().splitlines() if line.startswith("| ")]
    return {r[1].strip(): r[2].strip().strip("`") for r in rows[1:] if len(r) > 3}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=5.0)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--compare", type=Path, help="an earlier output of this script")
    args = ap.parse_args()
    rows = [_instance_row(label, build, limit or args.time_limit) for label, build, limit in CASES]
    rows.append(_demo_row(args.time_limit))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# Roster fingerprints (deterministic mode)", "",
        f"Run {datetime.now():%Y-%m-%d %H:%M} at commit {commit}; solve_roster with "
        f"deterministic=True, num_workers=1, random_seed=0, time_limit_s={args.time_limit:g} "
        "unless the instance names another. "
        "sha256 (first 16 hex) of the HR roster CSV.", "",
        "| instance | roster sha256 | wall s | stages that ran |", "|---|---|---|---|",
        *[f"| {lab} | `{sha}` | {wall:.1f} | {st} |" for lab, sha, wall, st in rows],
    ]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if args.compare:
        old = _read(args.compare)
        diff = [lab for lab, sha, _, _ in rows if old.get(lab) != sha]
        print("same rosters" if not diff else f"DIFFERENT: {', '.join(diff)}")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
