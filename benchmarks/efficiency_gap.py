"""How much of the roster's gap to the LP bound comes from agents' efficiencies.

Each agent covers ``efficiency`` agents of requirement per slot on duty (0.9-1.08 on the demo,
0.9 / 1.0 / 1.1 in the benchmark families) and a temporary covers its ramp efficiency (0.7,
0.85, 1.0 by days since its first shift). Requirements are whole agents. The HiGHS LP bound
(``scheduler/roster/checks/lower_bound.py``) mixes shifts of different efficiencies
fractionally and can meet a requirement of 20 with exactly 20.0 agents' worth of cover; a
roster of whole agents usually cannot, and pays for the rounding in surplus, extra part-time or
temporary hours, or shortfall.

This script solves the same instance four times: as given, with every named agent's efficiency
set to 1.0, with the temporaries' ramp set to 1.0, and with both. Demand, rules, costs and the
time limit stay as they are. A gap that shrinks when efficiencies are 1.0 is gap that comes
from efficiency-weighted cover: either the bound is loose there or the search is short there;
``--mip-seconds`` also runs HiGHS on the bound's own model with integer shift counts (small
instances only) to show how far the integer optimum of that relaxation is from its LP.

    python -m benchmarks.efficiency_gap --instances demo,100x28#3 --seconds 60 \
        --out benchmarks/results/efficiency_gap.md

Instance names as in ``benchmarks/tour_bound.py``: ``demo``, ``NxD#k`` (family, seed 0, 6 per
size) or ``grid:NxD`` (the seeded grid). Money in CNY, hours in agent-hours.
"""

from __future__ import annotations

import argparse
import platform
from datetime import datetime
from pathlib import Path

from benchmarks.bench_format import cny, cores, pct_over, versions
from benchmarks.tour_bound import problem_of
from scheduler.roster.checks.lower_bound import build_and_solve
from scheduler.roster.checks.validator import roster_frame_from_assignments, validate_roster
from scheduler.roster.schema import RosterProblem, SolverConfig
from scheduler.roster.solve import solve_roster

VARIANTS = ("as given", "agents 1.0", "ramp 1.0", "both 1.0")


def variant(problem: RosterProblem, name: str) -> RosterProblem | None:
    """``problem`` with the efficiencies of ``name`` set to 1.0 (None: same as given)."""
    update: dict = {}
    if name in ("agents 1.0", "both 1.0"):
        if all(a.efficiency == 1.0 for a in problem.agents):
            return None if name == "agents 1.0" else variant(problem, "ramp 1.0")
        update["agents"] = [a.model_copy(update={"efficiency": 1.0}) for a in problem.agents]
    if name in ("ramp 1.0", "both 1.0"):
        pool = problem.temporary
        if pool.max_headcount > 0 and any(e != 1.0 for e in pool.efficiency_ramp):
            ramp = (1.0,) * len(pool.efficiency_ramp)
            update["temporary"] = pool.model_copy(update={"efficiency_ramp": ramp})
    if not update:
        return None if name != "as given" else problem
    return problem.model_copy(update=update)


def measure(problem: RosterProblem, seconds: float, mip_seconds: float) -> dict:
    """LP bound, optional integer relaxation, and the product's roster (validated) in CNY."""
    bound = build_and_solve(problem, mip_time_limit_s=mip_seconds or None)
    res = solve_roster(problem, SolverConfig(time_limit_s=seconds, random_seed=0))
    rep = validate_roster(problem, roster_frame_from_assignments(res.assignments))
    hours = rep.paid_hours_by_type
    return {
        "lp": bound.lp_bound_cny,
        "mip": bound.mip_objective_cny,
        "mip_bound": bound.mip_dual_bound_cny,
        "cost": rep.total_cost_cny,
        "violations": len(rep.violations),
        "short_h": rep.shortfall_agent_hours,
        "surplus_h": rep.surplus_agent_hours,
        "lp_surplus_h": (bound.lp_breakdown or {}).get("surplus_agent_hours"),
        "part_time_h": hours.get("part_time", 0.0),
        "temporary_h": hours.get("temporary", 0.0),
    }


def render_row(instance: str, name: str, r: dict | None) -> str:
    if r is None:
        return f"| {instance} | {name} | same as given (no such efficiency) | | | | | | | |"
    mip = ("–" if r["mip_bound"] is None
           else f"{cny(r['mip'])} / {cny(r['mip_bound'])}")
    return (f"| {instance} | {name} | {cny(r['lp'])} | {cny(r['cost'])} "
            f"| {pct_over(r['cost'], r['lp'])} | {r['short_h']:,.1f} "
            f"| {r['surplus_h']:,.1f} / {cny(r['lp_surplus_h'], 1)} "
            f"| {r['part_time_h']:,.0f} | {r['temporary_h']:,.0f} | {mip} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", default="demo,200x14#3,100x28#3,grid:12x7")
    ap.add_argument("--seconds", type=float, default=60.0, help="roster time limit per solve")
    ap.add_argument("--mip-seconds", type=float, default=0.0,
                    help="HiGHS on the bound's model with integer counts, this long")
    ap.add_argument("--mip-instances", default="grid:12x7",
                    help="the (small) instances --mip-seconds applies to")
    ap.add_argument("--out", type=Path, default=None, help="write the Markdown report here")
    args = ap.parse_args(argv)
    lines = [
        "# Roster gap with and without agents' efficiencies",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, machine: {cores()}, "
        f"{platform.machine()}, {versions()}. "
        f"`python -m benchmarks.efficiency_gap --seconds {args.seconds:g}"
        + (f" --mip-seconds {args.mip_seconds:g} --mip-instances {args.mip_instances}"
           if args.mip_seconds else "")
        + "`: the product's `solve_roster` (time limit as given, seed 0, default workers), "
        "cost recomputed by the validator; LP: the HiGHS bound of the same variant.",
        "",
        "| instance | efficiencies | LP bound | roster | gap | short h | surplus h roster / LP "
        "| part-time h | temporary h | integer relaxation: incumbent / bound |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    mip_for = set(args.mip_instances.split(","))
    for instance in args.instances.split(","):
        base = problem_of(instance)
        mip = args.mip_seconds if instance in mip_for else 0.0
        for name in VARIANTS:
            problem = variant(base, name)
            row = render_row(instance, name, None if problem is None
                             else measure(problem, args.seconds, mip))
            print(row, flush=True)
            lines.append(row)
    text = "\n".join(lines) + "\n"
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
