"""Lower bound on roster cost, independent of CP-SAT: the LP relaxation of the anonymous
template-cover model with the scenario's costs, solved with HiGHS (highspy).

Model (all money in CNY, hours in paid hours, coverage in efficiency-weighted agents):

- A *class* is a set of interchangeable agents: named agents grouped by (type, hourly rate,
  efficiency); all temporaries form one class with efficiency max(efficiency_ramp).
- Columns x_j >= 0: uses of template j = (class, day, start, paid length, meal placement). Starts
  are every policy start on the policy window of each horizon date, lengths every step in
  [paid_hours_min, min(paid_hours_max, max_hours_per_day)]. Meal placements (when the meal is
  required, and also when it is optional) are the breakpoints of the coverage as a function of the
  meal start: the window ends and every offset where the meal start or end hits a slot boundary;
  every other placement's coverage is a convex combination of these, so nothing is lost.
  Coverage a_tj = efficiency x fraction of slot t on duty and not on the meal, inside the horizon.
  Cost: part-time paid hours x hourly, temporary paid hours x pool hourly, permanent 0.
- Slack u_t, o_t >= 0 with sum_j a_tj x_j + u_t - o_t = required_t, priced at the shortfall and
  overstaff price x interval hours.
- Per class and day: sum x <= agents of the class available that day (weekday, days off).
- Per class and calendar week w (``Horizon``; a week cut by the horizon prorated as in
  ``instance/week_limits.py``):
  min-hours sum <= H_cw <= sum of min(agent max, legal max).
- Permanent classes, per week: the agents' weeks as paths of a ``week_flow`` network (one
  network per group of equal contract, limits and hourly rate; a path is a feasible week of one
  agent: one shift a day, paid hours within [min, max], at most K days in a row inside the
  week), linked to the class's shift counts per day and paid length; overtime
  ``hourly x premium x max(0, H - contract)`` is priced per path. So one agent's unused
  contract hours cannot cancel another's overtime, and no agent takes two 9-h shifts on one day.
- Per class and window of K+1 consecutive days (K = max_consecutive_days): sum x <= K x agents.
- Per class and slot: shifts on duty or in their trailing rest (one agent's [start, end + rest)
  never overlap) <= the agents available on a date whose shifts reach the slot; temps: hires.
- Temporaries: hires y <= max_headcount priced at onboarding + training hours x pool hourly;
  per day sum x <= y; per week H_w <= y x the temp's weekly maximum (``week_limits``); no
  column starts before the horizon's start nor before 00:00 of the date lead_days after its
  first date.

Why it is a lower bound for every roster that satisfies the per-agent rules (validator
conventions): map the roster to x by counting shifts per template, y = temporaries hired, and
u, o = the validator's shortfall and surplus. Every row above is implied by a per-agent rule
(one shift per agent per date, availability, weekly min/max, consecutive days, minimum rest,
pool size and lead days, "a temp works at most one shift a day"), so the point is feasible.
Its cost is at most the roster's: wages are identical, the onboarding term is identical, the
aggregated overtime is each agent's own week priced on its path (every agent-week of the roster
is a path of its class's network, week_flow.py), coverage per column is at least the roster's
(temporaries at their best efficiency, paid short breaks ignored), so shortfall and surplus
slacks can only be smaller. The MIP of the same model (x, y integer) is also a valid
bound, reported as the "anonymous optimum": the cost of coverage before per-agent rules such as
rest, windows and exact per-person hours.

Built with ``lp.builder.LpBuilder`` (labelled variable and row blocks), the builder stage 1
uses too; it holds no rule, so the bound still shares no modelling with the solver: its
classes, templates and rows are its own (``bound_templates.py``, this module).
"""

from __future__ import annotations

import time as _time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import highspy
import numpy as np
from scipy import sparse

from scheduler.roster.checks.bound_templates import (
    available_on,
    bound_classes,
    coverage_matrix,
    occupancy_caps,
    subclasses,
    templates,
)
from scheduler.roster.checks.bound_temps import add_cohort_rows, temp_ages
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_flow import permanent_groups, week_flow
from scheduler.roster.instance.week_limits import agent_week_limits, temp_week_limits
from scheduler.roster.lp.builder import LpBuilder
from scheduler.roster.lp.highs import highs_lp, quiet_highs, set_threads
from scheduler.roster.schema import RosterProblem

INF = highspy.kHighsInf


@dataclass(frozen=True)
class BoundResult:
    """LP bound and, optionally, the anonymous MIP (all CNY)."""

    lp_bound_cny: float
    lp_time_s: float
    mip_objective_cny: float | None
    mip_dual_bound_cny: float | None
    mip_status: str | None
    mip_time_s: float | None
    n_columns: int
    n_rows: int
    lp_breakdown: dict[str, float] | None = None  # LP solution: hours by kind, hires, shortfall
    lp_cost_parts: dict[str, float] | None = None  # LP objective by cost category, CNY


COST_PARTS: dict[str, tuple[str, ...]] = {
    "permanent_overtime": ("week_flow",),
    "part_time": ("weekly_hours",),  # part-time wages (permanent hour sums cost 0)
    "temporary": ("shifts[temporary]", "temp_hires"),
    "shortfall": ("short",),
    "overstaff": ("over",),
}
"""The bound's objective split into the categories the roster's cost is reported in."""


class _Tags:
    """Weighted sums of variables reported with the LP solution (``BoundResult.lp_breakdown``:
    hours by kind, hires, shortfall and surplus agent-hours)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)

    def __call__(self, name: str, cols, weights=1.0) -> None:
        cols = np.atleast_1d(np.asarray(cols, dtype=int))
        self.parts[name].append((cols, np.broadcast_to(np.asarray(weights, float), cols.shape)))

    def values(self, x: np.ndarray) -> dict[str, float]:
        return {k: float(sum((x[c] * w).sum() for c, w in v)) for k, v in self.parts.items()}


def build_and_solve(
    problem: RosterProblem, mip_time_limit_s: float | None = None, threads: int = 2
) -> BoundResult:
    """Build the anonymous cover model, solve its LP and optionally its MIP with HiGHS."""
    t0 = problem.slot_starts[0]
    n_slots, step = len(problem.slot_starts), problem.interval_minutes
    dates: list[date] = sorted({t.date() for t in problem.slot_starts})
    hz = Horizon.of(problem)
    slot_h = step / 60
    b, tag = LpBuilder(), _Tags()
    cover: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    pool = problem.temporary
    hire = None
    if pool.max_headcount > 0:
        hire = b.add_vars(
            "temp_hires",
            [pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny],
            upper=pool.max_headcount,
            integer=True,
        )[0]
        tag("temp_hires", hire)
    for cls in bound_classes(problem):
        tpl = templates(problem, cls, t0)
        if len(tpl) == 0:
            continue
        temp = cls.kind == "temporary"
        eff = np.full(len(tpl), cls.efficiency)
        if temp:  # one copy of each template per ramp age, at that age's efficiency
            tpl, eff, age = temp_ages(tpl, pool.efficiency_ramp, pool.lead_days)
        paid = tpl[:, 2]
        cols = b.add_vars(f"shifts[{cls.kind}]", paid * (pool.hourly_cost_cny if temp else 0.0),
                          integer=True)
        tag(f"{cls.kind}_paid_hours", cols, paid)
        meal = getattr(problem.shifts, cls.kind).meal_break_minutes
        owner, slot, val = coverage_matrix(tpl, meal, 1.0, step, n_slots)
        cover.append((cols[owner], slot, val * eff[owner]))
        if temp and hire is not None:
            add_cohort_rows(b, cols, tpl[:, 0].astype(int), age, hire, len(dates),
                             len(pool.efficiency_ramp), pool.lead_days)
        _add_occupancy_rows(
            b,
            tpl,
            cols,
            step,
            n_slots,
            problem.rules.min_rest_hours,
            agents=None if temp else (cls.agents, dates),
            hire=hire,
        )
        day = tpl[:, 0].astype(int)
        week = (day + hz.lead_days) // 7
        if cls.kind == "permanent":
            _add_week_flows(b, tag, problem, cls.agents, (cols, day, paid), hz)
        per_day = _add_day_rows(b, problem, cls, cols, day, dates, hire)
        _add_window_rows(b, problem, cls, per_day, hire)
        _add_week_rows(b, problem, cls, (cols, week, paid), hz, hire)
    short = b.add_vars("short", np.full(n_slots, problem.costs.shortfall_cost_per_agent_hour_cny
                                        * slot_h))
    over = b.add_vars("over", np.full(n_slots, problem.costs.overstaff_cost_per_agent_hour_cny
                                      * slot_h))
    tag("shortfall_agent_hours", short, slot_h)
    tag("surplus_agent_hours", over, slot_h)
    idx, slot, val = (
        (np.concatenate(x) for x in zip(*cover, strict=True))
        if cover
        else (np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    )
    _add_cover_rows(b, np.asarray(problem.required, dtype=float), short, over, idx, slot, val)
    return _solve(b, tag, mip_time_limit_s, threads)


def _add_day_rows(b: LpBuilder, problem: RosterProblem, cls, cols: np.ndarray, day: np.ndarray,
                  dates: list[date], hire) -> np.ndarray:
    """Shifts per day n_d of a class (<= available agents; temps: <= hires, and a temp works
    at most once a day). Returns the n_d variable per horizon day (-1: no shift that day)."""
    temp, pool = cls.kind == "temporary", problem.temporary
    per_day = np.full((dates[-1] - dates[0]).days + 1, -1)
    for di, d in enumerate(dates):
        sel = cols[day == di]
        if len(sel) == 0:
            continue
        avail = (
            pool.max_headcount
            if temp
            else sum(available_on(a, d) for a in cls.agents)
        )
        per_day[di] = nd = b.add_vars("shifts_per_day", [0.0], upper=float(avail))[0]
        b.add_row("shifts_per_day", np.append(sel, nd), np.append(np.ones(len(sel)), -1.0),
                  lo=0.0, hi=0.0)
        if temp:
            b.add_row("temp_works_once_a_day", [nd, hire], [1.0, -1.0], hi=0.0)
    return per_day


def _add_window_rows(b: LpBuilder, problem: RosterProblem, cls, per_day: np.ndarray,
                     hire) -> None:
    """In any K + 1 consecutive days (K = max_consecutive_days) a class works at most K x its
    agents (temps: K x hired) shifts."""
    K = problem.rules.max_consecutive_days
    for d0 in range(max(0, len(per_day) - K)):
        sel = per_day[d0 : d0 + K + 1]
        sel = sel[sel >= 0]
        if cls.kind == "temporary":
            b.add_row("consecutive_days", np.append(sel, hire),
                      np.append(np.ones(len(sel)), -K), hi=0.0)
        elif len(sel):
            b.add_row("consecutive_days", sel, 1.0, hi=float(K * len(cls.agents)))


def _add_week_rows(b: LpBuilder, problem: RosterProblem, cls,
                   shifts: tuple[np.ndarray, np.ndarray, np.ndarray], hz: Horizon,
                   hire) -> None:
    """Paid hours per week of a class: per subclass of equal limits within the sum of its
    agents' prorated minimum and maximum (part-time hours priced here); temps: at most the
    hired temps' maximum."""
    cols, week, paid = shifts
    limits = {a.agent_id: agent_week_limits(problem, hz, a) for a in cls.agents}
    for w in range(hz.n_weeks):
        sel = week == w
        if cls.kind == "temporary":
            cap = temp_week_limits(problem, hz, 0)[w].max_h
            b.add_row("weekly_hours", np.append(cols[sel], hire),
                      np.append(paid[sel], -cap), hi=0.0)
            continue
        groups = subclasses(cls)
        hours = b.add_vars(
            "weekly_hours", [rate if cls.kind == "part_time" else 0.0 for rate in groups],
            lower=[sum(limits[a.agent_id][w].min_h for a in ags) for ags in groups.values()],
            upper=[sum(limits[a.agent_id][w].max_h for a in ags) for ags in groups.values()])
        b.add_row("weekly_hours", np.append(cols[sel], hours),
                  np.append(paid[sel], -np.ones(len(hours))), lo=0.0, hi=0.0)


def _add_week_flows(b: LpBuilder, tag: _Tags, problem: RosterProblem, perms: list,
                    shifts: tuple[np.ndarray, np.ndarray, np.ndarray],
                    hz: Horizon) -> None:
    """The weeks of a class of permanent agents as paths of ``week_flow`` networks, linked to
    the class's shift counts per day and paid length; sink arcs carry the overtime cost."""
    cols, day, paid_h = shifts
    mins = np.round(paid_h * 60).astype(int)
    lengths = sorted(set(mins.tolist()))
    premium = problem.costs.overtime_premium
    limits = [agent_week_limits(problem, hz, a) for a in perms]
    for w in range(hz.n_weeks):
        days = hz.week_days(w)
        nd = len(days)
        defs = permanent_groups(perms, [lim[w] for lim in limits], premium)
        net = week_flow(nd, lengths, defs, problem.rules.max_consecutive_days)
        arcs = b.add_vars("week_flow", net.cost)
        tag("overtime_hours", arcs, net.overtime_min / 60)
        fl = net.flow.tocsr()
        for r in range(fl.shape[0]):
            lo_ = fl.indptr[r]
            hi_ = fl.indptr[r + 1]
            b.add_row("week_flow", arcs[fl.indices[lo_:hi_]], fl.data[lo_:hi_],
                      lo=net.flow_rhs[r], hi=net.flow_rhs[r])
        lk = net.link.tocsr()
        for k in range(nd):
            for li, ln in enumerate(lengths):
                r = k * len(lengths) + li
                a_idx = arcs[lk.indices[lk.indptr[r]:lk.indptr[r + 1]]]
                x_idx = cols[(day == days.start + k) & (mins == ln)]
                b.add_row("week_flow", np.concatenate([a_idx, x_idx]),
                          np.concatenate([np.ones(len(a_idx)), -np.ones(len(x_idx))]),
                          lo=0.0, hi=0.0)


def _add_occupancy_rows(
    b: LpBuilder,
    tpl: np.ndarray,
    cols: np.ndarray,
    step: int,
    n_slots: int,
    rest_h: float,
    agents: tuple[list, list] | None,
    hire,
) -> None:
    """At every slot start, shifts of the class that are on duty or in their trailing rest
    period number at most the class's agents available on a date that reaches the slot
    (``agents``: the class's agents and the horizon dates; None for temps: the hired): one
    agent's [start, end + rest) intervals are disjoint. Written in difference form via
    occupancy variables w_t."""
    s, e = tpl[:, 1], tpl[:, 1] + tpl[:, 3] + rest_h * 60
    first = np.clip(np.ceil(s / step).astype(int), 0, n_slots)
    stop = np.clip(np.ceil(e / step).astype(int), 0, n_slots)
    cap = None if agents is None else occupancy_caps(first, stop, tpl[:, 0].astype(int),
                                                     n_slots, *agents)
    w = b.add_vars("occupancy", np.zeros(n_slots), upper=INF if cap is None else cap)
    t = np.arange(n_slots)
    on, off = first < n_slots, (stop < n_slots) & (stop > first)
    rows = [t, t[1:], first[on], stop[off]]
    cols_ = [w, w[:-1], cols[on], cols[off]]
    vals = [np.ones(n_slots), -np.ones(n_slots - 1), -np.ones(on.sum()), np.ones(off.sum())]
    b.add_rows("occupancy", np.concatenate(rows), np.concatenate(cols_), np.concatenate(vals),
               0.0, 0.0, n_slots)
    if cap is None:  # temps: at most the hired
        b.add_rows("occupancy", np.repeat(t, 2), np.column_stack([w, np.full(n_slots, hire)])
                   .ravel(), np.tile([1.0, -1.0], n_slots), -INF, 0.0, n_slots)


def _add_cover_rows(b: LpBuilder, req, short, over, idx, slot, val) -> None:
    """Cover rows sum_j a_tj x_j + u_t - o_t = r_t in difference form (row t minus row t-1).

    The differenced system is equivalent (the map is invertible) and has 2-4 nonzeros per
    shift column instead of one per covered slot, which makes HiGHS several times faster."""
    n_slots = len(req)
    n_cols = b.n_vars
    A = sparse.csr_matrix((val, (slot, idx)), shape=(n_slots, n_cols))
    shift = sparse.eye(n_slots, k=-1, format="csr")
    D = (A - shift @ A).tocoo()
    keep = np.abs(D.data) > 1e-12
    rhs = req - np.concatenate([[0.0], req[:-1]])
    t = np.arange(n_slots)
    rows = [D.row[keep], t, t, t[1:], t[1:]]
    cols = [D.col[keep], short, over, short[:-1], over[:-1]]
    vals = [
        D.data[keep],
        np.ones(n_slots),
        -np.ones(n_slots),
        -np.ones(n_slots - 1),
        np.ones(n_slots - 1),
    ]
    b.add_rows("coverage", np.concatenate(rows), np.concatenate(cols), np.concatenate(vals),
               rhs, rhs, n_slots)


def _solve(b: LpBuilder, tag: _Tags, mip_time_limit_s: float | None,
           threads: int) -> BoundResult:
    a, row_lo, row_hi = b.ranged()
    cost, lower, upper, integer = b.columns()
    n, m = a.shape[1], a.shape[0]
    lp = highs_lp(cost, lower, upper, row_lo, row_hi, a)

    def run(model: highspy.HighsLp, limit: float | None, options: dict | None = None):
        h = quiet_highs()
        h.setOptionValue("output_flag", False)
        for k, v in (options or {}).items():
            h.setOptionValue(k, v)
        set_threads(h, threads)
        h.setOptionValue("random_seed", 0)
        if limit is not None:
            h.setOptionValue("time_limit", float(limit))
        h.passModel(model)
        t = _time.perf_counter()
        h.run()
        return h, _time.perf_counter() - t

    # interior point without crossover: the basis crossover would find adds a third to the
    # time (demo: 51 s instead of 80 s on 2 cores) and nothing to the value
    h, lp_time = run(lp, None, {"solver": "ipm", "run_crossover": "off"})
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP bound: HiGHS status {h.modelStatusToString(h.getModelStatus())}")
    lp_value = h.getInfo().objective_function_value
    x = np.asarray(h.getSolution().col_value)
    breakdown = tag.values(x)
    parts = {name: float(sum(float(cost[i] @ x[i]) for i in (b.idx(lb) for lb in labels)))
             for name, labels in COST_PARTS.items()}
    mip_obj = mip_bound = mip_status = mip_time = None
    if mip_time_limit_s is not None:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
            for i in integer
        ]
        hm, mip_time = run(lp, mip_time_limit_s)
        info = hm.getInfo()
        mip_status = hm.modelStatusToString(hm.getModelStatus())
        if info.primal_solution_status:
            mip_obj = info.objective_function_value
        mip_bound = info.mip_dual_bound
    return BoundResult(lp_value, lp_time, mip_obj, mip_bound, mip_status, mip_time, n, m, breakdown,
                       parts)


def lp_lower_bound(problem: RosterProblem) -> float:
    """HiGHS LP bound in CNY (see module docstring for why it is valid)."""
    return build_and_solve(problem).lp_bound_cny
