"""Which side of the roster gap is loose? The per-agent (Dantzig-Wolfe) relaxation, probed.

The product's bound (``scheduler/roster/checks/lower_bound.py``) is the LP of an *anonymous*
model: per-agent rules (rest, consecutive days, weekly limits) enter only as sums over classes
of agents. The *per-agent* relaxation keeps every agent's whole schedule ("tour") legal and
only lets the roster mix tours fractionally: variables lambda[i, k] >= 0 for identity i's tour
k, sum_k lambda[i, k] = 1 per named agent, sum over temporary tours <= the pool's headcount,
coverage sum cov * lambda + u - o = required with u, o priced at the shortfall and surplus
prices. Its optimum Z_DW lies between the anonymous LP and every legal roster's cost.

Column generation with HiGHS: the restricted master over the tours found so far gives an
*upper* estimate of Z_DW (``master``); pricing every identity's cheapest tour under the
master's coverage duals (``TourPricer``: the solver's exact DP over **every** shift column, not
the search's restricted candidates; one temporary identity per possible first-shift day) gives
the Lagrangian *lower* bound

    L(pi) = pi . required + sum_named min_tour(cost - pi . cov)
            + headcount x min(0, min over temp tours of (cost - pi . cov))

for any pi in [-surplus price, shortfall price] (``lagrangian``). Duals are smoothed toward the
best pi so far (Wentges, ``ALPHA``), which cuts the tailing-off of plain column generation.

What it settles: if the master falls to within x % of the anonymous LP, the per-agent rules the
LP aggregates account for at most x % of the roster's gap; the rest is integrality (whole
shifts, whole agents) or the search. This is a diagnostic, not the product's bound: pricing
uses the solver's own DP (so it is not independent of the solver, and weekly minimums are
priced as the search's soft penalty, a relaxation), and it converges in minutes, not seconds.

    python -m benchmarks.tour_bound --instance demo --seconds 420
    python -m benchmarks.tour_bound --instance 200x14#3 --seconds 240   # family seed 0
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.lp_bound import build_and_solve  # noqa: E402
from scheduler.roster.instance.instance import Instance, build_instance  # noqa: E402
from scheduler.roster.lp.highs import quiet_highs, set_threads  # noqa: E402
from scheduler.roster.schema import RosterProblem  # noqa: E402
from scheduler.roster.search.tours import TourPricer  # noqa: E402
from scheduler.roster.solve import prepare_instance  # noqa: E402

ALPHA = 0.8  # Wentges smoothing: pricing duals = ALPHA x best-bound duals + (1 - ALPHA) x master's


@dataclass
class TourBound:
    """Column generation's result (CNY): the best Lagrangian bound, the last master value (an
    upper estimate of the per-agent relaxation), rounds, tours generated, seconds."""

    lagrangian: float
    master: float
    rounds: int
    tours: int
    seconds: float
    converged: bool
    integer_cny: float | None = None  # the integer master's roster, when asked for
    parts: dict[str, float] | None = None  # the last master's solution by category


def full_instance(problem: RosterProblem) -> Instance:
    """Every identity with *every* shift column its availability allows, and one temporary per
    possible first-shift day (lead days on), so the DP prices over all legal tours."""
    inst0, masks, _ = prepare_instance(problem, None)
    n_days = len(inst0.hz.days)
    lead = problem.temporary.lead_days
    cohorts = list(range(lead, n_days)) if problem.temporary.max_headcount > 0 else []
    keep = {t: np.arange(c.size) for t, c in inst0.cols.items()}
    return build_instance(problem, inst0.hz, inst0.cols, masks, keep, cohorts)


class _Master:
    """The restricted master in HiGHS: coverage rows, one convexity row per named agent, the
    temp pool row; slack columns first, then tours."""

    def __init__(self, inst: Instance, pricer: TourPricer) -> None:
        p = inst.problem
        self.inst, self.pricer, self.n_slots = inst, pricer, inst.hz.n_slots
        self.req = np.asarray(p.required, dtype=float)
        self.named = [i for i, x in enumerate(inst.ids) if x.agent_type != "temporary"]
        self.temps = [i for i, x in enumerate(inst.ids) if x.agent_type == "temporary"]
        self.row = {i: self.n_slots + k for k, i in enumerate(self.named)}
        self.pool_row = self.n_slots + len(self.named)
        inf = highspy.kHighsInf
        self.h = quiet_highs()
        set_threads(self.h, 2)
        ones = np.ones(len(self.named))
        self.h.addRows(self.pool_row + 1, np.concatenate([self.req, ones, [-inf]]),
                       np.concatenate([self.req, ones, [p.temporary.max_headcount]]),
                       0, np.zeros(1, np.int32), np.zeros(1, np.int32), np.zeros(1))
        for t in range(self.n_slots):
            self.h.addCol(inst.short_price, 0, inf, 1, np.array([t], np.int32), np.ones(1))
            self.h.addCol(inst.over_price, 0, inf, 1, np.array([t], np.int32), -np.ones(1))
        self.n_tours = 0
        self.tours: list[tuple[int, tuple]] = []  # (identity, tour) of each tour column
        for i in self.named:  # the empty tour (its weekly-minimum penalty included)
            self.add(i, ())

    def add(self, i: int, tour) -> None:
        cov = self.pricer.coverage(i, tour) if tour else np.zeros(self.n_slots)
        nz = np.flatnonzero(cov > 1e-12)
        idx = np.append(nz, self.row.get(i, self.pool_row)).astype(np.int32)
        self.h.addCol(self.pricer.tour_cost(i, tour), 0, highspy.kHighsInf, idx.size, idx,
                      np.append(cov[nz], 1.0))
        self.n_tours += 1
        self.tours.append((i, tuple(tour)))

    def solve(self) -> tuple[float, np.ndarray]:
        """Master value (CNY) and row duals."""
        self.h.run()
        return self.h.getInfo().objective_function_value, np.asarray(self.h.getSolution().row_dual)


def master_parts(m: _Master) -> dict[str, float]:
    """The master's current solution by category: shortfall and surplus (agent-hours and CNY),
    per agent type the paid hours, tour cost (CNY: wages above what permanents' contracts
    already pay, onboarding, week penalties) and agents (sum of the tour weights), and how many
    identities mix two or more tours fractionally; ``master_cny``: its value over every tour
    generated (re-solved, so it may lie below the last round's)."""
    m.h.run()
    x = np.asarray(m.h.getSolution().col_value)
    ns, inst = m.n_slots, m.inst
    hours = inst.problem.interval_minutes / 60
    short, over, lam = x[0:2 * ns:2], x[1:2 * ns:2], x[2 * ns:]
    out = {"master_cny": float(m.h.getInfo().objective_function_value),
           "shortfall_agent_hours": float(short.sum()) * hours,
           "shortfall_cny": float(short.sum()) * inst.short_price,
           "surplus_cny": float(over.sum()) * inst.over_price}
    mixed: dict[int, int] = {}
    for (i, tour), weight in zip(m.tours, lam, strict=True):
        if weight <= 1e-9:
            continue
        kind = inst.ids[i].agent_type
        paid = sum(float(inst.cols[kind].paid[j]) for _, j in tour) / 60
        for key, value in (("paid_hours", paid), ("cost_cny", m.pricer.tour_cost(i, tour)),
                           ("agents", 1.0)):
            out[f"{kind}_{key}"] = out.get(f"{kind}_{key}", 0.0) + weight * value
        if weight < 1 - 1e-6:
            mixed[i] = mixed.get(i, 0) + 1
    out["fractional_identities"] = float(sum(1 for n in mixed.values() if n >= 2))
    return out


def price_all(inst: Instance, pricer: TourPricer, pi: np.ndarray) -> dict[int, tuple]:
    """Each identity's cheapest tour under coverage duals ``pi`` (CNY per agent-slot):
    (cost - pi . coverage, tour)."""
    out = {}
    for i in range(len(inst.ids)):
        sp = pricer.spaces[i]
        seg = pi[sp.duty_slot] * sp.duty_agents
        val = sp.wage.copy()
        has = np.diff(sp.duty_ptr) > 0
        if seg.size:
            val[has] -= np.add.reduceat(seg, sp.duty_ptr[:-1][has])
        out[i] = pricer.price_flat(i, val)
    return out


def lagrangian(m: _Master, pi: np.ndarray, priced: dict[int, tuple]) -> float:
    """L(pi), a lower bound on every legal roster's cost for pi within the slack prices."""
    value = float(pi @ m.req) + sum(priced[i][0] for i in m.named)
    if m.temps:
        cap = m.inst.problem.temporary.max_headcount
        value += cap * min(0.0, min(priced[i][0] for i in m.temps))
    return value


def tour_bound(inst: Instance, seconds: float, log=print, mip_seconds: float = 0.0
               ) -> TourBound:
    """Column generation for at most ``seconds``, or until the master and the bound meet
    within 0.01 %."""
    pricer = TourPricer(inst)
    m = _Master(inst, pricer)
    lo, hi = -inst.over_price, inst.short_price
    best, stab, rounds, z, converged = -np.inf, None, 0, np.inf, False
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        z, y = m.solve()
        pi_m = np.clip(y[: m.n_slots], lo, hi)
        added = 0
        for a in ((ALPHA, 0.0) if stab is not None else (0.0,)):
            pi = a * stab + (1 - a) * pi_m if a else pi_m
            priced = price_all(inst, pricer, pi)
            bound = lagrangian(m, pi, priced)
            if bound > best:
                best, stab = bound, pi.copy()
            for i, (_, tour) in priced.items():
                if not tour:
                    continue
                mu = y[m.row.get(i, m.pool_row)]
                rc = pricer.tour_cost(i, tour) - y[: m.n_slots] @ pricer.coverage(i, tour) - mu
                if rc < -1e-6:
                    m.add(i, tour)
                    added += 1
            if added:
                break
        rounds += 1
        if rounds % 10 == 0:
            log(f"  round {rounds}, {time.perf_counter() - t0:.0f} s: master {z:,.0f}, "
                f"bound {best:,.0f}")
        if z - best <= 1e-4 * abs(z):  # the relaxation's value is known within 0.01 %
            converged = True
            break
    spent = time.perf_counter() - t0
    parts = master_parts(m)
    mip = integer_master(m, mip_seconds) if mip_seconds > 0 else None
    return TourBound(best, z, rounds, m.n_tours, spent, converged, mip, parts)


def integer_master(m: _Master, seconds: float) -> float | None:
    """The master with integer tour counts (a legal roster: one generated tour per named agent,
    temporaries within the pool), HiGHS for ``seconds``: its cost in CNY, None if none found."""
    n, first = m.h.getNumCol(), 2 * m.n_slots
    m.h.changeColsIntegrality(n - first, np.arange(first, n, dtype=np.int32),
                              np.full(n - first, highspy.HighsVarType.kInteger))
    m.h.setOptionValue("time_limit", float(seconds))
    m.h.setOptionValue("random_seed", 0)
    m.h.run()
    info = m.h.getInfo()
    return float(info.objective_function_value) if info.primal_solution_status else None


def problem_of(name: str) -> RosterProblem:
    """``demo``, ``NxD#k`` (instance k of the family, seed 0, 6 per size) or ``grid:NxD`` (the
    roster benchmark's seeded grid instance, seed 0)."""
    if name.startswith("grid:"):
        from benchmarks.roster_instances import make_instance

        n, d = (int(x) for x in name[5:].split("x"))
        return make_instance(n, d, 0)
    if name == "demo":
        from benchmarks.roster_bench import demo_problem

        return demo_problem()
    from benchmarks.roster_family_instances import build_problem, family

    size, k = name.split("#")
    n, d = (int(x) for x in size.split("x"))
    return build_problem(family(n, d, 6, 0)[int(k)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instance", default="demo")
    ap.add_argument("--seconds", type=float, default=420)
    ap.add_argument("--mip-seconds", type=float, default=0.0,
                    help="then solve the master with integer tour counts for this long")
    ap.add_argument("--out", type=Path, default=None, help="append a Markdown row here")
    args = ap.parse_args(argv)
    problem = problem_of(args.instance)
    lp = build_and_solve(problem).lp_bound_cny
    res = tour_bound(full_instance(problem), args.seconds, mip_seconds=args.mip_seconds)
    mip = "–" if res.integer_cny is None else f"{res.integer_cny:,.0f}"
    row = (f"| {args.instance} | {lp:,.0f} | {res.lagrangian:,.0f} | {res.master:,.0f} "
           f"| {100 * (res.master - lp) / lp:+.2f} % | {res.rounds} | {res.tours:,} "
           f"| {res.seconds:.0f} | {'yes' if res.converged else 'no'} | {mip} |")
    print(row)
    print("master by category: " + ", ".join(f"{k} {v:,.1f}" for k, v in res.parts.items()))
    if args.out is not None:
        with args.out.open("a", encoding="utf-8") as f:
            f.write(row + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
