"""Stage 1: anonymous LP over all shift columns, used to pick columns and temp hire cohorts.

The LP counts shifts per column and type (no agents): coverage with priced shortfall/surplus,
per-column and per-day headcount caps of named agents, occupancy (rest) and Hall-type caps
(``lp_rows.py``), weekly paid-hour sums per type, weekly shift counts of at least sum over
agents of ceil(minimum / longest shift), permanent agent-weeks as paths of ``week_flow``
networks (overtime priced per agent on the paths; the aggregate cannot cancel one agent's
overtime with another's unused contract hours), and temporaries by hire cohort (first-shift
day) with the efficiency ramp by age bucket. Its solution (support plus the columns with the
smallest reduced costs per type and day) is the column set of the per-agent CP-SAT model; its
cohort sizes fix the temp identities TEMP-001... . Costs are in CNY; coverage in agents.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from scheduler.roster.instance.columns import Columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.lp.highs import highs_lp, quiet_highs, set_threads
from scheduler.roster.lp.restricted_master import restricted_mip
from scheduler.roster.lp.rows import flow_rows, hall_rows, occupancy_rows, to_sparse, week_nets
from scheduler.roster.schema import RosterProblem

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


def _weekly(agent_min: float, agent_max: float, legal: float, frac: float) -> tuple[float, float]:
    return agent_min * frac * 60, min(agent_max, legal) * frac * 60


@dataclass
class _Model:
    """The stage-1 LP with its variable layout (blocks of shift columns, then cohorts H_d,
    shortfall, surplus and week-flow arcs)."""

    lp: _Lp
    blocks: list[tuple[str, int]]
    offs: np.ndarray
    i_h: int
    i_f: int

    @property
    def n_x(self) -> int:
        return int(self.offs[-1])

    def integer_columns(self, n_days: int) -> list[int]:
        """Besides the shift columns: the temp hire cohorts. Flow arcs stay continuous: 0.5 s
        instead of 2.6 s on 200 x 14 with the same objective."""
        return list(range(self.i_h, self.i_h + n_days))

    def by_type(self, x: np.ndarray, typ: str) -> np.ndarray:
        return np.sum([x[self.offs[b]:self.offs[b + 1]] for b, (t, _) in enumerate(self.blocks)
                       if t == typ], axis=0)


def solve_selection_lp(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                       masks: dict[str, np.ndarray], per_day: int = 12,
                       mip_time_s: float = 0.0, mip_nodes: int | None = None,
                       mip_on_clock: Callable[[], None] | None = None) -> Selection:
    """Solve the anonymous LP and pick ``per_day`` extra low-reduced-cost columns per type-day;
    with ``mip_time_s`` > 0 the shift counts are made integer by the restricted master."""
    model = _build(problem, hz, cols, masks)
    lp, n_x, n_days = model.lp, model.n_x, len(hz.days)
    start = np.zeros(lp.c.size, dtype=bool)
    start[n_x:] = True
    for b, (typ, _) in enumerate(model.blocks):  # seed: 2-hourly starts, one length and meal
        c = cols[typ]
        paid_max = max(t.paid for t in c.templates)
        meal_min = min((t.meal_offset for t in c.templates if t.meal_offset is not None),
                       default=None)
        tm = np.asarray([t.start_tod % 120 == 0 and t.paid == paid_max
                         and t.meal_offset == meal_min for t in c.templates])
        start[model.offs[b]:model.offs[b + 1]] = tm[c.tmpl]
    res = lp.solve_by_pricing(start, n_x)
    if res is None:
        return Selection({t: np.arange(c.size) for t, c in cols.items()}, {}, None)
    x, rc, fun = res
    mip_obj = None
    if mip_time_s > 0:
        xi = restricted_mip(lp.c, lp.a_ub, lp.b_ub, lp.a_eq, lp.b_eq, lp.bounds, x, rc, n_x,
                            model.integer_columns(n_days), mip_time_s, mip_nodes,
                            mip_on_clock)
        if xi is not None:
            x, mip_obj = xi, float(lp.c @ xi)
    keep: dict[str, np.ndarray] = {}
    xs: dict[str, np.ndarray] = {}
    for typ, c in cols.items():
        xv = model.by_type(x, typ)
        xs[typ] = xv
        bs = [b for b, (t, _) in enumerate(model.blocks) if t == typ]
        rv = np.min([rc[model.offs[b]:model.offs[b + 1]] for b in bs], axis=0)
        chosen = xv > 1e-6
        for d in range(n_days):
            on_day = np.flatnonzero(c.day == d)
            if on_day.size:
                best = on_day[np.argsort(rv[on_day], kind="stable")[:per_day]]
                chosen[best] = True
        keep[typ] = np.flatnonzero(chosen)
    cohorts = {d: float(x[model.i_h + d]) for d in range(n_days) if x[model.i_h + d] > 1e-6}
    return Selection(keep, cohorts, fun, xs, mip_obj)


def _build(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
           masks: dict[str, np.ndarray]) -> _Model:
    """The stage-1 LP and its variable layout."""
    it = hz.interval
    req = np.asarray(problem.required, dtype=float)
    ramp = problem.temporary.efficiency_ramp
    n_age = len(ramp)
    blocks: list[tuple[str, int]] = []  # (type, age) per variable block
    costs: list[np.ndarray] = []
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
        costs.append(c.paid / 60 * hourly if typ == "part_time" else np.zeros(c.size))
    ct = cols["temporary"]
    first = temp_first_day(problem)
    for age in range(n_age):
        blocks.append(("temporary", age))
        eff.append(np.full(ct.size, ramp[age]))
        costs.append(ct.paid / 60 * problem.temporary.hourly_cost_cny)
    sizes = [cols[t].size for t, _ in blocks]
    offs = np.concatenate([[0], np.cumsum(sizes)])
    n_x = int(offs[-1])
    n_days, n_weeks, n_slots = len(hz.days), hz.n_weeks, hz.n_slots
    i_h = n_x  # cohort vars H_d
    i_s = i_h + n_days  # shortfall (overtime is priced on the flow arcs)
    i_u = i_s + n_slots
    i_f = i_u + n_slots  # permanent week-flow arcs (week_flow.py)
    perm_agents = [a for a in problem.agents if a.agent_type == "permanent"]
    nets = week_nets(problem, hz, cols["permanent"], perm_agents)
    n_var = i_f + sum(net.cost.size for net in nets)
    pool = problem.temporary
    c_vec = np.zeros(n_var)
    c_vec[:n_x] = np.concatenate(costs)
    c_vec[i_h:i_s] = pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
    flow_eq, flow_off = [], i_f
    perm_off = int(offs[[t for t, _ in blocks].index("permanent")])
    for w, net in enumerate(nets):  # the agents' weeks, linked to the permanent columns
        c_vec[flow_off:flow_off + net.cost.size] = net.cost
        flow_eq += flow_rows(net, hz, cols["permanent"], w, flow_off, perm_off)
        flow_off += net.cost.size
    c_vec[i_s:i_u] = problem.costs.shortfall_cost_per_agent_hour_cny * it / 60
    c_vec[i_u:i_f] = problem.costs.overstaff_cost_per_agent_hour_cny * it / 60
    ub = np.full(n_var, np.inf)
    ub[i_h:i_h + min(first, n_days)] = 0.0  # no temp before the lead time
    for b, (typ, _) in enumerate(blocks):
        if typ != "temporary":
            ub[offs[b]:offs[b + 1]] = masks[typ].sum(axis=0)
    # coverage: sum eff*duty/it x + s - u = req
    cov = sparse.hstack([cols[t].duty.multiply(1.0 / it) * sparse.diags(e)
                         for (t, _), e in zip(blocks, eff, strict=True)]).tocsc()
    a_eq = [sparse.hstack([cov, sparse.csc_matrix((n_slots, n_days)),
                           sparse.identity(n_slots), -sparse.identity(n_slots),
                           sparse.csc_matrix((n_slots, n_var - i_f))])]
    b_eq = [req]
    rows_ub: list[tuple[dict[int, float], float]] = []
    rows_eq: list[tuple[dict[int, float], float]] = []
    for b, (typ, age) in enumerate(blocks):
        c = cols[typ]
        for d in range(n_days):
            idx = offs[b] + np.flatnonzero(c.day == d)
            row = dict.fromkeys(idx.tolist(), 1.0)
            if typ != "temporary":
                rows_ub.append((row, float(masks[typ][:, c.day == d].any(axis=1).sum())))
            elif age == 0:
                row[i_h + d] = -1.0
                rows_eq.append((row, 0.0))
            elif age < n_age - 1:
                if d - age >= 0:
                    row[i_h + d - age] = -1.0
                rows_ub.append((row, 0.0))
            else:
                for h in range(0, d - age + 1):
                    row[i_h + h] = -1.0
                rows_ub.append((row, 0.0))
    rows_ub.append((dict.fromkeys(range(i_h, i_s), 1.0), float(pool.max_headcount)))
    for b, (typ, _) in enumerate(blocks):
        if typ != "temporary":
            agents = [a for a in problem.agents if a.agent_type == typ]
            rows_ub += hall_rows(problem, hz, cols[typ], masks[typ], int(offs[b]), agents)
    k = problem.rules.max_consecutive_days  # every agent rests one day in any k + 1
    for s0 in range(0, n_days - k):
        window = list(range(s0, s0 + k + 1))
        for typ in ("permanent", "part_time", "temporary"):
            row: dict[int, float] = {}
            for b, (t, _) in enumerate(blocks):
                if t == typ:
                    sel_j = np.flatnonzero(np.isin(cols[t].day, window))
                    row.update(dict.fromkeys((offs[b] + sel_j).tolist(), 1.0))
            if typ == "temporary":
                row.update({i_h + h: -float(k) for h in range(0, s0 + k + 1)})
                rows_ub.append((row, 0.0))
            else:
                n_typ = sum(a.agent_type == typ for a in problem.agents)
                rows_ub.append((row, float(k * n_typ)))
    legal = problem.rules.max_hours_per_week
    for w in range(n_weeks):
        frac = hz.week_fraction(w)
        days = list(hz.week_days(w))
        for typ in ("permanent", "part_time"):
            agents = [a for a in problem.agents if a.agent_type == typ]
            lo = sum(_weekly(a.min_hours_per_week, a.max_hours_per_week, legal, frac)[0]
                     for a in agents)
            hi = sum(_weekly(a.min_hours_per_week, a.max_hours_per_week, legal, frac)[1]
                     for a in agents)
            type_offs = [int(offs[k]) for k, (t, _) in enumerate(blocks) if t == typ]
            c = cols[typ]
            sel = np.flatnonzero(np.isin(c.day, days))
            row = {o + int(j): float(c.paid[j]) for o in type_offs for j in sel}
            rows_ub.append((row, hi))
            rows_ub.append(({k: -v for k, v in row.items()}, -lo))
            if c.size:  # each agent needs ceil(min / longest shift) shifts to reach its minimum
                longest = float(c.paid.max())
                n_min = sum(math.ceil(_weekly(a.min_hours_per_week, a.max_hours_per_week, legal,
                                              frac)[0] / longest - 1e-9) for a in agents)
                if n_min:
                    rows_ub.append((dict.fromkeys(row, -1.0), -float(n_min)))
        row = {}
        for b, (typ, _) in enumerate(blocks):
            if typ == "temporary":
                for j in np.flatnonzero(np.isin(ct.day, days)):
                    row[int(offs[b] + j)] = float(ct.paid[j])
        tmax = min(pool.max_hours_per_week, legal) * frac * 60
        for h in range(0, days[-1] + 1):
            row[i_h + h] = -tmax
        rows_ub.append((row, 0.0))
    a_ub, b_ub = to_sparse(rows_ub, n_var)
    occ_a, occ_b = occupancy_rows(problem, hz, cols, blocks, offs, i_h, n_var)
    a_ub, b_ub = sparse.vstack([a_ub, occ_a]).tocsr(), np.concatenate([b_ub, occ_b])
    a_eq2, b_eq2 = to_sparse(rows_eq + flow_eq, n_var)
    lp = _Lp(c_vec, a_ub.tocsc(), b_ub, sparse.vstack([a_eq[0], a_eq2]).tocsc(),
             np.concatenate([b_eq[0], b_eq2]), np.column_stack([np.zeros(n_var), ub]))
    return _Model(lp, blocks, offs, i_h, i_f)


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
