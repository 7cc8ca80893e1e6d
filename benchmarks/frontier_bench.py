"""``peakplan frontier`` on the demo scenario: five service-level targets on 2 cores (issue 19,
acceptance 3: at most 5 minutes).

Runs ``peakplan frontier data/sample/double11-2026.toml --param service.service_level --values
0.7,0.75,0.8,0.85,0.9 --backend local --jobs 2`` as a subprocess pinned to 2 cores
(``os.sched_setaffinity``), with the scenario's own solver settings (time limit 60 s, seed 0)
and the frontier's defaults (one solver worker per run, deterministic mode, no HiGHS LP bound:
``--extra=--lp-bound`` adds it back, about 70 s more per run), plus any ``--extra`` flags.
Records the wall time, each run's figures (frontier.csv, straight from its summary.json) and
solve time, which points are dominated, and the machine's load average before and after.
Writes benchmarks/results/frontier.md (or --out).

Usage: python benchmarks/frontier_bench.py [--values 0.7,0.75,0.8,0.85,0.9] [--cores 2]
       [--extra=--lp-bound] [--out benchmarks/results/frontier.md] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "data" / "sample" / "double11-2026.toml"
OUT = ROOT / "benchmarks" / "results" / "frontier.md"
LIMIT_S = 300.0


def _versions() -> str:
    from importlib.metadata import version

    names = ("ortools", "highspy", "pandas", "altair")
    return ", ".join(f"{n} {version(n)}" for n in names)


def _run(values: str, cores: int, extra: list[str], out_dir: Path) -> tuple[float, str]:
    """Run the frontier command pinned to ``cores`` cores; (wall seconds, stdout)."""
    allowed = sorted(os.sched_getaffinity(0))[:cores]
    command = [
        sys.executable, "-m", "scenarios.cli", "frontier", str(SCENARIO),
        "--param", "service.service_level", "--values", values, "--out", str(out_dir),
        "--backend", "local", "--jobs", str(cores), *extra,
    ]
    start = time.perf_counter()
    proc = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, allowed),
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"frontier failed ({proc.returncode}): {proc.stderr.strip()}")
    return wall, proc.stdout


def _report(table: pd.DataFrame, out_dir: Path, wall: float, args, load: tuple) -> str:
    rows = []
    for _, r in table.iterrows():
        summary = json.loads((out_dir / r["run"] / "summary.json").read_text(encoding="utf-8"))
        solver = summary["solver"]
        gap = "n/a" if pd.isna(r["gap"]) else f"{r['gap']:.1%}"
        beaten = f"yes, by {r['dominated_by']}" if r["dominated"] else "no"
        rows.append(
            f"| {r['value']} | {r['wages_total_cny']:,.0f} | {r['objective_cny']:,.0f} | "
            f"{r['expected_service_level']:.2%} | {r['expected_three_min_rate']:.2%} | "
            f"{r['worst_interval_service_level']:.2%} | {r['short_agent_hours']:,.1f} | "
            f"{r['temporary_headcount']} | {gap} | {solver['status']} | "
            f"{solver['wall_time_s']} | {beaten} |"
        )
    dominated = table.loc[table["dominated"], "label"].tolist()
    lp = summary["solver"].get("lp_bound_cny") is not None
    verdict = "within" if wall <= LIMIT_S else "OVER"
    extra = " ".join(args.extra_list) or "(none)"
    return "\n".join([
        "# Cost–service frontier on the demo scenario",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {os.cpu_count()} cores (pinned to "
        f"{args.cores}), Python {platform.python_version()}, {_versions()}.",
        f"Load average before / after: {load[0]:.2f} / {load[1]:.2f} (other jobs shared the "
        "machine: other sessions ran their test suites at the same time).",
        "",
        "`peakplan frontier data/sample/double11-2026.toml --param service.service_level "
        f"--values {args.values} --backend local --jobs {args.cores}`; extra flags: {extra}.",
        f"Solver per run (from summary.json): time limit {solver['time_limit_s']} s, seed "
        f"{solver['random_seed']}, {solver['num_workers']} CP-SAT worker, deterministic "
        f"{solver['deterministic']}, HiGHS LP bound {'on' if lp else 'off'}.",
        "",
        f"**Wall time {wall:.0f} s for {len(table)} runs on {args.cores} cores — {verdict} the "
        f"{LIMIT_S:.0f} s of acceptance 3.**",
        "",
        "| service target | wages CNY | objective CNY | service (as scheduled) | 3-min rate | "
        "worst interval | short agent-h | temps | gap | status | solve s | dominated |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Dominated points: {', '.join(dominated) if dominated else 'none'}.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", default="0.7,0.75,0.8,0.85,0.9")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--extra", default="", help="more frontier flags, one string")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--keep", type=Path, help="write the frontier directory here")
    args = parser.parse_args()
    args.extra_list = shlex.split(args.extra)
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.keep or Path(tmp) / "frontier"
        load_before = os.getloadavg()[0]
        wall, stdout = _run(args.values, args.cores, args.extra_list, out_dir)
        load_after = os.getloadavg()[0]
        print(stdout)
        table = pd.read_csv(out_dir / "frontier.csv")
        text = _report(table, out_dir, wall, args, (load_before, load_after))
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
