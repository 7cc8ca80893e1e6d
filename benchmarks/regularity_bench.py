"""What regular shifts cost: the demo scenario with and without ``max_start_spread_hours``.

Runs ``peakplan run`` on the bundled demo (data/sample/double11-2026.toml, its own 60 s limit
and LP bound) twice, without the rule and with ``rules.max_start_spread_hours = 4`` (every
named agent's starts within +-2 h per calendar week), and reports cost, gap to the LP bound,
short hours, validator result, and how regular the permanent agents' starts are: distinct start
times per agent over the plan and start spread per agent-week (hours; 24 h minus the largest gap
around the clock). Writes benchmarks/results/regularity.md.

Usage: python benchmarks/regularity_bench.py [--spread 4] [--time-limit 60]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from benchmarks.bench_format import cores

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "sample" / "double11-2026.toml"
OUT = ROOT / "benchmarks" / "results" / "regularity.md"


def spread_h(minutes: list[int]) -> float:
    """Clock spread of start minutes: 24 h minus the largest gap around the clock, hours."""
    c = sorted(set(minutes))
    gaps = [b - a for a, b in zip(c, c[1:], strict=False)] + [c[0] + 1440 - c[-1]]
    return (1440 - max(gaps)) / 60


def regularity(roster: pd.DataFrame) -> dict:
    """Distinct starts per permanent agent and the spread per agent-week (hours)."""
    perm = roster[roster["agent_type"] == "permanent"].copy()
    start = pd.to_datetime(perm["shift_start"])
    perm["minute"] = start.dt.hour * 60 + start.dt.minute
    perm["week"] = start.dt.date.map(lambda d: d.isocalendar()[:2])
    distinct = perm.groupby("agent_id")["minute"].nunique()
    spreads = perm.groupby(["agent_id", "week"])["minute"].agg(lambda m: spread_h(list(m)))
    return {"distinct_median": float(distinct.median()),
            "distinct_p90": float(distinct.quantile(0.9)),
            "spread_median": float(spreads.median()), "spread_max": float(spreads.max()),
            "weeks_over_4h": int((spreads > 4 + 1e-9).sum()), "agent_weeks": int(len(spreads))}


def run(out: Path, extra: list[str], limit: float) -> dict:
    cmd = [str(ROOT / ".venv" / "bin" / "peakplan"), "run", str(DEMO), "--out", str(out),
           "--quiet", "--time-limit", str(limit), *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    roster = pd.read_csv(out / "roster.csv", encoding="utf-8-sig", dtype={"agent_id": str})
    return {"rc": proc.returncode, "summary": summary, "reg": regularity(roster)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spread", type=float, default=4.0)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        free = run(Path(tmp) / "free", [], args.time_limit)
        rule = run(Path(tmp) / "rule", ["--set", f"rules.max_start_spread_hours={args.spread:g}"],
                   args.time_limit)
    lines = ["# What regular shifts cost (demo scenario)", "",
             f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}; "
             f"`peakplan run {DEMO.relative_to(ROOT)}` with `--time-limit "
             f"{args.time_limit:g}`, without and with `rules.max_start_spread_hours = "
             f"{args.spread:g}` (named agents' starts within ±{args.spread / 2:g} h per calendar "
             "week). Cost = the validator's total (CNY); gap to the HiGHS LP bound.", "",
             "| plan | cost CNY | gap to LP | short h | validator | exit | distinct starts per "
             "permanent agent (median / p90) | start spread per agent-week, h (median / max) | "
             "agent-weeks over 4 h |", "|---|---|---|---|---|---|---|---|---|"]
    for name, r in (("free starts", free), (f"±{args.spread / 2:g} h rule", rule)):
        s, g = r["summary"], r["reg"]
        v = s["validation"]
        lines.append(
            f"| {name} | {s['solver']['objective_cny']:,.0f} | "
            f"{(s['solver']['gap_to_lp'] or 0) * 100:+.1f} % | "
            f"{s['hours']['short_agent_hours']:,.1f} | {'ok' if v['ok'] else v['by_rule']} | "
            f"{r['rc']} | {g['distinct_median']:g} / "
            f"{g['distinct_p90']:g} | {g['spread_median']:g} / {g['spread_max']:g} | "
            f"{g['weeks_over_4h']} of {g['agent_weeks']} |")
    cost = rule["summary"]["solver"]["objective_cny"] - free["summary"]["solver"]["objective_cny"]
    base = free["summary"]["solver"]["objective_cny"]
    lines += ["", f"Regularity costs {cost:+,.0f} CNY ({100 * cost / base:+.1f} %) on the demo.",
              ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
