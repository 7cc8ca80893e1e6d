"""Constructive roster on the instance's candidate columns: CP-SAT's hint and last-resort fallback.

Each identity gets a rotating pattern of working days (days per week from its contract or
maximum hours, off days adjacent and staggered by agent so every weekday is staffed alike).
Day by day, each identity (permanent, then part-time, then temps) takes the candidate column with
the best value = shortfall penalty avoided on the residual demand - wage - overtime (projected:
see ``projected_ot``), if positive,
or when it must work today to still reach its weekly minimum. Rest, consecutive days, weekly
maximum and temp cohorts (a temp's first shift is on its cohort day) are respected.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np

from scheduler.roster.instance.instance import Instance

LATE_MINUTES = 8 * 60  # a shift whose rest ends after 08:00 next day "ends late"
MARGIN_SHIFTS = 0  # must-work triggers while later days leave less than this many shifts spare
FILL_RATIO = 10  # outside the LP-rounded shifts, a shift must fill this share of its span


def greedy_roster(inst: Instance, lp_x: dict[str, np.ndarray] | None = None,
                  cohorts: dict[int, float] | None = None,
                  shorten: bool = False) -> list[tuple[int, int]]:
    """(identity, column) pairs of a rule-abiding roster (weekly minimum: best effort).

    ``shorten``: an LP-rounded permanent shift that would cause (projected) overtime for the
    agent it goes to is replaced by a shorter candidate with the same start (``_shorter``).
    Among the agents that can take an LP shift, one off the next day is preferred when the
    shift ends late (its rest runs past ``LATE_MINUTES`` of the next day).
    Day by day: the day's LP-rounded shifts go to agents (``_Greedy.lp_shifts``), then each
    identity still free takes its best candidate (``_Greedy.fill_one``).
    """
    g = _Greedy(inst, lp_x, cohorts, shorten)
    for d in range(g.n_days):
        w = g.hz.week_of_day(d)
        later_days = [x for x in g.hz.week_days(w) if x > d]
        g.lp_shifts(d, w)
        for i in g.order:
            g.fill_one(i, d, w, later_days)
    return g.chosen


class _Greedy:
    """The state of one constructive roster built day by day (``greedy_roster``): residual
    demand, each identity's last shift end, run of working days and weekly paid minutes, the
    temps hired, the shifts chosen, and the rotation of allowed working days (``_rotation``)."""

    def __init__(self, inst: Instance, lp_x: dict[str, np.ndarray] | None,
                 cohorts: dict[int, float] | None, shorten: bool) -> None:
        p, hz = inst.problem, inst.hz
        self.inst, self.p, self.hz, self.lp_x, self.shorten = inst, p, hz, lp_x, shorten
        self.it = hz.interval
        self.resid = np.asarray(p.required, dtype=float).copy()
        self.price = inst.short_price  # CNY per agent-slot short
        self.rest = p.rules.min_rest_hours * 60
        self.maxc = p.rules.max_consecutive_days
        self.n_days = len(hz.days)
        self.order = sorted(range(len(inst.ids)), key=lambda i: (
            "permanent", "part_time", "temporary").index(inst.ids[i].agent_type))
        self.last_end = dict.fromkeys(self.order, -10**9)
        self.streak = dict.fromkeys(self.order, 0)
        self.week_paid: dict[tuple[int, int], float] = {}
        self.hired: set[int] = set()
        self.chosen: list[tuple[int, int]] = []
        self.premium = p.costs.overtime_premium
        self.allowed = _rotation(inst)
        self.pool_cap = p.temporary.max_headcount
        self.colsets = [{d: set(lst) for d, lst in by_day.items()} for by_day in inst.candidates]
        self.by_type = {t: [i for i in self.order if inst.ids[i].agent_type == t]
                        for t in inst.cols}
        self.day_start = [hz.minute(datetime.combine(x, datetime.min.time())) for x in hz.days]
        self.busy: set[tuple[int, int]] = set()
        self.to_hire = {d: int(np.floor(h + 0.5)) for d, h in (cohorts or {}).items()}

    def take(self, i: int, j: int, d: int, w: int) -> None:
        ident = self.inst.ids[i]
        c = self.inst.cols[ident.agent_type]
        self.chosen.append((i, j))
        if ident.agent_type == "temporary":
            self.hired.add(i)
        ptr = c.duty.indptr
        self.resid[c.duty.indices[ptr[j]:ptr[j + 1]]] -= \
            ident.efficiency(self.p, d) * c.duty.data[ptr[j]:ptr[j + 1]] / self.it
        self.last_end[i] = int(c.end[j])
        self.streak[i] += 1
        self.week_paid[(i, w)] = self.week_paid.get((i, w), 0.0) + float(c.paid[j])
        self.busy.add((i, d))

    def lp_shifts(self, d: int, w: int) -> None:
        """Phase A: the LP-rounded shifts of day ``d``, by start, each to the best free agent
        of its type (``lp_taker``)."""
        inst = self.inst
        ot_memo: dict[tuple[int, float, float], float] = {}  # (identity, paid_w, pj) today
        for typ, xv in (self.lp_x or {}).items():
            c = inst.cols[typ]
            on_day = np.flatnonzero((c.day == d) & (xv > 0.5 - 1e-9))
            # identities of this type still free today that may work today at all
            free = [i for i in self.by_type[typ] if d in self.colsets[i]
                    and self.streak[i] < self.maxc]
            for j in on_day[np.argsort(c.start[on_day], kind="stable")]:
                for _ in range(int(np.floor(xv[j] + 0.5))):
                    best_i, best_key = self.lp_taker(typ, j, d, w, free, ot_memo)
                    if best_i is not None:
                        if typ == "temporary" and best_i not in self.hired:
                            self.to_hire[d] = self.to_hire.get(d, 0) - 1
                        jj = int(j)
                        if self.shorten and typ == "permanent" and best_key is not None \
                                and best_key[2] < 0:
                            jj = _shorter(inst, best_i, jj, d,
                                          self.week_paid.get((best_i, w), 0.0))
                        self.take(best_i, jj, d, w)
                        free.remove(best_i)

    def lp_taker(self, typ: str, j: int, d: int, w: int, free: list[int],
                 ot_memo: dict[tuple[int, float, float], float]) -> tuple[int | None, tuple | None]:
        """The free identity that takes LP shift ``j`` of day ``d`` (and its preference key):
        temps to hire today first, then temps already hired, least projected overtime, not
        ending late before a working day, furthest below the weekly minimum, on an allowed
        day, shortest run of working days."""
        inst, c = self.inst, self.inst.cols[typ]
        best_i, best_key = None, None
        for i in free:
            ident = inst.ids[i]
            if (i, d) in self.busy or j not in self.colsets[i][d]:
                continue
            fresh = typ == "temporary" and i not in self.hired
            if fresh and (d != ident.cohort_day or len(self.hired) >= self.pool_cap):
                continue
            if c.start[j] < self.last_end[i] + self.rest or self.week_paid.get((i, w), 0.0) + \
                    float(c.paid[j]) > ident.max_week[w] + 1e-6:
                continue
            pw = self.week_paid.get((i, w), 0.0)
            over = 0.0
            if typ == "permanent":
                key_ot = (i, pw, float(c.paid[j]))
                if key_ot not in ot_memo:
                    ot_memo[key_ot] = projected_ot(inst, i, w, pw, key_ot[2])
                over = ot_memo[key_ot]
            late = int(c.end[j]) + self.rest > self.day_start[min(d + 1, self.n_days - 1)] + \
                LATE_MINUTES
            key = (fresh and self.to_hire.get(d, 0) > 0, i in self.hired, -over,
                   not (late and d + 1 in self.allowed[i]),
                   ident.min_week[w] - pw, d in self.allowed[i], -self.streak[i])
            if best_key is None or key > best_key:
                best_i, best_key = i, key
        return best_i, best_key

    def fill_one(self, i: int, d: int, w: int, later_days: list[int]) -> None:
        """Phase B: identity ``i``, if free on day ``d``, takes its best candidate when that
        is worth it (``best_column``) or when it must work today to reach its weekly minimum;
        its run of working days ends when it does not work."""
        if (i, d) in self.busy:
            return
        inst = self.inst
        ident = inst.ids[i]
        lst = inst.candidates[i].get(d, [])
        fresh = ident.agent_type == "temporary" and i not in self.hired
        if fresh and (d != ident.cohort_day or len(self.hired) >= self.pool_cap):
            lst = []
        c = inst.cols[ident.agent_type]
        need = 0.0 if fresh else ident.min_week[w] - self.week_paid.get((i, w), 0.0)
        cap_later = sum(max((float(c.paid[j]) for j in inst.candidates[i].get(x, [])),
                            default=0.0) for x in later_days[:self.maxc])
        must = need > cap_later - MARGIN_SHIFTS * 480 + 1e-6  # keep a one-shift margin
        if d not in self.allowed[i] and not fresh and not must:
            lst = []
        if not lst or self.streak[i] >= self.maxc:
            self.streak[i] = 0
            return
        best, best_val = self.best_column(i, lst, d, w)
        if best is None:
            self.streak[i] = 0
            return
        if best_val <= 0 and not must:
            self.streak[i] = 0
            return
        self.take(i, best, d, w)

    def best_column(self, i: int, lst: list[int], d: int, w: int) -> tuple[int | None, float]:
        """Identity ``i``'s candidate of ``lst`` (day ``d``) of best value: shortfall penalty
        avoided on the residual demand, less ``FILL_RATIO`` x its whole coverage's worth, less
        wage (overtime: projected); rest and the weekly maximum respected."""
        ident = self.inst.ids[i]
        c = self.inst.cols[ident.agent_type]
        it, price = self.it, self.price
        ptr, rows_, vals = c.duty.indptr, c.duty.indices, c.duty.data
        eff = ident.efficiency(self.p, d)
        paid_w = self.week_paid.get((i, w), 0.0)
        best, best_val = None, -np.inf
        for j in lst:
            pj = float(c.paid[j])
            if c.start[j] < self.last_end[i] + self.rest or \
                    paid_w + pj > ident.max_week[w] + 1e-6:
                continue
            r_, v_ = rows_[ptr[j]:ptr[j + 1]], vals[ptr[j]:ptr[j + 1]]
            gain = float(np.minimum(np.maximum(self.resid[r_], 0.0), eff * v_ / it).sum()) * price
            gain -= FILL_RATIO * float(eff * v_.sum() / it) * price  # keep days for later
            if ident.agent_type == "permanent":
                ot = projected_ot(self.inst, i, w, paid_w, pj)
                gain -= ot / 60 * ident.hourly * self.premium
            else:
                gain -= pj / 60 * ident.hourly
            if gain > best_val:
                best, best_val = j, gain
        return best, best_val


def _shorter(inst: Instance, i: int, j: int, d: int, paid_w: float) -> int:
    """A shorter candidate of identity i with the same start (and the meal nearest to j's) when
    it lowers the projected overtime; else j. The end is earlier, so rest still holds."""
    c = inst.cols[inst.ids[i].agent_type]
    w = inst.hz.week_of_day(d)

    def meal(k: int) -> int:
        return c.templates[int(c.tmpl[k])].meal_offset or 0

    best, best_key = j, (projected_ot(inst, i, w, paid_w, float(c.paid[j])), 0, 0)
    for k in inst.candidates[i].get(d, []):
        if c.start[k] != c.start[j] or c.paid[k] >= c.paid[j]:
            continue
        key = (projected_ot(inst, i, w, paid_w, float(c.paid[k])), -int(c.paid[k]),
               abs(meal(k) - meal(j)))
        if key < best_key:
            best, best_key = k, key
    return best


def projected_ot(inst: Instance, i: int, w: int, paid_w: float, pj: float) -> float:
    """Overtime minutes that a shift of ``pj`` paid minutes adds to a permanent agent's week.

    Besides the hours already above contract, it counts what the weekly minimum still forces:
    the agent must add ``need = min - paid_w - pj`` minutes in ``ceil(need / longest)`` more
    shifts of at least the shortest length each, so a long shift early in the week can push the
    projected week over contract even though the running total is still below it.
    """
    ident = inst.ids[i]
    shortest, longest = inst.cols[ident.agent_type].paid_range

    def week_total(length: float) -> float:
        need = max(0.0, ident.min_week[w] - paid_w - length)
        k = math.ceil(need / longest - 1e-9) if need > 0 else 0.0
        return paid_w + length + max(need, k * shortest)

    contract = ident.contract_week[w]
    return max(0.0, week_total(pj) - contract) - max(0.0, week_total(0.0) - contract)


def _rotation(inst: Instance) -> list[set[int]]:
    """Allowed working days per identity: n days a week, off days staggered by agent index."""
    n_days, maxc = len(inst.hz.days), inst.problem.rules.max_consecutive_days
    seen: dict[str, int] = {}
    out = []
    for i, ident in enumerate(inst.ids):
        k = seen.get(ident.agent_type, 0)
        seen[ident.agent_type] = k + 1
        paid = [float(inst.cols[ident.agent_type].paid[j]) for lst in inst.candidates[i].values()
                for j in lst]
        shift = max(paid, default=480.0)
        w = next((w for w in range(inst.hz.n_weeks) if inst.hz.week_fraction(w) == 1.0), 0)
        week = ident.contract_week[w] if ident.agent_type == "permanent" else ident.max_week[w]
        week = max(week, ident.min_week[w]) / inst.hz.week_fraction(w)
        n_work = int(min(maxc, 7, max(1, round(week / shift))))
        off = {(k + o) % 7 for o in range(7 - n_work)}
        start = int(ident.cohort_day or 0)
        out.append({d for d in range(n_days) if (d - start) % 7 not in off})
    return out


def fill_gaps(inst: Instance, chosen: list[tuple[int, int]],
              passes: int = 2) -> list[tuple[int, int]]:
    """Add shifts on idle days where the penalty avoided beats the wage/overtime (or where a
    named agent is still below its weekly minimum), respecting rest and consecutive days on
    both sides, weekly maxima and temp first-shift days. Shortest days are visited first."""
    p, hz = inst.problem, inst.hz
    it = hz.interval
    price = inst.short_price
    rest = p.rules.min_rest_hours * 60
    maxc = p.rules.max_consecutive_days
    resid = np.asarray(p.required, dtype=float).copy()
    work: dict[int, dict[int, int]] = {}
    week_paid: dict[tuple[int, int], float] = {}
    for i, j in chosen:
        ident = inst.ids[i]
        c = inst.cols[ident.agent_type]
        d = int(c.day[j])
        work.setdefault(i, {})[d] = j
        ptr = c.duty.indptr
        resid[c.duty.indices[ptr[j]:ptr[j + 1]]] -= \
            ident.efficiency(p, d) * c.duty.data[ptr[j]:ptr[j + 1]] / it
        w = hz.week_of_day(d)
        week_paid[(i, w)] = week_paid.get((i, w), 0.0) + float(c.paid[j])
    out = list(chosen)
    slots_per_day = 1440 // it
    for _ in range(passes):
        added = 0
        short_by_day = [float(np.clip(resid[d * slots_per_day:(d + 1) * slots_per_day], 0, None)
                              .sum()) for d in range(len(hz.days))]
        for d in sorted(range(len(hz.days)), key=lambda d: -short_by_day[d]):
            w = hz.week_of_day(d)
            for i, ident in enumerate(inst.ids):
                days = work.get(i, {})
                lst = inst.candidates[i].get(d)
                if not lst or d in days:
                    continue
                if ident.agent_type == "temporary" and (not days or d < min(days)):
                    continue
                left = next((k for k in range(1, maxc + 2) if d - k not in days), maxc + 1) - 1
                right = next((k for k in range(1, maxc + 2) if d + k not in days), maxc + 1) - 1
                if left + right + 1 > maxc:
                    continue
                c = inst.cols[ident.agent_type]
                prev_end = max((int(c.end[days[k]]) for k in days if k < d), default=-10**9)
                next_start = min((int(c.start[days[k]]) for k in days if k > d), default=10**9)
                paid_w = week_paid.get((i, w), 0.0)
                eff = ident.efficiency(p, d)
                ptr, rows_, vals = c.duty.indptr, c.duty.indices, c.duty.data
                below_min = paid_w < ident.min_week[w] - 1e-6 and (
                    ident.agent_type != "temporary")
                best, best_val = None, (-np.inf if below_min else 0.0)
                for j in lst:
                    pj = float(c.paid[j])
                    if c.start[j] < prev_end + rest or c.end[j] + rest > next_start or \
                            paid_w + pj > ident.max_week[w] + 1e-6:
                        continue
                    r_, v_ = rows_[ptr[j]:ptr[j + 1]], vals[ptr[j]:ptr[j + 1]]
                    gain = float(np.minimum(np.maximum(resid[r_], 0.0), eff * v_ / it).sum())
                    gain *= price
                    if ident.agent_type == "permanent":
                        ot = projected_ot(inst, i, w, paid_w, pj)
                        gain -= ot / 60 * ident.hourly * p.costs.overtime_premium
                    else:
                        gain -= pj / 60 * ident.hourly
                    if gain > best_val:
                        best, best_val = j, gain
                if best is None:
                    continue
                out.append((i, best))
                work.setdefault(i, {})[d] = best
                week_paid[(i, w)] = paid_w + float(c.paid[best])
                resid[rows_[ptr[best]:ptr[best + 1]]] -= eff * vals[ptr[best]:ptr[best + 1]] / it
                added += 1
        if not added:
            break
    return _lengthen_for_minimum(inst, out, work, week_paid)


def _lengthen_for_minimum(inst: Instance, out: list[tuple[int, int]],
                          work: dict[int, dict[int, int]],
                          week_paid: dict[tuple[int, int], float]) -> list[tuple[int, int]]:
    """Swap shifts of named agents still below a weekly minimum for longer candidates."""
    hz, rest = inst.hz, inst.problem.rules.min_rest_hours * 60
    for i, ident in enumerate(inst.ids):
        if ident.agent_type == "temporary" or i not in work:
            continue
        c, days = inst.cols[ident.agent_type], work[i]
        for w in range(hz.n_weeks):
            for d in sorted(k for k in days if hz.week_of_day(k) == w):
                paid_w = week_paid.get((i, w), 0.0)
                if paid_w >= ident.min_week[w] - 1e-6:
                    break
                j0 = days[d]
                prev_end = max((int(c.end[days[k]]) for k in days if k < d), default=-10**9)
                next_start = min((int(c.start[days[k]]) for k in days if k > d), default=10**9)
                options = [j for j in inst.candidates[i][d] if c.paid[j] > c.paid[j0]
                           and c.start[j] >= prev_end + rest and c.end[j] + rest <= next_start
                           and paid_w - c.paid[j0] + c.paid[j] <= ident.max_week[w] + 1e-6]
                if options:
                    j1 = max(options, key=lambda j: (int(c.paid[j]), -abs(int(c.start[j])
                                                                           - int(c.start[j0]))))
                    out[out.index((i, j0))] = (i, j1)
                    days[d] = j1
                    week_paid[(i, w)] = paid_w - float(c.paid[j0]) + float(c.paid[j1])
    return out
