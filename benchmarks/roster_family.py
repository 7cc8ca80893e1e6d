"""Roster benchmark over an instance family: median and worst gap to the LP bound per size.

For each size N x D, ``roster_family_instances.family(N, D, count, seed)`` draws ``count``
instances (intraday shape, peak day, midnight rush, load, mix, availability, start weekday);
each is solved with the product's default solve path (``roster_bench.run_cpsat``:
``solve_roster`` + the independent validator, one instance after another so each run has every
core) and gapped against the HiGHS LP bound (``lp_bound.build_and_solve``, as roster_bench).

    python -m benchmarks.roster_family --sizes 200x14,50x28 --count 6 --time-limit 60 \
        --out benchmarks/results/roster_family.md [--json]

Writes the markdown report (rewritten after every instance) and, with ``--json``, the raw rows
next to it (same name, ``.json``). Instances are deterministic given ``--seed``; costs depend
on timing (wall-clock limited search) unless the solver is.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_format import cny, cores, package_version  # noqa: E402
from benchmarks.lp_bound import build_and_solve  # noqa: E402
from benchmarks.roster_bench import run_cpsat  # noqa: E402
from benchmarks.roster_family_instances import (  # noqa: E402
    FamilySpec,
    achieved_load,
    build_problem,
    family,
)

OUT = ROOT / "benchmarks" / "results" / "roster_family.md"


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"200x14,50x28"`` -> ``[(200, 14), (50, 28)]`` (agents, days)."""
    out = []
    for part in text.split(","):
        n, d = (int(x) for x in part.strip().lower().split("x"))
        out.append((n, d))
    return out


def gap_pct(cost: float | None, lp: float | None) -> float | None:
    """(cost - LP bound) / LP bound in %; None when either is missing or the bound is 0."""
    if cost is None or lp is None or lp == 0:
        return None
    return 100 * (cost - lp) / abs(lp)


def run_spec(spec: FamilySpec, args) -> dict:
    """Build, bound and solve one instance; the row of the report (CNY, hours, seconds)."""
    problem = build_problem(spec)
    t = time.perf_counter()
    lp = build_and_solve(problem).lp_bound_cny
    lp_wall = time.perf_counter() - t
    cfg = SimpleNamespace(time_limit=args.time_limit, workers=args.workers, seed=args.solver_seed)
    cp = run_cpsat(problem, cfg)
    return {
        "spec": dataclasses.asdict(spec),
        "summary": spec.summary(),
        "n": spec.n_agents,
        "d": spec.n_days,
        "peak_req": max(problem.required),
        "load": achieved_load(problem),
        "lp": lp,
        "lp_wall": lp_wall,
        "cp": cp,
        "gap": gap_pct(cp.get("cost"), lp),
    }


def summarise(rows: list[dict], time_limit: float) -> dict:
    """Per-size summary: median and worst gap (%), max violations, max wall / limit."""
    gaps = [r["gap"] for r in rows if r["gap"] is not None]
    walls = [r["cp"]["wall"] for r in rows if "wall" in r["cp"]]
    viol = [r["cp"]["violations"] for r in rows if "violations" in r["cp"]]
    return {
        "runs": len(rows),
        "solved": len(gaps),
        "median_gap": statistics.median(gaps) if gaps else None,
        "worst_gap": max(gaps) if gaps else None,
        "max_violations": max(viol) if viol else None,
        "max_wall_ratio": max(walls) / time_limit if walls else None,
    }


STAGES = ("constructive", "local_search", "cp_sat", "final_local_search")


def stage_gains(rows: list[dict]) -> dict[str, tuple[float, float, int]]:
    """Per stage: (median seconds, median gain in % of the constructive score, runs in which it
    gained > 0.01 %). The constructive stage's gain is 0 by definition."""
    out = {}
    for name in STAGES:
        secs, gains, hits = [], [], 0
        for r in rows:
            st = r["cp"].get("stages") or []
            if not st:
                continue
            base = st[0][2]
            prev = {s[0]: (st[k - 1][2] if k else s[2]) for k, s in enumerate(st)}
            row = next((s for s in st if s[0] == name), None)
            if row is None or not base:
                continue
            gain = 100 * (prev[name] - row[2]) / abs(base)
            secs.append(row[1])
            gains.append(gain)
            hits += gain > 0.01
        if secs:
            out[name] = (statistics.median(secs), statistics.median(gains), hits)
    return out


def _versions() -> str:
    names = ("ortools", "highspy", "numpy", "pandas", "pydantic")
    return f"Python {platform.python_version()}, " + ", ".join(
        f"{n} {package_version(n)}" for n in names)


def _pct(g: float | None) -> str:
    return "–" if g is None else f"{g:+.2f} %"


def render(results: dict[str, list[dict]], args) -> str:
    """The markdown report: header, per-size summary, then one table per size."""
    lines = [
        "# Roster benchmark over an instance family",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, "
        f"{platform.machine()}, {_versions()}.",
        f"Family seed {args.seed}, "
        + (f"{args.count} instances per size" if args.index is None else
           f"instances {args.index} of a family of {args.count} per size")
        + ", start weekdays "
        f"{args.weekdays} "
        "(benchmarks/roster_family_instances.py); solve_roster with time limit "
        f"{args.time_limit:g} s, num_workers {args.workers}, solver seed {args.solver_seed}, "
        "one instance after another. Cost = the validator's recomputed total (CNY); "
        "gap = (cost − LP bound) / LP bound, LP bound from HiGHS (benchmarks/lp_bound.py).",
        "",
        "## Summary per size",
        "",
        "| agents × days | runs | solved | median gap | worst gap | max viol. | max wall / limit |",
        "|---|---|---|---|---|---|---|",
    ]
    for size, rows in results.items():
        s = summarise(rows, args.time_limit)
        viol = "–" if s["max_violations"] is None else s["max_violations"]
        lines.append(
            f"| {size} | {s['runs']} | {s['solved']} | {_pct(s['median_gap'])} | "
            f"{_pct(s['worst_gap'])} | {viol} | {cny(s['max_wall_ratio'], 2)} |"
        )
    lines += ["", "## What each stage contributes (median seconds, median gain in % of the "
              "constructive roster's score, runs with a gain)", "",
              "| agents × days | " + " | ".join(STAGES) + " |", "|---" * (len(STAGES) + 1) + "|"]
    for size, rows in results.items():
        g = stage_gains(rows)
        cells = [f"{g[s][0]:.1f} s, {g[s][1]:.2f} %, {g[s][2]}" if s in g else "–"
                 for s in STAGES]
        lines.append(f"| {size} | " + " | ".join(cells) + " |")
    for size, rows in results.items():
        lines += [
            "",
            f"## {size}",
            "",
            "| # | instance | load | peak req | LP bound | cost | gap | short h | viol. | wall s |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for k, r in enumerate(rows):
            i = r.get("index", k)
            cp = r["cp"]
            cost = cny(cp["cost"]) if "cost" in cp else cp.get("status", "–")
            lines.append(
                f"| {i} | {r['summary']} | {r['load']:.3f} | {r['peak_req']:g} | {cny(r['lp'])} | "
                f"{cost} | {_pct(r['gap'])} | {cny(cp.get('short_h'), 1)} | "
                f"{cp.get('violations', '–')} | {cny(cp.get('wall'), 1)} |"
            )
        bad = [(r.get("index", k), r["cp"].get("rules")) for k, r in enumerate(rows)
               if r["cp"].get("violations")]
        if bad:
            lines += ["", "Violated rules: " + "; ".join(f"#{i}: {', '.join(x)}" for i, x in bad)]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200x14,50x28", help="comma-separated AGENTSxDAYS")
    ap.add_argument("--count", type=int, default=6, help="instances per size")
    ap.add_argument("--time-limit", type=float, default=60.0, help="solve seconds per instance")
    ap.add_argument("--workers", type=int, default=8, help="num_workers (roster_bench's default)")
    ap.add_argument("--seed", type=int, default=0, help="family seed")
    ap.add_argument("--solver-seed", type=int, default=0)
    ap.add_argument("--weekdays", default="0,1,2,3,4,5,6",
                    help="start weekdays to draw from, 0=Mon..6=Sun (comma-separated)")
    ap.add_argument("--index", default=None,
                    help="only these instances of each size's family (comma-separated "
                         "positions in the --count list, e.g. 1,3)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--json", action="store_true", help="also write the raw rows to OUT.json")
    args = ap.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, list[dict]] = {}
    weekdays = tuple(int(x) for x in args.weekdays.split(","))
    keep = None if args.index is None else {int(x) for x in args.index.split(",")}
    for n, d in parse_sizes(args.sizes):
        rows = results.setdefault(f"{n} × {d}", [])
        for i, spec in enumerate(family(n, d, args.count, args.seed, weekdays)):
            if keep is not None and i not in keep:
                continue
            print(f"{n}x{d}: {spec.summary()} ...", flush=True)
            rows.append({**run_spec(spec, args), "index": i})
            r = rows[-1]
            print(f"  lp {r['lp']:.0f} cost {r['cp'].get('cost')} gap {_pct(r['gap'])} "
                  f"viol {r['cp'].get('violations')} wall {r['cp'].get('wall')}", flush=True)
            _write(args.out, render(results, args))
            if args.json:
                _write(args.out.with_suffix(".json"),
                       json.dumps(results, indent=1, default=str, ensure_ascii=False))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
