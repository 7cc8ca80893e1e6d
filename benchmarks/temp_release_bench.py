"""Does the local search let an unneeded temporary go? Fire kicks on and off, same solves.

A smaller shop's Double 12 plan (a new user's trial, 2026-12-08) hired 3 temporaries at 60 s
where the same solve with the pool capped at 0 cost less: one temp's shifts are a hole that
kicks on one to three schedules never refill, so the search kept them. ``_fire_kick``
(scheduler/roster/search/best_response.py) lets one hired temp go and re-optimises everyone
else, while the pool has room. This script solves each case with it (the product) and with
``FIRE_SHARE = 0`` (before), over solver seeds, and reports the validator's cost (CNY).

Cases are built from the bundled sample data in a temporary folder (the user's edits): the
demo itself (pool full: fire kicks never run, so both columns are the same search), and two
Double 12 2026 plans for shops with fewer agents (the first 44 / the last 52 rows of
``agents.csv``; temp pool 20, concurrency 4, history to 2026-10-31).

Usage: python -m benchmarks.temp_release_bench [--seeds 0,1,2] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.bench_format import cny, cores, versions
from scenarios.load import load_scenario
from scenarios.pipeline import prepare_plan
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import SolverConfig
from scheduler.roster.search import best_response
from scheduler.roster.solve import solve_roster

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
OUT = ROOT / "benchmarks" / "results" / "temp_release.md"

#: case -> (agents.csv rows kept (1-based data rows, inclusive), [campaign] / other edits)
D12 = {"start = 2026-11-01": "start = 2026-12-07", "end = 2026-11-14": "end = 2026-12-16",
       "train_end = 2026-10-19T23:00:00": "train_end = 2026-10-31T23:00:00",
       "max_headcount = 50": "max_headcount = 20", "concurrency = 3 ": "concurrency = 4 "}
CASES: dict[str, tuple[tuple[int, int] | None, dict[str, str]]] = {
    "demo (Double 11, 80 agents, pool 50)": (None, {}),
    "Double 12, first 44 agents, pool 20": ((1, 44), D12),
    "Double 12, last 52 agents, pool 20": ((29, 80), {**D12, "start = 2026-11-01":
                                                       "start = 2026-12-01",
                                                       "end = 2026-11-14": "end = 2026-12-14"}),
}


def case_files(folder: Path, rows: tuple[int, int] | None, edits: dict[str, str]) -> Path:
    """The case's scenario file: sample data copied to ``folder``, agents cut, toml edited."""
    shutil.copytree(SAMPLE, folder)
    toml = (folder / "double11-2026.toml").read_text(encoding="utf-8")
    for old, new in edits.items():
        assert old in toml, old
        toml = toml.replace(old, new)
    if rows is not None:
        lines = (folder / "agents.csv").read_text(encoding="utf-8-sig").splitlines()
        kept = [lines[0], *lines[rows[0]:rows[1] + 1]]
        (folder / "agents_cut.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
        toml = toml.replace('agents = "agents.csv"', 'agents = "agents_cut.csv"')
    (folder / "case.toml").write_text(toml, encoding="utf-8")
    return folder / "case.toml"


def case_problem(folder: Path, rows: tuple[int, int] | None, edits: dict[str, str]):
    """The case's RosterProblem (forecast and staffing of :func:`case_files`' scenario)."""
    return prepare_plan(load_scenario(case_files(folder, rows, edits))).problem


def solve(problem, seed: int, limit: float, fire: bool) -> dict:
    share = best_response.FIRE_SHARE
    best_response.FIRE_SHARE = share if fire else 0.0
    try:
        t = time.perf_counter()
        res = solve_roster(problem, SolverConfig(time_limit_s=limit, random_seed=seed))
        wall = time.perf_counter() - t
    finally:
        best_response.FIRE_SHARE = share
    rep = validate_roster(problem, roster_frame_from_assignments(res.assignments))
    return {"cost": rep.total_cost_cny, "temps": rep.temporaries_hired,
            "viol": len(rep.violations), "wall": wall}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    lines = ["# Letting an unneeded temporary go (fire kicks on / off)", "",
             f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, {versions()}. "
             f"`python -m benchmarks.temp_release_bench --seeds {args.seeds} --time-limit "
             f"{args.time_limit:g}`: solve_roster (default workers), cost = the validator's "
             "total (CNY); 'off' = the same solve with FIRE_SHARE = 0.", "",
             "| case | seed | cost off | temps off | cost on | temps on | on vs off | "
             "violations |", "|---|---|---|---|---|---|---|---|"]
    means = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, (rows, edits)) in enumerate(CASES.items()):
            problem = case_problem(Path(tmp) / f"case{k}", rows, edits)
            pair = []
            for seed in seeds:
                off, on = (solve(problem, seed, args.time_limit, f) for f in (False, True))
                pair.append((off["cost"], on["cost"]))
                lines.append(f"| {name} | {seed} | {cny(off['cost'])} | {off['temps']} | "
                             f"{cny(on['cost'])} | {on['temps']} | "
                             f"{100 * (on['cost'] / off['cost'] - 1):+.2f} % | "
                             f"{off['viol']} / {on['viol']} |")
                print(lines[-1], flush=True)
            off_m = sum(a for a, _ in pair) / len(pair)
            on_m = sum(b for _, b in pair) / len(pair)
            means.append(f"- {name}: mean {cny(off_m)} off, {cny(on_m)} on "
                         f"({100 * (on_m / off_m - 1):+.2f} %)")
    lines += ["", "Means over the seeds:", "", *means, ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
