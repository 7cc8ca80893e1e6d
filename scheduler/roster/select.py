"""Stage 1: anonymous LP over all shift columns, used to pick columns and temp hire cohorts.

The LP counts shifts per column and type (no agents): coverage with priced shortfall/surplus,
per-column and per-day headcount caps of named agents, weekly paid-hour sums per type, weekly
shift counts of at least sum over agents of ceil(minimum / longest shift) (so that a 40-h minimum
with 8-9 h shifts means five shifts and any 9-h one is overtime),
aggregate permanent overtime, and temporaries by hire cohort (first-shift day) with the
efficiency ramp by age bucket. Its solution (support plus the columns with the smallest reduced
costs per type and day) is the column set of the per-agent CP-SAT model; its cohort sizes fix
the temp identities TEMP-001... . Costs are in CNY; coverage in agents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from scheduler.roster.columns import Columns
from scheduler.roster.horizon import Horizon
from scheduler.roster.overtime_cuts import AgentWeek, overtime_cuts
from scheduler.roster.restricted_master import restricted_mip
from scheduler.roster.schema import RosterProblem

LP_METHOD = "highs"


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


def solve_selection_lp(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                       masks: dict[str, np.ndarray], per_day: int = 12,
                       mip_time_s: float = 0.0, mip_nodes: int | None = None) -> Selection:
    """Solve the anonymous LP and pick ``per_day`` extra low-reduced-cost columns per type-day."""
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
        blocks.append((typ, 0))
        # one block per type at the mean efficiency: per-class blocks made the restricted MIP
        # several times slower and the constructive roster worse (measured on 200 x 14)
        eff.append(np.full(c.size, np.mean([a.efficiency for a in agents]) if agents else 1.0))
        hourly = np.mean([a.hourly_cost_cny for a in agents]) if agents else 0.0
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
    i_ot = i_h + n_days
    i_s = i_ot + n_weeks
    i_u = i_s + n_slots
    n_var = i_u + n_slots
    pool = problem.temporary
    c_vec = np.zeros(n_var)
    c_vec[:n_x] = np.concatenate(costs)
    c_vec[i_h:i_ot] = pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
    perms = [a for a in problem.agents if a.agent_type == "permanent"]
    ot_rate = (np.mean([a.hourly_cost_cny for a in perms]) if perms else 0.0) * \
        problem.costs.overtime_premium / 60
    c_vec[i_ot:i_s] = ot_rate
    c_vec[i_s:i_u] = problem.costs.shortfall_cost_per_agent_hour_cny * it / 60
    c_vec[i_u:] = problem.costs.overstaff_cost_per_agent_hour_cny * it / 60
    ub = np.full(n_var, np.inf)
    ub[i_h:i_h + min(first, n_days)] = 0.0  # no temp before the lead time
    for b, (typ, _) in enumerate(blocks):
        if typ != "temporary":
            ub[offs[b]:offs[b + 1]] = masks[typ].sum(axis=0)
    # coverage: sum eff*duty/it x + s - u = req
    cov = sparse.hstack([cols[t].duty.multiply(1.0 / it) * sparse.diags(e)
                         for (t, _), e in zip(blocks, eff, strict=True)]).tocsc()
    a_eq = [sparse.hstack([cov, sparse.csc_matrix((n_slots, n_days + n_weeks)),
                           sparse.identity(n_slots), -sparse.identity(n_slots)])]
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
    rows_ub.append((dict.fromkeys(range(i_h, i_ot), 1.0), float(pool.max_headcount)))
    for b, (typ, _) in enumerate(blocks):
        if typ != "temporary":
            rows_ub += _hall_rows(problem, hz, cols[typ], masks[typ], int(offs[b]), typ)
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
            if typ == "permanent":
                contract = sum(a.contract_hours_per_week for a in agents) * frac * 60
                ot_row = dict(row)
                ot_row[i_ot + w] = -1.0
                rows_ub.append((ot_row, contract))
                rows_ub += _overtime_cut_rows(problem, hz, c, agents, w, sel, type_offs,
                                              i_ot + w)
        row = {}
        for b, (typ, _) in enumerate(blocks):
            if typ == "temporary":
                for j in np.flatnonzero(np.isin(ct.day, days)):
                    row[int(offs[b] + j)] = float(ct.paid[j])
        tmax = min(pool.max_hours_per_week, legal) * frac * 60
        for h in range(0, days[-1] + 1):
            row[i_h + h] = -tmax
        rows_ub.append((row, 0.0))
    a_ub, b_ub = _rows(rows_ub, n_var)
    occ_a, occ_b = _occupancy_rows(problem, hz, cols, blocks, offs, i_h, n_var)
    a_ub, b_ub = sparse.vstack([a_ub, occ_a]).tocsr(), np.concatenate([b_ub, occ_b])
    a_eq2, b_eq2 = _rows(rows_eq, n_var)
    lp = _Lp(c_vec, a_ub.tocsc(), b_ub, sparse.vstack([a_eq[0], a_eq2]).tocsc(),
             np.concatenate([b_eq[0], b_eq2]), np.column_stack([np.zeros(n_var), ub]))
    start = np.zeros(n_var, dtype=bool)
    start[n_x:] = True
    for b, (typ, _) in enumerate(blocks):  # seed: 2-hourly starts, one length and meal slot
        c = cols[typ]
        paid_max = max(t.paid for t in c.templates)
        meal_min = min((t.meal_offset for t in c.templates if t.meal_offset is not None),
                       default=None)
        tm = np.asarray([t.start_tod % 120 == 0 and t.paid == paid_max
                         and t.meal_offset == meal_min for t in c.templates])
        start[offs[b]:offs[b + 1]] = tm[c.tmpl]
    res = lp.solve_by_pricing(start, n_x)
    if res is None:
        return Selection({t: np.arange(c.size) for t, c in cols.items()}, {}, None)
    x, rc, fun = res
    mip_obj = None
    if mip_time_s > 0:
        xi = restricted_mip(lp.c, lp.a_ub, lp.b_ub, lp.a_eq, lp.b_eq, lp.bounds, x, rc, n_x,
                            range(i_h, i_ot), mip_time_s, mip_nodes)
        if xi is not None:
            x, mip_obj = xi, float(lp.c @ xi)
    keep: dict[str, np.ndarray] = {}
    xs: dict[str, np.ndarray] = {}
    for typ, c in cols.items():
        bs = [b for b, (t, _) in enumerate(blocks) if t == typ]
        xv = np.sum([x[offs[b]:offs[b + 1]] for b in bs], axis=0)
        xs[typ] = xv
        rv = np.min([rc[offs[b]:offs[b + 1]] for b in bs], axis=0)
        chosen = xv > 1e-6
        for d in range(n_days):
            on_day = np.flatnonzero(c.day == d)
            if on_day.size:
                best = on_day[np.argsort(rv[on_day], kind="stable")[:per_day]]
                chosen[best] = True
        keep[typ] = np.flatnonzero(chosen)
    cohorts = {d: float(x[i_h + d]) for d in range(n_days) if x[i_h + d] > 1e-6}
    return Selection(keep, cohorts, fun, xs, mip_obj)


def _overtime_cut_rows(problem: RosterProblem, hz: Horizon, c: Columns, agents: list, w: int,
                       week_cols: np.ndarray, offs: list[int], i_ot: int
                       ) -> list[tuple[dict[int, float], float]]:
    """Per-agent overtime in aggregate (overtime_cuts.py), in minutes:
    sum paid x + 60 b x - OT <= -60 rhs for every slope b."""
    if not c.size or not agents:
        return []
    frac, legal = hz.week_fraction(w), problem.rules.max_hours_per_week
    days = [hz.days[d] for d in hz.week_days(w)]
    weeks = [AgentWeek(a.contract_hours_per_week * frac, a.min_hours_per_week * frac,
                       min(a.max_hours_per_week, legal) * frac, float(c.paid.min()) / 60,
                       float(c.paid.max()) / 60,
                       sum(d.weekday() in a.available_weekdays and d not in a.days_off
                           for d in days)) for a in agents]
    out = []
    for slope, rhs in overtime_cuts(weeks):
        row = {o + int(j): float(c.paid[j]) + 60 * slope for o in offs for j in week_cols}
        row[i_ot] = -1.0
        out.append((row, -60 * rhs))
    return out


def occupancy(c: Columns, hz: Horizon, rest_min: int) -> sparse.csc_matrix:
    """(n_slots x n_cols) 1 where the slot starts inside [shift start, shift end + rest)."""
    first = c.start // hz.interval
    last = np.minimum(-(-(c.end + rest_min) // hz.interval), hz.n_slots)
    lens = np.maximum(last - first, 0)
    cols_idx = np.repeat(np.arange(c.size), lens)
    rows_idx = np.repeat(first, lens) + (np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens,
                                                                            lens))
    return sparse.csc_matrix((np.ones(rows_idx.size), (rows_idx, cols_idx)),
                             shape=(hz.n_slots, c.size))


def _occupancy_rows(problem: RosterProblem, hz: Horizon, cols: dict[str, Columns],
                    blocks: list[tuple[str, int]], offs: np.ndarray, i_h: int, n_var: int):
    """An agent's [start, end + min rest) intervals are disjoint, so at every slot the shifts
    whose interval contains it are at most the agents of that type (temps: hired so far)."""
    rest = round(problem.rules.min_rest_hours * 60)
    mats, rhs = [], []
    for typ in ("permanent", "part_time", "temporary"):
        occ = occupancy(cols[typ], hz, rest)
        parts = [sparse.csc_matrix((hz.n_slots, int(offs[0])))] if offs[0] else []
        blocks_m = []
        for b, (t, _) in enumerate(blocks):
            width = int(offs[b + 1] - offs[b])
            blocks_m.append(occ if t == typ else sparse.csc_matrix((hz.n_slots, width)))
        m = sparse.hstack(parts + blocks_m).tocsc()
        extra = sparse.lil_matrix((hz.n_slots, n_var - m.shape[1]))
        if typ == "temporary":
            slot_day = np.asarray([hz.day_index(t.date()) for t in problem.slot_starts])
            for t_idx, d in enumerate(slot_day):
                extra[t_idx, 0:d + 1] = -1.0
            rhs.append(np.zeros(hz.n_slots))
        else:
            rhs.append(np.full(hz.n_slots, float(sum(a.agent_type == typ
                                                     for a in problem.agents))))
        shift = i_h - m.shape[1]
        if typ == "temporary":
            e = sparse.lil_matrix((hz.n_slots, n_var - m.shape[1]))
            e[:, shift:shift + len(hz.days)] = extra[:, 0:len(hz.days)]
            extra = e
        mats.append(sparse.hstack([m, extra.tocsc()]).tocsr())
    return sparse.vstack(mats).tocsr(), np.concatenate(rhs)


def _hall_rows(problem: RosterProblem, hz: Horizon, c: Columns, mask: np.ndarray, off: int,
               typ: str, max_sets: int = 40) -> list[tuple[dict[int, float], float]]:
    """Hall-type caps: shifts only some agents may work are at most those agents, per day
    (headcount) and per week (their maximum paid minutes). Keeps LP targets assignable."""
    legal = problem.rules.max_hours_per_week
    agents = [a for a in problem.agents if a.agent_type == typ]
    max_min = np.asarray([min(a.max_hours_per_week, legal) * 60 for a in agents])
    rows: list[tuple[dict[int, float], float]] = []
    for w in range(hz.n_weeks):
        frac = hz.week_fraction(w)
        in_week = np.flatnonzero(np.isin(c.day, list(hz.week_days(w))))
        if in_week.size == 0 or mask.shape[0] == 0:
            continue
        allow = mask[:, in_week]  # agents x week columns
        sets, inverse = np.unique(allow.T, axis=0, return_inverse=True)
        if len(sets) > max_sets:
            continue
        for s_idx, agents_s in enumerate(sets):
            if agents_s.all():
                continue  # covered by the per-day and weekly rows already
            sub = np.flatnonzero([not (sets[k] & ~agents_s).any() for k in range(len(sets))])
            cols_s = in_week[np.isin(inverse.ravel(), sub)]
            hi = float(max_min[agents_s].sum() * frac)
            rows.append(({off + int(j): float(c.paid[j]) for j in cols_s}, hi))
            for d in hz.week_days(w):
                on_day = cols_s[c.day[cols_s] == d]
                if on_day.size:
                    n = float(mask[agents_s][:, c.day == d].any(axis=1).sum())
                    rows.append((dict.fromkeys((off + on_day).tolist(), 1.0), n))
            del s_idx
    return rows


def _rows(rows: list[tuple[dict[int, float], float]], n_var: int):
    if not rows:
        return sparse.csr_matrix((0, n_var)), np.zeros(0)
    r, c, v = [], [], []
    for i, (row, _) in enumerate(rows):
        r.extend([i] * len(row))
        c.extend(row.keys())
        v.extend(row.values())
    return (sparse.csr_matrix((v, (r, c)), shape=(len(rows), n_var)),
            np.asarray([b for _, b in rows], dtype=float))


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

    def reduced_costs(self, res) -> np.ndarray:
        y_ub = res.ineqlin.marginals if self.b_ub.size else np.zeros(0)
        return self.c - self.a_ub.T @ y_ub - self.a_eq.T @ res.eqlin.marginals

    def solve_by_pricing(self, active: np.ndarray, n_price: int, max_rounds: int = 30,
                         add_per_round: int = 3000) -> tuple[np.ndarray, np.ndarray, float] | None:
        """Column generation over the first ``n_price`` variables (the shift columns).

        Returns (x, reduced costs, objective) of the full LP, or None when HiGHS fails.
        """
        active = active.copy()
        last = np.inf
        for _ in range(max_rounds):
            idx = np.flatnonzero(active)
            res = linprog(self.c[idx], A_ub=self.a_ub[:, idx], b_ub=self.b_ub,
                          A_eq=self.a_eq[:, idx], b_eq=self.b_eq, bounds=self.bounds[idx],
                          method=LP_METHOD)
            if res.status != 0:
                return None
            rc = self.reduced_costs(res)
            cand = np.flatnonzero((rc[:n_price] < -1e-7) & ~active[:n_price])
            x = np.zeros(self.c.size)
            x[idx] = res.x
            if cand.size == 0 or last - res.fun <= 1e-6 * abs(res.fun):
                return x, rc, float(res.fun)
            last = res.fun
            active[cand[np.argsort(rc[cand])[:add_per_round]]] = True
        return x, rc, float(res.fun)
