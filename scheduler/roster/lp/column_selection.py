"""Stage 1: anonymous LP over all shift columns, used to pick columns and temp hire cohorts.

The LP counts shifts per column and type (no agents): coverage with priced shortfall/surplus,
per-column and per-day headcount caps of named agents, occupancy (rest) and Hall-type caps
(``lp/rows.py``), weekly paid-hour sums per type, weekly shift counts of at least sum over
agents of ceil(minimum / longest shift), permanent agent-weeks as paths of ``week_flow``
networks (overtime priced per agent on the paths; the aggregate cannot cancel one agent's
overtime with another's unused contract hours), and temporaries by hire cohort (first-shift
day) with the efficiency ramp by age bucket. Its solution (support plus the columns with the
smallest reduced costs per type and day) is the column set of the per-agent CP-SAT model; its
cohort sizes fix the temp identities TEMP-001... . Costs are in CNY; coverage in agents.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.week_limits import agent_week_limits, temp_week_limits
from scheduler.roster.lp.builder import LpBuilder
from scheduler.roster.lp.highs import highs_lp, quiet_highs, set_threads
from scheduler.roster.lp.restricted_master import restricted_mip
from scheduler.roster.lp.rows import flow_rows, hall_rows, occupancy_rows, week_nets
from scheduler.roster.schema import RosterProblem

RC_TIE_CNY = 1e-6  # reduced costs this close count as tied when picking extra columns
STALL_ROUNDS = 3  # column generation stops after this many rounds without progress (degenerate
# re-solves from the last basis can return the same objective before the next columns help)


@dataclass(frozen=True)
class Selection:
    """Columns kept per type (indices into that type's Columns) and temp cohort sizes per day."""

    keep: dict[str, np.ndarray]
    cohorts: dict[int, float]  # day index -> LP number of temps whose first shift is that day
    lp_objective_cny: float | None
    x: dict[str, np.ndarray] | None = None  # LP shifts per column (temps summed over ages)
    mip_objective_cny: float | None = None  # restricted integer master, when solved


def temp_first_day(problem: RosterProblem) -> int:
    return problem.temporary.lead_days


def shifts_label(typ: str, age: int) -> str:
    """Label of the shift-count block of one type (temporaries: one block per ramp age)."""
    return f"shifts[{typ}]" if typ != "temporary" else f"shifts[temporary,age={age}]"


@dataclass
class _Model:
    """The stage-1 LP with its labelled variable blocks: shift counts per (type, age) block
    (``shifts_label``), temp hire cohorts ``hires`` (H_d), ``short`` and ``over`` per slot and
    the permanent week-flow arcs ``week_flow[w]``. The shift blocks come first."""

    lp: _Lp
    blocks: list[tuple[str, int]]
    vars: LpBuilder

    @property
    def n_x(self) -> int:
        return sum(self.vars.idx(shifts_label(*key)).size for key in self.blocks)

    def shift_idx(self, key: tuple[str, int]) -> np.ndarray:
        return self.vars.idx(shifts_label(*key))

    def integer_columns(self) -> list[int]:
        """Besides the shift columns: the temp hire cohorts. Flow arcs stay continuous: 0.5 s
        instead of 2.6 s on 200 x 14 with the same objective."""
        return self.vars.idx("hires").tolist()

    def by_type(self, x: np.ndarray, typ: str) -> np.ndarray:
        return np.sum([x[self.shift_idx(key)] for key in self.blocks if key[0] == typ], axis=0)


def solve_selection_lp(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                       masks: dict[str, np.ndarray], per_day: int = 12,
                       mip_time_s: float = 0.0, mip_nodes: int | None = None,
                       mip_on_clock: Callable[[], None] | None = None,
                       mip_until: float | None = None) -> Selection:
    """Solve the anonymous LP and pick ``per_day`` extra low-reduced-cost columns per type-day;
    with ``mip_time_s`` > 0 the shift counts are made integer by the restricted master, unless
    it would end past ``mip_until`` (perf_counter s; None: no such clock)."""
    model = _build(problem, hz, cols, masks)
    lp, n_x, n_days = model.lp, model.n_x, len(hz.days)
    start = np.zeros(lp.c.size, dtype=bool)
    start[n_x:] = True
    for key in model.blocks:  # seed: 2-hourly starts, one length and meal
        c = cols[key[0]]
        paid_max = max(t.paid for t in c.templates)
        meal_min = min((t.meal_offset for t in c.templates if t.meal_offset is not None),
                       default=None)
        tm = np.asarray([t.start_tod % 120 == 0 and t.paid == paid_max
                         and t.meal_offset == meal_min for t in c.templates])
        start[model.shift_idx(key)] = tm[c.tmpl]
    res = lp.solve_by_pricing(start, n_x)
    if res is None:
        return Selection({t: np.arange(c.size) for t, c in cols.items()}, {}, None)
    x, rc, fun = res
    mip_obj = None
    late = mip_until is not None and time.perf_counter() + mip_time_s > mip_until
    if mip_time_s > 0 and not late:
        xi = restricted_mip(lp.c, lp.a_ub, lp.b_ub, lp.a_eq, lp.b_eq, lp.bounds, x, rc, n_x,
                            model.integer_columns(), mip_time_s, mip_nodes,
                            mip_on_clock)
        if xi is not None:
            x, mip_obj = xi, float(lp.c @ xi)
    keep: dict[str, np.ndarray] = {}
    xs: dict[str, np.ndarray] = {}
    for typ, c in cols.items():
        xv = model.by_type(x, typ)
        xs[typ] = xv
        rv = np.min([rc[model.shift_idx(key)] for key in model.blocks if key[0] == typ], axis=0)
        chosen = xv > 1e-6
        for d in range(n_days):
            chosen[lowest_reduced_costs(np.flatnonzero(c.day == d), rv, per_day)] = True
        keep[typ] = np.flatnonzero(chosen)
    hires = model.vars.idx("hires")
    cohorts = {d: float(x[hires[d]]) for d in range(n_days) if x[hires[d]] > 1e-6}
    return Selection(keep, cohorts, fun, xs, mip_obj)


def _build(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
           masks: dict[str, np.ndarray]) -> _Model:
    """The stage-1 LP: labelled variable blocks, then its row blocks in a fixed order."""
    b = LpBuilder()
    blocks, eff = _shift_blocks(b, problem, cols, masks)
    pool, n_days, first = problem.temporary, len(hz.days), temp_first_day(problem)
    hires_ub = np.full(n_days, np.inf)
    hires_ub[:min(first, n_days)] = 0.0  # no temp before the lead time
    b.add_vars("hires", np.full(n_days, pool.onboarding_cost_cny
                                + pool.training_hours * pool.hourly_cost_cny), upper=hires_ub)
    it = hz.interval
    b.add_vars("short", np.full(hz.n_slots, problem.costs.shortfall_cost_per_agent_hour_cny
                                * it / 60))
    b.add_vars("over", np.full(hz.n_slots, problem.costs.overstaff_cost_per_agent_hour_cny
                               * it / 60))
    perm_agents = [a for a in problem.agents if a.agent_type == "permanent"]
    nets = week_nets(problem, hz, cols["permanent"], perm_agents)
    for w, net in enumerate(nets):  # the agents' weeks, linked to the permanent columns
        b.add_vars(f"week_flow[{w}]", net.cost)
    # coverage: sum eff*duty/it x + short - over = req
    cov = sparse.hstack([cols[t].duty.multiply(1.0 / it) * sparse.diags(e)
                         for (t, _), e in zip(blocks, eff, strict=True)]).tocsc()
    req = np.asarray(problem.required, dtype=float)
    b.add_matrix("coverage", sparse.hstack([cov, sparse.csc_matrix((hz.n_slots, n_days)),
                                            sparse.identity(hz.n_slots),
                                            -sparse.identity(hz.n_slots)]), req, req)
    shift_idx = {key: b.idx(shifts_label(*key)) for key in blocks}
    hires = b.idx("hires")
    b.add_dict_rows("shifts_per_day", *_day_rows(problem, hz, cols, masks, shift_idx, hires))
    b.add_dict_rows("temp_pool", [(dict.fromkeys(hires.tolist(), 1.0),
                                   float(pool.max_headcount))], "<=")
    for (typ, _), idx in shift_idx.items():
        if typ != "temporary":
            agents = [a for a in problem.agents if a.agent_type == typ]
            b.add_dict_rows(f"hall[{typ}]", hall_rows(problem, hz, cols[typ], masks[typ], idx,
                                                      agents), "<=")
    b.add_dict_rows("consecutive_days", _window_rows(problem, hz, cols, shift_idx, hires), "<=")
    b.add_dict_rows("weekly_hours", _week_rows(problem, hz, cols, shift_idx, hires), "<=")
    occ_a, occ_b = occupancy_rows(problem, hz, cols, shift_idx, hires, b.n_vars)
    b.add_matrix("occupancy", occ_a, -np.inf, occ_b)
    for w, net in enumerate(nets):
        b.add_dict_rows(f"week_flow[{w}]", flow_rows(net, hz, cols["permanent"], w,
                                                     b.idx(f"week_flow[{w}]"),
                                                     shift_idx[("permanent", 0)]), "==")
    a_ub, b_ub, a_eq, b_eq = b.ub_eq()
    cost, lower, upper, _ = b.columns()
    return _Model(_Lp(cost, a_ub, b_ub, a_eq, b_eq, np.column_stack([lower, upper])), blocks, b)


def _shift_blocks(b: LpBuilder, problem: RosterProblem, cols: dict[str, Columns],
                  masks: dict[str, np.ndarray]) -> tuple[list[tuple[str, int]], list[np.ndarray]]:
    """The shift-count blocks (type, age) with their wages (CNY per shift) and headcount
    bounds; returns the blocks and each block's efficiency per column."""
    blocks: list[tuple[str, int]] = []  # (type, age) per variable block
    eff: list[np.ndarray] = []
    for typ in ("permanent", "part_time"):
        agents = [a for a in problem.agents if a.agent_type == typ]
        c = cols[typ]
        hourly = np.mean([a.hourly_cost_cny for a in agents]) if agents else 0.0
        # one block per type at the mean efficiency: per-efficiency blocks made the LP and the
        # restricted MIP several times slower, and a class split of the integer counts (same
        # columns, 3.6 s) left peak shifts unmatched (measured on 200 x 14)
        blocks.append((typ, 0))
        eff.append(np.full(c.size, np.mean([a.efficiency for a in agents]) if agents else 1.0))
        b.add_vars(shifts_label(typ, 0),
                   c.paid / 60 * hourly if typ == "part_time" else np.zeros(c.size),
                   upper=masks[typ].sum(axis=0))
    ct, ramp = cols["temporary"], problem.temporary.efficiency_ramp
    for age in range(len(ramp)):
        blocks.append(("temporary", age))
        eff.append(np.full(ct.size, ramp[age]))
        b.add_vars(shifts_label("temporary", age), ct.paid / 60 * problem.temporary.hourly_cost_cny)
    return blocks, eff


def _day_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
              masks: dict[str, np.ndarray], shift_idx: dict[tuple[str, int], np.ndarray],
              hires: np.ndarray) -> tuple[list[tuple[dict[int, float], float]], list[str]]:
    """Shifts per block and day: named types at most the agents available that day; temps of
    age 0 equal that day's hires, older ages at most the cohorts hired that many days before
    (the last age: all earlier cohorts). Returns the rows and their senses."""
    rows, senses = [], []
    n_age = len(problem.temporary.efficiency_ramp)
    for (typ, age), x_idx in shift_idx.items():
        c = cols[typ]
        for d in range(len(hz.days)):
            row = dict.fromkeys(x_idx[np.flatnonzero(c.day == d)].tolist(), 1.0)
            if typ != "temporary":
                rows.append((row, float(masks[typ][:, c.day == d].any(axis=1).sum())))
                senses.append("<=")
                continue
            if age == 0:
                row[int(hires[d])] = -1.0
            elif age < n_age - 1:
                if d - age >= 0:
                    row[int(hires[d - age])] = -1.0
            else:
                for h in range(0, d - age + 1):
                    row[int(hires[h])] = -1.0
            rows.append((row, 0.0))
            senses.append("==" if age == 0 else "<=")
    return rows, senses


def _window_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                 shift_idx: dict[tuple[str, int], np.ndarray], hires: np.ndarray
                 ) -> list[tuple[dict[int, float], float]]:
    """Every agent rests one day in any k + 1 (k = max_consecutive_days): per type and window,
    shifts at most k x agents (temps: k x hired so far)."""
    k, n_days = problem.rules.max_consecutive_days, len(hz.days)
    rows = []
    for s0 in range(0, n_days - k):
        window = list(range(s0, s0 + k + 1))
        for typ in ("permanent", "part_time", "temporary"):
            row: dict[int, float] = {}
            for (t, _), x_idx in shift_idx.items():
                if t == typ:
                    sel_j = np.flatnonzero(np.isin(cols[t].day, window))
                    row.update(dict.fromkeys(x_idx[sel_j].tolist(), 1.0))
            if typ == "temporary":
                row.update({int(hires[h]): -float(k) for h in range(0, s0 + k + 1)})
                rows.append((row, 0.0))
            else:
                n_typ = sum(a.agent_type == typ for a in problem.agents)
                rows.append((row, float(k * n_typ)))
    return rows


def _week_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
               shift_idx: dict[tuple[str, int], np.ndarray], hires: np.ndarray
               ) -> list[tuple[dict[int, float], float]]:
    """Weekly paid minutes per named type within the sums of the agents' prorated minimum and
    maximum, at least enough shifts to reach every minimum, and temps' minutes at most the
    hired temps' maximum."""
    ct = cols["temporary"]
    limits = {a.agent_id: agent_week_limits(problem, hz, a) for a in problem.agents}
    rows = []
    for w in range(hz.n_weeks):
        days = list(hz.week_days(w))
        for typ in ("permanent", "part_time"):
            agents = [limits[a.agent_id][w] for a in problem.agents if a.agent_type == typ]
            lo = sum(lim.min_h * 60 for lim in agents)
            hi = sum(lim.max_h * 60 for lim in agents)
            c = cols[typ]
            sel = np.flatnonzero(np.isin(c.day, days))
            row = {int(x_idx[j]): float(c.paid[j]) for (t, _), x_idx in shift_idx.items()
                   if t == typ for j in sel}
            rows.append((row, hi))
            rows.append(({k: -v for k, v in row.items()}, -lo))
            if c.size:  # each agent needs ceil(min / longest shift) shifts to reach its minimum
                longest = float(c.paid.max())
                n_min = sum(math.ceil(lim.min_h * 60 / longest - 1e-9) for lim in agents)
                if n_min:
                    rows.append((dict.fromkeys(row, -1.0), -float(n_min)))
        row = {}
        for (typ, _), x_idx in shift_idx.items():
            if typ == "temporary":
                for j in np.flatnonzero(np.isin(ct.day, days)):
                    row[int(x_idx[j])] = float(ct.paid[j])
        tmax = temp_week_limits(problem, hz, 0)[w].max_h * 60
        for h in range(0, days[-1] + 1):
            row[int(hires[h])] = -tmax
        rows.append((row, 0.0))
    return rows


def cohort_identities(problem: RosterProblem, hz: Horizon, cohorts: dict[int, float],
                      exact_limit: int = 40) -> list[int]:
    """First-shift day of each temp identity TEMP-001... (sorted by day).

    Small problems enumerate ``max_headcount`` identities per allowed day (exact); otherwise the
    LP cohorts are rounded up, plus 10 % spare at the earliest cohort, capped by the pool size.
    """
    cap = problem.temporary.max_headcount
    days = list(range(temp_first_day(problem), len(hz.days)))
    if cap == 0 or not days:
        return []
    if cap * len(days) <= exact_limit:
        return [d for d in days for _ in range(cap)]
    out: list[int] = []
    for d in sorted(cohorts):
        out += [d] * math.ceil(cohorts[d] - 1e-6)
    out = out[:cap]
    spare = min(max(2, math.ceil(0.1 * len(out))), cap - len(out))
    return sorted([min(cohorts, default=days[0])] * spare + out)


def lowest_reduced_costs(idx: np.ndarray, rc: np.ndarray, k: int,
                         tol: float = RC_TIE_CNY) -> np.ndarray:
    """The ``k`` columns of ``idx`` (ascending: one date's columns in template order, i.e. by
    paid length, meal placement, start) with the smallest reduced costs ``rc`` (CNY). Columns
    tied with the k-th (within ``tol``) are taken evenly spread over that order, not the first
    ones: a degenerate LP prices hundreds of columns at zero, the first k all short shifts."""
    if idx.size <= k:
        return idx
    r = rc[idx]
    cut = np.partition(r, k - 1)[k - 1]
    below = idx[r < cut - tol]
    ties = idx[np.abs(r - cut) <= tol]
    need = k - below.size  # >= 1: at most k - 1 columns lie below the k-th smallest
    pick = np.unique(np.linspace(0, ties.size - 1, need).round().astype(int))
    return np.concatenate([below, ties[pick]])


@dataclass
class _Lp:
    """min c x  s.t.  A_ub x <= b_ub, A_eq x = b_eq, bounds; solved on a growing column set."""

    c: np.ndarray
    a_ub: sparse.csc_matrix
    b_ub: np.ndarray
    a_eq: sparse.csc_matrix
    b_eq: np.ndarray
    bounds: np.ndarray

    def solve_by_pricing(self, active: np.ndarray, n_price: int, max_rounds: int = 30,
                         add_per_round: int = 3000) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Column generation over the first ``n_price`` variables (the shift columns): one
        HiGHS model that grows by ``addCols`` and is re-solved from the last basis (primal
        simplex, no presolve: the added columns leave the basis primal feasible).

        Returns (x, reduced costs, objective) of the full LP, or None when HiGHS fails.
        """
        inf = highspy.kHighsInf
        a = sparse.vstack([self.a_ub, self.a_eq]).tocsc()
        row_lo = np.concatenate([np.full(self.b_ub.size, -inf), self.b_eq])
        row_hi = np.concatenate([self.b_ub, self.b_eq])
        lo, hi = self.bounds[:, 0], np.where(np.isfinite(self.bounds[:, 1]), self.bounds[:, 1], inf)
        order = np.flatnonzero(active)
        h = quiet_highs()
        set_threads(h, 1)
        h.passModel(highs_lp(self.c[order], lo[order], hi[order], row_lo, row_hi, a[:, order]))
        in_lp = active.copy()
        last, stalled = np.inf, 0
        for _ in range(max_rounds):
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                if in_lp.all():
                    return None
                # the starting columns alone can be infeasible (every agent's minimum in a
                # one-day calendar week): restart on every column
                order, in_lp = np.arange(self.c.size), np.ones(self.c.size, dtype=bool)
                h = quiet_highs()
                set_threads(h, 1)
                h.passModel(highs_lp(self.c, lo, hi, row_lo, row_hi, a))
                h.run()
                if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    return None
            sol = h.getSolution()
            rc = self.c - a.T @ np.asarray(sol.row_dual)
            fun = float(h.getInfo().objective_function_value)
            x = np.zeros(self.c.size)
            x[order] = sol.col_value
            cand = np.flatnonzero((rc[:n_price] < -1e-7) & ~in_lp[:n_price])
            stalled = stalled + 1 if last - fun <= 1e-6 * abs(fun) else 0
            if cand.size == 0 or stalled >= STALL_ROUNDS:
                return x, rc, fun
            last = fun
            new = cand[np.argsort(rc[cand])[:add_per_round]]
            sub = a[:, new]
            h.setOptionValue("presolve", "off")
            h.setOptionValue("simplex_strategy", 4)  # primal
            h.addCols(new.size, self.c[new], lo[new], hi[new], sub.nnz,
                      sub.indptr[:-1].astype(np.int32), sub.indices.astype(np.int32), sub.data)
            in_lp[new] = True
            order = np.concatenate([order, new])
        return x, rc, fun
