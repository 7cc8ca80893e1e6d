"""Roster acceptance instance over solver seeds: how much of the gap is run-to-run noise.

The roster benchmark (``roster_bench.py``) solves each instance once, with seed 0. The local
search is randomised and wall-clock limited, so one run is one draw; this script solves the
acceptance instance (200 agents x 14 days, instance seed 0) with solver seeds 0..N-1 under the
same settings (60 s, 8 workers) and reports each cost against the HiGHS LP bound, with the
median and range. Writes benchmarks/results/roster_seeds.md.

Usage: python benchmarks/roster_seeds.py [--runs 5] [--time-limit 60] [--agents 200 --days 14]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_format import cny, cores, versions  # noqa: E402
from benchmarks.lp_bound import build_and_solve  # noqa: E402
from benchmarks.roster_bench import run_cpsat  # noqa: E402
from benchmarks.roster_instances import make_instance  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "roster_seeds.md"


def _gap(cost: float | None, lp: float) -> float | None:
    return None if cost is None else 100 * (cost - lp) / lp


def render(args, lp: float, runs: list[dict]) -> str:
    gaps = [g for g in (_gap(r.get("cost"), lp) for r in runs) if g is not None]
    lines = [
        f"# Roster benchmark over solver seeds ({args.agents} × {args.days})",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, "
        f"{versions()}.",
        f"Instance {args.agents} agents × {args.days} days, instance seed 0 (the roster "
        f"benchmark's); solve_roster with time limit {args.time_limit:g} s, num_workers "
        f"{args.workers}, solver seeds 0..{args.runs - 1}, one after another. Costs are the "
        f"validator's recomputed totals (CNY); gap = (cost − LP bound) / LP bound, LP bound "
        f"{cny(lp)} CNY (HiGHS, benchmarks/lp_bound.py).",
        "",
        "| solver seed | cost | gap LP | short h | viol. | wall s |",
        "|---|---|---|---|---|---|",
    ]
    for s, r in enumerate(runs):
        g = _gap(r.get("cost"), lp)
        lines.append(
            f"| {s} | {cny(r.get('cost')) if 'cost' in r else r['status']} | "
            f"{'–' if g is None else f'{g:+.2f} %'} | {cny(r.get('short_h'), 1)} | "
            f"{r.get('violations', '–')} | {cny(r.get('wall'), 1)} |"
        )
    if gaps:
        lines += [
            "",
            f"Gap over {len(gaps)} runs: median {statistics.median(gaps):+.2f} %, "
            f"min {min(gaps):+.2f} %, max {max(gaps):+.2f} %; "
            f"{sum(g <= 2.0 for g in gaps)} of {len(gaps)} runs at or under +2 %.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--days", type=int, default=14)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    problem = make_instance(args.agents, args.days, 0)
    lp = build_and_solve(problem).lp_bound_cny
    runs: list[dict] = []
    for seed in range(args.runs):
        cfg = SimpleNamespace(time_limit=args.time_limit, workers=args.workers, seed=seed)
        runs.append(run_cpsat(problem, cfg))
        print(f"seed {seed}: {runs[-1]}", flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_suffix(".tmp")
        tmp.write_text(render(args, lp, runs), encoding="utf-8")
        tmp.replace(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
