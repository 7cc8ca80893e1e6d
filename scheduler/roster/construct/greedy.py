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

from scheduler.roster.construct.shift_value import projected_ot_many, shift_values, unmet_near
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
    demand, each identity's last shift end (minutes), run of working days and weekly paid
    minutes (arrays by identity, and identity x week), the temps hired, the shifts chosen, and
    the rotation of allowed working days (``_rotation``)."""

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
        n = len(inst.ids)
        self.order = sorted(range(n), key=lambda i: (
            "permanent", "part_time", "temporary").index(inst.ids[i].agent_type))
        self.last_end = np.full(n, -10**9, dtype=np.int64)
        self.streak = np.zeros(n, dtype=np.int64)
        self.week_paid = np.zeros((n, hz.n_weeks))  # paid minutes so far
        self.min_week = np.array([x.min_week for x in inst.ids], dtype=float).reshape(n, -1)
        self.max_week = np.array([x.max_week for x in inst.ids], dtype=float).reshape(n, -1)
        self.contract = np.array([x.contract_week for x in inst.ids], dtype=float).reshape(n, -1)
        self.cohort = np.array([-1 if x.cohort_day is None else x.cohort_day for x in inst.ids],
                               dtype=np.int64)
        self.hired: set[int] = set()
        self.is_hired = np.zeros(n, dtype=bool)
        self.chosen: list[tuple[int, int]] = []
        self.premium = p.costs.overtime_premium
        self.allowed = _rotation(inst)
        self.allowed_m = np.zeros((n, self.n_days + 1), dtype=bool)  # day n_days: never
        for i, days in enumerate(self.allowed):
            self.allowed_m[i, sorted(days)] = True
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
            self.is_hired[i] = True
        ptr = c.duty.indptr
        self.resid[c.duty.indices[ptr[j]:ptr[j + 1]]] -= \
            ident.efficiency(self.p, d) * c.duty.data[ptr[j]:ptr[j + 1]] / self.it
        self.last_end[i] = int(c.end[j])
        self.streak[i] += 1
        self.week_paid[i, w] += float(c.paid[j])
        self.busy.add((i, d))

    def lp_shifts(self, d: int, w: int) -> None:
        """Phase A: the LP-rounded shifts of day ``d``, by start, each to the best free agent
        of its type (``lp_taker``) among those that have the shift as a candidate."""
        inst = self.inst
        for typ, xv in (self.lp_x or {}).items():
            c = inst.cols[typ]
            on_day = np.flatnonzero((c.day == d) & (xv > 0.5 - 1e-9))
            # identities of this type still free today that may work today at all
            free = np.array([i for i in self.by_type[typ] if d in self.colsets[i]
                             and self.streak[i] < self.maxc], dtype=np.int64)
            members = _members(self.colsets, free, d, on_day)
            still = np.ones(len(free), dtype=bool)
            for j in on_day[np.argsort(c.start[on_day], kind="stable")]:
                pos = members.get(int(j))
                for _ in range(int(np.floor(xv[j] + 0.5))):
                    if pos is None:
                        break
                    pos = pos[still[pos]]
                    best_i, over = self.lp_taker(typ, int(j), d, w, free[pos])
                    if best_i is None:  # nothing changed: no later copy finds a taker either
                        break
                    if typ == "temporary" and best_i not in self.hired:
                        self.to_hire[d] = self.to_hire.get(d, 0) - 1
                    jj = int(j)
                    if self.shorten and typ == "permanent" and over > 0:
                        jj = _shorter(inst, best_i, jj, d, float(self.week_paid[best_i, w]))
                    self.take(best_i, jj, d, w)
                    still[np.searchsorted(free, best_i)] = False

    def lp_taker(self, typ: str, j: int, d: int, w: int,
                 cand: np.ndarray) -> tuple[int | None, float]:
        """The identity of ``cand`` (free, with shift ``j`` of day ``d`` as a candidate; in
        identity order) that takes the LP shift, and the overtime minutes it projects:
        temps to hire today first, then temps already hired, least projected overtime, not
        ending late before a working day, furthest below the weekly minimum, on an allowed
        day, shortest run of working days; ties to the first in ``cand``."""
        c = self.inst.cols[typ]
        pj = float(c.paid[j])
        fresh = ~self.is_hired[cand] if typ == "temporary" else np.zeros(len(cand), dtype=bool)
        ok = ~(fresh & ((self.cohort[cand] != d) | (len(self.hired) >= self.pool_cap)))
        pw = self.week_paid[cand, w]
        ok &= (c.start[j] >= self.last_end[cand] + self.rest) & \
            (pw + pj <= self.max_week[cand, w] + 1e-6)
        cand, fresh, pw = cand[ok], fresh[ok], pw[ok]
        if not len(cand):
            return None, 0.0
        over = np.zeros(len(cand))
        if typ == "permanent":
            over = projected_ot_many(self.min_week[cand, w], self.contract[cand, w], pw, pj,
                                     c.paid_range)
        late = int(c.end[j]) + self.rest > self.day_start[min(d + 1, self.n_days - 1)] + \
            LATE_MINUTES
        hire_first = fresh & (self.to_hire.get(d, 0) > 0)
        not_late = ~(late & self.allowed_m[cand, d + 1])
        # np.lexsort: last key first; ascending, so every "larger is better" key is negated
        k = np.lexsort((np.arange(len(cand)), self.streak[cand], ~self.allowed_m[cand, d],
                        -(self.min_week[cand, w] - pw), ~not_late, over,
                        ~self.is_hired[cand], ~hire_first))[0]
        return int(cand[k]), float(over[k])

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
        need = 0.0 if fresh else ident.min_week[w] - float(self.week_paid[i, w])
        cap_later = sum(max((float(c.paid[j]) for j in inst.candidates[i].get(x, [])),
                            default=0.0) for x in later_days[:self.maxc])
        must = need > cap_later - MARGIN_SHIFTS * 480 + 1e-6  # keep a one-shift margin
        if d not in self.allowed[i] and not fresh and not must:
            lst = []
        if not lst or self.streak[i] >= self.maxc or (
                not must and unmet_near(self.resid, d, 1440 // self.it) <= 0):
            self.streak[i] = 0  # (no unmet demand near day d: no shift of it is worth it)
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
        paid_w = float(self.week_paid[i, w])
        cols = np.asarray(lst, dtype=np.int64)
        pj = c.paid[cols].astype(float)
        cols = cols[(c.start[cols] >= self.last_end[i] + self.rest)
                    & (paid_w + pj <= ident.max_week[w] + 1e-6)]
        if not len(cols):
            return None, -np.inf
        avoided, cover = shift_values(c, cols, self.resid, ident.efficiency(self.p, d) / it)
        gain = (avoided - FILL_RATIO * cover) * price  # less the coverage: keep days for later
        pj = c.paid[cols].astype(float)
        if ident.agent_type == "permanent":
            ot = projected_ot_many(ident.min_week[w], ident.contract_week[w], paid_w, pj,
                                   c.paid_range)
            gain -= ot / 60 * ident.hourly * self.premium
        else:
            gain -= pj / 60 * ident.hourly
        k = int(np.argmax(gain))
        return int(cols[k]), float(gain[k])


def _members(colsets: list[dict[int, set[int]]], free: np.ndarray, d: int,
             on_day: np.ndarray) -> dict[int, np.ndarray]:
    """For each LP shift of ``on_day``: the positions in ``free`` (ascending) of the
    identities that have it among their candidates of day ``d``."""
    wanted = set(on_day.tolist())
    out: dict[int, list[int]] = {}
    for pos, i in enumerate(free.tolist()):
        for j in colsets[i][d] & wanted:
            out.setdefault(j, []).append(pos)
    return {j: np.asarray(v, dtype=np.int64) for j, v in out.items()}


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
