"""``check_problem``: reject self-contradicting rules before solving.

Raises ``SchedulerInputError`` with one line naming the rule (agent/policy and field), e.g.
``agent P007: min_hours_per_week 44 cannot fit availability in week 1 (at most 32 h)``.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from datetime import timedelta

import numpy as np

from scheduler.errors import SchedulerInputError
from scheduler.roster.instance.availability import agent_mask
from scheduler.roster.instance.columns import Columns, build_columns
from scheduler.roster.instance.horizon import Horizon
from scheduler.roster.instance.templates import meal_offsets, paid_lengths
from scheduler.roster.instance.week_limits import agent_week_limits, temp_week_limits
from scheduler.roster.schema import AgentType, RosterProblem, ShiftPolicy


def _fail(msg: str) -> None:
    raise SchedulerInputError(msg)


def _check_horizon(problem: RosterProblem) -> None:
    if not problem.slot_starts:
        _fail("roster problem: field 'slot_starts' is empty")
    step = timedelta(minutes=problem.interval_minutes)
    for k in range(1, len(problem.slot_starts)):
        if problem.slot_starts[k] - problem.slot_starts[k - 1] != step:
            _fail(f"roster problem: field 'slot_starts' not contiguous at slot {k + 1} "
                  f"({problem.slot_starts[k]:%Y-%m-%d %H:%M})")


def _check_policy(name: str, policy: ShiftPolicy, problem: RosterProblem) -> None:
    it, rules = problem.interval_minutes, problem.rules
    t0 = problem.slot_starts[0]
    first = policy.earliest_start.hour * 60 + policy.earliest_start.minute
    if (first - t0.hour * 60 - t0.minute) % it or policy.start_step_minutes % it:
        _fail(f"shift policy '{name}': field 'earliest_start'/'start_step_minutes' not aligned "
              f"to the {it}-minute slots")
    if policy.paid_hours_min > rules.max_hours_per_day:
        _fail(f"shift policy '{name}': field 'paid_hours_min' {policy.paid_hours_min} h above "
              f"labour rule max_hours_per_day {rules.max_hours_per_day} h")
    lengths = paid_lengths(policy, rules)
    if not lengths:
        _fail(f"shift policy '{name}': no paid length between paid_hours_min and "
              f"paid_hours_max in steps of length_step_minutes")
    for paid in lengths:
        if not meal_offsets(policy, paid, it):
            _fail(f"shift policy '{name}': field 'meal_break_max_after_hours' leaves no meal "
                  f"break start inside a {paid / 60:g} h shift")


def _longest_week(day: np.ndarray, start: np.ndarray, end: np.ndarray, paid: np.ndarray,
                  days: range, rest: float, k: int) -> float:
    """Most paid minutes of one agent on ``days`` (horizon day indices) choosing among the given
    columns: one shift per date, at least ``rest`` minutes between shifts, at most ``k`` dates in
    a row (none worked before the first date: an upper bound for any earlier history).
    Longest path over the columns ordered by date, with the run of dates as state."""
    best = 0.0
    by_day: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # date -> (end, value per run length)
    for d in days:
        on = day == d
        if not on.any():
            continue
        s, p = start[on], paid[on].astype(float)
        older = [by_day[x] for x in by_day if x <= d - 2]
        val = np.full((s.size, k), -np.inf)
        base = np.zeros(s.size)
        if older:
            o_end = np.concatenate([e for e, _ in older])
            o_val = np.concatenate([v.max(axis=1) for _, v in older])
            base = np.maximum(base, _best_before(o_end, o_val, s - rest))
        val[:, 0] = base + p
        if d - 1 in by_day:
            y_end, y_val = by_day[d - 1]
            for t in range(1, k):
                val[:, t] = _best_before(y_end, y_val[:, t - 1], s - rest) + p
        by_day[d] = (end[on], val)
        best = max(best, float(val.max()))
    return best


def _totals_week(day: np.ndarray, start: np.ndarray, end: np.ndarray, paid: np.ndarray,
                 days: range, rest: float, k: int) -> int:
    """Every total of paid minutes the schedules of ``_longest_week`` can reach, as a bit set
    (bit t set: t minutes reachable; bit 0: no shift). Same recursion, with sets of totals
    instead of their maximum (OR of the predecessors' sets shifted by the shift's minutes)."""
    reach = 1
    by_day: dict[int, tuple[np.ndarray, list[list[int]]]] = {}  # date -> (end, sets by run)
    for d in days:
        on = np.flatnonzero(day == d)
        if on.size == 0:
            continue
        latest = start[on] - rest
        older = [(e, [functools.reduce(operator.or_, r) for r in v])
                 for x, (e, v) in by_day.items() if x <= d - 2]
        base = _or_before(np.concatenate([e for e, _ in older]) if older else np.zeros(0),
                          [x for _, v in older for x in v], latest)
        cols = [[1 | b for b in base]]
        if d - 1 in by_day:
            y_end, y_sets = by_day[d - 1]
            cols += [_or_before(y_end, [r[t - 1] for r in y_sets], latest) for t in range(1, k)]
        else:
            cols += [[0] * on.size for _ in range(1, k)]
        sets = [[c[n] << int(paid[q]) for c in cols] for n, q in enumerate(on)]
        by_day[d] = (end[on], sets)
        reach |= functools.reduce(operator.or_, (x for r in sets for x in r), 0)
    return reach


def _or_before(ends: np.ndarray, sets: list[int], latest: np.ndarray) -> list[int]:
    """Per query: OR of ``sets`` over entries with ``ends <= latest`` (0 if none)."""
    if not sets:
        return [0] * latest.size
    order = np.argsort(ends, kind="stable")
    acc = [0, *itertools.accumulate((sets[i] for i in order), operator.or_)]
    idx = np.searchsorted(ends[order], latest, side="right")
    return [acc[i] for i in idx]


def _best_before(ends: np.ndarray, vals: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """Per query: max of ``vals`` over entries with ``ends <= latest`` (-inf if none)."""
    order = np.argsort(ends, kind="stable")
    e, v = ends[order], np.maximum.accumulate(vals[order])
    idx = np.searchsorted(e, latest, side="right")
    out = np.full(latest.size, -np.inf)
    out[idx > 0] = v[idx[idx > 0] - 1]
    return out


class _WeekBound:
    """Most paid hours per week of one agent type's columns under a mask, with the rules
    (both, rest only, consecutive days only); cached per distinct mask, first date and week."""

    def __init__(self, problem: RosterProblem, cols: Columns, hz: Horizon) -> None:
        self.cols, self.hz = cols, hz
        self.rest = problem.rules.min_rest_hours * 60
        self.k = problem.rules.max_consecutive_days
        self.cache: dict[tuple[bytes, int, int, float, int], float] = {}
        self.totals_cache: dict[tuple[bytes, int, int], int] = {}

    def hours(self, mask: np.ndarray | None, week: int, first_day: int = 0,
              rest: float | None = None, k: int | None = None) -> float:
        rest = self.rest if rest is None else rest
        k = self.k if k is None else k
        c = self.cols
        key = (b"" if mask is None else np.packbits(mask).tobytes(), week, first_day, rest, k)
        if key not in self.cache:
            days = range(max(first_day, self.hz.week_days(week).start),
                         self.hz.week_days(week).stop)
            sel = (c.day >= days.start) & (c.day < days.stop)
            if mask is not None:
                sel &= mask
            rows = np.unique(np.stack([c.day[sel], c.start[sel], c.end[sel], c.paid[sel]],
                                      axis=1), axis=0)
            minutes = _longest_week(*rows.T, days, rest, min(k, len(days))) if rows.size else 0
            self.cache[key] = minutes / 60
        return self.cache[key]

    def totals(self, mask: np.ndarray | None, week: int, first_day: int = 0) -> int:
        """Bit set of the reachable weekly totals of paid minutes (see ``_totals_week``)."""
        c, wd = self.cols, self.hz.week_days(week)
        days = range(max(first_day, wd.start), wd.stop)
        sel = (c.day >= days.start) & (c.day < days.stop)
        if mask is not None:
            sel &= mask
        rows = np.unique(np.stack([c.day[sel], c.start[sel], c.end[sel], c.paid[sel]], axis=1),
                         axis=0)
        key = (b"" if mask is None else np.packbits(mask).tobytes(), week, first_day)
        if key not in self.totals_cache:
            self.totals_cache[key] = 1 if not rows.size else _totals_week(
                *rows.T, days, self.rest, min(self.k, len(days)))
        return self.totals_cache[key]

    def binding(self, mask: np.ndarray | None, week: int, first_day: int, need: float) -> str:
        """The rule(s) that keep the week below ``need`` hours, named with their values."""
        rest_h, k = self.rest / 60, self.k
        rest_alone = self.hours(mask, week, first_day, k=7) < need - 1e-6
        days_alone = self.hours(mask, week, first_day, rest=0.0) < need - 1e-6
        if rest_alone and not days_alone:
            return f"min_rest_hours {rest_h:g}"
        if days_alone and not rest_alone:
            return f"max_consecutive_days {k}"
        return f"min_rest_hours {rest_h:g} and max_consecutive_days {k}"


def most_hours_per_week(problem: RosterProblem, agent_type: AgentType, mask: np.ndarray | None,
                        week: int, first_day: int = 0) -> float:
    """Upper bound on the paid hours one agent of ``agent_type`` can work in week ``week``
    (0-based) using the columns in ``mask`` (None = all) on dates from ``first_day`` under the
    rest, consecutive-day and one-shift-per-date rules (weekly caps not applied)."""
    hz = Horizon.of(problem)
    return _WeekBound(problem, build_columns(problem, agent_type, hz), hz).hours(
        mask, week, first_day)


def _check_week(who: str, bound: _WeekBound, mask: np.ndarray | None, week: int,
                first_day: int, minimum: float, need: float, cap: float) -> None:
    """Fail when ``need`` hours (the prorated ``minimum``) exceed what the rules allow, or
    when even the shortest permitted shift is above the week's (prorated) maximum ``cap``."""
    c, days = bound.cols, bound.hz.week_days(week)
    sel = (c.day >= max(first_day, days.start)) & (c.day < days.stop)
    if mask is not None:
        sel &= mask
    shortest = float(c.paid[sel].min()) / 60 if sel.any() else 0.0
    if need > 1e-6 and shortest > cap + 1e-6:
        _fail(f"{who}: field 'min_hours_per_week' {minimum:g} cannot be met: the shortest "
              f"permitted shift ({shortest:g} h) is above the weekly maximum in "
              f"{bound.hz.week_label(week)} ({round(cap, 2):g} h)")
    most = min(bound.hours(mask, week, first_day), cap)
    if need > most + 1e-6:
        _fail(f"{who}: field 'min_hours_per_week' {minimum:g} cannot be met with "
              f"{bound.binding(mask, week, first_day, need)} "
              f"(at most {round(most, 2):g} h in {bound.hz.week_label(week)})")
    if cap - need >= float(c.paid[sel].max()) / 60 - 1e-9:
        return  # dropping shifts one by one from the longest schedule lands in [need, cap]
    totals = bound.totals(mask, week, first_day)
    lo, hi = math.ceil(need * 60 - 1e-6), math.floor(cap * 60 + 1e-6)
    if totals >> lo & ((1 << (hi - lo + 1)) - 1):
        return
    below = (totals & ((1 << lo) - 1)).bit_length() - 1
    above = totals >> (hi + 1)
    above = hi + 1 + (above & -above).bit_length() - 1 if above else None
    whole = f"{below / 60:g} h" + ("" if above is None else f" or {above / 60:g} h")
    _fail(f"{who}: field 'min_hours_per_week' {minimum:g} cannot be met with whole shifts "
          f"within the weekly maximum in {bound.hz.week_label(week)} (need {round(need, 2):g} to "
          f"{round(cap, 2):g} h; the shifts give {whole})")


def _check_agents(problem: RosterProblem, hz: Horizon) -> None:
    legal = problem.rules.max_hours_per_week
    cols = {t: build_columns(problem, t, hz) for t in ("permanent", "part_time", "temporary")}
    bounds = {t: _WeekBound(problem, c, hz) for t, c in cols.items()}
    for a in problem.agents:
        if a.min_hours_per_week > legal:
            _fail(f"agent {a.agent_id}: field 'min_hours_per_week' {a.min_hours_per_week} above "
                  f"labour rule max_hours_per_week {legal}")
        c = cols[a.agent_type]
        mask = agent_mask(a, c, hz)
        if a.min_hours_per_week > 0 and not mask.any():
            _fail(f"agent {a.agent_id}: no permitted shift start fits field "
                  f"'available_from'/'available_to'/'available_weekdays'")
        if a.min_hours_per_week <= 0:
            continue
        best = np.zeros(len(hz.days))
        np.maximum.at(best, c.day[mask], c.paid[mask] / 60)
        for w, lim in enumerate(agent_week_limits(problem, hz, a)):
            cap, need = lim.max_h, lim.min_h
            if need <= 0:
                continue
            most = min(float(best[list(hz.week_days(w))].sum()), cap)
            if need > most + 1e-6:
                _fail(f"agent {a.agent_id}: field 'min_hours_per_week' {a.min_hours_per_week:g} "
                      f"cannot fit availability in {hz.week_label(w)} (needs {round(need, 2):g} "
                      f"h, at most {most:g} h)")
            _check_week(f"agent {a.agent_id}", bounds[a.agent_type], mask, w, 0,
                        a.min_hours_per_week, need, cap)
    pool = problem.temporary
    if pool.min_hours_per_week > pool.max_hours_per_week:
        _fail(f"temporary pool: field 'min_hours_per_week' {pool.min_hours_per_week} above "
              f"max_hours_per_week {pool.max_hours_per_week}")
    if pool.min_hours_per_week > legal:
        _fail(f"temporary pool: field 'min_hours_per_week' {pool.min_hours_per_week} above "
              f"labour rule max_hours_per_week {legal}")
    if pool.max_headcount == 0 or pool.min_hours_per_week <= 0:
        return
    for w in range(hz.n_weeks):
        # a temp hired on the week's first date it may work (the minimum is prorated from there)
        first = max(pool.lead_days, hz.week_days(w).start)
        if first >= hz.week_days(w).stop:
            continue
        lim = temp_week_limits(problem, hz, first)[w]
        need, cap = lim.min_h, lim.max_h
        _check_week("temporary pool", bounds["temporary"], None, w, first,
                    pool.min_hours_per_week, need, cap)


def check_problem(problem: RosterProblem) -> None:
    """Raise SchedulerInputError naming the first self-contradicting rule; None if consistent."""
    _check_horizon(problem)
    for name in ("permanent", "part_time", "temporary"):
        _check_policy(name, getattr(problem.shifts, name), problem)
    _check_agents(problem, Horizon.of(problem))
