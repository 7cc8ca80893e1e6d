"""Whole-horizon schedules ("tours") of one identity, priced by dynamic programming.

A tour is one identity's set of (day, column) shifts over the horizon. ``TourPricer.price``
returns the identity's cheapest tour under per-column values (e.g. wage minus the coverage
duals of a master LP), obeying every per-identity rule of the per-agent model exactly:

- at most one shift per date; rest between shifts on consecutive dates >= ``min_rest_hours``
  (``tours_supported`` checks that dates two apart can never conflict, otherwise tours are not
  used); at most ``max_consecutive_days`` working dates in a row (dates before the horizon off);
- per 7-day week: paid minutes <= the identity's maximum (hard), overtime above contract
  (permanent) at hourly x premium, minutes below the weekly minimum at
  ``MIN_HOURS_PENALTY_CNY`` per hour (temps: only in weeks they work);
- temps: the first shift is on the cohort day (a non-empty tour works that day), plus the
  onboarding fee.

DP state after date d: (today's choice: off or candidate column, paid minutes this week in
units of the gcd of paid lengths, days in a row). Rest compatibility with yesterday's column is
a prefix of yesterday's columns sorted by end minute, so each date costs a cumulative minimum,
not a pairwise scan. Money in CNY.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.roster.model import RosterModel
from scheduler.roster.rules.hours import MIN_HOURS_PENALTY_CNY

Tour = tuple[tuple[int, int], ...]  # ((day, column), ...) sorted by day
# (agent type, efficiency) -> CNY per column of that type for the coverage it brings
CoverValue = Callable[[str, float], np.ndarray]


def tours_supported(rm: RosterModel) -> bool:
    """True when shifts on dates two or more apart can never violate the minimum rest."""
    rest = round(rm.problem.rules.min_rest_hours * 60)
    n_days = len(rm.hz.days)
    for c in rm.cols.values():
        if c.size == 0:
            continue
        last_end = np.full(n_days, -np.inf)
        first_start = np.full(n_days, np.inf)
        np.maximum.at(last_end, c.day, c.end)
        np.minimum.at(first_start, c.day, c.start)
        if n_days > 2 and np.any(first_start[2:] < last_end[:-2] + rest):
            return False
    return True


@dataclass
class _Space:
    """One identity's DP data: candidate columns per day sorted by end, week cost curves."""

    cand: list[np.ndarray]  # per day: column indices sorted by end minute
    eff: np.ndarray  # per day: efficiency
    week_cost: list[np.ndarray]  # per week: CNY by paid units (inf above the maximum)
    fee: float  # temps: onboarding fee of a non-empty tour
    forced_day: int | None  # temps: the cohort day a non-empty tour must work
    wage_per_min: float  # CNY per paid minute (0 for permanent: salary is sunk)
    # per day: paid units this week reachable before / after the day (sorted), where "off"
    # lands in the after-set, and per paid length u the (before, after) index pairs of "work"
    reach_in: list[np.ndarray] = field(default_factory=list)
    reach_out: list[np.ndarray] = field(default_factory=list)
    off_to: list[np.ndarray] = field(default_factory=list)
    work_to: list[dict[int, tuple[np.ndarray, np.ndarray]]] = field(default_factory=list)


class TourPricer:
    """DP pricing of tours for every identity of a per-agent model."""

    def __init__(self, rm: RosterModel) -> None:
        self.rm = rm
        p, hz = rm.problem, rm.hz
        self.rest = round(p.rules.min_rest_hours * 60)
        self.max_streak = int(p.rules.max_consecutive_days)
        self.n_days = len(hz.days)
        paid = np.concatenate([c.paid for c in rm.cols.values() if c.size] or [np.ones(1)])
        self.unit = int(np.gcd.reduce(paid.astype(np.int64))) or 1
        self.week_end = {max(hz.week_days(w)) for w in range(hz.n_weeks)}
        self.week_of = [hz.week_of_day(d) for d in range(self.n_days)]
        self.spaces = [self._space(i) for i in range(len(rm.ids))]

    def _space(self, i: int) -> _Space:
        rm, p = self.rm, self.rm.problem
        ident = rm.ids[i]
        c = rm.cols[ident.agent_type]
        cand = []
        for d in range(self.n_days):
            js = np.asarray([j for j, _ in rm.x[i].get(d, [])], dtype=np.int64)
            cand.append(js[np.argsort(c.end[js], kind="stable")] if js.size else js)
        first = int(ident.cohort_day or 0)  # temps never work before their cohort day
        eff = np.asarray([ident.efficiency(p, max(d, first)) for d in range(self.n_days)])
        n_units = int(max(ident.max_week) // self.unit) + 1
        minutes = np.arange(n_units) * self.unit
        temp = ident.agent_type == "temporary"
        curves = []
        for w in range(rm.hz.n_weeks):
            lo = math.ceil(ident.min_week[w] - 1e-6)
            hi = math.floor(ident.max_week[w] + 1e-6)
            cost = MIN_HOURS_PENALTY_CNY / 60 * np.maximum(0, lo - minutes)
            if temp:
                cost[0] = 0.0
            if ident.agent_type == "permanent":
                rate = ident.hourly * p.costs.overtime_premium / 60
                cost += rate * np.maximum(0, minutes - round(ident.contract_week[w]))
            cost[minutes > hi] = np.inf
            curves.append(cost.astype(float))
        fee = 0.0
        if temp:
            pool = p.temporary
            fee = pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
        wage = 0.0 if ident.agent_type == "permanent" else ident.hourly / 60
        sp = _Space(cand, eff, curves, fee, ident.cohort_day if temp else None, wage)
        self._reach(sp, c.paid, n_units - 1)
        return sp

    def _reach(self, sp: _Space, paid: np.ndarray, top: int) -> None:
        """Paid units this week that a schedule can have after each day (the DP's only
        states on that axis: sums of the candidate lengths, 5-20 values instead of 50)."""
        before = np.zeros(1, dtype=np.int64)
        for d in range(self.n_days):
            if d > 0 and d - 1 in self.week_end:
                before = np.zeros(1, dtype=np.int64)
            lengths = np.unique(paid[sp.cand[d]] // self.unit) if sp.cand[d].size else []
            after = np.unique(np.concatenate(
                [before, *[before + int(u) for u in lengths]]))
            after = after[after <= top]
            work = {}
            for u in lengths:
                src = np.flatnonzero(before + int(u) <= top)
                work[int(u)] = (src, np.searchsorted(after, before[src] + int(u)))
            sp.reach_in.append(before)
            sp.reach_out.append(after)
            sp.off_to.append(np.searchsorted(after, before))
            sp.work_to.append(work)
            before = after

    # ------------------------------------------------------------------ costs
    def tour_cost(self, i: int, tour: Tour) -> float:
        """Wages + overtime + weekly-minimum penalty + onboarding of ``tour`` (CNY)."""
        sp = self.spaces[i]
        c = self.rm.cols[self.rm.ids[i].agent_type]
        units = np.zeros(self.rm.hz.n_weeks, dtype=np.int64)
        wages = 0.0
        for d, j in tour:
            units[self.week_of[d]] += int(c.paid[j]) // self.unit
            wages += sp.wage_per_min * float(c.paid[j])
        week = sum(float(sp.week_cost[w][u]) if u < len(sp.week_cost[w]) else np.inf
                   for w, u in enumerate(units))
        return wages + week + (sp.fee if tour else 0.0)

    def coverage(self, i: int, tour: Tour) -> np.ndarray:
        """Agents of coverage per slot (efficiency x on-duty share of the slot)."""
        c = self.rm.cols[self.rm.ids[i].agent_type]
        out = np.zeros(self.rm.hz.n_slots)
        ptr = c.duty.indptr
        for d, j in tour:
            sl = slice(ptr[j], ptr[j + 1])
            out[c.duty.indices[sl]] += self.spaces[i].eff[d] * c.duty.data[sl] / self.rm.hz.interval
        return out

    # ------------------------------------------------------------------ pricing
    def price(self, i: int, cover_value: CoverValue) -> tuple[float, Tour]:
        """Cheapest tour of identity ``i`` and its value: tour cost + the sum over its shifts
        of ``cover_value(type, efficiency)[column]`` (CNY). (inf, ()) if no tour exists."""
        sp = self.spaces[i]
        typ = self.rm.ids[i].agent_type
        c = self.rm.cols[typ]
        n_s = self.max_streak + 1
        inf = np.inf
        v = np.full((1, 1, n_s), inf)
        v[0, 0, 0] = 0.0
        prev_end = np.zeros(0)
        posts: list[np.ndarray] = []
        pres: dict[int, np.ndarray] = {}
        for d in range(self.n_days):
            js = sp.cand[d]
            new = np.full((len(js) + 1, len(sp.reach_out[d]), n_s), inf)
            if sp.forced_day != d:
                new[0, sp.off_to[d], 0] = v.min(axis=(0, 2))
            if js.size:
                val = sp.wage_per_min * c.paid[js] + cover_value(typ, float(sp.eff[d]))[js]
                # yesterday off (index 0) or a column ending early enough (a prefix of the
                # columns sorted by end): the running minimum over that order
                n_ok = np.searchsorted(prev_end, c.start[js] - self.rest, side="right")
                best = np.minimum.accumulate(v, axis=0)[n_ok]
                units = c.paid[js] // self.unit
                for u, (src, dst) in sp.work_to[d].items():
                    k = np.flatnonzero(units == u)
                    new[(1 + k)[:, None], dst[None, :], 1:] = (
                        best[k][:, src, :-1] + val[k, None, None])
            if d in self.week_end:
                pres[d] = new
                curve = sp.week_cost[self.week_of[d]][sp.reach_out[d]]
                new = (new + curve[None, :, None]).min(axis=1, keepdims=True)
            posts.append(new)
            v, prev_end = new, c.end[js]
        value = float(v.min())
        if not np.isfinite(value):
            return inf, ()
        return value + sp.fee, self._backtrack(i, posts, pres)

    def _backtrack(self, i: int, posts: list[np.ndarray], pres: dict[int, np.ndarray]) -> Tour:
        """The optimal tour, walking the DP tables back from the last day (states are
        (today's choice, index into the day's reachable paid units, days in a row))."""
        sp = self.spaces[i]
        c = self.rm.cols[self.rm.ids[i].agent_type]
        last = posts[-1]
        o, m, s = (int(x) for x in np.unravel_index(int(np.argmin(last)), last.shape))
        tour: list[tuple[int, int]] = []
        for d in range(self.n_days - 1, -1, -1):
            if d in pres:
                curve = sp.week_cost[self.week_of[d]][sp.reach_out[d]]
                m = int(np.argmin(pres[d][o, :, s] + curve))
            units = int(sp.reach_out[d][m])
            if o > 0:
                j = int(sp.cand[d][o - 1])
                tour.append((d, j))
                units -= int(c.paid[j]) // self.unit
            if d == 0:
                break
            vp = posts[d - 1]
            m = int(np.searchsorted(sp.reach_in[d], units))
            if o == 0:
                o, s = (int(x) for x in np.unravel_index(int(np.argmin(vp[:, m, :])),
                                                         vp[:, m, :].shape))
                continue
            n_ok = int(np.searchsorted(c.end[sp.cand[d - 1]], c.start[j] - self.rest,
                                       side="right"))
            s -= 1
            o = int(np.argmin(vp[:n_ok + 1, m, s]))
        return tuple(sorted(tour))
