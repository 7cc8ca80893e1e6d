"""Roster benchmark: CP-SAT roster vs the HiGHS LP bound, the anonymous MIP, staff-to-peak and
pyworkforce. Every roster is re-checked by the independent validator, whose recomputed total
(wages + shortfall + overstaff penalties, CNY) is the cost reported.

    .venv/bin/python benchmarks/roster_bench.py [--quick] [--time-limit 60] [--workers 8]

Writes benchmarks/results/roster.md (rewritten after every instance). Instances come from
benchmarks/roster_instances.py (seeded); see baselines.py for the two baselines.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baselines import pyworkforce_min_required, staff_to_peak  # noqa: E402
from benchmarks.bench_format import cny, cores, pct_over, versions  # noqa: E402
from benchmarks.lp_bound import build_and_solve  # noqa: E402
from benchmarks.roster_instances import HISTORY, make_instance, pyworkforce_variant  # noqa: E402
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster  # noqa: E402
from scheduler.roster.schema import RosterProblem, SolverConfig  # noqa: E402

GRID = [(n, d) for n in (50, 100, 200, 400) for d in (7, 14, 28)]
QUICK = [(50, 7), (200, 14)]
PW_GRID = [(50, 7), (100, 14), (200, 14)]
PW_QUICK = [(50, 7)]
OUT = ROOT / "benchmarks" / "results" / "roster.md"
FULL_COVER_CNY = 100_000.0  # shortfall price per agent-hour that makes full cover always pay


def _solver():
    try:
        from scheduler.roster.solve import solve_roster
    except ImportError:
        return None
    return solve_roster


def _validated(problem: RosterProblem, assignments) -> dict:
    rep = validate_roster(problem, roster_frame_from_assignments(assignments))
    return {
        "cost": rep.total_cost_cny,
        "wage": rep.wage_cost_cny,
        "short_h": rep.shortfall_agent_hours,
        "violations": len(rep.violations),
        "rules": sorted({v.rule for v in rep.violations}),
        "temps": rep.temporaries_hired,
    }


def run_cpsat(problem: RosterProblem, args, priced_as: RosterProblem | None = None) -> dict:
    """Solve and validate; ``priced_as``: validate (and cost) against this problem instead."""
    solve = _solver()
    if solve is None:
        return {"status": "n/a (scheduler/roster/solve.py missing)"}
    cfg = SolverConfig(
        time_limit_s=args.time_limit, num_workers=args.workers, random_seed=args.seed
    )
    t = time.perf_counter()
    try:
        res = solve(problem, cfg)
    except Exception as exc:  # noqa: BLE001 - the bench reports failures instead of stopping
        traceback.print_exc()
        return {"status": f"error: {type(exc).__name__}: {str(exc)[:80]}"}
    wall = time.perf_counter() - t
    out = {
        "status": res.status,
        "wall": wall,
        "objective": res.objective_cny,
        "bound": res.best_bound_cny,
        "stages": [[s.stage, round(s.seconds, 2), s.score_cny, s.detail] for s in res.stages],
        **_validated(priced_as or problem, res.assignments),
    }
    return out


def run_instance(n: int, d: int, args) -> dict:
    problem = make_instance(n, d, args.seed)
    row: dict = {
        "n": n,
        "d": d,
        "slots": len(problem.slot_starts),
        "peak": max(problem.required),
        "temp_pool": problem.temporary.max_headcount,
    }
    b = build_and_solve(problem, mip_time_limit_s=args.mip_time)
    row["lp"] = b.lp_bound_cny
    row["lp_time"] = b.lp_time_s
    row["mip"], row["mip_bound"], row["mip_status"] = (
        b.mip_objective_cny,
        b.mip_dual_bound_cny,
        b.mip_status,
    )
    t = time.perf_counter()
    stp = staff_to_peak(problem)
    row["stp"] = {**_validated(problem, stp), "wall": time.perf_counter() - t}
    row["cp"] = run_cpsat(problem, args)
    return row


def run_pyworkforce(n: int, d: int, args) -> dict:
    problem = pyworkforce_variant(n, d, args.seed)
    b = build_and_solve(problem, mip_time_limit_s=args.mip_time)
    pw = pyworkforce_min_required(problem, time_limit_s=args.time_limit)
    # the same instance with a shortfall price so high that full cover always pays: CP-SAT's
    # roster at pyworkforce's (zero) shortfall, costed at the instance's own prices
    covered = problem.model_copy(update={"costs": problem.costs.model_copy(
        update={"shortfall_cost_per_agent_hour_cny": FULL_COVER_CNY})})
    return {
        "n": n,
        "d": d,
        "lp": b.lp_bound_cny,
        "mip": b.mip_objective_cny,
        "pw": pw,
        "cp": run_cpsat(problem, args),
        "cp_cover": run_cpsat(covered, args, priced_as=problem),
    }


def demo_problem() -> RosterProblem:
    """The demo scenario's RosterProblem, built with the scenarios pipeline (forecast+staffing)."""
    from scenarios.load import load_scenario
    from scenarios.pipeline import prepare_plan

    scenario = load_scenario(ROOT / "data" / "sample" / "double11-2026.toml")
    return prepare_plan(scenario).problem


def run_demo(args) -> dict:
    try:
        problem = demo_problem()
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {str(exc)[:120]}"}
    b = build_and_solve(problem, mip_time_limit_s=args.mip_time)
    return {
        "n": len(problem.agents),
        "d": len(problem.slot_starts) // 48,
        "lp": b.lp_bound_cny,
        "mip": b.mip_objective_cny,
        "stp": _validated(problem, staff_to_peak(problem)),
        "cp": run_cpsat(problem, args),
    }


# ----------------------------------------------------------------------------------- report


def render(rows: list[dict], pw_rows: list[dict], demo: dict | None, args) -> str:
    src = "data/sample/history.csv" if HISTORY.exists() else "synthetic seeded series"
    lines = [
        "# Roster benchmark",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, "
        f"{versions(reference=True)}.",
        f"CP-SAT: time limit {args.time_limit:g} s, num_workers {args.workers}, seed {args.seed}; "
        f"anonymous MIP: HiGHS, {args.mip_time:g} s limit. Demand from {src}, seed {args.seed}. "
        "Costs are the validator's recomputed totals in CNY (marginal wages + shortfall and "
        "overstaff penalties; permanent contract hours are sunk and cost 0).",
        *([f"Rerun on their own at this time (--only): {', '.join(args.only)}; the other rows "
           "are from the last full run."] if getattr(args, "only", None) else []),
        "",
        "gap LP = (cost − LP bound) / LP bound; gap CP = (cost − CP-SAT's own bound) / cost. "
        "Anonymous MIP = HiGHS integer optimum (or best found / dual bound when the limit hits) of "
        "the same anonymous model: coverage before per-agent rules. Staff-to-peak: three fixed "
        "8-h shifts a day, each staffed to the peak of its span (see benchmarks/baselines.py).",
        "",
        "| agents × days | slots | peak req | LP bound | anon. MIP (best / bound) | CP-SAT cost | "
        "gap LP | gap CP | short h | viol. | wall s | staff-to-peak cost | STP short h | "
        "STP viol. | CP vs STP |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cp, stp = r["cp"], r["stp"]
        has = "cost" in cp
        gap_cp = pct_over(cp.get("cost"), cp.get("bound")) if has else "–"
        if has and cp.get("bound") is not None and cp["cost"]:
            gap_cp = f"{100 * (cp['cost'] - cp['bound']) / cp['cost']:.2f} %"
        lines.append(
            f"| {r['n']} × {r['d']} | {r['slots']} | {r['peak']:g} | {cny(r['lp'])} | "
            f"{cny(r['mip'])} / {cny(r['mip_bound'])} | "
            f"{cny(cp.get('cost')) if has else cp['status']} | "
            f"{pct_over(cp.get('cost'), r['lp'])} | "
            f"{gap_cp} | {cny(cp.get('short_h'), 1)} | {cp.get('violations', '–')} | "
            f"{cny(cp.get('wall'), 1)} | {cny(stp['cost'])} | {cny(stp['short_h'], 1)} | "
            f"{stp['violations']} | {pct_over(cp.get('cost'), stp['cost'])} |"
        )
    bad = [(r["n"], r["d"], r["cp"].get("rules")) for r in rows if r["cp"].get("violations")]
    if bad:
        lines += [
            "",
            "Validator violations (rules) of CP-SAT rosters: "
            + "; ".join(f"{n}×{d}: {', '.join(rules)}" for n, d, rules in bad),
        ]
    lines += [
        "",
        "## Against pyworkforce MinRequiredResources (where it applies)",
        "",
        "pyworkforce variant of each instance (benchmarks/roster_instances.py "
        "`pyworkforce_variant`): one paid-hourly type, 4–8 h single-day shifts without breaks, "
        "no temporaries, hard coverage, and none of the per-agent rules pyworkforce cannot "
        "express (no minimum rest, no consecutive-day limit, demand at a quarter of the agents' "
        "weekly capacity, so that its busiest day needs no more shifts than there are agents: "
        "column \"pw max shifts/day\"). pyworkforce's cost is its wage plus the overstaff penalty "
        "of its coverage under our prices; its `num_search_workers` is ignored (bug), so it runs "
        "on all cores. \"Full cover\": CP-SAT on the same instance with the shortfall priced "
        f"at {FULL_COVER_CNY:,.0f} CNY per agent-hour (so it covers every slot, like "
        "pyworkforce's hard constraint), its roster costed at the instance's own prices: the "
        "comparison at equal shortfall.",
        "",
        "| agents × days | LP bound | anon. MIP | pyworkforce status | pyworkforce cost "
        "| pw max shifts/day | pw wall s | CP-SAT cost | CP short h | CP viol. | CP vs pyworkforce "
        "| CP full-cover cost | full-cover short h | full-cover viol. "
        "| full cover vs pyworkforce |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in pw_rows:
        pw, cp, cc = r["pw"], r["cp"], r.get("cp_cover", {"status": "–"})
        lines.append(
            f"| {r['n']} × {r['d']} | {cny(r['lp'])} | {cny(r['mip'])} | {pw.get('status')} | "
            f"{cny(pw.get('total_cost_cny'))} | {pw.get('max_shifts_per_day', '–')} | "
            f"{cny(pw.get('wall_time_s'), 1)} | "
            f"{cny(cp.get('cost')) if 'cost' in cp else cp['status']} | "
            f"{cny(cp.get('short_h'), 1)} | {cp.get('violations', '–')} | "
            f"{pct_over(cp.get('cost'), pw.get('total_cost_cny'))} | "
            f"{cny(cc.get('cost')) if 'cost' in cc else cc['status']} | "
            f"{cny(cc.get('short_h'), 1)} | {cc.get('violations', '–')} | "
            f"{pct_over(cc.get('cost'), pw.get('total_cost_cny'))} |"
        )
    if demo is not None:
        lines += ["", "## Demo scenario (data/sample/double11-2026.toml)", ""]
        if "error" in demo:
            lines.append(f"Not run: {demo['error']}")
        else:
            cp, stp = demo["cp"], demo["stp"]
            lines += [
                "| agents × days | LP bound | anon. MIP | CP-SAT cost | CP short h | CP viol. | "
                "staff-to-peak cost | STP short h | STP viol. | CP vs STP |",
                "|---|---|---|---|---|---|---|---|---|---|",
                f"| {demo['n']} × {demo['d']} | {cny(demo['lp'])} | {cny(demo['mip'])} | "
                f"{cny(cp.get('cost')) if 'cost' in cp else cp['status']} | "
                f"{cny(cp.get('short_h'), 1)} | {cp.get('violations', '–')} | {cny(stp['cost'])} | "
                f"{cny(stp['short_h'], 1)} | {stp['violations']} | "
                f"{pct_over(cp.get('cost'), stp['cost'])} |",
            ]
    lines += ["", "## Notes", "", *NOTES]
    return "\n".join(lines) + "\n"


NOTES = [
    "- LP bound (benchmarks/lp_bound.py): anonymous template cover over every start, paid length "
    "and meal placement of each type and day, agents grouped by (type, efficiency, window); rows "
    "per class for shifts per day (available agents), shifts on duty or in their trailing rest "
    "at each slot (class size / temps hired), consecutive-day windows, weekly hours per "
    "hourly-rate group, permanent agent-weeks as paths of a week-flow network per class "
    "(scheduler/roster/instance/week_flow.py: one shift a day, weekly min/max, overtime priced per "
    "agent, so one agent's unused contract hours cannot cancel another's overtime; this "
    "replaced session 2's aggregated overtime cuts and raised e.g. the 200 × 14 bound from "
    "25,712 to 25,971 CNY), temp hires (onboarding + training) with lead "
    "days, weekly temp hours; temporaries counted at their best ramp efficiency and paid short "
    "breaks ignored (both optimistic). Valid for every roster the validator accepts; the "
    "docstring gives the argument and tests/benchmarks/test_lp_bound.py checks it.",
    "- Instances: benchmarks/roster_instances.py; the volume of the Double 11 window of the "
    "sample history is converted to agents with ceil(volume × 0.65 × 420 / 3 / 1800 / 0.85 / "
    "0.85) per slot and scaled so mean demand = 0.8 × the permanent agents' contract hours; "
    "75 % permanent (40 h contract, 32–48 h), 25 % part-time (0–24 h, day or evening window), "
    "temp pool 25 % of N (32 CNY/h, 300 CNY + 8 h training, 2 lead days, ramp 0.7/0.85/1.0); "
    "shortfall 150 CNY and overstaff 1 CNY per agent-hour.",
    "- \"CP-SAT cost\" is the roster solve_roster returns within the time limit: stage-1 LP "
    "and restricted MIP (HiGHS), a constructive roster, whole-schedule local search "
    "(scheduler/roster/search/best_response.py: each agent's whole horizon re-optimised "
    "exactly by a compiled DP over its candidate shifts with everyone else fixed, then "
    "iterated kicks that empty schedules or ban one shift and offer it to others, "
    "on both cores in forked "
    "epochs, one of them re-optimising one date at a time by a HiGHS MIP over every agent's "
    "shift that day (scheduler/roster/search/day_mip.py), until 70 % of the limit), CP-SAT on the "
    "per-agent model (whole for up to 20,000 Booleans, else LNS seeded with the incumbent; "
    "25 % of the limit, SolverConfig.cp_sat_share) and a last round of local search (5 %); "
    "the cost is the validator's recomputation of the written roster. What each stage gains is "
    "in benchmarks/results/roster_family.md: on the large instances the local search gains "
    "far more per second than CP-SAT.",
    "- Costs are marginal: permanent contract hours are sunk (0 CNY), so relative gaps are "
    "taken on overtime + part-time + temporary wages + penalties only and look large when "
    "these are small.",
]


def _save_json(out: Path, rows: list[dict], pw_rows: list[dict], demo: dict | None) -> None:
    """The raw rows next to the report (``--demo-only``/``--pyworkforce-only`` reread them)."""
    out.with_suffix(".json").write_text(
        json.dumps({"grid": rows, "pyworkforce": pw_rows, "demo": demo}, indent=1, default=float),
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50×7 and 200×14 only")
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT seconds per instance")
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mip-time", type=float, default=30.0, help="HiGHS MIP seconds")
    ap.add_argument("--no-pyworkforce", action="store_true")
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument(
        "--demo-only",
        action="store_true",
        help="rerun only the demo scenario, keeping the other rows of --out's .json",
    )
    ap.add_argument(
        "--pyworkforce-only",
        action="store_true",
        help="rerun only the pyworkforce rows, keeping the other rows of --out's .json",
    )
    ap.add_argument(
        "--only",
        nargs="+",
        metavar="NxD",
        help="rerun only these grid instances (e.g. 400x28), keeping the other rows of the .json",
    )
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the report from --out's .json (no solving)",
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows: list[dict] = []
    pw_rows: list[dict] = []
    demo = None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.demo_only or args.pyworkforce_only or args.render_only or args.only:
        saved = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
        rows, pw_rows, demo = saved["grid"], saved["pyworkforce"], saved["demo"]
        for nd in args.only or []:
            n, d = (int(x) for x in nd.lower().split("x"))
            rows = [run_instance(n, d, args) if (r["n"], r["d"]) == (n, d) else r for r in rows]
        if args.demo_only:
            demo = run_demo(args)
        elif args.pyworkforce_only:
            pw_rows = [run_pyworkforce(n, d, args) for n, d in PW_GRID]
        args.out.write_text(render(rows, pw_rows, demo, args), encoding="utf-8")
        _save_json(args.out, rows, pw_rows, demo)
        return 0

    def flush() -> None:
        args.out.write_text(render(rows, pw_rows, demo, args), encoding="utf-8")

    for n, d in QUICK if args.quick else GRID:
        print(f"instance {n}x{d} ...", flush=True)
        rows.append(run_instance(n, d, args))
        print(rows[-1], flush=True)
        flush()
    if not args.no_pyworkforce:
        for n, d in PW_QUICK if args.quick else PW_GRID:
            print(f"pyworkforce {n}x{d} ...", flush=True)
            pw_rows.append(run_pyworkforce(n, d, args))
            print(pw_rows[-1], flush=True)
            flush()
    if not args.no_demo:
        print("demo scenario ...", flush=True)
        demo = run_demo(args)
        print(demo, flush=True)
    flush()
    _save_json(args.out, rows, pw_rows, demo)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
