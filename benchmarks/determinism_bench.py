"""Deterministic mode against the default: what ``--deterministic`` costs, and whether it holds.

For a family of seeded roster instances (``roster_instances.make_instance``: shapes × instance
seeds), each solved with the same time limit and solver seed:

- default mode (wall clock, ``--workers``) once: cost and wall time;
- deterministic mode twice: once on a quiet machine, once with ``--hogs`` busy-loop processes
  competing for the cores; the two HR rosters must be byte-identical (sha256 of the CSV).

Costs are the validator's recomputed totals (CNY). Writes benchmarks/results/determinism.md.
With ``--jobs N`` the instances run side by side, each pinned to ``--workers`` cores of its own
(``os.sched_setaffinity``; its hogs inherit the same cores), N sized by the cores allowed.

Usage: python benchmarks/determinism_bench.py [--time-limit 20] [--workers 2] [--hogs 2]
       [--jobs 1] [--shapes 30x7,60x14,100x14] [--seeds 0,1]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_format import cny, cores, versions  # noqa: E402
from benchmarks.roster_bench import _validated  # noqa: E402
from benchmarks.roster_instances import make_instance  # noqa: E402
from scheduler.roster.checks.validator import roster_frame_from_assignments  # noqa: E402
from scheduler.roster.schema import SolverConfig  # noqa: E402
from scheduler.roster.solve import solve_roster  # noqa: E402

OUT = ROOT / "benchmarks" / "results" / "determinism.md"
FAMILY = "30x7,60x14,100x14"  # agents × days
INSTANCE_SEEDS = "0,1"


def _hog(stop: float) -> None:
    """Burn one core until ``stop`` (time.time() seconds)."""
    x = 0
    while time.time() < stop:
        x = (x * 31 + 7) % 1_000_003


def _solve(problem, cfg: SolverConfig) -> dict:
    t = time.perf_counter()
    res = solve_roster(problem, cfg)
    wall = time.perf_counter() - t
    csv = roster_frame_from_assignments(res.assignments).to_csv(index=False).encode()
    return {"wall": wall, "sha": hashlib.sha256(csv).hexdigest()[:12],
            "warnings": list(res.warnings), **_validated(problem, res.assignments)}


def _with_hogs(n: int, seconds: float, work):
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_hog, args=(time.time() + seconds,), daemon=True)
             for _ in range(n)]
    for p in procs:
        p.start()
    try:
        return work()
    finally:
        for p in procs:
            p.kill()
            p.join()


def run_one(n: int, d: int, seed: int, args) -> dict:
    problem = make_instance(n, d, seed)
    base = dict(time_limit_s=args.time_limit, random_seed=0)
    default = _solve(problem, SolverConfig(num_workers=args.workers, **base))
    det_cfg = SolverConfig(num_workers=args.workers, deterministic=True, **base)
    quiet = _solve(problem, det_cfg)
    loaded = _with_hogs(args.hogs, 20 * args.time_limit, lambda: _solve(problem, det_cfg))
    return {"n": n, "d": d, "seed": seed, "default": default, "quiet": quiet, "loaded": loaded}


def render(args, rows: list[dict]) -> str:
    lines = [
        "# Deterministic mode against the default",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, {versions()}.",
        f"solve_roster, time limit {args.time_limit:g} s, solver seed 0, num_workers "
        f"{args.workers}; deterministic mode solved twice, the second time with {args.hogs} "
        f"busy-loop processes on the machine (with --jobs {args.jobs}: jobs side by side, each "
        f"with its hogs on its own {args.workers} cores). Costs: validator totals, CNY.",
        "",
        "| agents × days | inst. seed | default cost | default wall s | det. cost | vs default "
        "| det. wall s (quiet / loaded) | same roster bytes | viol. |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    deltas = []
    for r in rows:
        a, q, lo = r["default"], r["quiet"], r["loaded"]
        delta = 100 * (q["cost"] - a["cost"]) / a["cost"]
        deltas.append(delta)
        same = "yes" if q["sha"] == lo["sha"] else f"NO ({q['sha']} / {lo['sha']})"
        lines.append(
            f"| {r['n']} × {r['d']} | {r['seed']} | {cny(a['cost'])} | {a['wall']:.1f} | "
            f"{cny(q['cost'])} | {delta:+.2f} % | {q['wall']:.1f} / {lo['wall']:.1f} | {same} | "
            f"{a['violations']}/{q['violations']}/{lo['violations']} |"
        )
    if deltas:
        same_all = sum(r["quiet"]["sha"] == r["loaded"]["sha"] for r in rows)
        lines += [
            "",
            f"Deterministic vs default cost over {len(deltas)} instances: median "
            f"{statistics.median(deltas):+.2f} %, min {min(deltas):+.2f} %, max "
            f"{max(deltas):+.2f} %. Identical roster bytes quiet vs loaded: {same_all} of "
            f"{len(rows)}.",
        ]
        fired = [r for r in rows if r["quiet"]["warnings"] or r["loaded"]["warnings"]]
        for r in fired:
            lines.append(f"- {r['n']} × {r['d']} seed {r['seed']}: warnings "
                         f"{r['quiet']['warnings'] + r['loaded']['warnings']}")
    return "\n".join(lines) + "\n"


def _pinned(job: tuple, conn) -> None:
    """One instance in its own (non-daemon) process pinned to ``args.workers`` cores."""
    k, n, d, seed, args = job
    cores = sorted(os.sched_getaffinity(0))
    start = (k * args.workers) % len(cores)
    os.sched_setaffinity(0, cores[start:start + args.workers])
    conn.send(run_one(n, d, seed, args))
    conn.close()


def _side_by_side(jobs: list[tuple], n_parallel: int) -> list[dict]:
    """Run the jobs ``n_parallel`` at a time, each in a pinned process; results in job order."""
    ctx = mp.get_context("fork")
    rows: dict[int, dict] = {}
    for first in range(0, len(jobs), n_parallel):
        running = []
        for job in jobs[first:first + n_parallel]:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_pinned, args=(job, send))
            proc.start()
            send.close()
            running.append((job[0], recv, proc))
        for k, recv, proc in running:
            rows[k] = recv.recv()
            proc.join()
    return [rows[k] for k in sorted(rows)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hogs", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--shapes", default=FAMILY)
    ap.add_argument("--seeds", default=INSTANCE_SEEDS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    shapes = [tuple(int(x) for x in s.split("x")) for s in args.shapes.split(",")]
    jobs = [(n, d, int(seed)) for n, d in shapes for seed in args.seeds.split(",")]
    jobs = [(k, n, d, seed, args) for k, (n, d, seed) in enumerate(jobs)]
    if args.jobs > 1:
        jobs_allowed = max(1, len(os.sched_getaffinity(0)) // args.workers)
        rows = _side_by_side(jobs, min(args.jobs, jobs_allowed))
    else:
        rows = [run_one(n, d, seed, args) for _k, n, d, seed, _a in jobs]
    for r in rows:
        print(f"{r['n']}x{r['d']} seed {r['seed']}: default {r['default']['cost']:.0f}, det "
              f"{r['quiet']['cost']:.0f} ({r['quiet']['sha']} / {r['loaded']['sha']})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(render(args, rows), encoding="utf-8")
    tmp.replace(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
