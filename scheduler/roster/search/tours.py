"""Whole-horizon schedules ("tours") of one identity, priced by dynamic programming.

A tour is one identity's set of (day, column) shifts over the horizon. ``TourPricer.price``
returns the identity's cheapest tour under per-column values (e.g. wage minus the coverage
duals of a master LP), obeying every per-identity rule of the per-agent model exactly:

- at most one shift per date; rest between shifts on consecutive dates >= ``min_rest_hours``
  (``tours_supported`` checks that dates two apart can never conflict, otherwise tours are not
  used); at most ``max_consecutive_days`` working dates in a row (dates before the horizon off);
- per calendar week: paid minutes <= the identity's maximum (hard), overtime above contract
  (permanent) at hourly x premium, minutes below the weekly minimum at
  ``MIN_HOURS_PENALTY_CNY`` per hour (temps: only in weeks they work);
- temps: the first shift is on the cohort day (a non-empty tour works that day), plus the
  onboarding fee.

DP state after date d: (today's choice: off or candidate column, paid minutes this week in
units of the gcd of paid lengths, days in a row). Rest compatibility with yesterday's column is
a prefix of yesterday's columns sorted by end minute, so each date costs a cumulative minimum,
not a pairwise scan. Candidates that differ only in their meal placement are one DP choice
(the cheapest under the values at hand). The DP itself is compiled (``tour_dp.py``), and a
best-response move's values, choice minima and current value come from one compiled pass
(``tour_dp.move_values``). Money in CNY.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.roster.instance.instance import MIN_HOURS_PENALTY_CNY, Instance
from scheduler.roster.search.tour_dp import backtrack, group_min, tour_coverage, tour_dp

Tour = tuple[tuple[int, int], ...]  # ((day, column), ...) sorted by day
# (agent type, efficiency) -> CNY per column of that type for the coverage it brings
CoverValue = Callable[[str, float], np.ndarray]


def tours_supported(inst: Instance) -> bool:
    """True when shifts on dates two or more apart can never violate the minimum rest."""
    rest = round(inst.problem.rules.min_rest_hours * 60)
    n_days = len(inst.hz.days)
    for c in inst.cols.values():
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
    """One identity's DP data: its candidate shifts as flat arrays sorted by (day, end minute)
    (``off[d]:off[d + 1]`` are day ``d``'s), their coverage, and the week cost curves."""

    off: np.ndarray  # per day + 1: offsets into the flat arrays
    col: np.ndarray  # flat: column index of the identity's type
    day: np.ndarray  # flat: date index
    start: np.ndarray  # flat: start minute from the horizon start
    end: np.ndarray  # flat: end minute
    units: np.ndarray  # flat: paid units (gcd of paid lengths)
    wage: np.ndarray  # flat: CNY of the shift's paid time (0 for permanent: salary is sunk)
    duty_ptr: np.ndarray  # flat + 1: offsets into duty_slot / duty_agents
    duty_slot: np.ndarray  # slot index of each on-duty entry
    duty_agents: np.ndarray  # agents of coverage the entry brings (efficiency x share of slot)
    eff: np.ndarray  # per day: efficiency
    curves: np.ndarray  # weeks x units: CNY by paid units (inf above the maximum)
    fee: float  # temps: onboarding fee of a non-empty tour
    forced_day: int  # temps: the cohort day a non-empty tour must work (-1: none)
    wage_per_min: float  # CNY per paid minute
    index: dict[tuple[int, int], int] = field(default_factory=dict)  # (day, column) -> flat
    max_per_day: int = 0  # most DP choices (shift times) on one date
    # the DP's choices: candidates with the same date, start, end and paid units (they differ
    # only in the meal placement) are one choice, worth its cheapest member; same order
    group: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # flat -> choice
    g_off: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))  # per day + 1
    g_start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    g_end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    g_units: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


class TourPricer:
    """DP pricing of tours for every identity of a per-agent model."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        p, hz = inst.problem, inst.hz
        self.rest = round(p.rules.min_rest_hours * 60)
        self.max_streak = int(p.rules.max_consecutive_days)
        self.n_days = len(hz.days)
        paid = np.concatenate([c.paid for c in inst.cols.values() if c.size] or [np.ones(1)])
        self.unit = int(np.gcd.reduce(paid.astype(np.int64))) or 1
        self.week_end = np.zeros(self.n_days, dtype=np.bool_)
        self.week_end[[max(hz.week_days(w)) for w in range(hz.n_weeks)]] = True
        self.week_of = np.asarray([hz.week_of_day(d) for d in range(self.n_days)], np.int64)
        self.spaces = [self._space(i) for i in range(len(inst.ids))]
        self._buffers: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}

    def _space(self, i: int) -> _Space:
        inst, p = self.inst, self.inst.problem
        ident = inst.ids[i]
        c = inst.cols[ident.agent_type]
        cand = []
        for d in range(self.n_days):
            js = np.asarray(inst.candidates[i].get(d, []), dtype=np.int64)
            cand.append(js[np.argsort(c.end[js], kind="stable")] if js.size else js)
        col = np.concatenate(cand).astype(np.int64)
        day = np.repeat(np.arange(self.n_days), [len(js) for js in cand]).astype(np.int64)
        off = np.concatenate([[0], np.cumsum([len(js) for js in cand])]).astype(np.int64)
        first = int(ident.cohort_day or 0)  # temps never work before their cohort day
        eff = np.asarray([ident.efficiency(p, max(d, first)) for d in range(self.n_days)])
        n_units = int(max(ident.max_week) // self.unit) + 1
        minutes = np.arange(n_units) * self.unit
        temp = ident.agent_type == "temporary"
        curves = np.zeros((inst.hz.n_weeks, n_units))
        for w in range(inst.hz.n_weeks):
            lo = math.ceil(ident.min_week[w] - 1e-6)
            hi = math.floor(ident.max_week[w] + 1e-6)
            cost = MIN_HOURS_PENALTY_CNY / 60 * np.maximum(0, lo - minutes)
            if temp:
                cost[0] = 0.0
            if ident.agent_type == "permanent":
                rate = ident.hourly * p.costs.overtime_premium / 60
                cost += rate * np.maximum(0, minutes - ident.contract_week[w])  # as priced
            cost[minutes > hi] = np.inf
            curves[w] = cost
        fee = 0.0
        if temp:
            pool = p.temporary
            fee = pool.onboarding_cost_cny + pool.training_hours * pool.hourly_cost_cny
        wage = 0.0 if ident.agent_type == "permanent" else ident.hourly / 60
        sub = c.duty[:, col]
        per_entry_eff = np.repeat(eff[day], np.diff(sub.indptr))
        start, end = c.start[col].astype(np.int64), c.end[col].astype(np.int64)
        units = (c.paid[col] // self.unit).astype(np.int64)
        keys = np.stack([day, start, end, units], axis=1)
        if col.size:
            _, first, inv = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        else:
            first, inv = np.zeros(0, np.int64), np.zeros(0, np.int64)
        order = np.argsort(first, kind="stable")  # first-seen order keeps (date, end) sorted
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        rep = first[order]
        g_off = np.concatenate([[0], np.cumsum(np.bincount(day[rep], minlength=self.n_days))])
        return _Space(
            off=off, col=col, day=day, start=start, end=end, units=units,
            wage=wage * c.paid[col].astype(float), duty_ptr=sub.indptr.astype(np.int64),
            duty_slot=sub.indices.astype(np.int64),
            duty_agents=per_entry_eff * sub.data / inst.hz.interval, eff=eff, curves=curves,
            fee=fee, forced_day=int(ident.cohort_day) if temp else -1, wage_per_min=wage,
            index={(int(d), int(j)): k for k, (d, j) in enumerate(zip(day, col, strict=True))},
            max_per_day=int(np.diff(g_off).max(initial=0)),
            group=rank[inv.ravel()].astype(np.int64), g_off=g_off.astype(np.int64),
            g_start=start[rep], g_end=end[rep], g_units=units[rep])

    # ------------------------------------------------------------------ costs
    def tour_cost(self, i: int, tour: Tour) -> float:
        """Wages + overtime + weekly-minimum penalty + onboarding of ``tour`` (CNY)."""
        sp = self.spaces[i]
        c = self.inst.cols[self.inst.ids[i].agent_type]
        units = np.zeros(self.inst.hz.n_weeks, dtype=np.int64)
        wages = 0.0
        for d, j in tour:
            units[self.week_of[d]] += int(c.paid[j]) // self.unit
            wages += sp.wage_per_min * float(c.paid[j])
        n_u = sp.curves.shape[1]
        week = sum(float(sp.curves[w, u]) if u < n_u else np.inf for w, u in enumerate(units))
        return wages + week + (sp.fee if tour else 0.0)

    def coverage(self, i: int, tour: Tour) -> np.ndarray:
        """Agents of coverage per slot (efficiency x on-duty share of the slot)."""
        sp = self.spaces[i]
        flat = np.asarray([sp.index[dj] for dj in tour], dtype=np.int64)
        return tour_coverage(flat, sp.duty_ptr, sp.duty_slot, sp.duty_agents,
                             self.inst.hz.n_slots)

    # ------------------------------------------------------------------ pricing
    def price(self, i: int, cover_value: CoverValue) -> tuple[float, Tour]:
        """Cheapest tour of identity ``i`` and its value: tour cost + the sum over its shifts
        of ``cover_value(type, efficiency)[column]`` (CNY). (inf, ()) if no tour exists."""
        sp = self.spaces[i]
        typ = self.inst.ids[i].agent_type
        val = sp.wage.copy()
        for e in np.unique(sp.eff):
            on = sp.eff[sp.day] == e
            val[on] += cover_value(typ, float(e))[sp.col[on]]
        return self.price_flat(i, val)

    def price_flat(self, i: int, val: np.ndarray, below: float = np.inf
                   ) -> tuple[float, Tour | None]:
        """As ``price``, with ``val`` the CNY of each of the identity's flat candidates (its
        wage included). When the cheapest value is not below ``below`` the tour is not
        traced back: (value, None)."""
        sp = self.spaces[i]
        g_val, g_arg = group_min(val, sp.group, sp.g_start.size)
        return self.price_choices(i, g_val, g_arg, below)

    def price_choices(self, i: int, g_val: np.ndarray, g_arg: np.ndarray,
                      below: float = np.inf) -> tuple[float, Tour | None]:
        """As ``price_flat``, given per DP choice its cheapest value and flat candidate."""
        sp = self.spaces[i]
        key = (sp.max_per_day + 1, sp.curves.shape[1])
        if key not in self._buffers:
            n_o, n_u = key
            one = (n_u, n_o, self.max_streak + 1)
            self._buffers[key] = (np.empty((self.n_days, *one)),
                                  np.zeros((self.n_days, n_u), dtype=np.bool_),
                                  np.empty(one), np.empty(one), np.zeros(n_u, dtype=np.bool_))
        table, reach, inbound, prefix, rin = self._buffers[key]
        value = tour_dp(sp.g_off, sp.g_start, sp.g_end, sp.g_units, g_val, self.week_end,
                        self.week_of, sp.curves, sp.forced_day, self.max_streak, self.rest,
                        table, reach, inbound, prefix, rin)
        if not np.isfinite(value):
            return np.inf, ()
        if value + sp.fee >= below:
            return value + sp.fee, None
        picked = np.sort(g_arg[backtrack(sp.g_off, sp.g_start, sp.g_end, sp.g_units,
                                         self.week_end, self.week_of, sp.curves, self.rest,
                                         table, reach, inbound, rin)])  # flat = date order
        return value + sp.fee, tuple(zip(sp.day[picked].tolist(), sp.col[picked].tolist(),
                                         strict=True))
